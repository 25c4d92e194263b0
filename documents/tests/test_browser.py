"""End to end in Chromium: the 2017 chair and secretary sign the 2017 protocol with their demo
certificates; anyone checks a genuine, a tampered and a foreign file on the verification page."""

import os

import pytest

from documents.models import ProtocolDocument


def shot(page, screenshot_dir, name):
    page.screenshot(path=os.path.join(screenshot_dir, f"documents-{name}.png"), full_page=True)


def sign(page, live_server, meeting, key_path, password):
    """Choose the key file and type its password on the signing page: signing.js opens it in the browser."""
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/sign/")
    page.set_input_files("#sign-pkcs12", str(key_path))
    page.fill("#sign-password", password)
    with page.expect_navigation():
        page.click("#sign-button")
    page.wait_for_load_state()


def record_requests(page) -> list:
    """Every request the page sends from now on: (method, URL, headers, body bytes)."""
    sent = []
    page.on("request", lambda request: sent.append(
        (request.method, request.url, request.headers, request.post_data_buffer or b"")))
    return sent


def leaks(sent, secrets: dict) -> list:
    """Which of ``secrets`` (name → bytes) appear in any request: raw, as base64, hex or percent-encoded."""
    import base64
    import urllib.parse

    found = []
    for name, secret in secrets.items():
        forms = {secret, base64.b64encode(secret), secret.hex().encode(), urllib.parse.quote(secret).encode()}
        if len(secret) > 64:  # a file: any 48-byte piece of it, in any of its encodings
            pieces = [secret[i:i + 48] for i in range(0, len(secret) - 48, 48)]
            forms |= {base64.b64encode(piece)[:60] for piece in pieces} | set(pieces)
        for method, url, headers, body in sent:
            blob = url.encode() + repr(headers).encode() + body
            if any(form in blob for form in forms):
                found.append(f"{name} in {method} {url}")
    return found


@pytest.mark.browser
def test_the_2017_chair_and_secretary_sign_their_protocol_in_the_browser(page, login, live_server, screenshot_dir, demo,
                                                                        tmp_path, settings):
    """The README's «Try signing», and issue 14's «Done when»: the protocol of 20.11.2017 is signed by its printed
    signers, Чуранов and Белокопытов, each with his own login and a PKCS#12 from the demo CA opened in the
    browser. No request carries the file or its password; the stored PDF verifies on /verify/ with both
    signatures. Today's chair gets no signing form; a certificate from an unknown CA is refused."""
    from documents.pki import demo_authority, issue_pkcs12, make_authority

    meeting, people = demo["meeting_2017"], demo["people"]
    password = "Ключ-браузера-7f3a9c"  # unique: found anywhere in a request, it leaked
    authority, _new = demo_authority(settings.DEMO_PKI_DIR)
    keys = {}
    for login_name, person in (("churanov", people["churanov"]), ("belokopytov", people["belokopytov"])):
        keys[login_name] = tmp_path / f"{login_name}.p12"
        keys[login_name].write_bytes(issue_pkcs12(authority, person.full_name, password))
    foreign = tmp_path / "foreign.p12"
    foreign.write_bytes(issue_pkcs12(make_authority("Посторонний УЦ"), people["churanov"].full_name, password))
    sent = record_requests(page)

    login("chair")
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/sign/")
    assert page.locator("#sign-form").count() == 0
    assert "Сейчас подписывает Председатель Координационного совета В.С. Чуранов" in page.inner_text("main")

    login("churanov")
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/sign/")
    assert page.locator("#sign-form input[name]").evaluate_all("els => els.map(e => e.name)") == ["csrfmiddlewaretoken"]
    page.set_input_files("#sign-pkcs12", str(keys["churanov"]))
    page.fill("#sign-password", "wrong")
    page.click("#sign-button")
    page.wait_for_selector("#sign-error:not(.d-none)")
    assert "неверный пароль" in page.inner_text("#sign-error")
    shot(page, screenshot_dir, "1-wrong-password")

    page.set_input_files("#sign-pkcs12", str(foreign))
    page.fill("#sign-password", password)
    page.click("#sign-button")
    page.wait_for_selector("#sign-error:not(.d-none)")
    assert "которому портал не доверяет" in page.inner_text("#sign-error")
    assert not ProtocolDocument.objects.filter(meeting=meeting).exists()
    assert page.is_enabled("#sign-button")
    shot(page, screenshot_dir, "1b-unknown-ca")

    sign(page, live_server, meeting, keys["churanov"], password)
    assert "Протокол подписан." in page.inner_text("main")
    assert "Ждёт остальных подписей" in page.inner_text("main")
    shot(page, screenshot_dir, "2-chair-signed")

    login("belokopytov")
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/sign/")
    page.set_input_files("#sign-pkcs12", str(keys["belokopytov"]))
    page.fill("#sign-password", password)
    # Hold the finish request to look at the page while it runs: what is signed, the progress, the button disabled.
    held = []
    page.route("**/sign/finish/", lambda route: held.append(route))
    page.click("#sign-button")
    page.wait_for_selector("#sign-what:not(.d-none)")
    while not held:
        page.wait_for_timeout(50)
    assert page.is_disabled("#sign-button") and "отправляется" in page.inner_text("#sign-progress")
    what = page.inner_text("#sign-what")
    assert "Протокол от 20 ноября 2017 г." in what and "1" in page.inner_text("#sign-what-version")
    assert len(page.inner_text("#sign-what-sha256").strip()) == 64
    shot(page, screenshot_dir, "3-what-is-signed")
    with page.expect_navigation():
        held[0].continue_()
    page.wait_for_load_state()
    assert "Протокол подписан всеми подписантами." in page.inner_text("main")
    shot(page, screenshot_dir, "3-secretary-signed")
    document = ProtocolDocument.objects.get(meeting=meeting)
    assert [s.signer.last_name for s in document.signatures.all()] == ["Чуранов", "Белокопытов"]

    secrets = {"password": password.encode(), "password-utf16": password.encode("utf-16-le"),
               **{f"{name}.p12": path.read_bytes() for name, path in keys.items()}}
    assert any(url.endswith("/sign/prepare/") for _m, url, _h, _b in sent)
    assert any(url.endswith("/sign/finish/") for _m, url, _h, _b in sent)
    assert leaks(sent, secrets) == []

    stored_pdf = tmp_path / "stored.pdf"
    with document.file.open("rb") as handle:
        stored_pdf.write_bytes(handle.read())
    page.goto(f"{live_server.url}/verify/")
    page.set_input_files("#verify-form input[name=file]", str(stored_pdf))
    page.click("#verify-form button[type=submit]")
    page.wait_for_load_state()
    report = page.inner_text("#verify-report")
    shot(page, screenshot_dir, "4-verify-signed-in-browser")
    assert report.count("Подпись действительна") == 2 and "в точности совпадает" in report
    assert people["churanov"].full_name in report and people["belokopytov"].full_name in report

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
