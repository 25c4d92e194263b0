"""Demo mode: a printed signer takes a demo certificate from the portal (the signing page's button, or
``manage.py demo_certificate USERNAME``), issued by the kept demo CA, so that signing can be tried in any
cluster — here a cluster just set up on /clusters/new/ whose secretary alone signs its protocols."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from documents.pki import DEMO_CA_FILE, DEMO_PKI_PASSWORD, issue_pkcs12, make_authority
from documents.signing import PadesSigner
from documents.tests.conftest import sign_over_http
from documents.trust import chain_is_trusted
from meetings.models import AgendaItem, Decision, DecisionKind, Meeting, MeetingStatus
from meetings.services import meeting_approve, meeting_submit
from members import services as member_services
from members.models import SignatoriesStyle

pytestmark = pytest.mark.django_db


@pytest.fixture
def pki_dir(settings, tmp_path):
    settings.DEMO_MODE = True
    settings.DEMO_PKI_DIR = tmp_path / "pki"
    return settings.DEMO_PKI_DIR


@pytest.fixture
def new_cluster_protocol(users, django_capture_on_commit_callbacks):
    """A cluster set up by the administrator (its secretary alone signs), with an approved protocol."""
    with django_capture_on_commit_callbacks(execute=True):
        cluster = member_services.cluster_create(
            by=users["admin"], name="Образовательно-производственный кластер лёгкой промышленности",
            short_name="Кластер ЛП", council_name="Координационный совет", council_name_genitive="Координационного совета",
            council_signatories=SignatoriesStyle.SECRETARY,
            secretary=member_services.NewLogin(username="lp-secretary", person=member_services.NewPerson(
                last_name="Орлова", first_name="Анна", patronymic="Сергеевна", email="orlova@example.org")))
    council = cluster.bodies.get()
    person = council.memberships.get().person
    meeting = Meeting.objects.create(cluster=cluster, body=council, number="1", date=datetime.date.today(),
                                     secretary=person)
    item = AgendaItem.objects.create(meeting=meeting, order=1, title="Об открытии кластера.")
    Decision.objects.create(agenda_item=item, order=1, text="Принять к сведению.", kind=DecisionKind.NOTE)
    meeting_submit(meeting=meeting, user=person.user)
    meeting_approve(meeting=meeting, user=users["admin"])
    client = Client()
    client.force_login(person.user)
    return meeting, client


def test_the_signer_of_a_new_cluster_gets_a_demo_certificate_and_signs(pki_dir, new_cluster_protocol):
    meeting, client = new_cluster_protocol
    sign_url = reverse("documents:protocol-sign", args=[meeting.pk])
    assert 'id="demo-certificate"' in client.get(sign_url).content.decode()
    response = client.post(reverse("documents:demo-certificate", args=[meeting.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/x-pkcs12"
    assert response["Content-Disposition"] == 'attachment; filename="lp-secretary.p12"'
    signer = PadesSigner.from_pkcs12(response.content, DEMO_PKI_PASSWORD)
    assert signer.certificate.owner == "Орлова Анна Сергеевна"

    response = sign_over_http(client, meeting, response.content, DEMO_PKI_PASSWORD)
    assert response.status_code == 200
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SIGNED
    document = meeting.documents.get()
    with document.file.open("rb") as handle:
        pdf = handle.read()
    report = Client().post("/verify/", {"file": SimpleUploadedFile("p.pdf", pdf, "application/pdf")}).context["report"]
    assert [s.verdict for s in report.signatures] == ["Подпись действительна"] and report.registered_as == "final"


def test_later_certificates_chain_to_the_same_demo_root(pki_dir, users):
    call_command("demo_certificate", "churanov")
    root = (pki_dir / DEMO_CA_FILE).read_bytes()
    call_command("demo_certificate", "belokopytov")
    assert (pki_dir / DEMO_CA_FILE).read_bytes() == root
    for name, owner in (("churanov", "Чуранов Василий Сергеевич"), ("belokopytov", "Белокопытов Максим Вячеславович")):
        signer = PadesSigner.from_pkcs12((pki_dir / f"{name}.p12").read_bytes(), DEMO_PKI_PASSWORD)
        assert signer.certificate.owner == owner
        assert chain_is_trusted(signer.signing_cert, signer.other_certs)


def test_the_command_refuses_outside_demo_mode_and_unknown_logins(pki_dir, settings, users):
    with pytest.raises(CommandError, match="No login 'nobody'"):
        call_command("demo_certificate", "nobody")
    with pytest.raises(CommandError, match="Учётная запись не связана с записью реестра"):
        call_command("demo_certificate", "admin")
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="только в демонстрационном режиме"):
        call_command("demo_certificate", "chair")
    assert not (pki_dir / "chair.p12").exists()


def test_no_button_and_404_outside_demo_mode(pki_dir, settings, client_as, demo):
    meeting = demo["meeting_2017"]
    url = reverse("documents:demo-certificate", args=[meeting.pk])
    settings.DEMO_MODE = False
    assert 'id="demo-certificate"' not in client_as("churanov").get(
        reverse("documents:protocol-sign", args=[meeting.pk])).content.decode()
    assert client_as("churanov").post(url).status_code == 404
    assert not pki_dir.exists()


@pytest.mark.parametrize("role, status", [("churanov", 200), ("belokopytov", 200), ("secretary", 404),
                                          ("chair", 404), ("member", 404), ("outsider", 404), (None, 302)])
def test_only_the_protocols_printed_signers_get_one(pki_dir, client_as, demo, role, status):
    response = client_as(role).post(reverse("documents:demo-certificate", args=[demo["meeting_2017"].pk]))
    assert response.status_code == status
    assert client_as(role).get(reverse("documents:demo-certificate", args=[demo["meeting_2017"].pk])).status_code == (
        302 if role is None else 405)


def test_a_demo_ca_kept_without_its_key_is_replaced_and_stays_trusted(pki_dir, users):
    """A DEMO_PKI_DIR from before the key was kept: the next demo certificate needs a new CA; what the old
    one issued (and the PDFs it signed) is still trusted in demo mode."""
    pki_dir.mkdir(parents=True)
    old = make_authority()
    (pki_dir / DEMO_CA_FILE).write_bytes(old.pem)
    old_signer = PadesSigner.from_pkcs12(issue_pkcs12(old, "Чуранов Василий Сергеевич", "x"), "x")
    call_command("demo_certificate", "churanov")
    new_signer = PadesSigner.from_pkcs12((pki_dir / "churanov.p12").read_bytes(), DEMO_PKI_PASSWORD)
    assert (pki_dir / DEMO_CA_FILE).read_bytes() != old.pem
    assert chain_is_trusted(new_signer.signing_cert, new_signer.other_certs)
    assert chain_is_trusted(old_signer.signing_cert, old_signer.other_certs)


def test_the_download_gives_the_form_its_token_back_in_a_cookie(pki_dir, client_as, demo):
    """The signing page's form answers with a file, so the page stays: the one-time token the form sends
    (static/js/portal.js, data-busy="download") comes back in a cookie and the button is usable at once."""
    client = client_as("churanov")
    url = reverse("documents:demo-certificate", args=[demo["meeting_2017"].pk])
    page = client.get(reverse("documents:protocol-sign", args=[demo["meeting_2017"].pk])).content.decode()
    assert f'action="{url}" class="mt-3" data-busy="download"' in page
    response = client.post(url, {"download_token": "k2x9q1w7lmn3"})
    assert response["Content-Type"] == "application/x-pkcs12"
    assert response.cookies["download_token"].value == "k2x9q1w7lmn3"
    assert response.cookies["download_token"]["max-age"] == 60 and not response.cookies["download_token"]["httponly"]
    for token in ("", "short", "bad token; path=/", "x" * 65):
        assert "download_token" not in client.post(url, {"download_token": token}).cookies, token
    # A form answered with a page (here a refusal) gets no cookie: the page is replaced anyway.
    refused = client_as("secretary").post(url, {"download_token": "k2x9q1w7lmn3"})
    assert refused.status_code == 404 and "download_token" not in refused.cookies
