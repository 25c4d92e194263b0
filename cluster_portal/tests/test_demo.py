import datetime

import pytest

from cluster_portal.demo import load_demo
from meetings.models import AgendaItem, Assignment, Decision, DecisionKind, Meeting, signed_protocol_unlocked
from documents.models import ProtocolDocument
from members.models import BodyMembership, BodyRole, Membership, MembershipStatus, Organization, OrganizationKind
from plans.models import PlanItem, PlanSection, PlanStatus, WorkPlan

pytestmark = pytest.mark.django_db


def numbers(meeting):
    items = AgendaItem.objects.filter(meeting=meeting).prefetch_related("decisions")
    return [d.number for item in items for d in item.decisions.all()]


def test_protocol_2017_has_three_items_and_ten_decisions(demo):
    meeting = demo["meeting_2017"]
    assert meeting.agenda_items.count() == 3
    assert Decision.objects.filter(agenda_item__meeting=meeting).count() == 10
    # As the seed numbers them: 1.–8. under «Вопрос №1», restarting per item (its second «4.» is a typo).
    assert (meeting.layout, meeting.numbering) == ("question", "per_item")
    assert numbers(meeting) == ["1", "2", "3", "4", "5", "6", "7", "8", "1", "1"]
    assert meeting.attendances.count() == 7


def test_protocol_2017_deadlines_and_responsible_parties(demo):
    meeting = demo["meeting_2017"]
    assignments = Assignment.objects.filter(decision__agenda_item__meeting=meeting)
    deadlines = sorted((a.deadline, str(a.party)) for a in assignments)
    assert deadlines == [
        (datetime.date(2017, 11, 30), "Координационный совет"),
        (datetime.date(2017, 11, 30), "ОГБПОУ СмолАПО"),
        (datetime.date(2017, 12, 8), "ОГБПОУ СмолАПО"),
    ]


def test_protocol_2017_approves_plan_for_q4_2017_and_2018(demo):
    decision = Decision.objects.get(agenda_item__meeting=demo["meeting_2017"], agenda_item__order=3)
    assert decision.kind == DecisionKind.ADOPT
    assert decision.approves_plan.period == "на IV квартал 2017 г. и 2018 г."
    assert decision.approves_plan.status == PlanStatus.APPROVED


def test_protocol_2023_numbers_decisions_as_printed(demo):
    meeting = demo["meeting_2023"]
    assert str(meeting) == "Протокол № 2 от 30 марта 2023 г."
    assert numbers(meeting) == ["1.1", "1.2", "1.3", "1.4", "1.5", "2", "3.1", "3.2"]
    assert (meeting.attendance_total, meeting.attendance_online) == (17, 2)


def test_recommendation_fans_out_to_educational_members(demo):
    decision = Decision.objects.get(agenda_item__meeting=demo["meeting_2023"], agenda_item__order=2)
    assert decision.deadline == datetime.date(2023, 5, 12)
    assert decision.deadline_display == "до 12 мая 2023 года"
    parties = {a.organization.short_name for a in decision.assignments.select_related("organization")}
    assert parties == {"ОГБПОУ СмолАПО", "СКТ (филиал) СПбГУТ"}


def test_invitation_decision_records_invited_memberships(demo):
    invited = Membership.objects.filter(status=MembershipStatus.INVITED, cluster=demo["cluster"])
    assert {m.organization.short_name for m in invited} == {"СмолГУ", "АНО «ЦПП Смоленской области»"}
    assert all(m.invitation_decision.number == "1.5" for m in invited)


def test_plan_2023_is_approved_by_decision_1_3(demo):
    plan = demo["plan_2023"]
    assert plan.status == PlanStatus.APPROVED
    assert [d.number for d in plan.approving_decisions.all()] == ["1.3"]
    assert PlanSection.objects.filter(plan=plan).count() == 3
    items = PlanItem.objects.filter(section__plan=plan).select_related("section")
    assert items.count() == 11
    timeframes = {item.number: item.timeframe_display for item in items}
    assert timeframes["1.2."] == "1 кв. 2023 года, 4 кв. 2023 года"
    assert timeframes["2.2."] == "В течение года"
    assert timeframes["2.4."] == "3 кв. 2023 года"


def test_plan_item_organizers_are_linked_and_kept_as_written(demo):
    item = PlanItem.objects.get(section__plan=demo["plan_2023"], section__order=2, order=4)
    assert item.organizers.count() == 4
    assert item.organizers_text.startswith("Департамент экономического развития Смоленской области. Координатор.")
    assert item.due_date == datetime.date(2023, 9, 30)


def test_presidium_2017_and_2023(demo):
    council = demo["council"]
    on_2018 = {(m.role, m.person.last_name) for m in council.members_on(datetime.date(2018, 1, 1)) if m.role != BodyRole.MEMBER}
    on_2023 = {(m.role, m.person.last_name) for m in council.members_on(datetime.date(2023, 3, 30)) if m.role != BodyRole.MEMBER}
    assert on_2018 == {("chair", "Чуранов"), ("deputy_chair", "Климов"), ("secretary", "Белокопытов")}
    assert on_2023 == {("chair", "Рудометкин"), ("secretary", "Кудрявцева")}


def test_chair_terms_run_five_years_each_up_to_the_one_covering_today():
    from cluster_portal.demo import PRESIDIUM_2023_START, chair_terms

    D = datetime.date
    first = (D(2022, 12, 16), D(2027, 12, 15))
    assert chair_terms(PRESIDIUM_2023_START, D(2026, 12, 2)) == [first]
    assert chair_terms(PRESIDIUM_2023_START, D(2027, 12, 15)) == [first]
    assert chair_terms(PRESIDIUM_2023_START, D(2027, 12, 16)) == [first, (D(2027, 12, 16), D(2032, 12, 15))]
    assert chair_terms(PRESIDIUM_2023_START, D(2040, 1, 1))[-1] == (D(2037, 12, 16), D(2042, 12, 15))


@pytest.mark.parametrize("day", [datetime.date(2027, 12, 15), datetime.date(2027, 12, 16), datetime.date(2031, 6, 1)])
def test_on_any_day_the_demo_council_has_its_chair_and_the_chair_login_is_that_chair(demo, day):
    """The demo loaded on ``day`` (its first chair's term ends on 15.12.2027): the chair is re-elected, so
    the ``chair`` login approves protocols on any day, and a second load changes nothing."""
    import time_machine

    from members.access import access_for

    with time_machine.travel(datetime.datetime(day.year, day.month, day.day, 12, 0), tick=False):
        ctx = load_demo()
        seats = BodyMembership.objects.filter(body=ctx["council"], role=BodyRole.CHAIR, term_end__gte=day)
        assert [m.person.last_name for m in seats.filter(term_start__lte=day)] == ["Рудометкин"]
        assert access_for(ctx["users"]["chair"], ctx["cluster"].pk).is_chair
        count = BodyMembership.objects.count()
        load_demo()
        assert BodyMembership.objects.count() == count


def test_branch_belongs_to_its_head_organisation(demo):
    college = Organization.objects.get(short_name="СКТ (филиал) СПбГУТ")
    assert college.parent.short_name == "СПбГУТ"
    assert college.kind == OrganizationKind.EDU_VOCATIONAL


def snapshot():
    from django.apps import apps

    return {m._meta.label: m.objects.count() for m in apps.get_models()}


def test_second_run_changes_nothing(demo):
    before = snapshot()
    load_demo()
    assert snapshot() == before


def test_refuses_to_run_with_debug_off(db, settings):
    from django.core.management import CommandError, call_command

    settings.DEBUG = False
    with signed_protocol_unlocked():  # an empty portal: signed protocols are locked otherwise
        ProtocolDocument.objects.all().delete()  # signed PDFs protect their meetings
        Assignment.objects.all().delete()  # and assignments their decisions
        Meeting.objects.all().delete()
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("load_demo")
    assert not Meeting.objects.exists()
