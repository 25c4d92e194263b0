"""The user journey of deploy/smoke.sh, over HTTP only, as browsers would make it: requests alternate
between gunicorn node A, node B and nginx in front of both, each login's session cookie going with it
from node to node. On the way node A and the worker are killed (SIGKILL); nothing may be lost.

Reads what smoke.sh exports: SMOKE_WORK (pids/, logs/, start_worker.sh, mail/, pki/), SMOKE_NODE_A,
SMOKE_NODE_B, SMOKE_NGINX, the S3 settings (AWS_*), MEDIA_ROOT, WORKER_STALE_SECONDS. Writes the number of
steps passed to SMOKE_WORK/journey-steps. Needs no Django: it is a client.
"""

from __future__ import annotations

import base64
import datetime
import email
import email.policy
import hashlib
import html
import json
import os
import re
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import boto3
import requests
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding, pkcs12

WORK = Path(os.environ["SMOKE_WORK"])
NODES = {"a": os.environ["SMOKE_NODE_A"], "b": os.environ["SMOKE_NODE_B"], "nginx": os.environ["SMOKE_NGINX"]}
STALE = int(os.environ["WORKER_STALE_SECONDS"])
PASSWORD = "demo12345"  # every demo login's and every demo PKCS#12's
TIMEOUT = 90  # seconds for one request (a PDF render under load)
STEPS = 0


class SmokeFailure(AssertionError):
    pass


def step(text: str) -> None:
    global STEPS
    STEPS += 1
    (WORK / "journey-steps").write_text(str(STEPS))
    print(f"smoke: journey [{STEPS}] {text}", flush=True)


def check(condition, message: str) -> None:
    if not condition:
        raise SmokeFailure(message)


def wait_until(predicate, timeout: float, what: str, every: float = 0.3):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise SmokeFailure(f"{what}: not within {timeout} s")


class Browser:
    """One login's cookie jar (session + CSRF cookie), usable against any node."""

    def __init__(self, name: str):
        self.name = name
        self.http = requests.Session()
        self.http.headers["Accept-Language"] = "ru"

    def url(self, node: str, path: str) -> str:
        return NODES[node] + path

    def get(self, node: str, path: str, **kwargs) -> requests.Response:
        return self.http.get(self.url(node, path), timeout=TIMEOUT, allow_redirects=False, **kwargs)

    def post(self, node: str, path: str, data=None, files=None, **kwargs) -> requests.Response:
        data = dict(data or {})
        data.setdefault("csrfmiddlewaretoken", self.csrf())
        return self.http.post(self.url(node, path), data=data, files=files, timeout=TIMEOUT, allow_redirects=False,
                              **kwargs)

    def post_json(self, node: str, path: str, body: dict) -> requests.Response:
        headers = {"X-CSRFToken": self.csrf(), "Accept": "application/json"}
        return self.http.post(self.url(node, path), json=body, headers=headers, timeout=TIMEOUT, allow_redirects=False)

    def csrf(self) -> str:
        return self.http.cookies.get("csrftoken", "")

    def login(self, node: str, username: str) -> None:
        page = self.get(node, "/accounts/login/")
        check(page.status_code == 200, f"login page on {node}: {page.status_code}")
        response = self.post(node, "/accounts/login/", {"username": username, "password": PASSWORD})
        check(response.status_code == 302 and "/accounts/login/" not in response.headers.get("Location", ""),
              f"{username} could not log in on {node}: {response.status_code}")


def form_fields(page: str, form_id: str | None = None) -> dict:
    """The values a browser submits from a form (inputs, checked boxes, selected options, textareas),
    outside the <template>s the page's script clones rows from."""
    page = re.sub(r"<template.*?</template>", "", page, flags=re.S)
    if form_id:
        page = page[page.index(f'id="{form_id}"'):]
    data: dict = {}

    class Parser(HTMLParser):
        select = textarea = None

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            name = a.get("name")
            if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
                if a.get("type") in ("checkbox", "radio"):
                    if "checked" in a:
                        data[name] = a.get("value", "on")
                else:
                    data[name] = a.get("value") or ""
            elif tag == "select" and name:
                self.select = name
            elif tag == "option" and self.select and "selected" in a:
                data[self.select] = a.get("value", "")
            elif tag == "textarea" and name:
                self.textarea = name
                data[name] = ""

        def handle_endtag(self, tag):
            if tag == "select":
                self.select = None
            elif tag == "textarea":
                self.textarea = None

        def handle_data(self, text):
            if self.textarea:
                data[self.textarea] += text

    Parser(convert_charrefs=True).feed(page)
    return data


def option_value(page: str, select_suffix: str, text_part: str) -> str:
    """The value of the first <option> whose text contains ``text_part`` in a <select> named …``select_suffix``."""
    for match in re.finditer(r'<select[^>]*name="[^"]*' + re.escape(select_suffix) + r'"[^>]*>(.*?)</select>', page, re.S):
        for value, label in re.findall(r'<option value="([^"]*)"[^>]*>(.*?)</option>', match.group(1), re.S):
            if text_part in html.unescape(label):
                return value
    raise SmokeFailure(f"no option «{text_part}» in a select …{select_suffix}")


def kill_group(name: str) -> None:
    pid_file = WORK / "pids" / f"{name}.pid"
    pgid = int(pid_file.read_text())
    os.killpg(pgid, signal.SIGKILL)
    wait_until(lambda: not alive(pgid), 10, f"{name} to die")
    pid_file.unlink()


def alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    # a killed process stays a zombie until smoke.sh's shell reaps it: count only live ones
    states = subprocess.run(["ps", "-o", "stat=", "-g", str(pgid)], capture_output=True, text=True).stdout.split()
    return any(not state.startswith("Z") for state in states)


def mails() -> list[email.message.EmailMessage]:
    found = []
    for path in sorted((WORK / "mail").glob("*.log")):
        # the file backend writes one or more messages per file, each followed by a line of dashes
        for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if raw.strip():
                found.append(email.message_from_bytes(raw.lstrip(), policy=email.policy.default))
    return found


def mail_about(subject_part: str, url_part: str):
    for message in mails():
        body = message.get_body(("plain",))
        text = body.get_content() if body else ""
        if subject_part in str(message["Subject"]) and url_part in text:
            return message
    return None


def s3():
    return boto3.client("s3", endpoint_url=os.environ["AWS_S3_ENDPOINT_URL"])


def bucket_keys() -> list[str]:
    listing = s3().list_objects_v2(Bucket=os.environ["AWS_STORAGE_BUCKET_NAME"])
    return sorted(item["Key"] for item in listing.get("Contents", []))


def bucket_object(key: str) -> bytes:
    return s3().get_object(Bucket=os.environ["AWS_STORAGE_BUCKET_NAME"], Key=key)["Body"].read()


def local_media_files() -> list[Path]:
    root = Path(os.environ["MEDIA_ROOT"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def health(node: str) -> tuple[int, dict]:
    response = requests.get(NODES[node] + "/healthz", timeout=TIMEOUT)
    return response.status_code, response.json()


def sign(browser: Browser, meeting_id: int, key_file: str, *, prepare_on: str, finish_on: str) -> dict:
    """What static/js/signing.js does: send the certificate (never the key), sign the returned signed
    attributes with the key from the PKCS#12 file, send the signature value."""
    key, certificate, others = pkcs12.load_key_and_certificates((WORK / "pki" / key_file).read_bytes(), PASSWORD.encode())
    page = browser.get(prepare_on, f"/meetings/{meeting_id}/sign/")
    check(page.status_code == 200, f"signing page for {browser.name}: {page.status_code}")
    prepared = browser.post_json(prepare_on, f"/meetings/{meeting_id}/sign/prepare/", {
        "certificate": base64.b64encode(certificate.public_bytes(Encoding.DER)).decode(),
        "chain": [base64.b64encode(c.public_bytes(Encoding.DER)).decode() for c in others or ()],
    })
    check(prepared.status_code == 200, f"prepare for {browser.name}: {prepared.status_code} {prepared.text[:300]}")
    data = prepared.json()
    signed_attrs = base64.b64decode(data["signed_attrs"])
    if isinstance(key, ec.EllipticCurvePrivateKey):
        value = key.sign(signed_attrs, ec.ECDSA(hashes.SHA256()))
    else:
        check(isinstance(key, rsa.RSAPrivateKey), "demo key is neither ECDSA nor RSA")
        value = key.sign(signed_attrs, padding.PKCS1v15(), hashes.SHA256())
    finished = browser.post_json(finish_on, f"/meetings/{meeting_id}/sign/finish/",
                                 {"token": data["token"], "signature": base64.b64encode(value).decode()})
    check(finished.status_code == 200, f"finish for {browser.name}: {finished.status_code} {finished.text[:300]}")
    return finished.json()


def new_protocol_data(page: str, today: datetime.date) -> dict:
    data = {k: v for k, v in form_fields(page, "protocol-editor").items()
            if k.startswith(("m-", "att-", "csrfmiddlewaretoken")) or k.endswith(("TOTAL_FORMS", "INITIAL_FORMS",
                                                                                 "MIN_NUM_FORMS", "MAX_NUM_FORMS"))}
    college = option_value(page, "responsible_organizations", "СКТ (филиал)")  # the member's college
    data.update({
        "m-body": option_value(page, "m-body", "Координационный совет"), "m-kind": "council",
        "m-date": today.isoformat(), "m-city": "г. Смоленск", "m-format": "in_person", "m-place": "Зал заседаний",
        "m-number": f"S{os.getpid()}",
    })
    check(data.get("m-chair") and data.get("m-secretary"), "the new protocol is not prefilled with the chair and secretary")
    items = [
        {"title": "О готовности портала к эксплуатации.", "discussion": "Проверка развёртывания.",
         "decisions": [{"text": "Принять к сведению.", "kind": "note"},
                       {"text": "Смоленскому колледжу телекоммуникаций представить отчёт о проверке.", "kind": "assign",
                        "deadline": (today + datetime.timedelta(days=30)).isoformat(),
                        "responsible_organizations": college}]},
    ]
    data.update({"items-TOTAL_FORMS": len(items), "items-INITIAL_FORMS": 0})
    for n, item in enumerate(items):
        prefix = f"items-{n}"
        data.update({f"{prefix}-title": item["title"], f"{prefix}-discussion": item["discussion"],
                     f"{prefix}-position": n + 1,
                     f"{prefix}-sp-TOTAL_FORMS": 0, f"{prefix}-sp-INITIAL_FORMS": 0,
                     f"{prefix}-dec-TOTAL_FORMS": len(item["decisions"]), f"{prefix}-dec-INITIAL_FORMS": 0})
        for r, decision in enumerate(item["decisions"]):
            data.update({f"{prefix}-dec-{r}-{k}": v for k, v in {"vote": "none", "position": r + 1, **decision}.items()})
    return data


def journey() -> None:
    today = datetime.date.today()

    status, body = health("nginx")
    check(status == 200 and body["status"] == "ok", f"/healthz through nginx: {status} {body}")
    check(body["checks"]["storage"]["backend"] == "S3Storage", f"media are not on S3: {body['checks']['storage']}")
    check(body["checks"]["database"]["vendor"] == "postgresql", "the database is not PostgreSQL")
    step("/healthz through nginx: 200, database (PostgreSQL), storage (S3), worker up")

    anonymous = Browser("anonymous")
    login_page = anonymous.get("nginx", "/accounts/login/")
    asset = re.search(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', login_page.text).group(1)
    static = requests.get(NODES["nginx"] + asset, timeout=TIMEOUT)
    check(static.status_code == 200 and "immutable" in static.headers.get("Cache-Control", ""),
          f"static {asset} through nginx: {static.status_code} {static.headers.get('Cache-Control')}")
    check("X-Request-ID" not in static.headers, "a static file reached the application instead of nginx")
    rid = login_page.headers.get("X-Request-ID", "")
    check(re.fullmatch(r"[0-9a-f]{32}", rid), f"nginx's request id did not reach the application: {rid!r}")
    step(f"nginx serves {asset} itself (immutable cache), passes its request id {rid[:8]}… to the nodes")

    secretary = Browser("secretary")
    secretary.login("a", "secretary")
    editor = secretary.get("b", "/meetings/new/")
    check(editor.status_code == 200, f"the session made on node A does not work on node B: {editor.status_code}")
    step("secretary logs in on node A, her session opens the editor on node B")

    created = secretary.post("nginx", "/meetings/new/", new_protocol_data(editor.text, today))
    check(created.status_code == 302, f"new protocol not saved: {created.status_code} "
                                      f"{re.findall(r'invalid-feedback[^>]*>([^<]+)', created.text)[:5]}")
    meeting_id = int(re.search(r"/meetings/(\d+)/", created.headers["Location"]).group(1))
    page = secretary.get("a", f"/meetings/{meeting_id}/")
    check(page.status_code == 200 and "представить отчёт о проверке" in page.text, "the saved protocol is not shown on node A")
    step(f"secretary saves protocol {meeting_id} through nginx, node A shows it")

    kill_group("worker")
    submitted = secretary.post("b", f"/meetings/{meeting_id}/submit/")
    check(submitted.status_code == 302, f"submit: {submitted.status_code}")
    time.sleep(1)
    check(mail_about("на утверждение", f"/meetings/{meeting_id}/") is None,
          "the approval e-mail was sent without a worker (inside the request?)")
    step("worker killed (SIGKILL); secretary submits on node B: the e-mail to the chair waits in the queue")

    def worker_reported_down():
        status, body = health("nginx")
        return (status, body) if status == 503 and not body["checks"]["worker"]["ok"] else None

    status, body = wait_until(worker_reported_down, STALE + 15, "/healthz to report the dead worker")
    check(body["checks"]["database"]["ok"] and body["checks"]["storage"]["ok"] and body["checks"]["worker"]["queued"] >= 1,
          f"/healthz with the worker down: {body}")
    step(f"/healthz through nginx: 503 once the worker is silent > {STALE} s (database and storage still ok, "
         f"{body['checks']['worker']['queued']} job queued)")

    subprocess.run(["bash", str(WORK / "start_worker.sh")], check=True)
    message = wait_until(lambda: mail_about("на утверждение", f"/meetings/{meeting_id}/"), 60, "the approval e-mail")
    check(str(message["To"]).startswith("chair@"), f"the approval e-mail went to {message['To']}, not the chair")
    wait_until(lambda: health("nginx")[0] == 200, 30, "/healthz to be 200 again")
    step(f"worker restarted: the queued e-mail arrives ({message['Subject']!s} → {message['To']}), /healthz 200")

    chair = Browser("chair")
    chair.login("b", "chair")
    approved = chair.post("a", f"/meetings/{meeting_id}/approve/")
    check(approved.status_code == 302, f"approve: {approved.status_code}")
    page = chair.get("nginx", f"/meetings/{meeting_id}/")
    check(page.status_code == 200 and "Утвержд" in page.text, "the protocol is not shown as approved")
    step("chair logs in on node B, approves on node A, nginx shows the protocol approved")

    result = sign(chair, meeting_id, "chair.p12", prepare_on="a", finish_on="b")
    check(result["complete"] is False, f"after the chair's signature: {result}")
    step("chair signs: prepared on node A, the signature value finished on node B (prepared state is shared)")

    kill_group("node_a")
    try:
        requests.get(NODES["a"] + "/readyz", timeout=5)
        raise SmokeFailure("node A still answers after SIGKILL")
    except requests.ConnectionError:
        pass
    step("node A killed (SIGKILL, mid-journey)")

    result = sign(secretary, meeting_id, "secretary.p12", prepare_on="nginx", finish_on="nginx")
    check(result["complete"] is True, f"after the secretary's signature: {result}")
    status, body = health("nginx")
    check(status == 200, f"/healthz through nginx with node A down: {status} {body}")
    step("secretary (session from node A) signs through nginx on the remaining node: the protocol is signed")

    pdf = secretary.get("nginx", f"/meetings/{meeting_id}/pdf/")
    check(pdf.status_code == 200 and pdf.content.startswith(b"%PDF"), f"signed PDF download: {pdf.status_code}")
    check(hashlib.sha256(pdf.content).hexdigest() == result["sha256"], "the downloaded PDF is not the one signed")
    stored = [k for k in bucket_keys() if k.endswith(".pdf") and bucket_object(k) == pdf.content]
    check(stored, "the signed PDF is not in the S3 bucket")
    step(f"signed PDF downloaded through nginx ({len(pdf.content) // 1024} KB), the same file is in the bucket: {stored[0]}")

    verifier = Browser("public")
    verifier.get("nginx", "/verify/")
    verdict = verifier.post("nginx", "/verify/", files={"file": ("protocol.pdf", pdf.content, "application/pdf")})
    check(verdict.status_code == 200 and verdict.text.count("Подпись действительна") == 2,
          f"/verify/ does not find two valid signatures: {verdict.status_code}")
    step("/verify/ (no login) through nginx: both signatures valid")

    member = Browser("member")
    member.login("nginx", "member")
    tasks = member.get("b", f"/tasks/?meeting={meeting_id}")
    check(tasks.status_code == 200, f"task list: {tasks.status_code}")
    assignment_ids = sorted(set(int(x) for x in re.findall(r'href="/tasks/(\d+)/"', tasks.text)))
    check(assignment_ids, "the member sees no assignment of the new protocol")
    assignment = assignment_ids[0]
    detail = member.get("nginx", f"/tasks/{assignment}/")
    check(detail.status_code == 200 and "представить отчёт о проверке" in detail.text, "the assignment page")
    before = set(bucket_keys())
    content = f"Отчёт о проверке развёртывания, {datetime.datetime.now().isoformat()}\n".encode() * 50
    reported = member.post("nginx", f"/tasks/{assignment}/report/", {"text": "Проверка выполнена."},
                           files={"files": ("smoke-report.pdf", b"%PDF-1.4\n" + content, "application/pdf")})
    check(reported.status_code == 302, f"report upload: {reported.status_code} "
                                       f"{re.findall(r'invalid-feedback[^>]*>([^<]+)', reported.text)[:3]}")
    new_keys = sorted(set(bucket_keys()) - before)
    check(len(new_keys) == 1 and "smoke-report" in new_keys[0], f"report file not in the bucket: {new_keys}")
    check(not local_media_files(), f"files written to the local MEDIA_ROOT: {local_media_files()[:3]}")
    step(f"member uploads a report file through nginx: it lands in the bucket ({new_keys[0]}), nothing on local disk")

    detail = member.get("nginx", f"/tasks/{assignment}/")
    link = re.search(rf'href="(/tasks/{assignment}/files/\d+/)"', detail.text)
    check(link, "no link to the report file")
    download = member.get("b", link.group(1))
    check(download.status_code == 200 and download.content == b"%PDF-1.4\n" + content, "report file download differs")
    outsider = Browser("outsider")
    outsider.login("nginx", "outsider")
    check(outsider.get("nginx", link.group(1)).status_code in (403, 404), "an outsider can download the report file")
    step("the report file is read back through the access-checked view (same bytes); an outsider is refused")

    rid = "smoke" + hashlib.sha256(str(time.time()).encode()).hexdigest()[:20]
    answer = requests.get(NODES["b"] + "/readyz", headers={"X-Request-ID": rid}, timeout=TIMEOUT)
    check(answer.headers.get("X-Request-ID") == rid, "the node does not honour X-Request-ID")
    log = (WORK / "logs" / "node_b.log").read_text(errors="replace")
    lines = [json.loads(line) for line in log.splitlines() if rid in line and line.startswith("{")]
    check(lines and lines[-1].get("status") == 200 and "duration_ms" in json.dumps(lines[-1]),
          f"no JSON request line with the request id: {lines}")
    step("node B logs one JSON line per request with the request id, status and duration")


def main() -> int:
    started = time.monotonic()
    try:
        journey()
    except (SmokeFailure, requests.RequestException, KeyError, ValueError, AttributeError) as error:
        print(f"smoke: journey FAILED at step {STEPS + 1}: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    print(f"smoke: journey OK, {STEPS} steps, {time.monotonic() - started:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
