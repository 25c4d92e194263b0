"""Roles × URLs × methods → status. Members read approved plans of their clusters; drafts stay with the
secretary and the chair; the secretary (and the administrator) edit; outsiders get 404; anonymous → login."""

import pytest
from django.urls import reverse

from core.testing import Row, cases, check, expect
from plans.models import PlanItem

pytestmark = pytest.mark.django_db


READ_APPROVED = expect(200, 200, 200, 404, 200)
MANAGE_APPROVED = expect(302, 403, 403, 404, 302)
MANAGE_DRAFT = expect(302, 403, 404, 404, 302)
FORM_DRAFT = expect(200, 403, 404, 404, 200)
SECRETARY_ONLY_FORM = expect(200, 403, 403, 403, 200)
SECRETARY_ONLY_POST = expect(302, 403, 403, 403, 302)
READ_DRAFT = expect(200, 200, 404, 404, 200)
EVERYONE = expect(200, 200, 200, 200, 200)

# (url name, which object, method) → expected status per role
TABLE = [
    ("plan-list", None, "get", EVERYONE),
    ("plan-detail", "approved", "get", READ_APPROVED),
    ("plan-detail", "draft", "get", READ_DRAFT),
    ("plan-export-xlsx", "approved", "get", READ_APPROVED),
    ("plan-export-xlsx", "draft", "get", READ_DRAFT),
    ("plan-export-pdf", "approved", "get", READ_APPROVED),
    ("plan-export-pdf", "draft", "get", READ_DRAFT),
    ("plan-create", None, "get", SECRETARY_ONLY_FORM),
    ("plan-create", None, "post", SECRETARY_ONLY_POST),
    ("plan-import", None, "get", SECRETARY_ONLY_FORM),
    ("plan-import", None, "post", SECRETARY_ONLY_POST),
    ("plan-edit", "draft", "get", FORM_DRAFT),
    ("plan-edit", "draft", "post", MANAGE_DRAFT),
    ("plan-edit", "approved", "get", MANAGE_APPROVED),  # locked: the secretary is sent back to the plan
    ("section-create", "draft", "post", MANAGE_DRAFT),
    ("section-edit", "draft_section", "get", FORM_DRAFT),
    ("item-create", "draft_section", "get", FORM_DRAFT),
    ("item-edit", "draft_item", "get", FORM_DRAFT),
    ("item-edit", "draft_item", "post", MANAGE_DRAFT),
    ("item-edit", "approved_item", "post", MANAGE_APPROVED),  # locked: refused with a message
    ("item-up", "draft_item", "post", MANAGE_DRAFT),
    ("item-delete", "draft_item", "post", MANAGE_DRAFT),
    ("section-down", "draft_section", "post", MANAGE_DRAFT),
    ("item-report", "approved_item", "get", expect(200, 200, 403, 404, 200)),  # the chair's department organises 1.1
    ("item-report", "approved_item", "post", expect(302, 302, 403, 404, 302)),
    ("item-report", "working_group_item", "get", expect(200, 403, 403, 404, 200)),
    ("item-report", "draft_item", "get", expect(200, 403, 404, 404, 200)),
    ("plan-approve", "draft", "get", FORM_DRAFT),
    ("plan-approve", "draft", "post", expect(200, 403, 404, 404, 200)),  # no eligible decision: form error
    ("plan-new-version", "approved", "post", MANAGE_APPROVED),
    ("plan-new-version", "approved", "get", expect(405, 403, 403, 404, 405)),
    ("item-delete", "draft_item", "get", expect(405, 403, 404, 404, 405)),
]

ITEM_POST = {
    "title": "Заседание Кластера", "timeframe_kind": "quarters", "year": "2024", "q2": "on", "organizers_text": "Координатор",
}
POST_DATA = {
    "plan-create": lambda demo: {"cluster": demo["cluster"].pk, "title": "План работы", "period": "на 2025 год",
                                 "period_start": "2025-01-01", "period_end": "2025-12-31"},
    "plan-edit": lambda demo: {"title": "План работы", "period": "на 2024 год", "period_start": "2024-01-01",
                               "period_end": "2024-12-31"},
    "section-create": lambda demo: {"title": "Новый раздел"},
    "item-report": lambda demo: {"status": "done", "report": "Проведено."},
    "plan-approve": lambda demo: {"decision": "0"},
}


def target(name, which, demo, draft_plan):
    if which is None:
        return reverse(f"plans:{name}")
    objects = {
        "approved": lambda: demo["plan_2023"],
        "draft": lambda: draft_plan,
        "draft_section": lambda: draft_plan.sections.get(),
        "draft_item": lambda: PlanItem.objects.get(section__plan=draft_plan),
        "approved_item": lambda: demo["plan_items_2023"][0],
        "working_group_item": lambda: demo["plan_items_2023"][3],
    }
    obj = objects[which]()
    kind, _dash, action = name.partition("-")
    if action in ("up", "down", "delete"):
        return reverse("plans:structure-action", kwargs={"kind": kind, "pk": obj.pk, "action": action})
    return reverse(f"plans:{name}", args=[obj.pk])


def post_data(name, which, demo, draft_plan):
    if name == "plan-import":
        from django.core.files.uploadedfile import SimpleUploadedFile

        from plans.exports import plan_xlsx

        return {"cluster": demo["cluster"].pk, "file": SimpleUploadedFile("plan.xlsx", plan_xlsx(demo["plan_2023"]))}
    if name == "item-edit":
        section = draft_plan.sections.get() if which == "draft_item" else demo["plan_items_2023"][0].section
        return {**ITEM_POST, "section": section.pk}
    return POST_DATA.get(name, lambda demo: {})(demo)


ROWS = [
    Row(f"{name}-{which}", lambda o, name=name, which=which: target(name, which, *o), method, expected,
        data=lambda o, name=name, which=which: post_data(name, which, *o))
    for name, which, method, expected in TABLE
]


@pytest.mark.parametrize("row, role", cases(ROWS))
def test_permission_table(client_as, demo, draft_plan, row, role):
    check(client_as(role), row, role, (demo, draft_plan))


def test_outsider_gets_404_for_a_missing_plan(client_as):
    assert client_as("outsider").get(reverse("plans:plan-detail", args=[999999])).status_code == 404
