"""PDF of a plan: landscape A4, the table as printed, rendered by WeasyPrint with the fonts the project ships."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from plans import selectors
from plans.exports import approval_line
from plans.models import WorkPlan

FONT_DIR = settings.BASE_DIR / "static" / "fonts"


def font_faces() -> str:
    faces = []
    for file, weight, style in (
        ("LiberationSerif-Regular.ttf", 400, "normal"),
        ("LiberationSerif-Bold.ttf", 700, "normal"),
        ("LiberationSerif-Italic.ttf", 400, "italic"),
        ("LiberationSerif-BoldItalic.ttf", 700, "italic"),
    ):
        uri = (FONT_DIR / file).as_uri()
        faces.append(
            f'@font-face {{ font-family: "Plan Serif"; src: url("{uri}"); font-weight: {weight}; font-style: {style}; }}'
        )
    return "\n".join(faces)


def render_plan_html(plan: WorkPlan) -> str:
    with translation.override("ru"):
        return render_to_string(
            "plans/workplan_pdf.html",
            {
                "plan": plan,
                "font_faces": font_faces(),
                "approval": approval_line(plan),
                "table": selectors.plan_table(plan, selectors.plan_items(plan)),
            },
        )


def render_plan_pdf(plan: WorkPlan) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_plan_html(plan), base_url=str(settings.BASE_DIR)).write_pdf()
