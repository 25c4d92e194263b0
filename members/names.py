"""Names as people type them: «ООО "Ромашка"», «ООО «Ромашка»» and «ооо  ромашка» are one name.

Used to ask before a second organisation, person, body or cluster of the same name is added.
"""

import re

_QUOTES = re.compile(r"[\"'«»„“”‘’‚‹›`]")
_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Case-folded, quotes dropped, «ё» as «е», runs of spaces (and spaces around dashes) as one."""
    text = _QUOTES.sub(" ", text or "").casefold().replace("ё", "е")
    text = _SPACES.sub(" ", text).strip()
    return re.sub(r" ?([-–—]) ?", r"\1", text)


def same_name_part(a: str, b: str) -> bool:
    """A first name or patronymic: empty matches anything, an initial matches the full name."""
    a, b = normalize(a).rstrip("."), normalize(b).rstrip(".")
    if not a or not b:
        return True
    return a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))
