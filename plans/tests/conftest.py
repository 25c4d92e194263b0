"""Plan fixtures: a draft plan beside the approved 2023 plan, and a plan grown to any size."""

import datetime

import pytest

from plans.models import ItemStatus, PlanItem, PlanSection, PlanStatus, TimeframeKind, WorkPlan


@pytest.fixture
def plan(demo):
    return demo["plan_2023"]


@pytest.fixture
def draft_plan(demo):
    """A draft of the ICT cluster: only its secretary and chair see it."""
    plan = WorkPlan.objects.create(
        cluster=demo["cluster"], title="План работы кластера", period="на 2024 год",
        period_start=datetime.date(2024, 1, 1), period_end=datetime.date(2024, 12, 31),
    )
    section = PlanSection.objects.create(plan=plan, order=1, title="Организационная работа")
    PlanItem.objects.create(section=section, order=1, title="Заседание Кластера", year=2024, q2=True,
                            organizers_text="Координатор")
    return plan


def grow_plan(plan, total_items: int):
    """Add sections and items (with organizers, bodies and linked meetings) until the plan has ``total_items``."""
    from members.models import Organization
    from meetings.models import Meeting

    orgs = list(Organization.objects.all()[:3])
    meeting = Meeting.objects.filter(cluster=plan.cluster).first()
    have = PlanItem.objects.filter(section__plan=plan).count()
    next_section = plan.sections.count() + 1
    section = None
    for n in range(have, total_items):
        if section is None or n % 20 == 0:
            section = PlanSection.objects.create(plan=plan, order=next_section, title=f"Раздел {next_section}")
            next_section += 1
            order = 0
        order += 1
        item = PlanItem.objects.create(
            section=section, order=order, title=f"Мероприятие {n}", year=2023,
            timeframe_kind=TimeframeKind.QUARTERS if n % 2 else TimeframeKind.YEAR, q2=bool(n % 2),
            organizers_text="Рабочая группа", status=ItemStatus.DONE if n % 3 == 0 else ItemStatus.PLANNED,
            report="Выполнено." if n % 3 == 0 else "",
        )
        item.organizers.set(orgs)
        if meeting:
            item.meetings.add(meeting)
    assert PlanItem.objects.filter(section__plan=plan).count() == total_items
    return plan


@pytest.fixture
def grow():
    return grow_plan


@pytest.fixture
def approved_status():
    return PlanStatus.APPROVED
