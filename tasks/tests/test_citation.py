"""An assignment is cited by its decision's number, with the item where numbers restart in every item (the
2017 seed protocol: «1.»–«8.» under «Вопрос №1»), so that «7» alone never stands for several decisions."""

import pytest

from meetings.models import Assignment

pytestmark = pytest.mark.django_db


def test_restarting_numbers_are_cited_with_their_item(client_as, demo):
    assignment = Assignment.objects.filter(decision__agenda_item__meeting=demo["meeting_2017"]) \
        .select_related("decision__agenda_item").order_by("decision__agenda_item__order", "decision__order").first()
    decision = assignment.decision
    assert decision.citation == f"вопрос {decision.agenda_item.number}, п. {decision.number}"
    page = client_as("secretary").get(f"/tasks/{assignment.pk}/").content.decode()
    assert f"{decision.citation} — протокол" in page


def test_hierarchical_numbers_are_cited_as_they_are(demo):
    assignment = Assignment.objects.filter(decision__agenda_item__meeting=demo["meeting_2023"]).first()
    assert assignment.decision.citation == assignment.decision.number
