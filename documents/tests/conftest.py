"""Helpers for the documents tests: PDF text through poppler, and a throwaway PKI."""

import re
import subprocess

import pytest


def pdf_text(data: bytes, *, first: int | None = None, last: int | None = None, raw: bool = False) -> str:
    args = ["pdftotext", "-enc", "UTF-8"] + (["-raw"] if raw else [])
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    return subprocess.run([*args, "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def squash(text: str) -> str:
    """Letters and digits only: hyphenation and line breaks distort pdftotext's words."""
    return re.sub(r"[\W_]", "", text).lower()


def pdf_fonts(data: bytes, tmp_path) -> list[str]:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout
    return [line.split()[0] for line in out.splitlines()[2:] if line.strip()]


@pytest.fixture
def meeting_2023(demo):
    return demo["meeting_2023"]


@pytest.fixture
def meeting_2017(demo):
    return demo["meeting_2017"]
