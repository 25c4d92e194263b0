"""What every role reads on the main pages: Russian words, no technical placeholders (issue 18)."""

import pytest

pytestmark = pytest.mark.django_db

MAIN_PAGES = ["/", "/meetings/", "/tasks/", "/tasks/report/", "/plans/", "/members/", "/clusters/"]


@pytest.mark.parametrize("role", ["secretary", "chair", "member", "admin"])
@pytest.mark.parametrize("url", MAIN_PAGES)
def test_empty_filter_choices_read_all_not_dashes(client_as, role, url):
    response = client_as(role).get(url, follow=True)
    assert response.status_code in (200, 403)  # the discipline report is not a member's
    assert "---------" not in response.content.decode()


def test_the_task_filters_offer_all(client_as):
    page = client_as("secretary").get("/tasks/").content.decode()
    assert '<option value="" selected>Все</option>' in page


@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/password-reset/"])
def test_the_sign_in_pages_have_a_heading(client, url):
    page = client.get(url).content.decode()
    assert page.count("<h1") == 1


def test_the_approval_note_names_the_approver_as_the_register_does(client_as, demo, users):
    from django.utils import timezone

    from meetings.models import Meeting, MeetingStatus
    from meetings.tests.conftest import make_protocol

    meeting = make_protocol(demo, items=1, number="ui-1", status=MeetingStatus.APPROVED)
    chair = users["chair"]
    Meeting.objects.filter(pk=meeting.pk).update(approved_by=chair, approved_at=timezone.now())
    page = client_as("secretary").get(f"/meetings/{meeting.pk}/").content.decode()
    note = page.split("Утверждён", 1)[1].split("</p>", 1)[0]
    assert str(chair.person) in note and chair.username not in note


def test_the_editors_new_person_asks_for_the_first_name(client_as):
    page = client_as("secretary").get("/meetings/new/").content.decode()
    label = page.split('for="id_np-first_name"', 1)[1].split("</label>", 1)[0]
    assert "Имя" in label and "Наименование" not in label


def test_one_word_for_the_step_to_the_chair(client_as, demo):
    """«на утверждение» / «На утверждении» everywhere; never «согласование» for the same step."""
    from meetings.models import MeetingStatus
    from meetings.tests.conftest import make_protocol

    draft = make_protocol(demo, items=1, number="ui-2", status=MeetingStatus.DRAFT)
    on_approval = make_protocol(demo, items=1, number="ui-3", status=MeetingStatus.ON_APPROVAL)
    client = client_as("secretary")
    pages = [client.get(url).content.decode() for url in ("/meetings/", f"/meetings/{draft.pk}/",
                                                          f"/meetings/{on_approval.pk}/")]
    assert all("согласован" not in page for page in pages)
    assert "На утверждении" in pages[0] + pages[2]
