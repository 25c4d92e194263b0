"""Draft → on approval (the chair gets an e-mail) → approved (decisions fan out), or back to draft."""

import pytest
from django.core import mail

from meetings.models import Assignment, Decision, DecisionKind, MeetingStatus
from core.errors import DomainError
from meetings.services import meeting_approve, meeting_return, meeting_submit

pytestmark = pytest.mark.django_db


def test_submit_sends_the_chair_a_link(draft, users, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://portal.example"
    with django_capture_on_commit_callbacks(execute=True):
        meeting_submit(meeting=draft, user=users["secretary"])
    assert mail.outbox[0].to == ["chair@demo.cluster-portal.local"]
    assert f"https://portal.example/meetings/{draft.pk}/" in mail.outbox[0].body and "утверждение" in mail.outbox[0].subject


def test_submit_needs_chair_and_secretary(draft, users):
    draft.chair = None
    draft.save()
    with pytest.raises(DomainError, match="укажите председателя"):
        meeting_submit(meeting=draft, user=users["secretary"])


def test_submit_needs_a_party_and_deadline_for_every_assign_decision(draft, users):
    decision = Decision.objects.filter(agenda_item__meeting=draft, kind=DecisionKind.ASSIGN).first()
    decision.responsible_organizations.clear()
    decision.responsible_people.clear()
    decision.responsible_bodies.clear()
    Decision.objects.filter(pk=decision.pk).update(deadline=None)
    with pytest.raises(DomainError, match="1.2") as error:
        meeting_submit(meeting=draft, user=users["secretary"])
    assert "ответственного" in str(error.value) and "срок" in str(error.value)


def test_approve_fans_decisions_out_into_assignments(on_approval, users):
    meeting_approve(meeting=on_approval, user=users["chair"])
    on_approval.refresh_from_db()
    assert on_approval.status == MeetingStatus.APPROVED and on_approval.approved_by == users["chair"]
    assert Assignment.objects.filter(decision__agenda_item__meeting=on_approval).count() == 3 * 4


def test_return_puts_the_comment_on_the_draft(on_approval, users):
    meeting_return(meeting=on_approval, user=users["chair"], comment="Уточните срок в 2.2.")
    on_approval.refresh_from_db()
    assert on_approval.status == MeetingStatus.DRAFT and on_approval.return_comment == "Уточните срок в 2.2."


def test_return_needs_a_comment(on_approval, users):
    with pytest.raises(DomainError, match="Напишите, что секретарю нужно исправить"):
        meeting_return(meeting=on_approval, user=users["chair"], comment=" ")


def test_draft_cannot_be_approved(draft, users):
    with pytest.raises(DomainError, match="Протокол в статусе «черновик»: это действие сейчас невозможно"):
        meeting_approve(meeting=draft, user=users["chair"])


def test_chair_approves_through_the_page(client_as, on_approval):
    response = client_as("chair").post(f"/meetings/{on_approval.pk}/approve/", follow=True)
    assert "Протокол утверждён" in response.content.decode()


def test_submit_refusal_is_shown_on_the_page(client_as, draft):
    draft.secretary = None
    draft.save()
    response = client_as("secretary").post(f"/meetings/{draft.pk}/submit/", follow=True)
    assert "укажите секретаря" in response.content.decode()


def test_member_sees_the_protocol_once_approved(client_as, on_approval):
    client = client_as("member")
    assert client.get(f"/meetings/{on_approval.pk}/").status_code == 404
    client_as("chair").post(f"/meetings/{on_approval.pk}/approve/")
    assert client.get(f"/meetings/{on_approval.pk}/").status_code == 200


def test_history_shows_the_approval(client_as, on_approval):
    client = client_as("chair")
    client.post(f"/meetings/{on_approval.pk}/approve/")
    page = client.get(f"/meetings/{on_approval.pk}/").content.decode()
    assert f'href="/meetings/{on_approval.pk}/history/"' in page.split('id="meeting-history"')[1]
    html = client.get(f"/meetings/{on_approval.pk}/history/").content.decode()
    assert "История изменений" in html and "Рудометкин" in html.split('id="meeting-history"')[1]


def test_draft_page_lists_what_stops_sending_it(client_as, draft):
    draft.secretary = None
    draft.save()
    html = client_as("secretary").get(f"/meetings/{draft.pk}/").content.decode()
    assert 'id="submit-problems"' in html and "укажите секретаря" in html
