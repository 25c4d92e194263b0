"""Generated data at scale, through the project's models: many clusters over many years.

``generate(clusters=50, years=10)`` builds, per cluster: 60 organisations of every kind (a few of
them branches), their memberships (most founding, some joining later, a few leaving or only
invited), 3 people per organisation, a coordination council with chair (one change of chair
half-way), deputy chair, secretary and ~22 members, 21 meetings a year with attendance, 3 agenda
items, speakers and ~10 decisions each, ~2 assignments per decision of a published protocol with
reports and deadline extensions, and a yearly work plan of 40 items in 5 sections approved by the
first meeting of its year. At 50×10 that is ~10.5k meetings, ~105k decisions, ~200k assignments.

Deterministic: the same ``seed`` and ``today`` give the same data. Years end with ``today``'s year,
so deadlines spread over the past (some assignments are overdue) and a few meetings lie ahead.

Run it after ``load_demo``: the demo logins ``secretary``, ``chair`` and ``member`` get their roles
in the first generated cluster (``BIG_CLUSTER_SHORT_NAME``) the way real roles are derived
(``members/access.py``): the demo secretary and chair hold the council's secretary and chair seats,
the demo member's college is a member organisation (its assignments are his) and he sits on the
council as a member.

Rows are written with ``bulk_create``: no ``save()``, no signals and no simple_history records (the
history tables stay empty for generated rows, so a protocol page's change history is shorter than
in real life). What ``save()`` would derive is set here: ``Meeting.year``, ``PlanItem.due_date``.
Generated signed protocols have no stored PDF (``ProtocolDocument``): only the demo protocol has one.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

# Models that the lead is moving between apps (with their choices): keep them in this one block.
from tasks.models import AssignmentReport, DeadlineExtension, ExtensionStatus, ReportStatus

from meetings.models import (
    AgendaItem,
    Assignment,
    AssignmentStatus,
    Attendance,
    AttendanceMode,
    Decision,
    DecisionKind,
    Meeting,
    MeetingFormat,
    MeetingKind,
    MeetingStatus,
    Speaker,
    Vote,
)
from members.models import (
    Body,
    BodyKind,
    BodyMembership,
    BodyRole,
    Cluster,
    Membership,
    MembershipStatus,
    Organization,
    OrganizationKind,
    Person,
)
from plans.models import ItemStatus, PlanItem, PlanSection, PlanStatus, TimeframeKind, WorkPlan

MARKER = "[generate_scale]"  # starts every generated cluster's description
BIG_CLUSTER_SHORT_NAME = "Кластер-01 (демо-роли)"
BATCH_SIZE = 2000

MEETINGS_PER_YEAR = 21
PLAN_SECTIONS = 5
PLAN_ITEMS_PER_SECTION = 8
COUNCIL_MEMBERS = 22
# Organisations per cluster by kind (60 in all); BRANCHES of them belong to a head organisation.
KINDS = [
    (OrganizationKind.GOVERNMENT, 5),
    (OrganizationKind.NONPROFIT, 5),
    (OrganizationKind.EMPLOYER, 25),
    (OrganizationKind.EDU_HIGHER, 4),
    (OrganizationKind.EDU_VOCATIONAL, 12),
    (OrganizationKind.EDU_ADDITIONAL, 4),
    (OrganizationKind.EDU_GENERAL, 5),
]
DECISION_KINDS = [
    (DecisionKind.ASSIGN, 50), (DecisionKind.RECOMMEND, 25), (DecisionKind.NOTE, 12),
    (DecisionKind.APPROVE, 5), (DecisionKind.ADOPT, 3), (DecisionKind.OTHER, 5),
]
WITH_PARTIES = {DecisionKind.ASSIGN, DecisionKind.RECOMMEND, DecisionKind.OTHER}
PARTIES = [(1, 22), (2, 30), (3, 26), (4, 13), (5, 9)]  # responsible organisations per decision


class ScaleError(Exception):
    """The generator cannot run on this database; ``str(error)`` says why."""


# ---------------------------------------------------------------- vocabulary

REGIONS = [
    # (region, genitive, city, adjective for «… колледж»)
    ("Тульская область", "Тульской области", "Тула", "Тульский"),
    ("Калужская область", "Калужской области", "Калуга", "Калужский"),
    ("Брянская область", "Брянской области", "Брянск", "Брянский"),
    ("Орловская область", "Орловской области", "Орёл", "Орловский"),
    ("Курская область", "Курской области", "Курск", "Курский"),
    ("Тверская область", "Тверской области", "Тверь", "Тверской"),
    ("Рязанская область", "Рязанской области", "Рязань", "Рязанский"),
    ("Владимирская область", "Владимирской области", "Владимир", "Владимирский"),
    ("Ярославская область", "Ярославской области", "Ярославль", "Ярославский"),
    ("Костромская область", "Костромской области", "Кострома", "Костромской"),
    ("Липецкая область", "Липецкой области", "Липецк", "Липецкий"),
    ("Тамбовская область", "Тамбовской области", "Тамбов", "Тамбовский"),
    ("Пензенская область", "Пензенской области", "Пенза", "Пензенский"),
    ("Вологодская область", "Вологодской области", "Вологда", "Вологодский"),
]
INDUSTRIES = [
    "информационно-коммуникационных технологий", "машиностроения", "агропромышленного комплекса",
    "строительства и ЖКХ", "химической промышленности", "транспорта и логистики", "энергетики",
    "лёгкой промышленности", "туризма и гостеприимства", "медицины и фармацевтики",
]
SURNAMES = [
    "Антонов", "Белов", "Васильев", "Воронин", "Гончаров", "Громов", "Денисов", "Егоров", "Жуков", "Зайцев",
    "Ильин", "Калинин", "Ковалёв", "Козлов", "Комаров", "Крылов", "Кузнецов", "Лебедев", "Макаров", "Медведев",
    "Морозов", "Никитин", "Новиков", "Орлов", "Павлов", "Попов", "Романов", "Семёнов", "Смирнов", "Соколов",
    "Степанов", "Тарасов", "Тихонов", "Фёдоров", "Фролов", "Щербаков", "Яковлев", "Соловьёв", "Борисов", "Киселёв",
]
MALE_NAMES = [
    "Александр", "Алексей", "Андрей", "Антон", "Артём", "Борис", "Вадим", "Василий", "Виктор", "Владимир",
    "Дмитрий", "Евгений", "Игорь", "Илья", "Кирилл", "Константин", "Максим", "Михаил", "Николай", "Олег",
    "Павел", "Роман", "Сергей", "Юрий",
]
FEMALE_NAMES = [
    "Анна", "Валентина", "Галина", "Дарья", "Екатерина", "Елена", "Ирина", "Ксения", "Лариса", "Любовь",
    "Марина", "Мария", "Наталья", "Нина", "Ольга", "Светлана", "Татьяна", "Юлия",
]
PATRONYMICS = [  # (male, female)
    ("Александрович", "Александровна"), ("Алексеевич", "Алексеевна"), ("Андреевич", "Андреевна"),
    ("Борисович", "Борисовна"), ("Викторович", "Викторовна"), ("Владимирович", "Владимировна"),
    ("Дмитриевич", "Дмитриевна"), ("Евгеньевич", "Евгеньевна"), ("Игоревич", "Игоревна"),
    ("Михайлович", "Михайловна"), ("Николаевич", "Николаевна"), ("Олегович", "Олеговна"),
    ("Павлович", "Павловна"), ("Петрович", "Петровна"), ("Сергеевич", "Сергеевна"), ("Юрьевич", "Юрьевна"),
]
POSITIONS = {  # the head first, then staff
    OrganizationKind.GOVERNMENT: ["начальник департамента", "заместитель начальника департамента",
                                  "начальник отдела", "консультант отдела"],
    OrganizationKind.NONPROFIT: ["директор", "руководитель проектов", "специалист"],
    OrganizationKind.EMPLOYER: ["генеральный директор", "директор по персоналу", "руководитель отдела разработки",
                                "главный инженер"],
    OrganizationKind.EDU_HIGHER: ["ректор", "проректор по учебной работе", "заведующий кафедрой",
                                  "начальник управления карьеры"],
    OrganizationKind.EDU_VOCATIONAL: ["директор", "заместитель директора по учебно-производственной работе",
                                      "заведующий отделением", "методист"],
    OrganizationKind.EDU_ADDITIONAL: ["директор", "заместитель директора", "методист"],
    OrganizationKind.EDU_GENERAL: ["директор", "заместитель директора по учебно-воспитательной работе",
                                   "учитель информатики"],
}
GOVERNMENT_TOPICS = ["образованию и науке", "цифровому развитию", "экономическому развитию",
                     "промышленности и торговле", "труду и занятости", "сельскому хозяйству", "строительству"]
NONPROFITS = ["АНО «Центр развития кадров {gen}»", "Ассоциация работодателей {gen}", "Союз промышленников {gen}",
              "АНО «Агентство развития {gen}»", "Фонд поддержки предпринимательства {gen}",
              "Торгово-промышленная палата {gen}", "АНО «Центр компетенций {gen}»"]
COMPANY_PARTS = (
    ["Техно", "Про", "Инфо", "Гео", "Агро", "Строй", "Энерго", "Пром", "Смарт", "Альфа", "Вектор", "Спектр",
     "Сигма", "Нео", "Мега", "Транс", "Хим", "Мед", "Эко", "Старт"],
    ["сервис", "систем", "маш", "лайн", "софт", "тех", "пром", "ресурс", "проект", "монтаж", "групп", "ком",
     "лаб", "логистик"],
)
LEGAL_FORMS = [("ООО", 70), ("АО", 20), ("ПАО", 5), ("ЗАО", 5)]
UNIVERSITIES = [("государственный университет", "ГУ"), ("государственный технический университет", "ГТУ"),
                ("государственный аграрный университет", "ГАУ"), ("государственный педагогический университет", "ГПУ"),
                ("государственный медицинский университет", "ГМУ")]
COLLEGES = ["колледж информационных технологий", "политехнический колледж", "строительный колледж",
            "колледж транспорта", "аграрный техникум", "медицинский колледж", "колледж сервиса",
            "машиностроительный техникум", "энергетический колледж", "торгово-экономический колледж",
            "химико-технологический техникум", "педагогический колледж", "колледж связи", "индустриальный техникум"]
DPO = ["ГАУ ДПО «Институт развития образования {gen}»", "ГАУ ДПО «Центр опережающей профессиональной подготовки {gen}»",
       "АНО ДПО «Академия цифровых профессий»", "ЧУ ДПО «Учебный центр «Профи»»", "АНО ДПО «Инженерная школа»"]
SCHOOLS = ["МБОУ «Средняя школа № {n}»", "МБОУ «Лицей № {n}»", "МБОУ «Гимназия № {n}»"]
AGENDA = [
    "О ходе выполнения плана работы кластера на {year} год.",
    "О результатах мониторинга кадровой потребности предприятий кластера.",
    "О проведении регионального чемпионата «Профессионалы» в {year} году.",
    "О целевом обучении студентов в интересах предприятий кластера.",
    "Об организации производственной практики студентов на предприятиях кластера.",
    "О приёме в состав участников кластера новых организаций.",
    "О профориентационных мероприятиях для школьников в {year} году.",
    "О реализации программ дополнительного профессионального образования.",
    "О результатах трудоустройства выпускников {previous} года.",
    "Об участии в федеральном проекте «Профессионалитет».",
    "О модернизации материально-технической базы образовательных организаций.",
    "О создании базовых кафедр на предприятиях кластера.",
    "О стажировках преподавателей на предприятиях кластера.",
]
ACTIONS = [
    "подготовить предложения по актуализации образовательных программ",
    "представить отчёт о трудоустройстве выпускников",
    "организовать производственную практику студентов",
    "провести профориентационные мероприятия для школьников",
    "направить представителей для участия в чемпионате «Профессионалы»",
    "разработать программу повышения квалификации преподавателей",
    "сформировать заявку на целевое обучение",
    "обеспечить участие специалистов в работе экзаменационных комиссий",
    "предоставить площадки для стажировок преподавателей",
    "подготовить информацию о кадровой потребности на три года",
]
DOCUMENTS = ["Программу популяризации рабочих профессий", "Положение о рабочей группе кластера",
             "Регламент взаимодействия участников кластера", "Перечень стажировочных площадок",
             "Дорожную карту развития кластера", "Состав рабочей группы кластера"]
SECTIONS = ["Нормативное обеспечение деятельности кластера", "Мониторинг кадровой потребности отрасли",
            "Подготовка квалифицированных кадров. Профориентационная деятельность",
            "Развитие материально-технической базы", "Информационное сопровождение деятельности кластера"]
PLAN_EVENTS = [
    "Заседание Координационного совета", "Актуализация состава участников кластера",
    "Мониторинг удовлетворённости работодателей качеством подготовки специалистов",
    "Сбор данных о трудоустройстве выпускников", "Формирование прогноза кадровой потребности",
    "Региональный этап чемпионата «Профессионалы»", "День открытых дверей для школьников",
    "Стажировки преподавателей на предприятиях", "Экскурсии школьников на предприятия кластера",
    "Конференция работодателей и образовательных организаций", "Обновление сайта кластера",
    "Публикация отчёта о деятельности кластера", "Разработка программ целевого обучения",
    "Оснащение мастерских современным оборудованием", "Конкурс проектов студентов",
]
EXTENSION_REASONS = ["Перенос мероприятия организаторами.", "Необходимо дополнительное согласование с учредителем.",
                     "Кадровые изменения в организации.", "Задержка поставки оборудования."]
MONTHS_GENITIVE = ["", "января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
                   "октября", "ноября", "декабря"]


# ---------------------------------------------------------------- entry points

def generated_clusters():
    return Cluster.objects.filter(description__startswith=MARKER)


def big_cluster() -> Cluster | None:
    """The generated cluster where the demo logins have their roles."""
    return generated_clusters().filter(short_name=BIG_CLUSTER_SHORT_NAME).first()


@dataclass(frozen=True)
class DemoRoles:
    """The demo people who get their roles in the big cluster, and their logins."""

    secretary: Person
    chair: Person
    member: Person

    @property
    def college(self) -> Organization:
        return self.member.organization


def demo_roles() -> DemoRoles:
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["secretary", "chair", "member"])
             .select_related("person__organization")}
    try:
        people = {name: users[name].person for name in ("secretary", "chair", "member")}
    except (KeyError, Person.DoesNotExist):
        raise ScaleError("The demo logins are missing: run `manage.py load_demo` first.") from None
    if people["member"].organization is None:
        raise ScaleError("The demo member has no organisation: run `manage.py load_demo` again.")
    return DemoRoles(**people)


def generate(*, clusters: int, years: int, seed: int = 1, today: datetime.date | None = None,
             progress=None) -> dict[str, int]:
    """Build the data set in one transaction; returns the rows created per model («app.Model»).

    ``progress(done, total)`` is called after each cluster.
    """
    if clusters < 1 or years < 1:
        raise ScaleError("Give at least one cluster and one year.")
    if generated_clusters().exists():
        raise ScaleError("This database already holds generated clusters; start from a fresh database "
                         "(migrate, load_demo) to generate again.")
    demo = demo_roles()
    today = today or timezone.localdate()
    rng = random.Random(seed)
    counts: Counter = Counter()
    with transaction.atomic():
        for number in range(1, clusters + 1):
            build_cluster(rng=rng, number=number, years=years, today=today,
                          demo=demo if number == 1 else None, counts=counts)
            if progress:
                progress(number, clusters)
    return dict(sorted(counts.items()))


# ---------------------------------------------------------------- helpers

def _bulk(model, objects: list, counts: Counter) -> list:
    if objects:
        model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
        counts[model._meta.label] += len(objects)
    return objects


def _moment(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())


def _day_between(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    """A day in [start, end]; ``start`` when the range is empty."""
    return start + datetime.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs)
    return rng.choices(values, weights=weights)[0]


@dataclass
class ClusterData:
    """What one cluster's builders share: its register, council and calendar."""

    number: int
    cluster: Cluster
    region: tuple
    years: list[int]
    today: datetime.date
    orgs: list[Organization] = field(default_factory=list)
    membership: dict[int, tuple] = field(default_factory=dict)  # org pk → (joined_on, left_on) or None
    people: dict[int, list[Person]] = field(default_factory=dict)  # org pk → people (head first)
    representative: dict[int, object] = field(default_factory=dict)  # org pk → the login that reports
    founded: datetime.date | None = None
    council: Body | None = None
    seats: list[BodyMembership] = field(default_factory=list)
    secretary: Person | None = None
    secretary_user: object = None
    plans: dict[int, WorkPlan] = field(default_factory=dict)
    _active: dict = field(default_factory=dict)

    @property
    def now(self) -> datetime.datetime:
        return _moment(self.today, 9)

    def active_orgs(self, day: datetime.date) -> list[Organization]:
        """Members on ``day`` (the same rule as ``Membership.active_on``); memoised per day."""
        if day in self._active:
            return self._active[day]
        result = self._active[day] = []
        for org in self.orgs:
            term = self.membership.get(org.pk)
            if term and term[0] <= day and (term[1] is None or term[1] > day):
                result.append(org)
        return result

    def is_founder(self, org: Organization) -> bool:
        """A member from the founding to this day."""
        return self.membership.get(org.pk) == (self.founded, None)

    def seats_on(self, day: datetime.date) -> list[BodyMembership]:
        return [s for s in self.seats if s.term_start <= day and (s.term_end is None or s.term_end >= day)]

    def officer(self, day: datetime.date, role: str) -> Person | None:
        return next((s.person for s in self.seats_on(day) if s.role == role), None)


# ---------------------------------------------------------------- register

def build_cluster(*, rng: random.Random, number: int, years: int, today: datetime.date, demo: DemoRoles | None,
                  counts: Counter) -> ClusterData:
    region = REGIONS[number % len(REGIONS)]
    first_year = today.year - years + 1
    founded = datetime.date(first_year - 1, 12, rng.randint(1, 20))
    industry = INDUSTRIES[(number - 1) % len(INDUSTRIES)]
    description = MARKER + (" Демо-логины secretary, chair и member имеют роли в этом кластере." if demo else "")
    cluster = Cluster(
        name=f"Образовательно-производственный кластер {industry} {region[1]} № {number}",
        short_name=BIG_CLUSTER_SHORT_NAME if demo else f"Кластер-{number:02d}",
        region=region[0], founded_on=founded, description=description,
        agreement_title=f"Соглашение о создании образовательно-производственного кластера {industry}",
    )
    _bulk(Cluster, [cluster], counts)
    data = ClusterData(number=number, cluster=cluster, region=region, founded=founded,
                       years=list(range(first_year, today.year + 1)), today=today)
    build_organizations(rng=rng, data=data, counts=counts)
    build_memberships(rng=rng, data=data, demo=demo, counts=counts)
    build_people(rng=rng, data=data, demo=demo, counts=counts)
    build_council(rng=rng, data=data, demo=demo, counts=counts)
    meetings = plan_meetings(rng=rng, data=data)
    build_work_plans(rng=rng, data=data, meetings=meetings, counts=counts)
    build_meetings(rng=rng, data=data, meetings=meetings, counts=counts)
    return data


def _organization_names(rng: random.Random, kind: str, count: int, region: tuple) -> list[tuple[str, str]]:
    """(full name, short name) pairs for ``count`` organisations of ``kind``."""
    _, gen, city, adj = region
    if kind == OrganizationKind.GOVERNMENT:
        return [(f"Департамент {gen} по {t}", f"Департамент по {t}") for t in rng.sample(GOVERNMENT_TOPICS, count)]
    if kind == OrganizationKind.NONPROFIT:
        return [(n.format(gen=gen), n.format(gen=gen)) for n in rng.sample(NONPROFITS, count)]
    if kind == OrganizationKind.EMPLOYER:
        combos = rng.sample([(a, b) for a in COMPANY_PARTS[0] for b in COMPANY_PARTS[1]], count)
        names = [f"{_weighted(rng, LEGAL_FORMS)} «{a}{b}»" for a, b in combos]
        return [(name, name) for name in names]
    if kind == OrganizationKind.EDU_HIGHER:
        return [(f"ФГБОУ ВО «{adj} {name}»", f"{adj[:3]}{abbr}") for name, abbr in rng.sample(UNIVERSITIES, count)]
    if kind == OrganizationKind.EDU_VOCATIONAL:
        return [(f"ГБПОУ «{adj} {name}»", f"ГБПОУ «{adj} {name}»") for name in rng.sample(COLLEGES, count)]
    if kind == OrganizationKind.EDU_ADDITIONAL:
        return [(n.format(gen=gen), n.format(gen=gen)) for n in rng.sample(DPO, count)]
    numbers = rng.sample(range(1, 60), count)
    return [(SCHOOLS[i % len(SCHOOLS)].format(n=n) + f" г. {city}",) * 2 for i, n in enumerate(numbers)]


def build_organizations(*, rng: random.Random, data: ClusterData, counts: Counter) -> None:
    """Head organisations first (their pks are needed), then three branches of universities."""
    heads, branches = [], []
    for kind, count in KINDS:
        names = _organization_names(rng, kind, count, data.region)
        for full_name, short_name in names:
            org = Organization(full_name=full_name, short_name=short_name, kind=kind,
                               inn=str(rng.randint(10 ** 9, 10 ** 10 - 1)), website="")
            heads.append(org)
    universities = [o for o in heads if o.kind == OrganizationKind.EDU_HIGHER]
    # Two colleges and one university become branches («филиал») of the first universities.
    for org in [o for o in heads if o.kind == OrganizationKind.EDU_VOCATIONAL][:2] + universities[-1:]:
        heads.remove(org)
        branches.append(org)
    _bulk(Organization, heads, counts)
    for n, org in enumerate(branches):
        org.parent = universities[n % 2]
        org.full_name = f"{org.full_name} (филиал) {org.parent.full_name}"
        org.short_name = f"{org.short_name} (филиал) {org.parent.short_name}"
    _bulk(Organization, branches, counts)
    data.orgs = heads + branches


def build_memberships(*, rng: random.Random, data: ClusterData, demo: DemoRoles | None, counts: Counter) -> None:
    """Founders; six joined later, three left, two only invited (when the period allows)."""
    founded = data.founded
    orgs = list(data.orgs)
    rng.shuffle(orgs)
    first, last = datetime.date(data.years[0], 1, 1), data.today
    late, leaving, invited = (orgs[:6], orgs[6:9], orgs[9:11]) if len(data.years) > 1 else ([], [], orgs[:2])
    rows = []
    for org in data.orgs:
        if org in invited:
            rows.append(Membership(cluster=data.cluster, organization=org, status=MembershipStatus.INVITED,
                                   invited_on=_day_between(rng, last - datetime.timedelta(days=120), last)))
            data.membership[org.pk] = None
            continue
        joined = _day_between(rng, first + datetime.timedelta(days=200), last) if org in late else founded
        left = _day_between(rng, joined + datetime.timedelta(days=300), last) if org in leaving else None
        if left is not None and left >= last:
            left = None
        rows.append(Membership(cluster=data.cluster, organization=org,
                               status=MembershipStatus.LEFT if left else MembershipStatus.JOINED,
                               joined_on=joined, left_on=left, document_title="Соглашение о создании кластера"))
        data.membership[org.pk] = (joined, left)
    if demo:
        rows.append(Membership(cluster=data.cluster, organization=demo.college, status=MembershipStatus.JOINED,
                               joined_on=founded, document_title="Соглашение о создании кластера"))
        data.membership[demo.college.pk] = (founded, None)
        data.orgs.append(demo.college)
    _bulk(Membership, rows, counts)


def _person_name(rng: random.Random) -> tuple[str, str, str]:
    surname, (male, female) = rng.choice(SURNAMES), rng.choice(PATRONYMICS)
    if rng.random() < 0.45:
        return surname + "а", rng.choice(FEMALE_NAMES), female
    return surname, rng.choice(MALE_NAMES), male


def build_people(*, rng: random.Random, data: ClusterData, demo: DemoRoles | None, counts: Counter) -> None:
    """Three people per organisation; the head has a login (he reports on assignments), and so
    does the second person of the first college (the council's secretary)."""
    User = get_user_model()
    prefix = f"scale-{data.number:02d}"
    users, people = [], []
    founders = [o for o in data.orgs if data.is_founder(o)]
    secretary_org = next((o for o in founders if o.kind == OrganizationKind.EDU_VOCATIONAL), founders[0])
    for n, org in enumerate(data.orgs, start=1):
        if demo and org.pk == demo.college.pk:
            data.people[org.pk] = [demo.member]
            data.representative[org.pk] = demo.member.user
            continue
        positions = POSITIONS[org.kind]
        staff = []
        for i in range(3):
            last, first, patronymic = _person_name(rng)
            person = Person(last_name=last, first_name=first, patronymic=patronymic,
                            position=positions[0] if i == 0 else rng.choice(positions[1:]), organization=org,
                            email=f"{prefix}-{n:02d}-{i}@scale.cluster-portal.local",
                            phone=f"+7 9{rng.randint(10, 99)} {rng.randint(100, 999)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}")
            staff.append(person)
        head = User(username=f"{prefix}-{n:02d}", first_name=staff[0].first_name, last_name=staff[0].last_name,
                    email=staff[0].email, password=f"!unusable-{prefix}-{n:02d}")
        users.append(head)
        staff[0].user = head
        if org is secretary_org and not demo:
            secretary = User(username=f"{prefix}-secretary", first_name=staff[1].first_name,
                             last_name=staff[1].last_name, email=staff[1].email, password=f"!unusable-{prefix}")
            users.append(secretary)
            staff[1].user = secretary
            data.secretary, data.secretary_user = staff[1], secretary
        data.people[org.pk] = staff
        data.representative[org.pk] = head
        people += staff
    _bulk(User, users, counts)
    _bulk(Person, people, counts)  # user_id is taken from the just-saved users
    if demo:
        data.secretary, data.secretary_user = demo.secretary, demo.secretary.user


def build_council(*, rng: random.Random, data: ClusterData, demo: DemoRoles | None, counts: Counter) -> None:
    """The coordination council: a chair replaced half-way through the period, a deputy chair,
    the secretary and the heads of ~22 founding organisations."""
    council = Body(cluster=data.cluster, kind=BodyKind.COUNCIL, name="Координационный совет",
                   name_genitive="Координационного совета")
    _bulk(Body, [council], counts)
    data.council = council
    founded = data.founded
    stable = [o for o in data.orgs if data.is_founder(o) and not (demo and o.pk == demo.college.pk)]
    # Heads of government bodies chair the council, an employer is the deputy chair.
    heads = [data.people[o.pk][0] for o in sorted(stable, key=lambda o: o.kind != OrganizationKind.GOVERNMENT)]
    previous_chair, chair = heads[1], demo.chair if demo else heads[0]
    deputy = next(data.people[o.pk][0] for o in stable
                  if o.kind == OrganizationKind.EMPLOYER and data.people[o.pk][0] not in (chair, previous_chair))
    seats = []
    if len(data.years) > 1:
        change = datetime.date(data.years[len(data.years) // 2], 1, 15)
        seats.append(BodyMembership(body=council, person=previous_chair, role=BodyRole.CHAIR,
                                    term_start=founded, term_end=change - datetime.timedelta(days=1)))
        seats.append(BodyMembership(body=council, person=chair, role=BodyRole.CHAIR, term_start=change))
    else:
        seats.append(BodyMembership(body=council, person=chair, role=BodyRole.CHAIR, term_start=founded))
    seats.append(BodyMembership(body=council, person=deputy, role=BodyRole.DEPUTY_CHAIR, term_start=founded))
    seats.append(BodyMembership(body=council, person=data.secretary, role=BodyRole.SECRETARY, term_start=founded))
    taken = {s.person.pk for s in seats}
    candidates = [person for person in heads if person.pk not in taken]
    for person in rng.sample(candidates, min(COUNCIL_MEMBERS, len(candidates))):
        seats.append(BodyMembership(body=council, person=person, role=BodyRole.MEMBER, term_start=founded))
    if demo:
        seats.append(BodyMembership(body=council, person=demo.member, role=BodyRole.MEMBER, term_start=founded))
    data.seats = _bulk(BodyMembership, seats, counts)


# ---------------------------------------------------------------- meetings: calendar and statuses

@dataclass
class PlannedMeeting:
    meeting: Meeting
    first_of_year: bool


def _meeting_status(rng: random.Random, day: datetime.date, today: datetime.date) -> str:
    """Ahead: a draft. The last month: every stage. Older: signed or approved, rarely stuck."""
    if day >= today:
        return MeetingStatus.DRAFT
    if (today - day).days <= 45:
        return _weighted(rng, [(MeetingStatus.DRAFT, 2), (MeetingStatus.ON_APPROVAL, 2),
                               (MeetingStatus.APPROVED, 3), (MeetingStatus.SIGNED, 3)])
    return _weighted(rng, [(MeetingStatus.SIGNED, 58), (MeetingStatus.APPROVED, 38),
                           (MeetingStatus.ON_APPROVAL, 2), (MeetingStatus.DRAFT, 2)])


def plan_meetings(*, rng: random.Random, data: ClusterData) -> list[PlannedMeeting]:
    """21 meeting dates a year with status and workflow times (not saved yet)."""
    city = f"г. {data.region[2]}"
    venues = [o for o in data.orgs if o.kind in OrganizationKind.educational()]
    planned = []
    for year in data.years:
        step = 365 / MEETINGS_PER_YEAR
        for n in range(MEETINGS_PER_YEAR):
            day = datetime.date(year, 1, 10) + datetime.timedelta(days=int(n * step + rng.random() * step * 0.6))
            if day.year != year:
                day = datetime.date(year, 12, 28)
            status = _meeting_status(rng, day, data.today)
            online = rng.random() < 0.12
            start = rng.choice([10, 11, 14, 15])
            chair, secretary = data.officer(day, BodyRole.CHAIR), data.officer(day, BodyRole.SECRETARY)
            meeting = Meeting(
                cluster=data.cluster, body=data.council, number=str(n + 1), date=day, year=day.year,
                kind=MeetingKind.CONFERENCE_CALL if online else MeetingKind.COUNCIL,
                format=MeetingFormat.ONLINE if online else _weighted(
                    rng, [(MeetingFormat.IN_PERSON, 8), (MeetingFormat.HYBRID, 2)]),
                start_time=datetime.time(start), end_time=datetime.time(start + 2), city=city,
                place="" if online else f"конференц-зал {rng.choice(venues).short_name}",
                chair=chair, secretary=secretary, status=status, created_by=data.secretary_user,
            )
            _workflow_times(rng, meeting, data)
            planned.append(PlannedMeeting(meeting=meeting, first_of_year=n == 0))
    return planned


def _workflow_times(rng: random.Random, meeting: Meeting, data: ClusterData) -> None:
    if meeting.status == MeetingStatus.DRAFT:
        return
    submitted = min(_moment(meeting.date + datetime.timedelta(days=rng.randint(1, 7)), 15), data.now)
    meeting.submitted_at = submitted
    if meeting.status in (MeetingStatus.APPROVED, MeetingStatus.SIGNED):
        meeting.approved_at = min(submitted + datetime.timedelta(days=rng.randint(1, 6)), data.now)
        meeting.approved_by = meeting.chair.user if meeting.chair else None


# ---------------------------------------------------------------- work plans

def _timeframe(rng: random.Random, item: PlanItem) -> None:
    kind = _weighted(rng, [(TimeframeKind.QUARTERS, 55), (TimeframeKind.YEAR, 20), (TimeframeKind.MONTH, 12),
                           (TimeframeKind.DATE, 8), (TimeframeKind.RANGE, 5)])
    item.timeframe_kind = kind
    if kind == TimeframeKind.QUARTERS:
        for quarter in rng.sample([1, 2, 3, 4], rng.choice([1, 1, 2])):
            setattr(item, f"q{quarter}", True)
    elif kind == TimeframeKind.MONTH:
        item.month = rng.randint(1, 12)
    elif kind in (TimeframeKind.DATE, TimeframeKind.RANGE):
        item.date_from = _day_between(rng, datetime.date(item.year, 1, 10), datetime.date(item.year, 11, 30))
        if kind == TimeframeKind.RANGE:
            item.date_to = item.date_from + datetime.timedelta(days=rng.randint(5, 30))
    item.due_date = item.compute_due_date()  # what PlanItem.save() derives


def _item_progress(rng: random.Random, item: PlanItem, data: ClusterData) -> None:
    if item.due_date < data.today:
        item.status = _weighted(rng, [(ItemStatus.DONE, 80), (ItemStatus.CANCELLED, 4),
                                      (ItemStatus.IN_PROGRESS, 6), (ItemStatus.PLANNED, 10)])
    else:
        item.status = _weighted(rng, [(ItemStatus.PLANNED, 60), (ItemStatus.IN_PROGRESS, 35), (ItemStatus.DONE, 5)])
    if item.status == ItemStatus.DONE:
        day = min(item.due_date, data.today - datetime.timedelta(days=1))
        item.report, item.reported_by, item.reported_at = "Выполнено в установленный срок.", data.secretary_user, _moment(day)


def build_work_plans(*, rng: random.Random, data: ClusterData, meetings: list[PlannedMeeting],
                     counts: Counter) -> None:
    """A plan a year, approved by the first meeting of its year once that protocol is published."""
    approving = {p.meeting.date.year: p.meeting for p in meetings if p.first_of_year}
    plans = []
    for year in data.years:
        meeting = approving[year]
        published = meeting.status in (MeetingStatus.APPROVED, MeetingStatus.SIGNED)
        plans.append(WorkPlan(
            cluster=data.cluster, title=f"План работы кластера «{data.cluster.short_name}»", period=f"на {year} год",
            period_start=datetime.date(year, 1, 1), period_end=datetime.date(year, 12, 31),
            status=PlanStatus.APPROVED if published else PlanStatus.DRAFT,
            approved_at=meeting.approved_at if published else None,
        ))
    _bulk(WorkPlan, plans, counts)
    data.plans = {plan.period_start.year: plan for plan in plans}
    sections = [PlanSection(plan=plan, order=n, title=title)
                for plan in plans for n, title in enumerate(SECTIONS[:PLAN_SECTIONS], start=1)]
    _bulk(PlanSection, sections, counts)
    items, organizers, bodies = [], [], []
    for section in sections:
        for order in range(1, PLAN_ITEMS_PER_SECTION + 1):
            item = PlanItem(section=section, order=order, year=section.plan.period_start.year,
                            title=f"{rng.choice(PLAN_EVENTS)}.")
            _timeframe(rng, item)
            _item_progress(rng, item, data)
            chosen = rng.sample(data.active_orgs(item.due_date) or data.orgs, rng.choice([1, 1, 2]))
            item.organizers_text = ". ".join(o.short_name for o in chosen)
            items.append(item)
            organizers.append((item, chosen))
            if rng.random() < 0.2:
                bodies.append(item)
    _bulk(PlanItem, items, counts)
    Organizers, Bodies = PlanItem.organizers.through, PlanItem.organizer_bodies.through
    _bulk(Organizers, [Organizers(planitem_id=item.pk, organization_id=o.pk)
                       for item, chosen in organizers for o in chosen], counts)
    _bulk(Bodies, [Bodies(planitem_id=item.pk, body_id=data.council.pk) for item in bodies], counts)


# ---------------------------------------------------------------- meetings: contents

def build_meetings(*, rng: random.Random, data: ClusterData, meetings: list[PlannedMeeting], counts: Counter) -> None:
    _bulk(Meeting, [p.meeting for p in meetings], counts)
    attendance = [row for p in meetings for row in _attendance(rng, p.meeting, data)]
    _bulk(Attendance, attendance, counts)
    present = {}
    for row in attendance:
        present.setdefault(row.meeting.pk, []).append(row.person)
    items = []
    for p in meetings:
        items += _agenda(rng, p, data)
    _bulk(AgendaItem, items, counts)
    speakers = [Speaker(agenda_item=item, person=person, order=n)
                for item in items
                for n, person in enumerate(rng.sample(present[item.meeting.pk], rng.choice([1, 1, 2])), start=1)]
    _bulk(Speaker, speakers, counts)
    build_decisions(rng=rng, data=data, items=items, counts=counts)


def _attendance(rng: random.Random, meeting: Meeting, data: ClusterData) -> list[Attendance]:
    """Chair and secretary, most of the council, sometimes invited guests; some online."""
    seats = data.seats_on(meeting.date)
    officers = {meeting.chair.pk, meeting.secretary.pk}
    others = [s.person for s in seats if s.person.pk not in officers]
    people = [meeting.chair, meeting.secretary] + rng.sample(others, int(len(others) * rng.uniform(0.45, 0.8)))
    seated = {p.pk for p in people} | {s.person.pk for s in seats}
    guests_pool = [p for org in data.active_orgs(meeting.date) for p in data.people[org.pk][1:2] if p.pk not in seated]
    guests = rng.sample(guests_pool, min(len(guests_pool), rng.choice([0, 0, 1, 2, 3])))
    online_share = 1.0 if meeting.format == MeetingFormat.ONLINE else 0.15
    rows = []
    for order, person in enumerate(people + guests, start=1):
        mode = AttendanceMode.ONLINE if rng.random() < online_share else AttendanceMode.IN_PERSON
        rows.append(Attendance(meeting=meeting, person=person, mode=mode, invited=person in guests, order=order))
    return rows


def _agenda(rng: random.Random, planned: PlannedMeeting, data: ClusterData) -> list[AgendaItem]:
    meeting, year = planned.meeting, planned.meeting.date.year
    count = rng.choice([2, 3, 3, 3, 4])
    titles = [t.format(year=year, previous=year - 1) for t in rng.sample(AGENDA, count)]
    if planned.first_of_year:
        titles[0] = f"Об утверждении плана работы кластера на {year} год."
    items = [AgendaItem(meeting=meeting, order=n, title=title) for n, title in enumerate(titles, start=1)]
    total = rng.choice([9, 10, 10, 10, 11])
    sizes = [1] * count
    for _ in range(total - count):
        sizes[rng.randrange(count)] += 1
    for item, size in zip(items, sizes):
        item.decision_count = size  # read by build_decisions
        item.approves = data.plans[year] if planned.first_of_year and item.order == 1 else None
    return items


# ---------------------------------------------------------------- decisions, assignments, reports

def _decision_text(rng: random.Random, kind: str, parties: list[Organization], year: int) -> str:
    names = ", ".join(o.short_name for o in parties)
    if kind == DecisionKind.ASSIGN:
        return f"{names} {rng.choice(ACTIONS)}."
    if kind == DecisionKind.RECOMMEND:
        return f"Рекомендовать {names} {rng.choice(ACTIONS)}."
    if kind == DecisionKind.NOTE:
        return "Принять к сведению информацию докладчика по вопросу повестки."
    if kind == DecisionKind.APPROVE:
        return f"Одобрить проект документа «{rng.choice(DOCUMENTS)}»."
    if kind == DecisionKind.ADOPT:
        return f"Утвердить {rng.choice(DOCUMENTS)}."
    month = rng.randint(1, 12)
    return f"Провести следующее заседание Координационного совета в {MONTHS_GENITIVE[month]} {year} года. {names}."


def _decision(rng: random.Random, item: AgendaItem, order: int, data: ClusterData) -> tuple[Decision, list]:
    meeting = item.meeting
    if item.approves is not None and order == 1:
        decision = Decision(agenda_item=item, cluster_id=meeting.cluster_id, order=order, kind=DecisionKind.ADOPT, vote=Vote.UNANIMOUS,
                            approves_plan=item.approves,
                            text=f"Утвердить План работы кластера на {meeting.date.year} год.")
        return decision, []
    kind = _weighted(rng, DECISION_KINDS)
    active = data.active_orgs(meeting.date)
    parties = rng.sample(active, min(len(active), _weighted(rng, PARTIES))) if kind in WITH_PARTIES else []
    decision = Decision(agenda_item=item, cluster_id=meeting.cluster_id, order=order, kind=kind, text=_decision_text(rng, kind, parties, meeting.date.year),
                        vote=_weighted(rng, [(Vote.UNANIMOUS, 75), (Vote.COUNTED, 10), (Vote.NONE, 15)]))
    if decision.vote == Vote.COUNTED:
        decision.votes_for, decision.votes_against, decision.votes_abstained = (
            rng.randint(8, 20), rng.randint(0, 2), rng.randint(0, 3))
    if parties and rng.random() < 0.92:
        decision.deadline = meeting.date + datetime.timedelta(days=rng.randint(14, 270))
        roll = rng.random()
        if roll < 0.04:
            decision.deadline_time = datetime.time(18)
        elif roll < 0.09:
            decision.deadline_start = decision.deadline - datetime.timedelta(days=rng.randint(10, 60))
    return decision, parties


def build_decisions(*, rng: random.Random, data: ClusterData, items: list[AgendaItem], counts: Counter) -> None:
    decisions, parties = [], []
    for item in items:
        for order in range(1, item.decision_count + 1):
            decision, orgs = _decision(rng, item, order, data)
            decisions.append(decision)
            parties.append(orgs)
    _bulk(Decision, decisions, counts)
    Through = Decision.responsible_organizations.through
    _bulk(Through, [Through(decision_id=d.pk, organization_id=o.pk) for d, orgs in zip(decisions, parties)
                    for o in orgs], counts)
    # Assignments exist once a protocol is approved (meeting_approve fans decisions out).
    fan_out = [(d, orgs) for d, orgs in zip(decisions, parties)
               if orgs and d.agenda_item.meeting.status in (MeetingStatus.APPROVED, MeetingStatus.SIGNED)]
    build_assignments(rng=rng, data=data, fan_out=fan_out, counts=counts)


@dataclass
class Outcome:
    """What happened to one assignment: its final state and the report/extension rows to write."""

    assignment: Assignment
    reports: list[dict] = field(default_factory=list)
    extension: dict | None = None


def build_assignments(*, rng: random.Random, data: ClusterData, fan_out: list, counts: Counter) -> None:
    outcomes = []
    for decision, orgs in fan_out:
        created = decision.agenda_item.meeting.approved_at
        for org in orgs:
            assignment = Assignment(decision=decision, cluster_id=decision.cluster_id, organization=org, deadline=decision.deadline,
                                    deadline_time=decision.deadline_time, deadline_start=decision.deadline_start,
                                    created_at=created)
            outcomes.append(_outcome(rng, assignment, data))
    _bulk(Assignment, [o.assignment for o in outcomes], counts)
    reports, extensions = [], []
    for outcome in outcomes:
        assignment = outcome.assignment
        author = data.representative[assignment.organization_id]
        for report in outcome.reports:
            reviewed = report["status"] != ReportStatus.SUBMITTED
            reports.append(AssignmentReport(
                assignment=assignment, author=author, submitted_at=report["at"], status=report["status"],
                text=f"Выполнено: {assignment.decision.text[:200]}",
                reviewed_by=data.secretary_user if reviewed else None, reviewed_at=report.get("reviewed_at"),
                review_comment="Отчёт неполный: приложите подтверждающие документы."
                if report["status"] == ReportStatus.RETURNED else "",
            ))
        if outcome.extension:
            decided = outcome.extension["status"] != ExtensionStatus.REQUESTED
            extensions.append(DeadlineExtension(
                assignment=assignment, requested_by=author, decided_by=data.secretary_user if decided else None,
                reason=rng.choice(EXTENSION_REASONS), **outcome.extension,
            ))
    _bulk(AssignmentReport, reports, counts)
    _bulk(DeadlineExtension, extensions, counts)


def _outcome(rng: random.Random, assignment: Assignment, data: ClusterData) -> Outcome:
    """Status, completion, reports and extension of one assignment, consistent with the services:
    a granted extension moved the deadline first; accepted means a report was accepted."""
    outcome = Outcome(assignment=assignment)
    start, today = timezone.localdate(assignment.created_at), data.today
    if start >= today:
        return outcome  # approved today: just assigned
    if assignment.deadline and rng.random() < 0.06:
        _extension(rng, outcome, start, today)
    horizon = assignment.deadline or start + datetime.timedelta(days=90)
    if horizon < today:
        age = (today - horizon).days
        still_open = 0.35 if age < 60 else 0.15 if age < 365 else 0.05
        roll = rng.random()
        status = (_weighted(rng, [(AssignmentStatus.ASSIGNED, 4), (AssignmentStatus.IN_PROGRESS, 4),
                                  (AssignmentStatus.RETURNED, 2)]) if roll < still_open
                  else AssignmentStatus.REPORTED if roll < still_open + 0.05 else AssignmentStatus.ACCEPTED)
    else:
        status = _weighted(rng, [(AssignmentStatus.ASSIGNED, 40), (AssignmentStatus.IN_PROGRESS, 33),
                                 (AssignmentStatus.REPORTED, 12), (AssignmentStatus.ACCEPTED, 12),
                                 (AssignmentStatus.RETURNED, 3)])
    assignment.status = status
    yesterday = today - datetime.timedelta(days=1)
    if status == AssignmentStatus.ACCEPTED:
        on_time = horizon >= yesterday or rng.random() < 0.78
        if on_time:
            last = min(horizon, yesterday)
            day = _day_between(rng, min(max(start, horizon - datetime.timedelta(days=30)), last), last)
        else:
            day = _day_between(rng, horizon + datetime.timedelta(days=1),
                               min(horizon + datetime.timedelta(days=60), yesterday))
        assignment.completed_at = _moment(day, 11)
        if rng.random() < 0.1:
            outcome.reports.append(_report(rng, ReportStatus.RETURNED, start, day, data))
        accepted = _report(rng, ReportStatus.ACCEPTED, day, day, data)
        accepted["at"] = assignment.completed_at
        outcome.reports.append(accepted)
    elif status == AssignmentStatus.REPORTED:
        last = min(horizon + datetime.timedelta(days=30), yesterday)
        outcome.reports.append(_report(rng, ReportStatus.SUBMITTED, start, last, data))
    elif status == AssignmentStatus.RETURNED:
        outcome.reports.append(_report(rng, ReportStatus.RETURNED, start, yesterday, data))
    if outcome.extension is None and status in (AssignmentStatus.ASSIGNED, AssignmentStatus.IN_PROGRESS) \
            and assignment.deadline and rng.random() < 0.03:
        outcome.extension = {
            "status": ExtensionStatus.REQUESTED, "old_deadline": assignment.deadline,
            "new_deadline": max(assignment.deadline, today) + datetime.timedelta(days=rng.randint(30, 90)),
            "requested_at": _moment(_day_between(rng, max(start, today - datetime.timedelta(days=10)), yesterday), 10),
        }
    return outcome


def _report(rng: random.Random, status: str, first: datetime.date, last: datetime.date, data: ClusterData) -> dict:
    day = _day_between(rng, first, last)
    report = {"status": status, "at": _moment(day, 11)}
    if status != ReportStatus.SUBMITTED:
        report["reviewed_at"] = min(_moment(day + datetime.timedelta(days=rng.randint(1, 7)), 16), data.now)
    return report


def _extension(rng: random.Random, outcome: Outcome, start: datetime.date, today: datetime.date) -> None:
    """Granted (the deadline moves, as assignment_extension_decide does) or refused."""
    assignment = outcome.assignment
    old = assignment.deadline
    asked = _day_between(rng, start, min(old, today - datetime.timedelta(days=2)))
    decided = min(asked + datetime.timedelta(days=rng.randint(1, 5)), today - datetime.timedelta(days=1))
    granted = rng.random() < 0.65
    new = old + datetime.timedelta(days=rng.randint(30, 90))
    outcome.extension = {
        "status": ExtensionStatus.GRANTED if granted else ExtensionStatus.REFUSED,
        "old_deadline": old, "new_deadline": new, "requested_at": _moment(asked, 10), "decided_at": _moment(decided, 17),
        "decision_comment": "" if granted else "Оснований для переноса срока нет.",
    }
    if granted:
        assignment.deadline, assignment.deadline_time, assignment.deadline_start = new, None, None
