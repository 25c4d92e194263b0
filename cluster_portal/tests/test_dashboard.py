import datetime

import pytest
import time_machine
from django.urls import reverse

from meetings.models import AgendaItem, Assignment, Decision, DecisionKind, Meeting, MeetingStatus

pytestmark = pytest.mark.django_db


def test_anonymous_user_is_sent_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_login_page_is_in_russian(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Войти" in response.content.decode() or "Вход" in response.content.decode()


def test_member_sees_the_open_assignment_of_their_organisation(client_as):
    content = client_as("member").get("/").content.decode()
    assert "2 — протокол № 2 от 30.03.2023" in content
    assert "до 12 мая 2023 года" in content


def test_member_sees_latest_protocols_of_their_cluster(client_as):
    content = client_as("member").get("/").content.decode()
    assert "Протокол № 2 от 30 марта 2023 г." in content
    assert "Протокол № 1 от 10 февраля 2023 г." not in content  # the other cluster's


def test_outsider_sees_only_their_cluster(client_as):
    content = client_as("outsider").get("/").content.decode()
    assert "Протокол № 1 от 10 февраля 2023 г." in content
    assert "Протокол № 2 от 30 марта 2023 г." not in content
    assert "СмолАПО" not in content


# "Overdue" is relative to today: compare the seed deadlines with a fixed day.
@time_machine.travel(datetime.datetime(2026, 11, 20, 12, 0), tick=False)
def test_secretary_sees_overdue_assignments_and_drafts(client_as, demo):
    Meeting.objects.create(cluster=demo["cluster"], body=demo["council"], date=datetime.date(2026, 12, 1), number="7")
    content = client_as("secretary").get("/").content.decode()
    assert 'id="overdue"' in content and "7 — протокол от 20.11.2017" in content
    assert "Протокол № 7 от 1 декабря 2026 г." in content  # draft waiting


def test_member_does_not_see_drafts(client_as, demo):
    Meeting.objects.create(cluster=demo["cluster"], body=demo["council"], date=datetime.date(2026, 12, 1), number="7")
    content = client_as("member").get("/").content.decode()
    assert "Протокол № 7" not in content
    assert 'id="drafts"' not in content


def add_meetings_with_assignments(demo, count, prefix):
    org = demo["orgs"]["college"]
    for n in range(count):
        meeting = Meeting.objects.create(
            cluster=demo["cluster"], body=demo["council"], date=datetime.date(2030, 1, 1) + datetime.timedelta(days=n),
            number=f"{prefix}{n}", status=MeetingStatus.APPROVED,
        )
        item = AgendaItem.objects.create(meeting=meeting, order=1, title="Вопрос")
        for order in (1, 2):
            decision = Decision.objects.create(
                agenda_item=item, order=order, text="Поручить", kind=DecisionKind.ASSIGN,
                deadline=datetime.date(2020, 1, 1),
            )
            Assignment.objects.create(decision=decision, organization=org, deadline=decision.deadline)


@pytest.mark.parametrize("role", ["secretary", "chair", "member", "outsider", "admin"])
def test_dashboard_queries_do_not_grow_with_data(role, client_as, demo, django_assert_max_num_queries):
    client = client_as(role)
    client.get("/")  # warm the session and content types
    add_meetings_with_assignments(demo, 2, "A")
    with django_assert_max_num_queries(20) as small:
        assert client.get("/").status_code == 200
    add_meetings_with_assignments(demo, 40, "B")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get("/").status_code == 200


def test_english_browser_still_gets_russian(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="ru"' in response.content.decode()


def test_language_switch_gives_english(client):
    from django.utils import translation

    # The middleware activates English for this thread; give the next tests back their language
    # (services called outside a request would otherwise raise English messages).
    with translation.override(translation.get_language()):
        client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
        response = client.get("/accounts/login/")
    assert 'lang="en"' in response.content.decode()


# The meeting lists' links and status badges as the template printed them with ``{% url %}`` and
# ``get_status_display`` (the view now sets ``detail_url`` and ``status_label`` once per row).
REFERENCE_ROWS = {
    "drafts": '<li class="list-group-item d-flex justify-content-between">\n'
              '            <a href="{% url \'meetings:meeting-detail\' m.pk %}">{{ m }}</a>'
              '<span class="badge text-bg-secondary">{{ m.get_status_display }}</span>\n          </li>',
    "upcoming": '<li class="list-group-item"><a href="{% url \'meetings:meeting-detail\' m.pk %}">{{ m.date|ru_date }}'
                '{% if m.start_time %}, {{ m.start_time|time:"H:i" }}{% endif %}</a> — {{ m.body }}'
                '{% if m.place %}, {{ m.place }}{% endif %}</li>',
    "recent": '<li class="list-group-item"><a href="{% url \'meetings:meeting-detail\' m.pk %}">{{ m }}</a>'
              '<div class="small text-muted">{{ m.cluster }} · {{ m.body }}</div></li>',
}


@time_machine.travel(datetime.datetime(2026, 11, 20, 12, 0), tick=False)
@pytest.mark.parametrize("role", ["secretary", "member", "admin"])
def test_meeting_rows_are_the_templates(role, client_as, demo):
    from django.template import Context, Template
    from django.utils import translation

    from meetings import selectors

    for n, status in enumerate([MeetingStatus.DRAFT, MeetingStatus.ON_APPROVAL]):
        Meeting.objects.create(cluster=demo["cluster"], body=demo["council"], date=datetime.date(2026, 12, 1 + n),
                               number=f"7{n}", status=status, place="Смоленск" if n else "")
    user = demo["users"][role]
    content = client_as(role).get("/").content.decode()
    lists = {"drafts": selectors.drafts_waiting(user), "upcoming": selectors.upcoming_meetings(user),
             "recent": selectors.recent_protocols(user)}
    assert lists["recent"] and (role == "member" or lists["drafts"] and lists["upcoming"])
    with translation.override("ru"):
        for name, meetings in lists.items():
            template = Template("{% load portal %}" + REFERENCE_ROWS[name])
            for meeting in meetings:
                assert template.render(Context({"m": meeting})) in content, (name, meeting.pk)


@time_machine.travel(datetime.datetime(2026, 11, 20, 12, 0), tick=False)
@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("role", ["secretary", "member", "admin"])
def test_assignment_lists_are_the_template_loops(role, language, client_as, demo):
    """The two assignment lists (tuples printed in Python) are, byte for byte, what
    ``{% for a in … %}{% assignment_row a with_party=True %}{% endfor %}`` printed of the loaded assignments."""
    from django.utils import translation

    from tasks import selectors
    from tasks.rows import assignment_row

    add_meetings_with_assignments(demo, 3, "A")
    user = demo["users"][role]
    client = client_as(role)
    with translation.override(translation.get_language()):  # the request leaves its language active
        client.post("/i18n/setlang/", {"language": language, "next": "/"})
        content = client.get("/").content.decode()
    mine = selectors.my_assignments(user).open().order_by("deadline", "id")[:10]
    overdue = selectors.cluster_assignments(user).overdue().order_by("deadline", "id")[:10]
    with translation.override(language):
        for name, queryset in (("my-assignments", mine), ("overdue", overdue)):
            loaded = list(selectors.with_assignment_context(queryset))
            if name == "overdue" and role == "member":
                assert 'id="overdue"' not in content
                continue
            assert loaded or role != ("member" if name == "my-assignments" else "secretary"), name
            section = content[content.index(f'id="{name}"'):]
            section = section[:section.index("</section>")]
            if not loaded:
                assert "<tbody>" not in section, name
                continue
            loop = "".join(f"\n            {assignment_row(a, with_party=True)}\n          " for a in loaded)
            assert f"<tbody>\n          {loop}\n          </tbody>" in section, name
    assert ('<html lang="en">' in content) == (language == "en")
