"""Sections that the apps above the register add to its organisation and person pages.

An organisation's page shows its open assignments and the plan items it organises; a
person's page the meetings they attended and their assignments. Those rows belong to
meetings, tasks and plans, which the register must not import (imports go downward
only: core ← members ← meetings ← plans, documents, tasks). So each of those apps
registers a function here in its ``AppConfig.ready()``, and the register's views merge
what the functions return into the template context.
"""

from collections.abc import Callable

ORGANIZATION_SECTIONS: dict[str, Callable] = {}
PERSON_SECTIONS: dict[str, Callable] = {}


def organization_section(name: str, rows: Callable) -> None:
    """``rows(user, organization)`` → the list shown under ``name`` on the organisation page."""
    ORGANIZATION_SECTIONS[name] = rows


def person_section(name: str, rows: Callable) -> None:
    """``rows(user, person)`` → the list shown under ``name`` on the person page."""
    PERSON_SECTIONS[name] = rows


def organization_sections(user, organization) -> dict:
    return {name: rows(user, organization) for name, rows in ORGANIZATION_SECTIONS.items()}


def person_sections(user, person) -> dict:
    return {name: rows(user, person) for name, rows in PERSON_SECTIONS.items()}
