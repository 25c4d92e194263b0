"""What a protocol prints, built once (DESIGN.md «The protocol document»).

``build_protocol`` turns a meeting loaded with ``protocol_queryset`` into the printable
structure of its protocol — heading, chair and secretary, attendance (the list, or above
the limit only the head count with the list in an appendix), agenda, per item «СЛУШАЛИ»,
«ВЫСТУПИЛИ» and «РЕШИЛИ» with numbered decisions and sub-points (or one «РЕШИЛИ» block after
all items, or «Заслушав выступление …, РЕШИЛИ:» under the speaker in brackets, or «Вопрос №1: …» and «РЕШЕНИЕ:»:
``Meeting.layout``), «Срок:», «Ответственный:», signers — in
the full form, the short form or as the extract of one item. The protocol page
(``meetings.views.meeting_detail``) and the PDF renderer (``documents.rendering``) lay out
this one structure, so they cannot print different protocols.

Everything here reads the prefetched relations only: building costs no query.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, Prefetch, QuerySet, prefetch_related_objects
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core import ru
from core.prepared import SENTINEL_ID, PreparedQuery, fill_m2m_prefetch, fill_reverse_prefetch
from core.text import close_sentence
from meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceMode,
    ChairTitle,
    Decision,
    Meeting,
    MeetingSignatory,
    Speaker,
    decision_numbers,
)
from members.models import BodySignatory, Person, ProtocolLayout, SignatoriesStyle

FORMS = ("full", "short")
DECISION_PARTIES = ("responsible_organizations", "responsible_people", "responsible_bodies", "responsible_categories")
APPENDIX_NOTE = "(список прилагается)"


# What ``signatories`` reads: the protocol's own list and its body's (with the people).
SIGNATORY_PREFETCH = (
    Prefetch("signatory_rows", queryset=MeetingSignatory.objects.select_related("person")),
    Prefetch("body__signatory_rows", queryset=BodySignatory.objects.select_related("person")),
)


PROTOCOL_RELATED = ("cluster", "body", "chair__organization", "secretary__organization")


def protocol_prefetches(*, decisions: QuerySet | None = None) -> list:
    """What a protocol prints besides the meeting's own row: attendance with people and organisations
    (1), items (1), speakers with people and organisations (1), decisions (1) and their responsible
    parties (4). The set signers are read by ``signatory_rows`` only for a protocol that has them."""
    if decisions is None:
        decisions = Decision.objects.prefetch_related(*DECISION_PARTIES)
    return [
        Prefetch("attendances", queryset=Attendance.objects.select_related("person__organization")),
        Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("order").prefetch_related(
            Prefetch("speakers", queryset=Speaker.objects.select_related("person__organization")),
            Prefetch("decisions", queryset=decisions),
        )),
    ]


def protocol_queryset(*, decisions: QuerySet | None = None) -> QuerySet:
    """Meetings with everything their protocol prints, in a fixed number of queries: the meeting with
    cluster, body, chair and secretary (1) and ``protocol_prefetches``. ``decisions`` replaces the
    decisions' queryset for a page that shows more of them (it must prefetch ``DECISION_PARTIES`` too)."""
    return Meeting.objects.select_related(*PROTOCOL_RELATED).prefetch_related(
        *protocol_prefetches(decisions=decisions))


# ``protocol_queryset().get(pk=…)`` from prepared queries (``core.prepared``, issue 13): the meeting's row and
# its reverse relations by the meeting's id, each compiled once per process. Compiling the meeting with its
# four joins and the prefetches' IN-queries anew cost more CPU than the database takes to answer them.
def _meeting_query(meeting_id):
    return Meeting.objects.select_related(*PROTOCOL_RELATED).filter(pk=meeting_id)


def _attendances_query(meeting_id):
    return Attendance.objects.select_related("person__organization").filter(meeting_id=meeting_id)


def _items_query(meeting_id):
    return AgendaItem.objects.order_by("order").filter(meeting_id=meeting_id)


def _speakers_query(meeting_id):
    return Speaker.objects.select_related("person__organization").filter(agenda_item__meeting_id=meeting_id)


def _decisions_query(meeting_id):
    return Decision.objects.filter(agenda_item__meeting_id=meeting_id)


# The attribute ``prefetch_related`` leaves on each related row of a decision's M2M: the decision's id.
PARTY_OF = "_prefetch_related_val_decision_id"


def _parties_query(relation: str):
    """The ``relation`` parties (``DECISION_PARTIES``) of every decision of a meeting: one row per link, in the
    related model's ordering as ``prefetch_related(relation)`` orders them, with the decision's id (``PARTY_OF``)."""
    field = Decision._meta.get_field(relation)
    reverse = field.related_query_name()  # «decisions»

    def build(meeting_id):  # the annotation reuses the filter's join of the link table: its decision_id column
        return field.related_model.objects.filter(**{f"{reverse}__agenda_item__meeting_id": meeting_id}).annotate(
            **{PARTY_OF: F(reverse)})
    return build


MEETING_OF_PROTOCOL = PreparedQuery(_meeting_query, meeting_id=SENTINEL_ID)
ATTENDANCES_OF_PROTOCOL = PreparedQuery(_attendances_query, meeting_id=SENTINEL_ID)
ITEMS_OF_PROTOCOL = PreparedQuery(_items_query, meeting_id=SENTINEL_ID)
SPEAKERS_OF_PROTOCOL = PreparedQuery(_speakers_query, meeting_id=SENTINEL_ID)
DECISIONS_OF_PROTOCOL = PreparedQuery(_decisions_query, meeting_id=SENTINEL_ID)
PARTIES_OF_PROTOCOL = {relation: PreparedQuery(_parties_query(relation), meeting_id=SENTINEL_ID)
                       for relation in DECISION_PARTIES}


def load_protocol(pk: int) -> Meeting:
    """The meeting ``pk`` loaded as ``protocol_queryset().get(pk=pk)`` loads it (the same relations filled in,
    the same rows in the same order, the same queries' count), from prepared queries. ``Meeting.DoesNotExist``
    if there is none."""
    found = MEETING_OF_PROTOCOL.objects(meeting_id=pk)
    if not found:
        raise Meeting.DoesNotExist(f"Meeting {pk} does not exist")
    meeting = found[0]
    fill_reverse_prefetch([meeting], "attendances", ATTENDANCES_OF_PROTOCOL.objects(meeting_id=pk))
    items = ITEMS_OF_PROTOCOL.objects(meeting_id=pk)
    fill_reverse_prefetch([meeting], "agenda_items", items)
    fill_reverse_prefetch(items, "speakers", SPEAKERS_OF_PROTOCOL.objects(meeting_id=pk))
    decisions = DECISIONS_OF_PROTOCOL.objects(meeting_id=pk)
    fill_reverse_prefetch(items, "decisions", decisions)
    if decisions:  # as ``prefetch_related``: no query for the parties of no decisions
        for relation, query in PARTIES_OF_PROTOCOL.items():
            fill_m2m_prefetch(decisions, relation, [(getattr(party, PARTY_OF), party)
                                                    for party in query.objects(meeting_id=pk)])
    return meeting


# ---------------------------------------------------------------- the structure

@dataclass(frozen=True)
class Officer:
    word: str  # «Председатель», «Председательствующий», «Секретарь»
    name: str  # «А.Н. Рудометкин»


@dataclass(frozen=True)
class AppendixRow:
    number: int
    line: str
    participation: str  # «очно», «в режиме ВКС», «приглашённый»


@dataclass(frozen=True)
class AttendanceBlock:
    """«Присутствовали»: the names (``listed``) or only ``count_line``; above the limit the names go to ``appendix``."""

    listed: bool
    members: list[str]
    invited: list[str]
    online: list[str]
    count_line: str  # «20 чел. (список прилагается), в том числе в режиме ВКС – 4 чел.»
    appendix: list[AppendixRow]


@dataclass(frozen=True)
class AgendaEntry:
    number: str
    title: str

    @property
    def heading(self) -> str:
        return f"{self.number}. {self.title}"


@dataclass(frozen=True)
class DecisionEntry:
    number: str  # «1.1.», «2.1.» for a sub-point; empty for a lone decision or with numbering off
    subpoint: bool
    text: str  # as typed: the templates lay it out with ``typed_text`` (paragraphs, lists)
    vote: str  # «единогласно», or the counts; empty when no vote is recorded
    deadline: str  # «до 12 мая 2023 г.»
    responsible: str
    source: Decision  # for what a page shows around the text (its assignments, the plan it approves)


@dataclass(frozen=True)
class ItemEntry(AgendaEntry):
    order: int
    speakers: list[str]  # «А.Н. Рудометкина, начальника Департамента … – доклад;» (the last ends with «.»)
    speaker_names: str  # «(А.Н. Рудометкин, О.М. Зарянкина)» under the title in the «Заслушав» layout
    heard: str  # the «СЛУШАЛИ» narrative as typed, full form only
    discussion: str  # «ВЫСТУПИЛИ» as typed, full form only
    intro: str  # «Заслушав выступление …,» before «РЕШИЛИ:»
    decisions: list[DecisionEntry]  # empty in the one-block layout: they are in ``Protocol.decisions``
    question: bool = False  # the «Вопрос №» layout: «Вопрос №1: …» heads the item

    @property
    def heading(self) -> str:
        return f"Вопрос №{self.number}: {self.title}" if self.question else f"{self.number}. {self.title}"


@dataclass(frozen=True)
class Signer:
    """One who signs the protocol: printed as position, space, initials and surname, and signing in
    this order. ``role`` names the signature area (``sig-<role>`` in the PDF) and is kept with the signature."""

    role: str  # «chair», «secretary», «head», «signer-1» …
    position: str
    name: str
    person: Person | None = None
    field_name: str = ""  # the PDF signature field: «Подпись председателя», «Подпись 2»

    @property
    def person_id(self) -> int | None:
        return self.person.pk if self.person is not None else None


@dataclass(frozen=True)
class Protocol:
    form: str
    extract: bool
    layout: str  # ProtocolLayout
    organization: str
    body: str
    doctype: str
    title: str
    date: str
    number: str  # «№ 2», or empty
    city: str
    venue: str  # «Место проведения: …»
    time: str  # «Время проведения: 12:00–14:00»
    chair: Officer | None
    secretary: Officer | None
    attendance: AttendanceBlock
    agenda: list[AgendaEntry]
    items: list[ItemEntry]
    decisions: list[DecisionEntry]  # the one «РЕШИЛИ» block after all items (single_block layout)
    signers: list[Signer]
    certification: str  # «Выписка верна. Секретарь …» under an extract
    appendix_heading: str  # «к протоколу № 2 от 30 марта 2023 г.»

    @property
    def heard_layout(self) -> bool:
        return self.layout == ProtocolLayout.HEARD

    @property
    def decided_label(self) -> str:
        """The line before the decisions: «РЕШЕНИЕ:» in the «Вопрос №» layout, else «РЕШИЛИ:»."""
        return "РЕШЕНИЕ:" if self.layout == ProtocolLayout.QUESTION else "РЕШИЛИ:"

    @property
    def place_lines(self) -> list[str]:
        return [line for line in (self.city, self.venue, self.time) if line]

    @property
    def appendix(self) -> list[AppendixRow]:
        """The list of those present, printed after the protocol (never under an extract)."""
        return [] if self.extract else self.attendance.appendix


# ---------------------------------------------------------------- the rules

def chair_word(meeting: Meeting) -> str:
    return "Председательствующий" if meeting.chair_title == ChairTitle.PRESIDING else "Председатель"


def attendance_list_limit(meeting: Meeting) -> int:
    """Above this many attendees the protocol prints only the head count: the protocol's own setting,
    else the body's, else the portal's."""
    for limit in (meeting.attendance_limit, meeting.body.attendance_list_limit):
        if limit is not None:
            return limit
    return settings.PROTOCOL_ATTENDANCE_LIST_LIMIT


def _participation(row: Attendance) -> str:
    if row.mode == AttendanceMode.ONLINE:
        return "в режиме ВКС"
    return "приглашённый" if row.invited else "очно"


def attendance_lines(meeting: Meeting, rows: list[Attendance]) -> list[str]:
    """One part of «Присутствовали» as the protocol's settings print it: a line per attendee, or grouped
    by organisation («от ФГБОУ ДПО «…»: Бондарь О.А., Соколов А.С.», groups in the order of their first
    attendee; attendees without an organisation stay lines of their own), numbered «1. …» or not."""
    if meeting.attendance_grouped:
        groups: dict[str, list[str]] = {}
        lines: list[str | list[str]] = []
        for row in rows:
            organization = row.organization_name.strip()
            if not organization:
                lines.append(row.line)
            elif organization in groups:
                groups[organization].append(row.short_name)
            else:
                groups[organization] = [row.short_name]
                lines.append(organization)
        lines = [f"от {line}: {', '.join(groups[line])}" if line in groups else line for line in lines]
    else:
        lines = [row.line for row in rows]
    if meeting.attendance_numbered:
        lines = [f"{n}. {line}" for n, line in enumerate(lines, start=1)]
    return lines


def attendance(meeting: Meeting) -> AttendanceBlock:
    """The names when there is a list within the limit; otherwise the total (the typed one, else the list's
    length) with the typed note, or «(список прилагается)» when the list goes to the appendix."""
    rows = list(meeting.attendances.all())
    total = meeting.attendance_total or len(rows)
    listed = bool(rows) and total <= attendance_list_limit(meeting)
    in_person = [row for row in rows if row.mode != AttendanceMode.ONLINE]
    count_line = ""
    if not listed and total:
        online = meeting.attendance_online if meeting.attendance_online is not None else sum(
            1 for row in rows if row.mode == AttendanceMode.ONLINE)
        note = meeting.attendance_note or (APPENDIX_NOTE if rows else "")
        count_line = " ".join(part for part in (f"{total} чел.", note) if part)
        if online:
            count_line += f", в том числе в режиме ВКС – {online} чел."
    return AttendanceBlock(
        listed=listed,
        members=attendance_lines(meeting, [row for row in in_person if not row.invited]),
        invited=attendance_lines(meeting, [row for row in in_person if row.invited]),
        online=attendance_lines(meeting, [row for row in rows if row.mode == AttendanceMode.ONLINE]),
        count_line=count_line,
        appendix=[] if listed else [
            AppendixRow(n, row.line, _participation(row)) for n, row in enumerate(rows, start=1)
        ],
    )


def party_name(party) -> str:
    """One responsible party as «Ответственный» prints it: an organisation by its short name, a person as
    «А.Н. Рудометкин», a body by its name."""
    return getattr(party, "initials_surname", None) or str(party)


def responsible_display(decision: Decision) -> str:
    """«Ответственный: …»: the text as written (alone: never in addition to the parties), else the named
    parties, the addressee categories by their names as written, and the organisation kinds (prefetched)."""
    if decision.responsible_text:
        return decision.responsible_text
    parties = [*decision.responsible_organizations.all(), *decision.responsible_people.all(),
               *decision.responsible_bodies.all()]
    categories = [category.name for category in decision.responsible_categories.all()]
    return ", ".join([party_name(party) for party in parties] + categories + decision.responsible_kinds_display)


def _decisions(item: AgendaItem, numbers: dict[int, tuple[str, bool]], *, suffix: str) -> list[DecisionEntry]:
    entries = []
    for d in item.decisions.all():
        number, printed = numbers[d.pk]
        entries.append(DecisionEntry(
            number=f"{number}." if printed else "", subpoint=d.parent_id is not None and d.parent_id in numbers,
            text=d.text.strip(), vote=d.vote_display, deadline=d.deadline_printed(suffix=suffix),
            responsible=responsible_display(d), source=d,
        ))
    return entries


def _speakers(item: AgendaItem, *, full: bool) -> list[str]:
    """«Initials surname, position – summary», separated by «;», the last closed by «.» unless it
    ends in a mark already; the summary in the full form only."""
    speakers = list(item.speakers.all())
    lines = []
    for n, speaker in enumerate(speakers, start=1):
        summary = " ".join(speaker.summary.split()) if full else ""
        line = f"{speaker.line} – {summary}" if summary else speaker.line
        line = line.rstrip().rstrip(";,")
        lines.append(close_sentence(line) if n == len(speakers) else line.rstrip(".") + ";")
    return lines


def _speaker_names(item: AgendaItem) -> str:
    names = [s.person.initials_surname if s.person_id else s.name_text for s in item.speakers.all()]
    names = [name for name in names if name]
    return f"({', '.join(names)})" if names else ""


def _intro(item: AgendaItem) -> str:
    """The phrase before «РЕШИЛИ:», closed by a comma unless it ends in a mark («Заслушав …,»)."""
    return close_sentence(" ".join(item.decision_intro.split()), ",")


def _item(item: AgendaItem, *, full: bool, numbers, single_block: bool, question: bool, suffix: str) -> ItemEntry:
    return ItemEntry(
        question=question,
        number=item.number, title=item.title, order=item.order,
        speakers=_speakers(item, full=full),
        speaker_names=_speaker_names(item),
        heard=item.heard.strip() if full else "",
        discussion=item.discussion.strip() if full else "",
        intro=_intro(item),
        decisions=[] if single_block else _decisions(item, numbers, suffix=suffix),
    )


def signatory_style(meeting: Meeting) -> str:
    """The protocol's own setting, else its body's."""
    return meeting.signatories or meeting.body.signatories


SIGNS_WITH_CHAIR = (SignatoriesStyle.CHAIR_SECRETARY, SignatoriesStyle.CHAIR, SignatoriesStyle.HEAD)
SIGNS_WITH_SECRETARY = (SignatoriesStyle.CHAIR_SECRETARY, SignatoriesStyle.SECRETARY)


def signatory_rows(meeting: Meeting) -> list:
    """The set list of a ``CUSTOM`` protocol: its own when it has its own setting, else its body's."""
    owner = meeting if meeting.signatories else meeting.body
    if "signatory_rows" not in getattr(owner, "_prefetched_objects_cache", {}):
        # one query, and only for a protocol signed by a set list (``SIGNATORY_PREFETCH`` does it for several)
        prefetch_related_objects([owner], Prefetch("signatory_rows", queryset=owner.signatory_rows.model.objects
                                                   .select_related("person")))
    return sorted(owner.signatory_rows.all(), key=lambda row: row.order)


def signatories(meeting: Meeting) -> list[Signer]:
    """Who signs ``meeting``'s protocol, in order: the one answer for the protocol page, the PDF's signature
    blocks, the signing order and the stamps. The body's setting (``Body.signatories``), unless the protocol has
    its own; the chair and secretary are the protocol's («Председатель», «Секретарь»), the head is the chair
    under their own position, a set list names people and how each is printed."""
    style = signatory_style(meeting)
    body = meeting.body.name_genitive or meeting.body.name
    if style == SignatoriesStyle.CUSTOM:
        return [Signer(f"signer-{n}", row.label, row.person.initials_surname, row.person, f"Подпись {n}")
                for n, row in enumerate(signatory_rows(meeting), start=1)]
    result = []
    if meeting.chair_id and style == SignatoriesStyle.HEAD:
        position = capfirst(meeting.chair.position) or chair_word(meeting)
        result.append(Signer("head", position, meeting.chair.initials_surname, meeting.chair, "Подпись руководителя"))
    elif meeting.chair_id and style in SIGNS_WITH_CHAIR:
        word = chair_word(meeting)
        position = word if meeting.chair_title == ChairTitle.PRESIDING else f"{word} {body}"
        result.append(Signer("chair", position, meeting.chair.initials_surname, meeting.chair, "Подпись председателя"))
    if meeting.secretary_id and style in SIGNS_WITH_SECRETARY:
        result.append(Signer("secretary", f"Секретарь {body}", meeting.secretary.initials_surname, meeting.secretary,
                             "Подпись секретаря"))
    return result


def signatory_problems(meeting: Meeting) -> list[str]:
    """What the protocol lacks for its signers (empty when everyone who signs is named)."""
    style = signatory_style(meeting)
    problems = []
    if style in SIGNS_WITH_CHAIR and not meeting.chair_id:
        problems.append(_("Set the chair before sending the protocol for approval."))
    if style in SIGNS_WITH_SECRETARY and not meeting.secretary_id:
        problems.append(_("Set the secretary before sending the protocol for approval."))
    if style == SignatoriesStyle.CUSTOM and not signatory_rows(meeting):
        problems.append(_("Name who signs the protocol before sending it for approval."))
    return problems


def signers(meeting: Meeting) -> list[Signer]:
    """Position, space, initials and surname of everyone who signs (``signatories``)."""
    return signatories(meeting)


def _time(meeting: Meeting) -> str:
    if not meeting.start_time:
        return ""
    end = f"–{meeting.end_time:%H:%M}" if meeting.end_time else ""
    return f"Время проведения: {meeting.start_time:%H:%M}{end}"


def build_protocol(meeting: Meeting, *, form: str = "full", item: AgendaItem | None = None) -> Protocol:
    """The protocol of ``meeting`` (loaded with ``protocol_queryset``) in ``form`` «full» or «short»,
    or the extract of one agenda ``item``."""
    if form not in FORMS:
        raise ValueError(f"Unknown protocol form: {form!r}")
    full = form == "full"
    items = list(meeting.agenda_items.all())
    printed = [i for i in items if i.pk == item.pk] if item is not None else items
    single_block = meeting.layout == ProtocolLayout.SINGLE_BLOCK
    numbers = decision_numbers(meeting, items)
    number = f"№ {meeting.number}" if meeting.number else ""
    suffix = meeting.date_suffix  # «30 марта 2023 г.» or «30 марта 2023 года», in the heading and the deadlines
    date = ru.ru_date(meeting.date, suffix)
    secretary = meeting.secretary.initials_surname if meeting.secretary_id else ""
    return Protocol(
        form=form,
        extract=item is not None,
        layout=meeting.layout,
        organization=meeting.cluster.name,
        body=meeting.body.name,
        doctype="ВЫПИСКА ИЗ ПРОТОКОЛА" if item is not None else "ПРОТОКОЛ",
        title=meeting.display_title,
        date=date,
        number=number,
        city=meeting.city,
        venue=f"Место проведения: {meeting.place}" if meeting.place else "",
        time=_time(meeting),
        chair=Officer(chair_word(meeting), meeting.chair.initials_surname) if meeting.chair_id else None,
        secretary=Officer("Секретарь", secretary) if meeting.secretary_id else None,
        attendance=attendance(meeting),
        agenda=[] if item is not None else [AgendaEntry(i.number, i.title) for i in items],
        items=[_item(i, full=full, numbers=numbers, single_block=single_block,
                     question=meeting.layout == ProtocolLayout.QUESTION, suffix=suffix) for i in printed],
        # An extract of an item leaves out the decisions of the block that answer no item.
        decisions=[entry for i in printed for entry in _decisions(i, numbers, suffix=suffix)
                   if item is None or entry.source.answers_item] if single_block else [],
        signers=signers(meeting),
        certification=f"Выписка верна. Секретарь {secretary}".strip() if item is not None else "",
        appendix_heading=" ".join(part for part in ("к протоколу", number, "от", date) if part),
    )
