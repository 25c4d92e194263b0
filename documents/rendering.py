"""Protocol → PDF with WeasyPrint, laid out as ГОСТ Р 7.0.97-2016 asks (DESIGN.md «The protocol document»).

``render_protocol`` returns the PDF bytes and the boxes of the two signature areas (in PDF
points, bottom-left origin), so the signing service can put its signature fields exactly
over them. ``render_protocol_pdf`` is the short form for callers that only need bytes.
The fonts are the project's own (static/fonts, Liberation Serif, OFL), so the file is the
same on any machine and no glyph falls back to a system font.
"""

from __future__ import annotations

import atexit
import base64
import io
import threading
from dataclasses import dataclass, field
from pathlib import Path

import qrcode
from django.conf import settings
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import translation

from core import ru
from meetings.models import AgendaItem, ChairTitle, Decision, Meeting, MeetingStatus, Speaker

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
STAMP_FONT = FONT_DIR / "LiberationSerif-Regular.ttf"
# CSS px (1/96 in) → PDF points (1/72 in).
PX_TO_PT = 0.75
SIGNATURE_ANCHORS = {"secretary": "sig-secretary", "chair": "sig-chair"}


@dataclass
class RenderedProtocol:
    pdf: bytes
    page_count: int
    # role → (page index, (x1, y1, x2, y2) in PDF points, origin bottom-left)
    signature_boxes: dict[str, tuple[int, tuple[float, float, float, float]]] = field(default_factory=dict)


def protocol_queryset():
    """Everything the protocol prints, in a fixed number of queries."""
    decisions = Decision.objects.prefetch_related("responsible_organizations", "responsible_people", "responsible_bodies")
    return Meeting.objects.select_related("cluster", "body", "chair__organization", "secretary__organization").prefetch_related(
        "attendances__person__organization",
        Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("order").prefetch_related(
            Prefetch("speakers", queryset=Speaker.objects.select_related("person__organization")),
            Prefetch("decisions", queryset=decisions),
        )),
    )


def responsible_display(decision: Decision) -> str:
    if decision.responsible_text:
        return decision.responsible_text
    parties = [org.short_name or org.full_name for org in decision.responsible_organizations.all()]
    parties += [person.initials_surname for person in decision.responsible_people.all()]
    parties += [body.name for body in decision.responsible_bodies.all()]
    parties += decision.responsible_kinds_display
    return ", ".join(parties)


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


def _attendance(meeting: Meeting) -> dict:
    rows = list(meeting.attendances.all())
    limit = meeting.body.attendance_list_limit or settings.PROTOCOL_ATTENDANCE_LIST_LIMIT
    total = meeting.attendance_total or len(rows)
    online = meeting.attendance_online if meeting.attendance_online is not None else sum(
        1 for row in rows if row.mode == "online")
    listed = bool(rows) and total <= limit
    return {
        "listed": listed,
        "members": [r for r in rows if not r.invited and r.mode != "online"],
        "invited": [r for r in rows if r.invited and r.mode != "online"],
        "online": [r for r in rows if r.mode == "online"],
        "total": total,
        "online_total": online,
        "note": meeting.attendance_note or ("(список прилагается)" if rows else ""),
        "appendix": rows if rows and not listed else [],
    }


def _items(meeting: Meeting, *, form: str, item: AgendaItem | None):
    items = list(meeting.agenda_items.all())
    if item is not None:
        items = [i for i in items if i.pk == item.pk]
    result = []
    for agenda_item in items:
        decisions = list(agenda_item.decisions.all())
        result.append({
            "number": agenda_item.number,
            "title": agenda_item.title,
            "speakers": [
                {"line": s.line, "summary": s.summary if form == "full" else ""} for s in agenda_item.speakers.all()
            ],
            "discussion": agenda_item.discussion if form == "full" else "",
            "decisions": [
                {
                    "number": f"{d.number}." if len(decisions) > 1 else "",
                    "text": d.text,
                    "vote": d.vote_display,
                    "deadline": d.deadline_display,
                    "responsible": responsible_display(d),
                }
                for d in decisions
            ],
        })
    return result


def _signers(meeting: Meeting) -> list[dict]:
    body = meeting.body.name_genitive or meeting.body.name
    chair_word = "Председательствующий" if meeting.chair_title == ChairTitle.PRESIDING else "Председатель"
    signers = []
    if meeting.chair_id:
        position = chair_word if meeting.chair_title == ChairTitle.PRESIDING else f"{chair_word} {body}"
        signers.append({"role": "chair", "position": position, "name": meeting.chair.initials_surname})
    if meeting.secretary_id:
        signers.append({"role": "secretary", "position": f"Секретарь {body}", "name": meeting.secretary.initials_surname})
    return signers


def protocol_context(meeting: Meeting, *, form: str = "full", watermark: bool = False, item: AgendaItem | None = None,
                     verify_url: str = "") -> dict:
    chair_word = "Председательствующий" if meeting.chair_title == ChairTitle.PRESIDING else "Председатель"
    return {
        "meeting": meeting,
        "form": form,
        "extract": item is not None,
        "watermark": watermark,
        "date": ru.ru_date(meeting.date),
        "chair_word": chair_word,
        "attendance": _attendance(meeting),
        "agenda": [{"number": i.number, "title": i.title} for i in meeting.agenda_items.all()],
        "items": _items(meeting, form=form, item=item),
        "signers": _signers(meeting),
        "verify_url": verify_url,
        "qr": _qr_data_uri(verify_url) if verify_url else "",
    }


def render_protocol(meeting: Meeting, *, form: str = "full", watermark: bool = False, item: AgendaItem | None = None,
                    verify_url: str = "") -> RenderedProtocol:
    """Render the protocol (or an extract of one ``item``) and locate the signature areas."""
    from weasyprint import HTML  # heavy import: only where a PDF is made

    if form not in ("full", "short"):
        raise ValueError(f"Unknown protocol form: {form!r}")
    with translation.override("ru"):
        html = render_to_string("documents/pdf/protocol.html", protocol_context(
            meeting, form=form, watermark=watermark, item=item, verify_url=verify_url))
    stylesheet, font_config = _stylesheet()
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render(stylesheets=[stylesheet], font_config=font_config)
    boxes = {}
    for index, page in enumerate(document.pages):
        page_height_pt = page.height * PX_TO_PT
        for role, anchor in SIGNATURE_ANCHORS.items():
            if anchor in page.anchors:
                x1, y1, x2, y2 = page.anchors[anchor]
                boxes[role] = (index, (x1 * PX_TO_PT, page_height_pt - y2 * PX_TO_PT,
                                       x2 * PX_TO_PT, page_height_pt - y1 * PX_TO_PT))
    return RenderedProtocol(pdf=document.write_pdf(), page_count=len(document.pages), signature_boxes=boxes)


def render_protocol_pdf(meeting: Meeting, *, form: str = "full", watermark: bool = False, item: AgendaItem | None = None,
                        verify_url: str = "") -> bytes:
    """The protocol as PDF bytes. ``meeting`` is refetched with everything the layout needs."""
    meeting = protocol_queryset().get(pk=meeting.pk)
    return render_protocol(meeting, form=form, watermark=watermark, item=item, verify_url=verify_url).pdf


def needs_watermark(meeting: Meeting) -> bool:
    """Drafts (and protocols still on approval) carry «ПРОЕКТ»."""
    return meeting.status in (MeetingStatus.DRAFT, MeetingStatus.ON_APPROVAL)
