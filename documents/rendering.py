"""Protocol → PDF with WeasyPrint, laid out as ГОСТ Р 7.0.97-2016 asks (DESIGN.md «The protocol document»).

What the protocol says is built by ``meetings.protocol`` (the protocol page lays out the same
structure); this module only lays it out on A4. ``protocol_queryset`` (re-exported from there)
loads a meeting with everything it prints.

``render_protocol`` returns the PDF bytes and the boxes of the signature areas (one per signer) (in PDF
points, bottom-left origin), so the signing service can put its signature fields exactly
over them. ``render_protocol_pdf`` is the short form for callers that only need bytes.
The fonts are the project's own (static/fonts, Liberation Serif, OFL), so the file is the
same on any machine and no glyph falls back to a system font.
"""

from __future__ import annotations

import atexit
import base64
import contextlib
import functools
import gc
import hashlib
import io
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import qrcode
from django.conf import settings
from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils import translation

from meetings.models import AgendaItem, Meeting, MeetingStatus
from meetings.protocol import build_protocol, load_protocol, protocol_queryset

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
STAMP_FONT = FONT_DIR / "LiberationSerif-Regular.ttf"
# CSS px (1/96 in) → PDF points (1/72 in).
PX_TO_PT = 0.75
# The signature block of each signer is the element ``sig-<role>`` (``meetings.protocol.Signer.role``).
SIGNATURE_ANCHOR_PREFIX = "sig-"


@dataclass
class RenderedProtocol:
    pdf: bytes
    page_count: int
    # signer's role («chair», «signer-2») → (page index, (x1, y1, x2, y2) in PDF points, origin bottom-left)
    signature_boxes: dict[str, tuple[int, tuple[float, float, float, float]]] = field(default_factory=dict)


def _qr_data_uri(url: str) -> str:
    """The QR code as a 1-bit PNG (one pixel a module, drawn unsmoothed by the CSS): WeasyPrint lays
    out an SVG path of a QR code far more slowly than it embeds a tiny bitmap."""
    qr = qrcode.QRCode(border=0, box_size=1)
    qr.add_data(url)
    out = io.BytesIO()
    qr.make_image().save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def _font_uris() -> dict[str, str]:
    return {style: (FONT_DIR / f"LiberationSerif-{style}.ttf").as_uri()
            for style in ("Regular", "Bold", "Italic", "BoldItalic")}


_weasy = threading.local()
# Drop the cached FontConfiguration before the interpreter tears down the modules its __del__ needs.
atexit.register(lambda: _weasy.__dict__.clear())


def _stylesheet():
    """The protocol's CSS parsed once per thread, with the fonts of its @font-face rules loaded into the
    thread's FontConfiguration once (parsing the CSS and loading four fonts for every PDF cost more than
    laying out a page). Nothing in it depends on the meeting. Per thread: Pango's font map is not shared."""
    if getattr(_weasy, "stylesheet", None) is None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        font_config = FontConfiguration()
        css = render_to_string("documents/pdf/protocol.css", {"fonts": _font_uris()})
        _weasy.font_config = font_config
        _weasy.stylesheet = CSS(string=css, base_url=str(settings.BASE_DIR), font_config=font_config)
    return _weasy.stylesheet, _weasy.font_config


# WeasyPrint's user-agent stylesheet gives every element six pseudo-element styles (``::marker`` and the five
# ``::footnote-*``/``::note-*`` ones), each a computed style made for each element of every render. A protocol has
# no footnotes or notes and its only list items are ``li`` (whose markers are off, ``list-style: none``), so these
# rules are dropped or narrowed to ``li``: the same pages (documents/tests/test_rendering.py compares them), with one
# computed style per element instead of seven (~4 % of a render's instructions).
_UA_UNUSED_PSEUDO = re.compile(r"^::(?:footnote-call|footnote-marker|note-call|note-marker|note-callback) \{[^}]*\}\n", re.M)


@functools.cache
def _protocol_html_class():
    """``weasyprint.HTML`` with the trimmed user-agent stylesheet (built once; read-only, so shared by threads)."""
    from weasyprint import CSS, HTML
    from weasyprint.css.counters import CounterStyle
    from weasyprint.html import UA

    ua = _UA_UNUSED_PSEUDO.sub("", UA).replace("\n::marker {", "\nli::marker {")
    # WeasyPrint's own UA sheet already registered its @counter-style rules (``HTML._ua_counter_style``).
    sheet = CSS(string=ua, counter_style=CounterStyle())

    class ProtocolHTML(HTML):
        def _ua_stylesheets(self, forms=False):
            return [sheet]

    return ProtocolHTML


@contextlib.contextmanager
def _cyclic_gc_paused():
    """A render makes some million short-lived objects, nearly all freed by reference counting; the cyclic
    collector would still walk the young ones every 700 allocations, and now and then every object of the
    process (tens of milliseconds in a Django process). Paused for the render; what it leaves in cycles is
    collected as usual afterwards. Another thread's render may re-enable it early: that only costs time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def protocol_context(meeting: Meeting, *, form: str = "full", watermark: bool = False, item: AgendaItem | None = None,
                     verify_url: str = "") -> dict:
    """The PDF template's context: the protocol as ``meetings.protocol`` builds it, plus what only a PDF carries."""
    return {
        "p": build_protocol(meeting, form=form, item=item),
        "watermark": watermark,
        "verify_url": verify_url,
        "qr": _qr_data_uri(verify_url) if verify_url else "",
        "created": meeting.date.isoformat() if meeting.date else "",
    }


# The signed protocol is archival: PDF/A-2b (ISO 19005-2, level B), fonts embedded, XMP metadata and an sRGB
# output intent, tagged for screen readers. Signing adds incremental updates, which PDF/A-2 allows.
ARCHIVAL_VARIANT = "pdf/a-2b"


# Unsigned renders (previews) by what they are made of: the HTML and the CSS version (``preview_key``).
PREVIEW_CACHE = "default"
PREVIEW_TIMEOUT = 7 * 24 * 3600


@functools.cache
def css_version() -> str:
    """What the layout depends on besides the HTML: the rendered protocol.css, the font files it loads
    and WeasyPrint's version. A deploy that changes any of them changes every preview's key."""
    import weasyprint

    digest = hashlib.sha256(render_to_string("documents/pdf/protocol.css", {"fonts": _font_uris()}).encode())
    for style in ("Regular", "Bold", "Italic", "BoldItalic"):
        digest.update((FONT_DIR / f"LiberationSerif-{style}.ttf").read_bytes())
    digest.update(weasyprint.__version__.encode())
    return digest.hexdigest()[:16]


def preview_key(html: str) -> str:
    """The cache key of a render: a digest of the HTML (everything the protocol says, the watermark, the
    form, the extract) and the CSS version. Content-addressed, so an entry is never stale: a change to
    the protocol changes the HTML, hence the key; one protocol's entry can only be reached by the same HTML."""
    return f"protocol-pdf:{css_version()}:{hashlib.sha256(html.encode()).hexdigest()}"


def protocol_html(meeting: Meeting, *, form: str = "full", watermark: bool = False, item: AgendaItem | None = None,
                  verify_url: str = "") -> str:
    """The HTML that WeasyPrint lays out (and ``preview_key`` digests)."""
    with translation.override("ru"):
        return render_to_string("documents/pdf/protocol.html", protocol_context(
            meeting, form=form, watermark=watermark, item=item, verify_url=verify_url))


def render_protocol(meeting: Meeting, *, form: str = "full", watermark: bool = False, item: AgendaItem | None = None,
                    verify_url: str = "", archival: bool = False, cache: bool = True) -> RenderedProtocol:
    """Render the protocol (or an extract of one ``item``) and locate the signature areas; ``archival``:
    as PDF/A-2b, tagged (what is signed). Other renders (previews) of HTML already rendered come from
    the cache (``preview_key``) unless ``cache`` is off (benchmarks of a fresh render)."""
    html = protocol_html(meeting, form=form, watermark=watermark, item=item, verify_url=verify_url)
    if archival or not cache:  # archival: signed once, with a document's own verification link
        return render_html(html, archival=archival)
    key = preview_key(html)
    cached = caches[PREVIEW_CACHE].get(key)
    if isinstance(cached, RenderedProtocol):
        return cached
    rendered = render_html(html, archival=False)
    caches[PREVIEW_CACHE].set(key, rendered, PREVIEW_TIMEOUT)
    return rendered


def render_html(html: str, *, archival: bool) -> RenderedProtocol:
    """Lay out a protocol's rendered HTML and write its PDF (no cache)."""
    stylesheet, font_config = _stylesheet()
    with _cyclic_gc_paused():
        return _render_html(html, archival=archival, stylesheet=stylesheet, font_config=font_config)


def _render_html(html: str, *, archival: bool, stylesheet, font_config) -> RenderedProtocol:
    document = _protocol_html_class()(string=html, base_url=str(settings.BASE_DIR)).render(
        stylesheets=[stylesheet], font_config=font_config)
    boxes = {}
    for index, page in enumerate(document.pages):
        page_height_pt = page.height * PX_TO_PT
        for anchor, (x1, y1, x2, y2) in page.anchors.items():
            if anchor.startswith(SIGNATURE_ANCHOR_PREFIX):
                boxes[anchor.removeprefix(SIGNATURE_ANCHOR_PREFIX)] = (
                    index, (x1 * PX_TO_PT, page_height_pt - y2 * PX_TO_PT, x2 * PX_TO_PT, page_height_pt - y1 * PX_TO_PT))
    options = {"pdf_variant": ARCHIVAL_VARIANT, "pdf_tags": True} if archival else {}
    return RenderedProtocol(pdf=document.write_pdf(**options), page_count=len(document.pages), signature_boxes=boxes)


def render_protocol_pdf(meeting: Meeting, *, form: str = "full", watermark: bool = False, item: AgendaItem | None = None,
                        verify_url: str = "") -> bytes:
    """The protocol as PDF bytes. ``meeting`` is refetched with everything the layout needs."""
    meeting = load_protocol(meeting.pk)
    return render_protocol(meeting, form=form, watermark=watermark, item=item, verify_url=verify_url).pdf


def needs_watermark(meeting: Meeting) -> bool:
    """Drafts (and protocols still on approval) carry «ПРОЕКТ»."""
    return meeting.status in (MeetingStatus.DRAFT, MeetingStatus.ON_APPROVAL)
