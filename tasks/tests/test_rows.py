"""The task list renders its rows in Python (``tasks.rows``): the same HTML as the row template
that the dashboard and the register pages include, for every status and deadline state."""

import datetime
import re

import pytest
import time_machine
from django.template.loader import render_to_string
from django.utils import translation

from meetings.models import Assignment, AssignmentStatus, signed_protocol_unlocked
from tasks import selectors
from tasks.rows import assignment_row

NOW = datetime.datetime(2026, 11, 20, 12, 0, tzinfo=datetime.UTC)


def normalised(html: str) -> str:
    return re.sub(r"\s+", " ", str(html)).replace("> <", "><").strip()


def _with_text(decision):
    decision.text = "Очень длинный текст решения с <тегом> & амперсандом. " * 10
    return decision


@pytest.fixture
def every_state(make_assignments):
    """Overdue by days, due today, past its time today, days left (soon and far), none, every status, long text."""
    deadlines = [datetime.date(2026, 11, 1), datetime.date(2026, 11, 20), datetime.date(2026, 11, 20),
                 datetime.date(2026, 11, 21), datetime.date(2026, 11, 25), datetime.date(2027, 6, 1), None]
    made = [make_assignments(1, deadline=d)[0] for d in deadlines]
    Assignment.objects.filter(pk=made[2].pk).update(deadline_time=datetime.time(9, 0))
    made += [make_assignments(1, status=status)[0] for status in AssignmentStatus.values]
    with signed_protocol_unlocked():  # the fixture's decisions are in the signed demo protocol
        _with_text(made[0].decision).save(update_fields=["text"])
    return [a.pk for a in made]


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("with_party, with_status", [(True, True), (True, False), (False, False)])
def test_python_row_is_the_template_row(demo, every_state, with_party, with_status):
    today = datetime.date(2026, 11, 20)
    with translation.override("ru"):
        for assignment in selectors.with_assignment_context(Assignment.objects.filter(pk__in=every_state)):
            assignment.days_left = selectors.days_left(assignment, today)
            template = render_to_string("tasks/_assignment_row.html",
                                        {"a": assignment, "with_party": with_party, "with_status": with_status})
            assert normalised(assignment_row(assignment, with_party=with_party, with_status=with_status)) == \
                normalised(template), assignment.pk


# --- The task list's rows from tuples (``tasks.rows.list_rows_html``, no model instances) ---------------

def _tuple_rows_and_template_rows(pks, now):
    from django.utils import timezone

    from tasks.rows import ROW_COLUMNS, list_rows_html

    today = timezone.localtime(now).date()
    rows = list(Assignment.objects.filter(pk__in=pks).order_by("id").values_list(*ROW_COLUMNS))
    got = list_rows_html(rows, selectors.list_row_citations(rows), now)
    expected = []
    for assignment in selectors.with_assignment_context(Assignment.objects.filter(pk__in=pks).order_by("id")):
        assignment.days_left = selectors.days_left(assignment, today)
        expected.append(render_to_string("tasks/_assignment_row.html",
                                         {"a": assignment, "with_party": True, "with_status": True}))
    return got, expected


def _split(html):
    return [normalised(part) for part in re.split(r"(?=<tr)", str(html)) if part.strip()]


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("layout, numbering, agenda", [
    ("", "", ""),  # the body's settings
    ("per_item", "hierarchical", "arabic"),
    ("per_item", "per_item", "arabic"),  # «item 1, point 7»
    ("per_item", "none", "roman"),
    ("single_block", "hierarchical", "roman"),  # numbers run through the protocol
    ("question", "per_item", "roman"),
])
def test_tuple_row_is_the_template_row(demo, every_state, language, layout, numbering, agenda):
    """Every status and deadline state, every way a protocol numbers its decisions, a person's and a body's
    assignment, a sub-point, and a decision's own deadline text: the tuple path prints the template's row."""
    first = Assignment.objects.select_related("decision__agenda_item__meeting").get(pk=every_state[0])
    with signed_protocol_unlocked():  # the fixture's decisions are in the signed demo protocol
        _change_protocol(first, every_state, layout, numbering, agenda)
    others = list(Assignment.objects.exclude(pk__in=every_state).values_list("pk", flat=True)[:20])
    with translation.override(language):
        got, expected = _tuple_rows_and_template_rows(every_state + others, NOW)
    assert _split(got) == [normalised(row) for row in expected]


def _change_protocol(first, every_state, layout, numbering, agenda):
    from meetings.models import Decision, Meeting
    from members.models import Body, Person

    meeting = first.decision.agenda_item.meeting
    if layout:
        Meeting.objects.filter(pk=meeting.pk).update(protocol_layout=layout, decision_numbering=numbering)
        Body.objects.filter(pk=meeting.body_id).update(agenda_numbering=agenda)
    person, body = Person.objects.order_by("pk").first(), Body.objects.order_by("pk").first()
    Assignment.objects.filter(pk=every_state[1]).update(organization=None, person=person)
    Assignment.objects.filter(pk=every_state[3]).update(organization=None, body=body)
    sub = Decision.objects.get(pk=Assignment.objects.get(pk=every_state[4]).decision_id)
    Decision.objects.filter(pk=sub.pk).update(parent=first.decision_id)  # a sub-point of the first decision
    Decision.objects.filter(pk=Assignment.objects.get(pk=every_state[5]).decision_id).update(
        deadline_text="до конца года")


# --- The dashboard's rows from tuples (``tasks.rows.party_rows_html``) ----------------------------------

@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("layout, numbering, agenda", [
    ("", "", ""),
    ("per_item", "per_item", "arabic"),
    ("single_block", "hierarchical", "roman"),
    ("question", "per_item", "roman"),
])
def test_dashboard_tuple_row_is_the_template_row(demo, every_state, language, layout, numbering, agenda):
    """The dashboard's rows (``{% assignment_row a with_party=True %}`` before): every status and deadline
    state, an organisation's, a person's and a body's assignment, every numbering, both languages; the tuple
    path prints exactly what the loaded assignment printed, and what the row template prints."""
    from django.utils import timezone

    from tasks.rows import ROW_COLUMNS, party_rows_html

    first = Assignment.objects.select_related("decision__agenda_item__meeting").get(pk=every_state[0])
    with signed_protocol_unlocked():
        _change_protocol(first, every_state, layout, numbering, agenda)
    pks = every_state + list(Assignment.objects.exclude(pk__in=every_state).values_list("pk", flat=True)[:20])
    with translation.override(language):
        rows = list(Assignment.objects.filter(pk__in=pks).order_by("id").values_list(*ROW_COLUMNS))
        got = party_rows_html(rows, selectors.list_row_citations(rows), timezone.now())
        loaded = list(selectors.with_assignment_context(Assignment.objects.filter(pk__in=pks).order_by("id")))
        assert got == [assignment_row(a, with_party=True) for a in loaded]
        assert [normalised(row) for row in got] == [
            normalised(render_to_string("tasks/_assignment_row.html", {"a": a, "with_party": True, "with_status": False}))
            for a in loaded]
    parties = {(a.organization_id is not None, a.person_id is not None, a.body_id is not None) for a in loaded}
    assert {(True, False, False), (False, True, False), (False, False, True)} <= parties
    assert any(a.is_overdue for a in loaded) and not all(a.is_overdue for a in loaded)
