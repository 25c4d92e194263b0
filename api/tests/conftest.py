"""Fixtures of the API tests: a client per demo role with that login's Bearer token, and the
assignments and protocols of the tasks' and meetings' tests."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken
from api.services import api_token_create
from meetings.models import MeetingStatus
from meetings.tests.conftest import make_protocol
from tasks.tests.conftest import foreign_assignment, make_assignments, member_assignment, other_assignment  # noqa: F401


@pytest.fixture
def token_for(users):
    """token_for("member") → a working token secret of that demo login."""

    def make(role, name="test", used=True):
        token, secret = api_token_create(user=users[role], name=name)
        if used:  # marked as just used: the request's own touch writes nothing (refused POSTs change no row)
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return secret

    return make


@pytest.fixture
def api_as(token_for):
    """api_as("member") → an API client sending the member's token; api_as(None) sends none."""

    def make(role):
        client = APIClient()
        if role is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(role)}")
        return client

    return make


@pytest.fixture
def draft(demo):
    """A draft protocol of the ICT council (secretary and chair only)."""
    return make_protocol(demo, items=2, number="77")


@pytest.fixture
def draft_plan(demo):
    from plans.models import WorkPlan

    return WorkPlan.objects.create(cluster=demo["cluster"], title="Черновик плана", period="на 2027 год",
                                   period_start="2027-01-01", period_end="2027-12-31")


@pytest.fixture
def objects(demo, member_assignment, other_assignment, foreign_assignment, draft, draft_plan):  # noqa: F811
    foreign_meeting = foreign_assignment.decision.agenda_item.meeting
    draft_assignment_decision = draft.agenda_items.first().decisions.order_by("order").last()
    return {
        "cluster": demo["cluster"].pk,
        "foreign_cluster": demo["other_cluster"].pk,
        "meeting": demo["meeting_2023"].pk,
        "meeting_2017": demo["meeting_2017"].pk,
        "draft": draft.pk,
        "foreign_meeting": foreign_meeting.pk,
        "decision": member_assignment.decision_id,
        "draft_decision": draft_assignment_decision.pk,
        "foreign_decision": foreign_assignment.decision_id,
        "mine": member_assignment.pk,
        "other": other_assignment.pk,
        "foreign": foreign_assignment.pk,
        "plan": demo["plan_2023"].pk,
        "draft_plan": draft_plan.pk,
        "status_signed": MeetingStatus.SIGNED,
    }
