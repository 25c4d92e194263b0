"""The browser's signers (static/js/signing.js) under Node's test runner: CryptoProSigner against a stand-in of
the CryptoPro plug-in's cadesplugin API, Pkcs12Signer with the vendored PKI.js bundle and WebCrypto on a demo
PKCS#12. Skipped where Node is missing (CI installs Debian's nodejs)."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from documents.pki import issue_pkcs12, make_authority

TESTS = Path(settings.BASE_DIR) / "documents" / "js" / "tests"


def test_signing_js_under_node(tmp_path):
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI"):
            pytest.fail("node is missing: .ci/run installs Debian's nodejs")
        pytest.skip("node is not installed")
    version = subprocess.run([node, "--version"], capture_output=True, text=True, check=True).stdout.strip()
    if int(version.lstrip("v").split(".")[0]) < 18:
        pytest.skip(f"node {version} has no test runner or WebCrypto global (18+ needed)")
    p12 = tmp_path / "churanov.p12"
    p12.write_bytes(issue_pkcs12(make_authority(), "Чуранов Василий Сергеевич", "demo12345"))
    result = subprocess.run([node, "--test", str(TESTS)], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "P12_PATH": str(p12), "P12_PASSWORD": "demo12345"})
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout and "# skipped 0" in result.stdout
