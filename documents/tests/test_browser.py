"""End to end in Chromium: the 2017 chair and secretary sign the 2017 protocol with their demo
certificates; anyone checks a genuine, a tampered and a foreign file on the verification page."""

import os

import pytest

from documents.models import ProtocolDocument


def shot(page, screenshot_dir, name):
    page.screenshot(path=os.path.join(screenshot_dir, f"documents-{name}.png"), full_page=True)


def sign(page, live_server, meeting, key_path, password):
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/sign/")
    page.set_input_files("#sign-form input[name=pkcs12]", str(key_path))
    page.fill("#sign-form input[name=password]", password)
    page.click("#sign-form button[type=submit]")
    page.wait_for_load_state()


@pytest.mark.browser
def test_the_2017_chair_and_secretary_sign_their_protocol(page, login, live_server, screenshot_dir, demo):
    """The README's «Try signing»: the protocol of 20.11.2017 is signed by its printed signers, Чуранов and
    Белокопытов, each with his own login and demo certificate; today's chair gets no signing form."""
    meeting, pki = demo["meeting_2017"], demo["demo_pki"]
    login("chair")
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/sign/")
    assert page.locator("#sign-form").count() == 0
    assert "Сейчас подписывает Председатель Координационного совета В.С. Чуранов" in page.inner_text("main")

    login("churanov")
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/sign/")
    page.set_input_files("#sign-form input[name=pkcs12]", str(pki["churanov"]))
    page.fill("#sign-form input[name=password]", "wrong")
    page.click("#sign-form button[type=submit]")
    assert "неверный пароль" in page.inner_text("#sign-form .alert")
    shot(page, screenshot_dir, "1-wrong-password")

    sign(page, live_server, meeting, pki["churanov"], pki["password"])
    assert "Протокол подписан." in page.inner_text("main")
    assert "Ждёт остальных подписей" in page.inner_text("main")
    shot(page, screenshot_dir, "2-chair-signed")

    login("belokopytov")
    sign(page, live_server, meeting, pki["belokopytov"], pki["password"])
    assert "Протокол подписан всеми подписантами." in page.inner_text("main")
    shot(page, screenshot_dir, "3-secretary-signed")
    document = ProtocolDocument.objects.get(meeting=meeting)
    assert [s.signer.last_name for s in document.signatures.all()] == ["Чуранов", "Белокопытов"]

    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    if page.locator("#documents-panel").count():
        shot(page, screenshot_dir, "4-protocol-page-panel")


@pytest.mark.browser
def test_verification_page_tells_genuine_tampered_and_foreign_files_apart(page, live_server, screenshot_dir, demo,
                                                                         tmp_path, foreign_pki):
    document = ProtocolDocument.objects.get(meeting=demo["meeting_2023"])
    genuine = tmp_path / "genuine.pdf"
    with document.file.open("rb") as handle:
        genuine.write_bytes(handle.read())
    tampered = tmp_path / "tampered.pdf"
    data = bytearray(genuine.read_bytes())
    data[len(data) // 3] ^= 0x20
    tampered.write_bytes(bytes(data))
    not_pdf = tmp_path / "notes.txt"
    not_pdf.write_text("не документ")

    def check(path, name):
        page.goto(f"{live_server.url}/verify/")
        page.set_input_files("#verify-form input[name=file]", str(path))
        page.click("#verify-form button[type=submit]")
        page.wait_for_load_state()
        shot(page, screenshot_dir, name)
        return page.inner_text("#verify-report")

    report = check(genuine, "5-verify-genuine")
    assert report.count("Подпись действительна") == 2 and "в точности совпадает" in report
    report = check(tampered, "6-verify-tampered")
    assert "Подпись действительна" not in report
    assert "Это не PDF-файл." in check(not_pdf, "7-verify-not-pdf")

    page.goto(f"{live_server.url}/verify/{document.public_id}/")
    assert "Протокол № 2 от 30 марта 2023 г." in page.inner_text("#registered-document")
    shot(page, screenshot_dir, "8-verify-link")


@pytest.mark.browser
def test_foreign_ca_is_reported_on_the_verification_page(page, live_server, screenshot_dir, tmp_path, foreign_signed_pdf):
    path = tmp_path / "foreign.pdf"
    path.write_bytes(foreign_signed_pdf)
    page.goto(f"{live_server.url}/verify/")
    page.set_input_files("#verify-form input[name=file]", str(path))
    page.click("#verify-form button[type=submit]")
    page.wait_for_load_state()
    shot(page, screenshot_dir, "9-verify-foreign")
    assert "неизвестным удостоверяющим центром" in page.inner_text("#verify-report")


@pytest.mark.browser
def test_secretary_starts_a_correction_of_the_signed_2023_protocol(page, login, live_server, screenshot_dir, demo):
    meeting = demo["meeting_2023"]
    login("secretary")
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    page.click("#documents-panel >> text=Внести исправления")
    page.wait_for_load_state()
    page.click("#correction-form button[type=submit]")  # nothing filled in: refused
    page.wait_for_load_state()
    shot(page, screenshot_dir, "5-correction-refused")
    page.fill("#correction-form textarea[name=reason]", "В пункте 2 неверно указан срок исполнения")
    page.check("#correction-form input[name=confirm]")
    page.click("#correction-form button[type=submit]")
    page.wait_for_load_state()
    assert page.url.endswith(f"/meetings/{meeting.pk}/edit/")
    shot(page, screenshot_dir, "6-correction-editor")
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    assert "Исправляется" in page.inner_text("#documents-panel")
    shot(page, screenshot_dir, "7-correction-panel")
