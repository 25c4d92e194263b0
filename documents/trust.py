"""Which certificate authorities the portal trusts: settings.SIGNING_TRUST_ROOTS, plus the
demo CA made by ``load_demo`` when DEMO_MODE is on. Used both when a protocol is signed
(a certificate that does not chain to a root is refused before anything is stored) and when
an uploaded PDF is verified."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from asn1crypto import pem, x509
from django.conf import settings
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError, ValidationError

from documents.pki import DEMO_CA_FILE, DEMO_PREVIOUS_CA_PREFIX
from documents.signing import outside_event_loop

logger = logging.getLogger(__name__)


def _load_certificate(path: Path) -> x509.Certificate:
    data = path.read_bytes()
    if pem.detect(data):
        _, _, data = pem.unarmor(data)
    return x509.Certificate.load(data)


def trust_roots() -> list[x509.Certificate]:
    paths = [Path(p) for p in settings.SIGNING_TRUST_ROOTS]
    demo_dir = Path(settings.DEMO_PKI_DIR)
    if settings.DEMO_MODE and (demo_dir / DEMO_CA_FILE).exists():
        paths.append(demo_dir / DEMO_CA_FILE)
    if settings.DEMO_MODE and demo_dir.is_dir():
        paths.extend(sorted(demo_dir.glob(f"{DEMO_PREVIOUS_CA_PREFIX}*.pem")))
    roots = []
    for path in paths:
        try:
            roots.append(_load_certificate(path))
        except (OSError, ValueError):
            logger.error("Trust root %s cannot be read", path)
    return roots


def chain_is_trusted(certificate: x509.Certificate, intermediates=()) -> bool:
    """True when ``certificate`` chains to a trust root, every certificate of the path is within
    its validity, and the key may sign (digital signature or non-repudiation usage)."""
    context = ValidationContext(trust_roots=trust_roots(), allow_fetching=False)
    validator = CertificateValidator(certificate, intermediate_certs=list(intermediates), validation_context=context)
    for usage in ({"digital_signature"}, {"non_repudiation"}):
        try:
            outside_event_loop(asyncio.run, validator.async_validate_usage(usage))
            return True
        except (PathBuildingError, PathValidationError):
            return False
        except ValidationError:
            continue  # the key usage does not match: try the other one
    return False
