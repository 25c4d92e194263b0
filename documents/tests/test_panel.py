"""The documents panel of the protocol page and the signing page: the flags come from documents.panel."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def page(client_as, role, meeting):
    return client_as(role).get(reverse("meetings:meeting-detail", args=[meeting.pk])).content.decode()


@pytest.mark.parametrize("role, shown, hidden", [
    ("member", ["Подписанный PDF"], ["PDF, краткая форма", "Внести исправления"]),
    ("chair", ["Подписанный PDF", "PDF, краткая форма"], ["Внести исправления", "PDF, полная форма"]),
    ("secretary", ["Подписанный PDF", "PDF, краткая форма", "Внести исправления"], ["PDF, полная форма"]),
])
def test_signed_protocol_panel(client_as, demo, role, shown, hidden):
    html = page(client_as, role, demo["meeting_2023"])
    assert [s for s in shown if s not in html] == [] and [s for s in hidden if s in html] == []


def test_approved_protocol_offers_signing_to_its_first_printed_signer_only(client_as, demo):
    meeting = demo["meeting_2017"]
    sign_url = reverse("documents:protocol-sign", args=[meeting.pk])
    assert f'href="{sign_url}"' in page(client_as, "churanov", meeting)
    for role in ("secretary", "chair", "belokopytov"):
        html = page(client_as, role, meeting)
        assert f'href="{sign_url}"' not in html
    chair_page = page(client_as, "chair", meeting)
    assert "Ожидается подпись: В.С. Чуранов." in chair_page and "PDF, полная форма" in chair_page


def test_sign_page_shows_the_form_only_to_the_next_signer(client_as, demo):
    url = reverse("documents:protocol-sign", args=[demo["meeting_2017"].pk])
    assert 'id="sign-form"' in client_as("churanov").get(url).content.decode()
    for role in ("secretary", "chair", "belokopytov"):
        assert 'id="sign-form"' not in client_as(role).get(url).content.decode()
    steps = client_as("secretary").get(url).content.decode()
    assert "Председатель Координационного совета В.С. Чуранов" in steps and "Секретарь Координационного совета М.В. Белокопытов" in steps


def test_correction_page_of_an_unsigned_protocol_links_the_editor_only_for_a_draft(client_as, demo):
    url = reverse("documents:protocol-correction", args=[demo["meeting_2017"].pk])
    html = client_as("secretary").get(url).content.decode()
    assert 'id="correction-form"' not in html
    assert reverse("meetings:meeting-edit", args=[demo["meeting_2017"].pk]) not in html
