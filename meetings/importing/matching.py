"""A parsed protocol's names → the cluster's register: people, organisations, bodies, categories.

Pure (no database): ``Register`` is plain data the service loads in a fixed number of queries.
Russian names come declined («Кудрявцевой», «Департаменту цифрового развития»): words are compared
by their stems; an initial matches a full name. What matches nothing becomes a suggestion (a new
organisation or person for the register) and a flag for review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from members.names import normalize
from meetings.importing import parse

# Categories of addressees («руководителям образовательных организаций высшего образования …») → OrganizationKind.
CATEGORY_START = re.compile(r"^(?:всем\s+)?(?:руководител|образовательн|организаци|учреждени|работодател|"
                            r"предприяти|органам|профессиональн|вузам|колледж)\w*", re.I)
CATEGORY_KINDS = [
    (re.compile(r"высшего\s+образования|\bвуз", re.I), "edu_higher"),
    (re.compile(r"профессиональных\s+образовательных|среднего\s+профессионального|колледж", re.I), "edu_vocational"),
    (re.compile(r"дополнительного\s+профессионального", re.I), "edu_additional"),
    (re.compile(r"общеобразовательн|общего\s+образования", re.I), "edu_general"),
    (re.compile(r"работодател|предприяти", re.I), "employer"),
    (re.compile(r"органам\s+(?:исполнительной\s+|государственной\s+)?власти", re.I), "government"),
]
EDUCATIONAL = ["edu_higher", "edu_vocational", "edu_additional", "edu_general"]
ROLE_START = re.compile(r"^(?P<role>секретар|председател)\w*\b", re.I)
BODY_MEMBERS_START = re.compile(r"^(?:участникам|членам)\b", re.I)


@dataclass
class Register:
    organizations: list  # (id, label, [names])
    people: list  # (id, label, last_name, first_name, patronymic)
    bodies: list  # (id, label, [names])
    officers: dict = field(default_factory=dict)  # "chair" / "secretary" → (id, label) of the meeting's body


@dataclass
class Parties:
    organizations: list = field(default_factory=list)  # [(id, label)]
    people: list = field(default_factory=list)
    bodies: list = field(default_factory=list)
    kinds: list = field(default_factory=list)
    text: str = ""  # responsible as written («участники Координационного совета»)
    suggestions: list = field(default_factory=list)  # names not in the register
    sure: bool = True

    @property
    def empty(self) -> bool:
        return not (self.organizations or self.people or self.bodies or self.kinds)


# ---------------------------------------------------------------- words


def _words(text: str) -> list[str]:
    return re.findall(r"[0-9a-zа-яё]+", normalize(text))


def _same_word(a: str, b: str) -> bool:
    """One word in two cases: «департаменту» ~ «департамент», «смоленской» ~ «смоленская»; abbreviations exactly."""
    if a == b:
        return True
    if len(a) < 4 or len(b) < 4 or a.isdigit() or b.isdigit():
        return False
    stem = max(3, min(len(a), len(b)) - 2)
    return a[:stem] == b[:stem] and abs(len(a) - len(b)) <= 3


def _find(name_words: list[str], text_words: list[str], start: int = 0) -> int | None:
    """Index in ``text_words`` where ``name_words`` occur in order (stems compared), or None."""
    n = len(name_words)
    for i in range(start, len(text_words) - n + 1):
        if all(_same_word(name_words[k], text_words[i + k]) for k in range(n)):
            return i
    return None


def _same_name_part(written: str, stored: str) -> bool:
    written, stored = normalize(written).rstrip("."), normalize(stored).rstrip(".")
    if not written or not stored:
        return True
    if len(written) == 1 or len(stored) == 1:
        return written[0] == stored[0]
    return _same_word(written, stored)


def _same_surname(written: str, stored: str) -> bool:
    """«Рудометкина» / «Рудометкину» ~ «Рудометкин», «Кудрявцевой» ~ «Кудрявцева», «Старко» = «Старко»."""
    written, stored = normalize(written), normalize(stored)
    if written == stored:
        return True
    stem = stored[:-1] if stored[-1:] in "аяйь" else stored
    return len(stem) >= 3 and written.startswith(stem) and len(written) - len(stem) <= 3


def match_person(name: dict | parse.Person | None, register: Register) -> tuple[list, str]:
    """([(id, label)] of the register's people this name may be, the name as written)."""
    if name is None:
        return [], ""
    if isinstance(name, parse.Person):
        name = {"last_name": name.last_name, "first_name": name.first_name, "patronymic": name.patronymic}
    found = [(pid, label) for pid, label, last, first, patronymic in register.people
             if _same_surname(name["last_name"], last) and _same_name_part(name["first_name"], first)
             and _same_name_part(name["patronymic"], patronymic)]
    written = " ".join(p for p in (name["last_name"], name["first_name"], name["patronymic"]) if p)
    return found, written


# ---------------------------------------------------------------- organisations and bodies


def _index(entries):
    """{first word's first 3 letters: [(id, label, words)]}, longest names first."""
    index: dict[str, list] = {}
    for entry_id, label, names in entries:
        for name in names:
            words = _words(name)
            if words:
                index.setdefault(words[0][:3], []).append((entry_id, label, words))
    for candidates in index.values():
        candidates.sort(key=lambda c: -len(c[2]))
    return index


class Matcher:
    def __init__(self, register: Register):
        self.register = register
        self.org_index = _index(register.organizations)
        self.body_index = _index(register.bodies)

    def _spans(self, index, text_words, taken):
        found = []
        for i, word in enumerate(text_words):
            for entry_id, label, words in index.get(word[:3], ()):
                if any(t in taken for t in range(i, i + len(words))):
                    continue
                if _find(words, text_words, i) == i:
                    taken.update(range(i, i + len(words)))
                    if (entry_id, label) not in found:
                        found.append((entry_id, label))
                    break
        return found

    def organizations_and_bodies(self, text: str) -> tuple[list, list, set, list]:
        text_words = _words(text)
        taken: set[int] = set()
        bodies = self._spans(self.body_index, text_words, taken)
        organizations = self._spans(self.org_index, text_words, taken)
        return organizations, bodies, taken, text_words

    # -------------------------------------------------------- a decision's parties

    def addressee(self, text: str) -> Parties:
        """«ОГБПОУ СмолАПО», «Участникам Координационного совета», «Секретарю координационного совета …»,
        «руководителям образовательных организаций высшего образования, …», «Иванову И.И.»."""
        parties = Parties()
        text = text.strip(" ,.;:")
        if not text:
            return parties
        if m := ROLE_START.match(text):
            officer = self.register.officers.get("secretary" if m["role"].lower().startswith("секретар") else "chair")
            if officer:
                parties.people.append(officer)
            else:
                parties.sure = False
            parties.text = nominative(text)
            return parties
        organizations, bodies, taken, words = self.organizations_and_bodies(text)
        if BODY_MEMBERS_START.match(text) and bodies:
            parties.bodies = bodies
            parties.text = nominative(text)
            return parties
        if CATEGORY_START.match(text) and not organizations:
            kinds = [kind for pattern, kind in CATEGORY_KINDS if pattern.search(text)]
            if not kinds and re.search(r"образовательн", text, re.I):
                kinds = list(EDUCATIONAL)
            if kinds:
                parties.kinds = kinds
                parties.text = nominative(text)
                return parties
        parties.organizations, parties.bodies = organizations, bodies
        # People named outside an organisation's brackets: «Иванову И.И.», «(О.М. Зарянкина)» after an organisation
        # is its contact, not a second responsible party.
        outside = re.sub(r"\([^()]*\)", " ", text) if organizations or bodies else text
        for person in _people_in(outside):
            found, written = match_person(person, self.register)
            if len(found) == 1:
                parties.people.append(found[0])
            else:
                parties.suggestions.append(written)
                parties.sure = False
        leftover = [w for i, w in enumerate(words) if i not in taken and len(w) > 2]
        if parties.empty or (not organizations and not bodies and not parties.people and leftover):
            parties.suggestions.append(text)
            parties.text = nominative(text)
            parties.sure = False
        return parties

    def written(self, parts: list[str]) -> Parties:
        """«Ответственный: ОГБПОУ СмолАПО, Иванов И.И.»: each part on its own."""
        total = Parties()
        for part in parts:
            one = self.addressee(part)
            for name in ("organizations", "people", "bodies", "kinds", "suggestions"):
                for value in getattr(one, name):
                    if value not in getattr(total, name):
                        getattr(total, name).append(value)
            total.sure = total.sure and one.sure
            if one.text:
                total.text = f"{total.text}, {part}" if total.text else part
        return total


PERSON_ANYWHERE = re.compile(rf"(?<![А-ЯЁа-яё])(?:{parse.INITIALS}\s?{parse.SURNAME}|{parse.SURNAME}\s{parse.INITIALS})")


def _people_in(text: str) -> list[parse.Person]:
    people = []
    for m in PERSON_ANYWHERE.finditer(text):
        person, _rest = parse.parse_person(m.group())
        if person:
            people.append(person)
    return people


def nominative(text: str) -> str:
    """The first word of a dative addressee in the nominative, lower case: «Участникам …» → «участники …»,
    «Секретарю …» → «секретарь …», «Директору …» → «директор …»."""
    first, sep, rest = text.partition(" ")
    word = first.lower()
    for ending, replacement in (("кам", "ки"), ("гам", "ги"), ("хам", "хи"), ("ям", "и"), ("ам", "ы"), ("рю", "рь"),
                                ("лю", "ль"), ("ору", "ор"), ("ру", "р"), ("ту", "т"), ("ку", "к")):
        if word.endswith(ending) and len(word) > len(ending) + 2:
            word = word[: -len(ending)] + replacement
            break
    if first.isupper() and len(first) > 1:  # an abbreviation stays as written
        word = first
    return f"{word}{sep}{rest}".strip()


def match_decision(decision: dict, matcher: Matcher) -> Parties:
    """Responsible parties of a parsed decision: «Ответственный:» lines first, then its addressee, then
    names in brackets of an assignment addressed to nobody."""
    if decision["responsible_written"]:
        return matcher.written(decision["responsible_written"])
    if decision["addressee"]:
        return matcher.addressee(decision["addressee"])
    parties = Parties()
    if decision["kind"] == "assign" and decision["bracket_names"]:
        for name in decision["bracket_names"]:
            person, _rest = parse.parse_person(name)
            found, written = match_person(person, matcher.register)
            if len(found) == 1:
                parties.people.append(found[0])
            else:
                parties.suggestions.append(written)
                parties.sure = False
    return parties
