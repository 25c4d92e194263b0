"""Long texts as the secretary typed them («Слушали», «Выступили», decisions).

``typed_blocks`` splits a text into paragraphs (separated by a blank line), lines kept inside a
paragraph, and list items («- …», «1) …», «а) …», «2.1. …») each on its own line with the marker
as typed. The ``typed_text`` template filter (``core.templatetags.portal``) lays the blocks out
for the protocol page and the PDF alike. ``close_sentence`` ends a text with a mark only when it
has none («..», «,.» are never printed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# «- », «– », «— », «• », «1) », «1. », «2.1. », «а) », «a) » at the start of a line.
LIST_MARKER = re.compile(r"^(?:[-–—•]|\d+(?:\.\d+)*[.)]|[а-яёa-z]\))\s+")
# What may already end a sentence or a list line; a closing quote or bracket is looked through.
FINAL_MARKS = ".!?…;:,"
CLOSERS = "»\")]”"


@dataclass(frozen=True)
class Block:
    kind: str  # "p": a paragraph, "li": a list line (its marker included in ``lines``)
    lines: list[str]


def typed_blocks(text: str) -> list[Block]:
    """Paragraphs and list lines of ``text``, empty lines dropped; a list line is a block of its own."""
    blocks: list[Block] = []
    paragraph: list[str] = []

    def close():
        if paragraph:
            blocks.append(Block("p", paragraph.copy()))
            paragraph.clear()

    for raw in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = " ".join(raw.split())
        if not line:
            close()
        elif LIST_MARKER.match(line):
            close()
            blocks.append(Block("li", [line]))
        else:
            paragraph.append(line)
    close()
    return blocks


def ends_with_mark(text: str) -> bool:
    core = (text or "").rstrip().rstrip(CLOSERS)
    return bool(core) and core[-1] in FINAL_MARKS


def close_sentence(text: str, mark: str = ".") -> str:
    """``text`` ending with ``mark`` unless it already ends with a mark (inside a closing quote too)."""
    text = (text or "").rstrip()
    if not text or ends_with_mark(text):
        return text
    return text + mark
