"""The coordinator's rows of every app's permission table (issue 17).

The demo ``ministry`` login coordinates both demo clusters. It must read exactly what a member reads — in
the ICT cluster what the demo ``member`` reads, in the other cluster what the ``outsider`` (a member there)
reads — and write nothing: no draft, no editing page, no workflow step. Rights that come from being a
person (the responsible party of an assignment, a printed signer) are not a member's in general: the
``overrides`` of each table name them, with the status the coordinator gets instead.
"""

from __future__ import annotations

import dataclasses

from core.testing import REFUSED

COORDINATOR = "ministry"
# Rows about the other demo cluster (its protocol, its people, its assignment) are named so in every table.
FOREIGN_MARKS = ("other_cluster", "{foreign", "foreign_")


def coordinator_table(table, *, overrides=None, allowed_posts=()) -> list:
    """``table`` with one expected status each: the coordinator's. POSTs must all be refused, but for the
    rows of ``allowed_posts`` (a user's own settings, such as a new calendar link)."""
    overrides = overrides or {}
    rows = []
    for row in table:
        key = (row.name, row.method)
        if key in overrides:
            status = overrides[key]
        else:
            basis = "outsider" if any(mark in row.name for mark in FOREIGN_MARKS) else "member"
            if basis not in row.expected:
                continue
            status = row.expected[basis]
        if row.method == "post" and key not in allowed_posts:
            assert status in REFUSED, f"{row.name}: a coordinator never writes, yet the table expects {status}"
        rows.append(dataclasses.replace(row, expected={COORDINATOR: status}))
    return rows
