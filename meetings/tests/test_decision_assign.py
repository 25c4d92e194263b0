import datetime

import pytest
from django.db import IntegrityError

from meetings.models import AgendaItem, Assignment, Decision, DecisionKind, signed_protocol_unlocked
from meetings.services import decision_assign
from members.models import Membership, MembershipStatus, Organization, OrganizationKind

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def unlocked():
    """These tests add decisions to the signed demo protocol to exercise the fan-out itself."""
    with signed_protocol_unlocked():
        yield


@pytest.fixture
def decision(demo):
    with signed_protocol_unlocked():  # fixture data added to the signed demo protocol
        item = AgendaItem.objects.create(meeting=demo["meeting_2023"], order=4, title="Разное")
        return Decision.objects.create(
            agenda_item=item, order=1, text="Поручить…", kind=DecisionKind.ASSIGN, deadline=datetime.date(2023, 6, 1)
        )


def test_one_assignment_per_named_party(demo, decision):
    decision.responsible_organizations.set([demo["orgs"]["smolapo"], demo["orgs"]["copp"]])
    decision.responsible_people.set([demo["people"]["kazakov"]])
    decision.responsible_bodies.set([demo["working_group"]])
    created = decision_assign(decision=decision)
    assert len(created) == 4
    assert all(a.deadline == datetime.date(2023, 6, 1) for a in created)
    assert {str(a.party) for a in created} == {"ОГБПОУ СмолАПО", "СОГАУ ДПО «ЦОПП»", "Казаков А.В.", "Рабочая группа Кластера ИКТ"}


def test_category_fans_out_to_member_organisations_of_that_kind(demo, decision):
    decision.responsible_kinds = [OrganizationKind.EMPLOYER]
    decision.save()
    created = decision_assign(decision=decision)
    assert {a.organization.short_name for a in created} == {
        "ООО «Твинс»", "ООО «МАН сеть»", "ООО «Смолтелеком»", "ООО «Айти грэйд»", "ООО «Информзащита-Софт»", "«КИТ МЕДИА»",
    }


def test_category_skips_organisations_that_left_or_are_only_invited(demo, decision):
    Membership.objects.filter(organization=demo["orgs"]["smolapo"]).update(
        status=MembershipStatus.LEFT, left_on=datetime.date(2023, 1, 1)
    )
    decision.responsible_kinds = [OrganizationKind.EDU_VOCATIONAL, OrganizationKind.EDU_HIGHER]
    decision.save()
    created = decision_assign(decision=decision)
    # СмолАПО left before the meeting; СмолГУ is only invited.
    assert [a.organization.short_name for a in created] == ["СКТ (филиал) СПбГУТ"]


def test_running_twice_creates_nothing_new(demo, decision):
    decision.responsible_organizations.set([demo["orgs"]["smolapo"]])
    decision.responsible_kinds = [OrganizationKind.EDU_VOCATIONAL]
    decision.save()
    assert len(decision_assign(decision=decision)) == 2  # СмолАПО named and by kind: once
    assert decision_assign(decision=decision) == []
    assert decision.assignments.count() == 2


def test_failure_leaves_nothing_half_saved(demo, decision, monkeypatch):
    decision.responsible_organizations.set([demo["orgs"]["smolapo"], demo["orgs"]["copp"]])
    calls = []
    original = Assignment.save

    def failing_save(self, *args, **kwargs):
        calls.append(self)
        if len(calls) == 2:
            raise IntegrityError("disk full")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Assignment, "save", failing_save)
    with pytest.raises(IntegrityError, match="disk full"):
        decision_assign(decision=decision)
    assert decision.assignments.count() == 0


def test_no_responsible_party_means_no_assignment(demo, decision):
    assert decision_assign(decision=decision) == []


def test_organisation_outside_the_cluster_is_not_reached_by_category(demo, decision):
    Organization.objects.create(full_name="ООО «Чужая»", kind=OrganizationKind.EMPLOYER)
    decision.responsible_kinds = [OrganizationKind.EMPLOYER]
    decision.save()
    assert "ООО «Чужая»" not in {a.organization.full_name for a in decision_assign(decision=decision)}
