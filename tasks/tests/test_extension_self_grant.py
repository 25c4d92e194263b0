"""Whoever requested an extension cannot grant it (issue 11)."""

import datetime

import pytest
import time_machine

from core.errors import DomainError
from tasks import services
from tasks.models import ExtensionStatus

pytestmark = pytest.mark.django_db
SELF_GRANT = "Вы сами запросили этот перенос срока"


@pytest.fixture
def own_request(users, member_assignment):
    """The secretary asks to move the member organisation's deadline (e.g. on the organisation's behalf)."""
    with time_machine.travel(datetime.datetime(2026, 11, 20, 12, 0), tick=False):
        return services.assignment_extension_request(
            assignment=member_assignment, requested_by=users["secretary"],
            new_deadline=datetime.date(2027, 1, 31), reason="Поставка оборудования задерживается",
        )


def test_service_refuses_a_grant_by_the_requester(users, own_request):
    with pytest.raises(DomainError, match=SELF_GRANT):
        services.assignment_extension_decide(extension=own_request, decided_by=users["secretary"], grant=True)
    own_request.refresh_from_db()
    assert (own_request.status, own_request.decided_by) == (ExtensionStatus.REQUESTED, None)


def test_requester_granting_on_the_page_gets_a_message_and_the_deadline_stays(client_as, own_request, member_assignment):
    url = f"/tasks/{member_assignment.pk}/extension/{own_request.pk}/grant/"
    response = client_as("secretary").post(url, {"comment": ""}, follow=True)
    member_assignment.refresh_from_db()
    assert SELF_GRANT in response.content.decode()
    assert member_assignment.deadline == datetime.date(2023, 5, 12)


def test_the_requester_may_still_withdraw_it_by_refusing(users, own_request):
    services.assignment_extension_decide(extension=own_request, decided_by=users["secretary"], grant=False,
                                         comment="Запрошено по ошибке")
    own_request.refresh_from_db()
    assert own_request.status == ExtensionStatus.REFUSED


def test_someone_else_grants_it(users, own_request, member_assignment):
    services.assignment_extension_decide(extension=own_request, decided_by=users["chair"], grant=True)
    member_assignment.refresh_from_db()
    assert member_assignment.deadline == datetime.date(2027, 1, 31)
