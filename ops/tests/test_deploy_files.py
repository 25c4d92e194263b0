"""The deployment files (deploy/) agree with the settings they mirror: a limit or a setting changed in one
place and not the other fails here, not in production."""

import gc
import re
import runpy
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest
import yaml
from django.conf import settings

DEPLOY = Path(settings.BASE_DIR) / "deploy"
NGINX = (DEPLOY / "nginx" / "cluster-portal.conf").read_text()


def megabytes(value: int) -> int:
    return -(-value // (1024 * 1024))  # rounded up: nginx must let the portal's largest body through


def nginx_limit(location_pattern: str) -> int:
    block = re.search(r"location " + location_pattern + r" \{(.*?)\}", NGINX, re.S)
    assert block, f"no nginx location {location_pattern}"
    return int(re.search(r"client_max_body_size (\d+)m;", block.group(1)).group(1))


def test_the_nginx_body_limits_are_the_portals():
    server_default = int(re.search(r"^    client_max_body_size (\d+)m;", NGINX, re.M).group(1))
    limits = settings.REQUEST_BODY_LIMITS
    assert server_default == megabytes(settings.REQUEST_BODY_DEFAULT_LIMIT)
    assert nginx_limit(r"~ \^/tasks/\[0-9\]\+/report/\$") == megabytes(limits["tasks:report-submit"])
    assert nginx_limit(r"= /meetings/import/") == megabytes(limits["meetings:import"])
    assert nginx_limit(r"/verify/") == megabytes(max(limits["documents:verify"], limits["documents:verify-document"]))
    assert nginx_limit(r"= /plans/import/") == megabytes(limits["plans:plan-import"])


def test_the_nginx_locations_are_the_urls_they_limit():
    from django.urls import reverse

    assert re.fullmatch(r"/tasks/[0-9]+/report/", reverse("tasks:report-submit", args=[7]))
    assert reverse("meetings:import") == "/meetings/import/"
    assert reverse("plans:plan-import") == "/plans/import/"
    assert reverse("documents:verify") == "/verify/"
    assert settings.STATIC_URL == "/static/" and "location /static/" in NGINX


def test_nginx_sends_the_headers_the_portal_trusts():
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in NGINX  # SECURE_PROXY_SSL_HEADER's default
    assert "proxy_set_header X-Request-ID $request_id;" in NGINX
    assert re.search(r"upstream cluster_portal \{[^}]*server [^;]+;[^}]*server [^;]+;", NGINX)
    assert "return 301 https://" in NGINX and "listen 443 ssl" in NGINX


def test_the_env_example_lists_every_setting():
    source = (Path(settings.BASE_DIR) / "cluster_portal" / "settings.py").read_text()
    read = set(re.findall(r'env_(?:str|bool|int|list)\("([A-Z0-9_]+)"', source))
    example = (DEPLOY / "cluster-portal.env.example").read_text()
    listed = set(re.findall(r"^#?([A-Z][A-Z0-9_]+)=", example, re.M))
    assert read - listed == set()
    gunicorn = set(re.findall(r'"(GUNICORN_[A-Z_]+)"', (DEPLOY / "gunicorn.conf.py").read_text()))
    assert gunicorn - listed == set()


def test_gunicorn_gives_a_slow_request_more_time_than_the_upload_sandbox(monkeypatch):
    monkeypatch.delenv("GUNICORN_TIMEOUT", raising=False)
    monkeypatch.setenv("LOG_JSON", "1")
    config = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert config["timeout"] > settings.SANDBOX_WALL_SECONDS
    assert config["workers"] >= 3 and config["accesslog"] is None  # the portal's JSON line replaces it
    proxy_read = int(re.search(r"proxy_read_timeout (\d+)s;", NGINX).group(1))
    assert proxy_read > config["timeout"]


def test_the_compose_file_runs_two_nodes_the_worker_and_the_upstream_addresses():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert {"postgres", "minio", "web1", "web2", "worker", "nginx"} <= set(services)
    addresses = {services[name]["networks"]["portal"]["ipv4_address"] for name in ("web1", "web2")}
    assert all(f"server {address}:8000" in NGINX for address in addresses)
    assert services["worker"]["command"][:3] == ["python", "manage.py", "run_worker"]


def test_the_worker_unit_restarts_always():
    unit = (DEPLOY / "systemd" / "cluster-portal-worker.service").read_text()
    assert "Restart=always" in unit and "manage.py run_worker" in unit
    assert "gunicorn -c deploy/gunicorn.conf.py" in (DEPLOY / "systemd" / "cluster-portal.service").read_text()


@pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed (apt-get install nginx)")
def test_the_smoke_variant_of_the_nginx_site_is_valid(tmp_path):
    conf = subprocess.run(
        [sys.executable, str(DEPLOY / "nginx_for_smoke.py"), "--prefix", str(tmp_path), "--port", "18080",
         "--node", "127.0.0.1:18001", "--node", "127.0.0.1:18002", "--static-root", str(tmp_path / "static")],
        check=True, capture_output=True, text=True).stdout
    assert "ssl" not in conf.split("http {", 1)[1] and "listen 127.0.0.1:18080;" in conf
    (tmp_path / "nginx.conf").write_text(conf)
    result = subprocess.run(["nginx", "-t", "-q", "-e", str(tmp_path / "error.log"), "-p", str(tmp_path),
                             "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("brotli", [True, False])
def test_static_brotli_decides_whether_collectstatic_writes_brotli_copies(settings, brotli):
    from whitenoise.compress import brotli_installed

    from cluster_portal.staticfiles import PortalStaticFilesStorage

    settings.STATIC_BROTLI = brotli
    compressor = PortalStaticFilesStorage().create_compressor(extensions=[], quiet=True)
    assert compressor.use_brotli is (brotli and brotli_installed) and compressor.use_gzip


def test_a_static_files_url_is_looked_up_in_the_manifest_once_per_process(tmp_path):
    import json

    from cluster_portal.staticfiles import PortalStaticFilesStorage

    (tmp_path / "staticfiles.json").write_text(json.dumps(
        {"paths": {"css/portal.css": "css/portal.1a2b3c.css"}, "version": "1.1", "hash": "0"}))
    storage = PortalStaticFilesStorage(location=str(tmp_path), base_url="/static/")
    assert storage.url("css/portal.css") == "/static/css/portal.1a2b3c.css"

    storage.hashed_files = {"css/portal.css": "css/portal.9z9z9z.css"}  # the manifest is not read again
    assert storage.url("css/portal.css") == "/static/css/portal.1a2b3c.css"
    assert storage.url("css/portal.css", force=True) == "/static/css/portal.9z9z9z.css"  # collectstatic's own
    for _ in range(2):  # a file missing from the manifest is refused every time, never remembered
        with pytest.raises(ValueError):
            storage.url("css/missing.css")


@pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed (apt-get install nginx)")
def test_the_production_nginx_site_is_valid_once_given_a_certificate(tmp_path):
    """The TLS site as shipped (port 80 redirect, 443 with http2), its certificate placeholders replaced."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "portal.example.gov")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
            .sign(key, hashes.SHA256()))
    (tmp_path / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                         serialization.NoEncryption()))
    site = re.sub(r"ssl_certificate\s+\S+;", f"ssl_certificate {tmp_path}/cert.pem;", NGINX)
    site = re.sub(r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {tmp_path}/key.pem;", site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log; events {{}}\n"
        f"http {{ include /etc/nginx/mime.types; access_log off; {site} }}\n")
    result = subprocess.run(["nginx", "-t", "-q", "-e", str(tmp_path / "error.log"), "-p", str(tmp_path),
                             "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_gunicorn_freezes_a_workers_objects_out_of_the_collector_at_start_and_after_its_first_requests(monkeypatch):
    monkeypatch.setenv("GUNICORN_GC_FREEZE_AFTER", "3")
    config = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    worker = types.SimpleNamespace(nr=0)  # gunicorn counts a worker's requests before post_request

    def request():
        worker.nr += 1
        config["post_request"](worker, None, {}, None)
    try:
        gc.unfreeze()
        kept = [object() for _ in range(10)], {"a": [1]}  # long-lived objects the collector tracks
        config["post_worker_init"](worker)
        frozen_at_start = gc.get_freeze_count()
        assert frozen_at_start > 0

        made_later = [[n] for n in range(50)]  # a cache filled by the first requests
        for _ in range(2):
            request()
        assert gc.get_freeze_count() == frozen_at_start  # not yet
        request()
        assert gc.get_freeze_count() >= frozen_at_start + len(made_later)
        frozen = gc.get_freeze_count()
        request()
        assert gc.get_freeze_count() == frozen  # only once
        assert kept and made_later
    finally:
        gc.unfreeze()
