"""Imports: read and parse a protocol into a staging record, then — when the secretary confirms —
create the draft protocol through the editor's own service (``meeting_save_protocol``)."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from meetings import selectors
from meetings.importing import matching, parse
from meetings.importing.models import ProtocolImport
from meetings.services import meeting_save_protocol
from meetings.models import Decision
from members.models import Body, Person
from members.selectors import organizations_in, people_visible_in

# The longest value each field takes (the model's max_length).
LIMITS = {"title": 500, "number": 50, "city": 100, "place": 300, "attendance_note": 200, "name_text": 300,
          "position_text": 500, "responsible_text": 500}


def load_register(*, body: Body, day: datetime.date | None) -> matching.Register:
    """The body's cluster's register as plain data: four queries whatever its size (plus the officers')."""
    cluster_ids = [body.cluster_id]
    organizations = [(o.pk, str(o), [o.full_name, o.short_name])
                     for o in organizations_in(cluster_ids).only("pk", "full_name", "short_name")]
    people = [(p.pk, p.surname_initials, p.last_name, p.first_name, p.patronymic)
              for p in people_visible_in(cluster_ids).only("pk", "last_name", "first_name", "patronymic")]
    bodies = [(b.pk, b.name, [b.name, b.name_genitive]) for b in Body.objects.filter(cluster_id=body.cluster_id)]
    officers = {}
    if day:
        chair, secretary = selectors.body_officers(body=body, day=day)
        officers = {role: (person.pk, person.surname_initials) for role, person in
                    (("chair", chair), ("secretary", secretary)) if person}
    return matching.Register(organizations, people, bodies, officers)


def _pair(found):
    return {"id": found[0], "label": found[1]}


def _person_field(result: dict, name: str, matcher: matching.Matcher, line) -> None:
    """``result[name]`` (a parsed name) → ``result[name + '_match']``: one register person or a flag."""
    found, written = matching.match_person(result.get(name), matcher.register)
    officer = matcher.register.officers.get(name)
    if len(found) == 1:
        result[f"{name}_match"] = _pair(found[0])
        return
    if not written and officer:
        result[f"{name}_match"] = _pair(officer)
        label = _("The chair") if name == "chair" else _("The secretary")
        result["flags"].append({"field": name, "line": None, "level": parse.UNSURE,
                                "message": _("%(field)s is not in the text: taken from the body's composition on "
                                             "that date.") % {"field": label}})
        return
    result[f"{name}_match"] = None
    if written:
        message = (_("«%(name)s» is not in the register: add the person or choose in the editor.") if not found else
                   _("«%(name)s» matches several people of the register: choose in the editor.")) % {"name": written}
        result["flags"].append({"field": name, "line": line, "level": parse.UNSURE, "message": message})


def match_result(result: dict, register: matching.Register) -> dict:
    """Add the register's matches (``*_match``, ``parties``) and suggestions to a parsed protocol (a dict)."""
    matcher = matching.Matcher(register)
    _person_field(result, "chair", matcher, result["chair_line"])
    _person_field(result, "secretary", matcher, result["secretary_line"])
    for row in result["attendance"]:
        found, written = matching.match_person(row["name"], register)
        row["match"] = _pair(found[0]) if len(found) == 1 else None
        if row["match"] is None:
            row["suggestion"] = written or row["text"]
    for item in result["items"]:
        for speaker in item["speakers"]:
            found, written = matching.match_person(speaker["name"], register)
            speaker["match"] = _pair(found[0]) if len(found) == 1 else None
        for decision in item["decisions"]:
            parties = matching.match_decision(decision, matcher)
            decision["parties"] = {
                "organizations": [_pair(o) for o in parties.organizations],
                "people": [_pair(p) for p in parties.people],
                "bodies": [_pair(b) for b in parties.bodies],
                "kinds": parties.kinds, "text": parties.text[:LIMITS["responsible_text"]],
                "suggestions": parties.suggestions,
            }
            if parties.suggestions:
                decision["flags"].append({"field": "responsible", "line": decision["line"], "level": parse.UNSURE,
                                          "message": _("Not in the register: %(names)s. Add them or choose in the "
                                                       "editor.") % {"names": "; ".join(parties.suggestions)}})
            elif not parties.sure:
                decision["flags"].append({"field": "responsible", "line": decision["line"], "level": parse.UNSURE,
                                          "message": _("The responsible party is not certain: check it.")})
    return result


def parse_and_match(*, body: Body, text: str) -> dict:
    parsed = parse.parse_protocol(text).as_dict()
    day = datetime.date.fromisoformat(parsed["date"]) if parsed["date"] else None
    return match_result(parsed, load_register(body=body, day=day))


# An upload of more files than this is only read in its request; each of its files is then parsed by a
# background job (``meetings.importing.jobs.parse_protocol_import``) while the secretary watches the progress.
PARSE_IN_REQUEST = 3


@transaction.atomic
def protocol_import_read(*, body: Body, user, text: str, file_name: str = "", parse_now: bool = True) -> ProtocolImport:
    """A staging record of one protocol's text for ``body``, parsed now or later (no protocol yet)."""
    if not text.strip():
        raise DomainError(_("The file has no text."))
    return ProtocolImport.objects.create(
        token=secrets.token_urlsafe(24), body=body, created_by=user if user and user.is_authenticated else None,
        file_name=file_name[:255], source_text=text,
        result=parse_and_match(body=body, text=text) if parse_now else {},
        parsed_at=timezone.now() if parse_now else None,
    )


@transaction.atomic
def protocol_import_parse(*, record: ProtocolImport) -> ProtocolImport:
    """Parse a waiting import (a second caller at the same time waits for the row and finds it parsed)."""
    record = ProtocolImport.objects.select_for_update().select_related("body").get(pk=record.pk)
    if not record.is_parsed:
        record.result = parse_and_match(body=record.body, text=record.source_text)
        record.parsed_at = timezone.now()
        record.save(update_fields=["result", "parsed_at"])
    return record


def protocol_imports_progress(records) -> dict:
    """What the upload page says about the secretary's waiting imports (``records``; each unparsed one gets
    ``stuck``): ``pending`` files not parsed yet, ``queued`` of them waiting for their background job, ``stuck``
    those no job will parse (to be opened: the review page parses then), and ``state`` — ``done``, ``reading``
    (a worker is there), ``no_worker`` (jobs wait for a worker that is not running) or ``stuck``."""
    from meetings.importing.jobs import queued_imports
    from ops.health import uses_worker, worker_alive

    waiting = [record for record in records if not record.is_parsed]
    queued = queued_imports([record.pk for record in waiting]) if waiting and uses_worker() else set()
    for record in waiting:
        record.stuck = record.pk not in queued
    stuck = len(waiting) - len(queued)
    if queued:
        state = "reading" if worker_alive() else "no_worker"
    else:
        state = "stuck" if stuck else "done"
    return {"pending": len(waiting), "queued": len(queued), "stuck": stuck, "parsed": len(records) - len(waiting),
            "state": state}


def protocol_imports_prune(*, now: datetime.datetime | None = None, dry_run: bool = False) -> list[ProtocolImport]:
    """Delete the imports never confirmed and older than ``PROTOCOL_IMPORT_KEEP_DAYS``; returns them. A
    confirmed import is kept: it names the source of its draft protocol."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.PROTOCOL_IMPORT_KEEP_DAYS)
    stale = ProtocolImport.objects.filter(created_at__lt=cutoff, meeting__isnull=True, confirmed_at__isnull=True)
    records = list(stale.select_related("body").only("pk", "file_name", "created_at", "body__name").order_by("id"))
    if not dry_run and records:
        ProtocolImport.objects.filter(pk__in=[r.pk for r in records], meeting__isnull=True,
                                      confirmed_at__isnull=True).delete()
    return records


@transaction.atomic
def protocol_import_discard(*, record: ProtocolImport) -> None:
    """Drop an import that is not to become a protocol (a confirmed one keeps its record: it names the source)."""
    record = ProtocolImport.objects.select_for_update().get(pk=record.pk)
    if record.is_confirmed:
        raise DomainError(_("This import is already a draft protocol."))
    record.delete()


@transaction.atomic
def protocol_import_rematch(*, record: ProtocolImport) -> ProtocolImport:
    """Parse and match the source again: after the secretary added the missing people and organisations."""
    record = ProtocolImport.objects.select_for_update().select_related("body").get(pk=record.pk)
    if record.is_confirmed:
        raise DomainError(_("This import is already a draft protocol."))
    record.result = parse_and_match(body=record.body, text=record.source_text)
    record.parsed_at = timezone.now()
    record.save(update_fields=["result", "parsed_at"])
    return record


@transaction.atomic
def protocol_imports_read(*, body: Body, user, sources: list[tuple[str, str]]) -> list[ProtocolImport]:
    """One staging record per (file name, text) of an upload: all or none. A large upload is parsed later."""
    parse_now = len(sources) <= PARSE_IN_REQUEST
    records = [protocol_import_read(body=body, user=user, text=text, file_name=name, parse_now=parse_now)
               for name, text in sources]
    if not parse_now:
        enqueue_parsing([record.pk for record in records])
    return records


def enqueue_parsing(import_ids: list[int]) -> None:
    """One background job per waiting import, enqueued once the records are committed (a rolled-back upload
    enqueues nothing). With the immediate task backend (no worker) they run right after the commit."""
    from meetings.importing.jobs import parse_protocol_import

    def enqueue():
        for import_id in import_ids:
            parse_protocol_import.enqueue(import_id=import_id)

    transaction.on_commit(enqueue)


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def _time(value):
    return datetime.time.fromisoformat(value) if value else None


def _ids(pairs, allowed):
    return [p["id"] for p in pairs if p["id"] in allowed]


def _cut(value, name):
    return (value or "")[: LIMITS[name]]


def save_payload(result: dict, *, body: Body, number: str, date: datetime.date, register: matching.Register) -> dict:
    """The editor service's arguments from a reviewed import. Register ids are kept only if they are still
    in the body's cluster's register (the result was matched at upload)."""
    org_ids = {o[0] for o in register.organizations}
    person_ids = {p[0] for p in register.people}
    body_ids = {b[0] for b in register.bodies}
    officer_ids = [m["id"] for m in (result.get("chair_match"), result.get("secretary_match")) if m and m["id"] in person_ids]
    people = Person.objects.in_bulk(officer_ids)
    data = {
        "body": body, "kind": result["kind"], "title": _cut(result["title"], "title"), "number": _cut(number, "number"),
        "date": date, "start_time": _time(result["start_time"]), "end_time": _time(result["end_time"]),
        "city": _cut(result["city"], "city"), "place": _cut(result["place"], "place"), "format": result["format"],
        "chair": people.get((result.get("chair_match") or {}).get("id")), "chair_title": result["chair_title"],
        "secretary": people.get((result.get("secretary_match") or {}).get("id")),
        "attendance_total": result["attendance_total"], "attendance_online": result["attendance_online"],
        "attendance_note": _cut(result["attendance_note"], "attendance_note"),
    }
    for setting in ("decision_numbering", "protocol_layout", "date_form"):  # what the text shows, where the body differs
        if result.get(setting) and result[setting] != getattr(body, setting):
            data[setting] = result[setting]
    attendance, seen = [], set()
    for row in result["attendance"]:
        person_id = (row.get("match") or {}).get("id")
        if person_id not in person_ids or person_id in seen:
            person_id = None
        seen.add(person_id)
        attendance.append({"person_id": person_id, "name_text": "" if person_id else _cut(row["text"], "position_text"),
                           "position_text": _cut(row["position_text"], "position_text") if person_id else "",
                           "mode": row["mode"], "invited": row["invited"]})
    items = []
    for item in result["items"]:
        speakers = []
        for s in item["speakers"]:
            person_id = (s.get("match") or {}).get("id")
            person_id = person_id if person_id in person_ids else None
            speakers.append({"person_id": person_id, "name_text": "" if person_id else _cut(s["text"], "name_text"),
                             "position_text": _cut(s["position_text"], "position_text"), "summary": s["summary"]})
        decisions = []
        for d in item["decisions"]:
            deadline = d["deadline"] or {}
            parties = d.get("parties") or {}
            decisions.append({
                "text": d["text"], "kind": d["kind"], "vote": d["vote"], "votes_for": d["votes_for"],
                "votes_against": d["votes_against"], "votes_abstained": d["votes_abstained"],
                "deadline": _date(deadline.get("date")), "deadline_time": _time(deadline.get("time")),
                "deadline_start": _date(deadline.get("start")), "deadline_text": deadline.get("words", ""),
                "responsible_kinds": parties.get("kinds", []), "responsible_text": parties.get("text", ""),
                "responsible_organizations": _ids(parties.get("organizations", []), org_ids),
                "responsible_people": _ids(parties.get("people", []), person_ids),
                "responsible_bodies": _ids(parties.get("bodies", []), body_ids),
                Decision.SUBPOINT_FLAG: bool(d.get("is_subpoint")),
            })
        items.append({"title": item["title"] or _("Agenda item %(n)s") % {"n": item["order"]},
                      "discussion": item["discussion"], "decision_intro": item.get("decision_intro", ""),
                      "speakers": speakers, "decisions": decisions})
    return {"data": data, "attendance": attendance, "items": items}


@transaction.atomic
def protocol_import_confirm(*, record: ProtocolImport, user, number: str, date: datetime.date):
    """Create the draft protocol of a reviewed import (all or nothing); the record then links to it."""
    record = ProtocolImport.objects.select_for_update().select_related("body").get(pk=record.pk)
    if record.is_confirmed:
        raise DomainError(_("This import is already a draft protocol."))
    if not record.is_parsed:
        raise DomainError(_("The protocol is still being read: try again in a moment."))
    register = load_register(body=record.body, day=date)
    payload = save_payload(record.result, body=record.body, number=number, date=date, register=register)
    meeting = meeting_save_protocol(meeting=None, user=user, revision=None, **payload)
    record.meeting, record.confirmed_at = meeting, timezone.now()
    record.save(update_fields=["meeting", "confirmed_at"])
    return meeting
