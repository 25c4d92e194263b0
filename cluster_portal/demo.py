"""Demo data: the three seed documents of the Smolensk ICT cluster as structured data.

Sources (``shared/seeds/``): the protocol of 20.11.2017, protocol № 2 of 30.03.2023 and
the work plan for 2023. Everything here is taken from those documents; where they are
silent (accession dates, the 2023 presidium's term start) the comments say what was
assumed. A second, small cluster exists only so that the ``outsider`` login has a home.

Idempotent: every row is looked up by a natural key and only written when it differs,
so a second run changes nothing (not even history rows).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from documents.pki import ensure_demo_pki
from documents.client import sign_with_pkcs12
from documents.services import next_signer
from meetings.models import (
    SignedProtocolLocked,
    AgendaItem,
    Attendance,
    AttendanceMode,
    ChairTitle,
    Decision,
    DecisionKind,
    Meeting,
    MeetingFormat,
    MeetingKind,
    MeetingStatus,
    Speaker,
)
from meetings.services import decision_assign, meeting_set_participants
from members.models import (
    AddresseeCategory,
    AgendaNumbering,
    Body,
    BodyKind,
    BodyMembership,
    BodyRole,
    Cluster,
    ClusterKind,
    ClusterRole,
    DateForm,
    DecisionNumbering,
    Membership,
    MembershipStatus,
    Organization,
    OrganizationKind,
    Person,
    PortalRole,
    SignatoriesStyle,
    ProtocolLayout,
)
from plans.models import PlanItem, PlanSection, PlanStatus, TimeframeKind, WorkPlan

DEMO_PASSWORD = "demo12345"
DEMO_LOGINS = ["secretary", "chair", "member", "outsider", "admin", "churanov", "belokopytov", "ministry"]

D = datetime.date
FOUNDED = D(2017, 11, 20)
# The 2023 protocol refers to the previous cluster meeting of 16.12.2022; the seeds do not
# say when the new presidium took office, so its terms start on that date.
PRESIDIUM_2023_START = D(2022, 12, 16)

CLUSTER_NAME = "Образовательно-производственный кластер информационно-коммуникационных технологий Смоленской области"


def upsert(model, lookup: dict, values: dict | None = None):
    """Get by ``lookup``; create, or update only the fields that differ. Returns the object."""
    values = values or {}
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.save()
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        try:
            obj.save()
        except SignedProtocolLocked:  # a database loaded by an older demo: its signed protocol stays as signed
            obj.refresh_from_db()
    return obj


def set_m2m(manager, objects):
    wanted = {o.pk for o in objects}
    if set(manager.values_list("pk", flat=True)) != wanted:
        manager.set(objects)


# ---------------------------------------------------------------- register

ORGANIZATIONS = {
    # key: (full name, short name, kind, parent key)
    "dep_edu": ("Департамент Смоленской области по образованию и науке", "Департамент по образованию и науке",
                OrganizationKind.GOVERNMENT, None),
    "dep_digital": ("Департамент цифрового развития Смоленской области", "Департамент цифрового развития",
                    OrganizationKind.GOVERNMENT, None),
    "dep_economy": ("Департамент экономического развития Смоленской области", "Департамент экономического развития",
                    OrganizationKind.GOVERNMENT, None),
    "dep_employment": ("Департамент государственной службы занятости населения", "Департамент службы занятости",
                       OrganizationKind.GOVERNMENT, None),
    # The 2017 protocol names ООО «Твинс технологии», the 2023 one ООО «Твинс»: one company.
    "twins": ("ООО «Твинс технологии»", "ООО «Твинс»", OrganizationKind.EMPLOYER, None),
    "man": ("ООО «МАН сеть»", "ООО «МАН сеть»", OrganizationKind.EMPLOYER, None),
    "smoltelecom": ("ООО «Смолтелеком»", "ООО «Смолтелеком»", OrganizationKind.EMPLOYER, None),
    "itgrade": ("ООО «Айти грэйд»", "ООО «Айти грэйд»", OrganizationKind.EMPLOYER, None),
    "infozashita": ("ООО «Информзащита-Софт»", "ООО «Информзащита-Софт»", OrganizationKind.EMPLOYER, None),
    "kitmedia": ("«КИТ МЕДИА»", "«КИТ МЕДИА»", OrganizationKind.EMPLOYER, None),
    "smolapo": ("ОГБПОУ «Смоленская академия профессионального образования»", "ОГБПОУ СмолАПО",
                OrganizationKind.EDU_VOCATIONAL, None),
    "spbgut": ("ФГБОУ ВО «Санкт-Петербургский государственный университет телекоммуникаций им. проф. М.А. Бонч-Бруевича»",
               "СПбГУТ", OrganizationKind.EDU_HIGHER, None),
    "college": ("Смоленский колледж телекоммуникаций (филиал) ФГБОУ ВО «Санкт-Петербургский государственный "
                "университет телекоммуникаций им. проф. М.А. Бонч-Бруевича»", "СКТ (филиал) СПбГУТ",
                OrganizationKind.EDU_VOCATIONAL, "spbgut"),
    "smolgu": ("ФГБОУ ВО «Смоленский государственный университет»", "СмолГУ", OrganizationKind.EDU_HIGHER, None),
    "copp": ("СОГАУ ДПО «Центр опережающей профессиональной подготовки»", "СОГАУ ДПО «ЦОПП»",
             OrganizationKind.EDU_ADDITIONAL, None),
    "cpp": ("АНО «ЦПП Смоленской области»", "АНО «ЦПП Смоленской области»", OrganizationKind.NONPROFIT, None),
}

# Members of the cluster. The seeds give no accession dates: the founding date is used.
# СмолГУ and АНО «ЦПП» are invited by decision 1.5 of 30.03.2023; СПбГУТ itself is not a
# member, only its Smolensk branch.
MEMBERS = ["dep_edu", "dep_digital", "twins", "man", "smoltelecom", "itgrade", "infozashita", "kitmedia",
           "smolapo", "college", "copp"]
INVITED = ["smolgu", "cpp"]

PEOPLE = {
    # key: (surname, name, patronymic, position, organisation key)
    "churanov": ("Чуранов", "Василий", "Сергеевич", "директор по развитию", "twins"),
    "klimov": ("Климов", "Дмитрий", "Анатольевич", "заместитель директора", "man"),
    # и. о. директора ОГБПОУ СмолАПО in 2017; in 2023 head of the department's section.
    "ivanenkova": ("Иваненкова", "Марина", "Александровна",
                   "начальник отдела профессионального образования и науки", "dep_edu"),
    "gavrilov": ("Гаврилов", "Михаил", "Викторович", "генеральный директор", "smoltelecom"),
    "taptsov": ("Тапцов", "Михаил", "Александрович", "генеральный директор", "itgrade"),
    "sharonov": ("Шаронов", "Геннадий", "Петрович", "генеральный директор", "infozashita"),
    "starko": ("Старко", "Юлия", "", "руководитель веб-отдела", "kitmedia"),
    "belokopytov": ("Белокопытов", "Максим", "Вячеславович", "", None),
    "ivanova": ("Иванова", "А.", "А.", "начальник отдела профессионального образования и науки", "dep_edu"),
    "ostrovsky": ("Островский", "А.", "В.", "Губернатор Смоленской области", None),
    "kudryavtseva": ("Кудрявцева", "Татьяна", "Владимировна",
                     "заведующий кафедрой информатики, вычислительной техники, информационной безопасности и "
                     "программирования", "smolapo"),
    "rudometkin": ("Рудометкин", "А.", "Н.", "начальник Департамента цифрового развития Смоленской области",
                   "dep_digital"),
    "trofimova": ("Трофимова", "А.", "В.", "директор", "twins"),
    "zaryankina": ("Зарянкина", "О.", "М.", "директор", "copp"),
    "kazakov": ("Казаков", "А.", "В.", "директор", "college"),
    "kozlov": ("Козлов", "С.", "В.", "заведующий кафедрой прикладной математики и информатики", "smolgu"),
    "artemenkov": ("Артеменков", "М.", "Н.", "", "smolgu"),
    "shapkin": ("Шапкин", "С.", "А.", "", "cpp"),
}


def load_register(ctx: dict) -> None:
    cluster = upsert(Cluster, {"name": CLUSTER_NAME}, {
        "short_name": "Кластер ИКТ",
        "region": "Смоленская область",
        "founded_on": FOUNDED,
        "agreement_title": "Соглашение о создании образовательно-производственного кластера "
                           "информационно-коммуникационных технологий Смоленской области",
        "description": "Учреждён решением Координационного совета 20 ноября 2017 г.",
    })
    ctx["cluster"] = cluster
    orgs = ctx["orgs"] = {}
    for key, (full_name, short_name, kind, parent) in ORGANIZATIONS.items():
        orgs[key] = upsert(Organization, {"full_name": full_name}, {
            "short_name": short_name, "kind": kind, "parent": orgs.get(parent) if parent else None,
        })
    for key in MEMBERS:
        upsert(Membership, {"cluster": cluster, "organization": orgs[key]}, {
            "status": MembershipStatus.JOINED, "joined_on": FOUNDED,
            "document_title": "Соглашение о создании кластера",
        })
    people = ctx["people"] = {}
    for key, (last, first, patronymic, position, org) in PEOPLE.items():
        people[key] = upsert(Person, {"last_name": last, "first_name": first, "patronymic": patronymic}, {
            "position": position, "organization": orgs[org] if org else None,
        })

    council = ctx["council"] = upsert(Body, {"cluster": cluster, "kind": BodyKind.COUNCIL}, {
        "name": "Координационный совет", "name_genitive": "Координационного совета",
    })
    presidium = ctx["presidium"] = upsert(Body, {"cluster": cluster, "kind": BodyKind.PRESIDIUM}, {
        "name": "Президиум Координационного совета", "name_genitive": "президиума Координационного совета",
        "parent": council,
    })
    ctx["working_group"] = upsert(Body, {"cluster": cluster, "kind": BodyKind.WORKING_GROUP}, {
        "name": "Рабочая группа Кластера ИКТ", "name_genitive": "рабочей группы Кластера ИКТ", "parent": council,
    })


def seat(body, person, role, start, end=None, appointed_by=None):
    return upsert(BodyMembership, {"body": body, "person": person, "role": role, "term_start": start},
                  {"term_end": end, "appointed_by": appointed_by})


CHAIR_TERM_YEARS = 5  # a chair is elected for five years


def chair_terms(start: datetime.date, today: datetime.date | None = None) -> list[tuple[datetime.date, datetime.date]]:
    """Five-year terms from ``start``, one after another, up to the one that covers ``today``: the seeds end
    in 2023 (the first term ends on 15.12.2027), and the demo assumes the chair is re-elected each time, so
    that on any day the council has its chair and the ``chair`` login is that chair."""
    from django.utils import timezone

    today = today or timezone.localdate()
    terms = []
    while True:
        end = start.replace(year=start.year + CHAIR_TERM_YEARS) - datetime.timedelta(days=1)
        terms.append((start, end))
        if end >= today:
            return terms
        start = end + datetime.timedelta(days=1)


def load_compositions(ctx: dict) -> None:
    """The presidium elected on 20.11.2017 (decision «4») and the 2023 one."""
    p, council, presidium = ctx["people"], ctx["council"], ctx["presidium"]
    appointed = ctx["decisions_2017"][3]
    end_2017 = PRESIDIUM_2023_START - datetime.timedelta(days=1)
    for body in (council, presidium):
        seat(body, p["churanov"], BodyRole.CHAIR, FOUNDED, end_2017, appointed)
        seat(body, p["klimov"], BodyRole.DEPUTY_CHAIR, FOUNDED, end_2017, appointed)
        seat(body, p["belokopytov"], BodyRole.SECRETARY, FOUNDED, end_2017, appointed)
        for start, end in chair_terms(PRESIDIUM_2023_START):  # 16.12.2022–15.12.2027, re-elected after it
            seat(body, p["rudometkin"], BodyRole.CHAIR, start, end)
        seat(body, p["kudryavtseva"], BodyRole.SECRETARY, PRESIDIUM_2023_START)
    for key in ("ivanenkova", "gavrilov", "taptsov", "sharonov", "starko"):
        seat(council, p[key], BodyRole.MEMBER, FOUNDED)
    for key in ("trofimova", "zaryankina", "kazakov"):
        seat(council, p[key], BodyRole.MEMBER, PRESIDIUM_2023_START)


# ---------------------------------------------------------------- meetings

def add_item(meeting, order, title, speakers=(), discussion=""):
    item = upsert(AgendaItem, {"meeting": meeting, "order": order}, {"title": title, "discussion": discussion})
    for n, (person, position_text) in enumerate(speakers, start=1):
        upsert(Speaker, {"agenda_item": item, "order": n}, {"person": person, "position_text": position_text})
    return item


def add_decision(item, order, text, kind, *, deadline=None, deadline_text="", orgs=(), people=(), bodies=(), kinds=(),
                 responsible_text="", plan=None):
    decision = upsert(Decision, {"agenda_item": item, "order": order}, {
        "text": text, "kind": kind, "deadline": deadline, "deadline_text": deadline_text, "responsible_kinds": list(kinds),
        "responsible_text": responsible_text, "approves_plan": plan,
    })
    set_m2m(decision.responsible_organizations, orgs)
    set_m2m(decision.responsible_people, people)
    set_m2m(decision.responsible_bodies, bodies)
    return decision


def load_protocol_2017(ctx: dict) -> None:
    p, o = ctx["people"], ctx["orgs"]
    meeting = ctx["meeting_2017"] = upsert(Meeting, {"body": ctx["council"], "date": FOUNDED}, {
        "cluster": ctx["cluster"],
        "kind": MeetingKind.COUNCIL,
        "title": "заседания Координационного совета образовательно-производственного кластера "
                 "информационно-коммуникационных технологий Смоленской области",
        "number": "",  # the 2017 protocol has no number
        "start_time": datetime.time(12, 0),
        "end_time": datetime.time(14, 0),
        "city": "г. Смоленск",
        "place": "конференц-зал ОГБПОУ СмолАПО",
        "format": MeetingFormat.IN_PERSON,
        "chair": p["churanov"],
        "secretary": p["belokopytov"],
        "status": MeetingStatus.APPROVED,
        "signatories": SignatoriesStyle.CHAIR_SECRETARY,  # fixed at approval: its chair and secretary sign it
        # Written «Вопрос №1: …», «РЕШЕНИЕ:», decisions 1., 2., 3. restarting in each item, a single one
        # unnumbered. The seed numbers two decisions of item 1 «4.» (a typo): printed here as 1–8.
        "protocol_layout": ProtocolLayout.QUESTION,
        "decision_numbering": DecisionNumbering.PER_ITEM,
    })
    attendees = [
        ("churanov", "директор по развитию ООО «Твинс технологии»"),
        ("klimov", "заместитель директора ООО «МАН сеть»"),
        ("ivanenkova", "и. о. директора ОГБПОУ СмолАПО"),
        ("gavrilov", "генеральный директор ООО «Смолтелеком»"),
        ("taptsov", "ООО «Айти грэйд»"),
        ("sharonov", "генеральный директор ООО «Информзащита-Софт»"),
        ("starko", "руководитель веб-отдела «КИТ МЕДИА»"),
    ]
    for n, (key, position) in enumerate(attendees, start=1):
        upsert(Attendance, {"meeting": meeting, "person": p[key]},
               {"position_text": position, "order": n, "mode": AttendanceMode.IN_PERSON})

    item1 = add_item(
        meeting, 1,
        "О кластерной модели развития системы подготовки высококвалифицированных рабочих кадров и специалистов "
        "в регионе.",
        speakers=[(p["ivanova"], "начальника отдела профессионального образования и науки Департамента "
                                 "Смоленской области по образованию и науке")],
    )
    item2 = add_item(
        meeting, 2, "О ключевых направлениях работы кластера информационно-коммуникационных технологий Смоленской области.",
        speakers=[(p["kudryavtseva"], "заведующего кафедрой информатики, вычислительной техники, информационной "
                                      "безопасности и программирования ОГБПОУ СмолАПО")],
    )
    item3 = add_item(
        meeting, 3,
        "Об утверждении плана работы образовательно-производственного кластера информационно-коммуникационных "
        "технологий Смоленской области на IV квартал 2017 г. и 2018 г.",
    )
    plan_2017 = upsert(WorkPlan, {"cluster": ctx["cluster"], "period": "на IV квартал 2017 г. и 2018 г."}, {
        "title": "План работы образовательно-производственного кластера информационно-коммуникационных "
                 "технологий Смоленской области",
        "period_start": D(2017, 10, 1), "period_end": D(2018, 12, 31), "status": PlanStatus.APPROVED,
    })
    council = ctx["council"]
    decisions = ctx["decisions_2017"] = [
        add_decision(item1, 1, "Принять к сведению доклад начальника отдела профессионального образования и науки "
                     "Департамента Смоленской области по образованию и науке Ивановой А. А. о формировании "
                     "образовательно-производственных кластеров на территории Смоленской области.", DecisionKind.NOTE),
        add_decision(item1, 2, "Учредить на территории Смоленской области образовательно-производственный кластер "
                     "информационно-коммуникационных технологий.", DecisionKind.OTHER),
        add_decision(item1, 3, "Подписать Соглашение о создании образовательно-производственного кластера "
                     "информационно-коммуникационных технологий Смоленской области.", DecisionKind.OTHER),
        add_decision(item1, 4, "Утвердить президиум Координационного совета: Председатель — Чуранов Василий "
                     "Сергеевич; Заместитель председателя — Климов Дмитрий Анатольевич; Секретарь — Белокопытов "
                     "Максим Вячеславович.", DecisionKind.ADOPT),
        add_decision(item1, 5, "Направить Губернатору Смоленской области Островскому А. В. информацию о решении "
                     "формирования образовательно-производственного кластера информационно-коммуникационных "
                     "технологий на территории Смоленской области.", DecisionKind.OTHER),
        add_decision(item1, 6, "Участникам Координационного совета внести предложения для формирования списка "
                     "потенциальных участников образовательно-производственного кластера информационно-"
                     "коммуникационных технологий Смоленской области.", DecisionKind.ASSIGN,
                     deadline=D(2017, 11, 30), bodies=[council], responsible_text="участники Координационного совета"),
        add_decision(item1, 7, "ОГБПОУ СмолАПО разработать форму заявления для организаций и предприятий по "
                     "вступлению в образовательно-производственный кластер информационно-коммуникационных "
                     "технологий.", DecisionKind.ASSIGN, deadline=D(2017, 11, 30), orgs=[o["smolapo"]]),
        add_decision(item1, 8, "ОГБПОУ СмолАПО направить предложения организациям и предприятиям, потенциальным "
                     "участникам, по вступлению в образовательно-производственный кластер информационно-"
                     "коммуникационных технологий.", DecisionKind.ASSIGN, deadline=D(2017, 12, 8),
                     orgs=[o["smolapo"]]),
        add_decision(item2, 1, "Принять к сведению доклад Кудрявцевой Татьяны Владимировны, заведующего кафедрой "
                     "информатики, вычислительной техники, информационной безопасности и программирования "
                     "ОГБПОУ СмолАПО.", DecisionKind.NOTE),
        add_decision(item3, 1, "Утвердить план работы образовательно-производственного кластера информационно-"
                     "коммуникационных технологий Смоленской области на IV квартал 2017 г. и 2018 г.",
                     DecisionKind.ADOPT, plan=plan_2017),
    ]
    upsert(WorkPlan, {"pk": plan_2017.pk}, {"approved_at": _aware(FOUNDED)})


def load_protocol_2023(ctx: dict) -> None:
    p, o = ctx["people"], ctx["orgs"]
    # sign_protocol_2023 (the last step) signs it: a second run keeps it signed.
    signed = Meeting.objects.filter(body=ctx["council"], date=D(2023, 3, 30), status=MeetingStatus.SIGNED).exists()
    meeting = ctx["meeting_2023"] = upsert(Meeting, {"body": ctx["council"], "date": D(2023, 3, 30)}, {
        "cluster": ctx["cluster"],
        "kind": MeetingKind.CLUSTER,
        "title": "заседания образовательно-производственного кластера информационно-коммуникационных технологий "
                 "Смоленской области (Кластер ИКТ)",
        "number": "2",
        "city": "г. Смоленск",
        "format": MeetingFormat.HYBRID,
        "chair": p["rudometkin"],
        "chair_title": ChairTitle.PRESIDING,
        "secretary": p["kudryavtseva"],
        "attendance_total": 17,
        "attendance_online": 2,
        "attendance_note": "(приложение)",
        "status": MeetingStatus.SIGNED if signed else MeetingStatus.APPROVED,
        "signatories": SignatoriesStyle.CHAIR_SECRETARY,
        "date_form": DateForm.FULL,  # «30 марта 2023 года», «до 12 мая 2023 года», as the seed writes dates
    })
    # The seed lists the speakers («СЛУШАЛИ») once for the whole meeting; each is attached
    # to the item their report belongs to.
    item1 = add_item(
        meeting, 1,
        "Общие вопросы развития кадрового потенциала региона в сфере ИКТ. Выполнение поручений заседания Кластера "
        "ИКТ от 16.12.2022. О Программе по популяризации ИТ-специальностей в Смоленской области на 2023-2025 годы. "
        "О согласовании ряда документов, касающихся деятельности Кластера ИКТ.",
        speakers=[
            (p["rudometkin"], "начальника Департамента цифрового развития Смоленской области"),
            (p["trofimova"], "директора ООО «Твинс»"),
            (p["taptsov"], "генерального директора ООО «Айти грэйд»"),
            (p["ivanenkova"], "начальника отдела профессионального образования и науки Департамента Смоленской "
                              "области по образованию и науке"),
        ],
    )
    item2 = add_item(
        meeting, 2, "О проведении в 2023 году ежегодного областного конкурса «Учи IT».",
        speakers=[(p["kozlov"], "заведующего кафедрой прикладной математики и информатики ФГБОУ ВО «Смоленский "
                                "государственный университет»")],
    )
    item3 = add_item(
        meeting, 3,
        "О дополнительном профессиональном образовании как одном из инструментов подготовки кадров для IT-отрасли "
        "региона.",
        speakers=[
            (p["zaryankina"], "директора СОГАУ ДПО «Центр опережающей профессиональной подготовки»"),
            (p["kazakov"], "директора смоленского колледжа телекоммуникаций (филиал) ФГБОУ ВО «Санкт-Петербургский "
                           "государственный университет телекоммуникаций им. проф. М.А. Бонч-Бруевича»"),
        ],
    )
    plan = ctx["plan_2023"]
    decisions = ctx["decisions_2023"] = [
        add_decision(item1, 1, "Принять к сведению информацию Департамента цифрового развития Смоленской области "
                     "(А.Н. Рудометкин) о подготовке кадров ИТ-специальностей и выполнении поручений заседания "
                     "Кластера ИКТ от 16.12.2022.", DecisionKind.NOTE),
        add_decision(item1, 2, "Одобрить Программу по популяризации ИТ-специальностей в Смоленской области на "
                     "2023-2025 годы.", DecisionKind.APPROVE),
        add_decision(item1, 3, "Утвердить План работы Кластер ИКТ на 2023 год.", DecisionKind.ADOPT, plan=plan),
        add_decision(item1, 4, "Утвердить состав рабочей группы Кластера ИКТ.", DecisionKind.ADOPT),
        add_decision(item1, 5, "Секретарю координационного совета Кластера ИКТ направить приглашение к "
                     "присоединению к Соглашению о создании Кластера ИКТ, включая комплект документов, необходимых "
                     "для присоединения к указанному Соглашению, в адрес:\n"
                     "- ФГБОУ ВО «Смоленский государственный университет» (М.Н. Артеменков);\n"
                     "- АНО «ЦПП Смоленской области» (С.А. Шапкин).", DecisionKind.ASSIGN,
                     people=[p["kudryavtseva"]], responsible_text="секретарь координационного совета Кластера ИКТ"),
        add_decision(item2, 1, "Рекомендовать руководителям образовательных организаций высшего образования, "
                     "профессиональных образовательных организаций, расположенных на территории Смоленской области, "
                     "направить представителей для участия в ежегодном областном конкурсе «Учи IT».",
                     DecisionKind.RECOMMEND, deadline=D(2023, 5, 12), deadline_text="до 12 мая 2023 года",  # as the seed
                     kinds=[OrganizationKind.EDU_HIGHER, OrganizationKind.EDU_VOCATIONAL],
                     responsible_text="руководители образовательных организаций высшего образования, "
                                      "профессиональных образовательных организаций"),
        add_decision(item3, 1, "Принять к сведению доклад СОГАУ ДПО «Центр опережающей профессиональной подготовки» "
                     "(О.М. Зарянкина).", DecisionKind.NOTE),
        add_decision(item3, 2, "Рекомендовать СОГАУ ДПО «Центр опережающей профессиональной подготовки» "
                     "(О.М. Зарянкина) проработать предложения о взаимодействии, поступившие от участников Кластера "
                     "ИКТ по итогам заседания.", DecisionKind.RECOMMEND, orgs=[o["copp"]]),
    ]
    # Decision 1.5 invites two organisations to join the agreement.
    for key in INVITED:
        upsert(Membership, {"cluster": ctx["cluster"], "organization": o[key]}, {
            "status": MembershipStatus.INVITED, "invited_on": meeting.date, "invitation_decision": decisions[4],
        })
    ctx["plan_2023"] = upsert(WorkPlan, {"pk": plan.pk}, {"status": PlanStatus.APPROVED, "approved_at": _aware(meeting.date)})


def _aware(day):
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


# ---------------------------------------------------------------- plan 2023

COORDINATOR = "Департамент Смоленской области по образованию и науке (далее – Координатор)"
PLAN_2023 = [
    ("Нормативное обеспечение деятельности образовательного кластера информационно-коммуникационных технологий", [
        ("Актуализация состава участников образовательного кластера информационно-коммуникационных технологий "
         "(далее – Кластер)", [1], ["dep_digital", "dep_edu"], ["council"],
         "Департамент цифрового развития Смоленской области. " + COORDINATOR + ". Координационный Совет. "
         "Образовательные организации, находящиеся на территории региона. Организации ИТ-сектора."),
        ("Заседание Кластера. Заседание Координационного совета.", [1, 4], ["dep_digital", "dep_edu"], [],
         "Департамент цифрового развития Смоленской области. Координатор. Секретарь Координационного совета."),
        ("Создание рабочей группы в рамках деятельности Кластера в целях обеспечения оперативного взаимодействия с "
         "участниками Кластера", [1], ["dep_digital", "dep_edu"], [],
         "Департамент цифрового развития Смоленской области. Координатор. Секретарь Координационного совета."),
    ]),
    ("Мониторинг кадровой потребности региональной экономики ИТ-сферы", [
        ("Сбор данных фактического трудоустройства выпускников ИТ-специальностей на региональном рынке труда и "
         "проведение анализа", [1], [], ["working_group"], "Рабочая группа"),
        ("Мониторинг удовлетворенности работодателей качеством подготовки специалистов", "year", [],
         ["working_group"], "Рабочая группа"),
        ("Анализ результатов мониторинга кадровой потребности отрасли, формирование государственного задания на "
         "подготовку специалистов для ИТ-организаций Кластера", [2], [], ["working_group"], "Рабочая группа"),
        ("Мониторинг и формирование среднесрочного и краткосрочного прогноза кадровой потребности предприятий "
         "Кластера", [3], ["dep_economy", "dep_edu", "dep_employment", "dep_digital"], [],
         "Департамент экономического развития Смоленской области. Координатор. Департамент государственной службы "
         "занятости населения. Департамент цифрового развития Смоленской области"),
    ]),
    ("Подготовка квалифицированных кадров для региональной экономики в сфере ИТ. Профориентационная деятельность.", [
        ("Реализация проекта «Координационный центр ИТ-стажировок: платформа по популяризации ИТ-специальностей в "
         "Смоленской области «Войти в АйТи». Создание банка стажировочных площадок и полигонов для прохождения "
         "практик (с указанием конкретных рабочих мест и трудовых функций).", "year",
         ["dep_digital", "dep_edu", "dep_employment"], [],
         "Департамент цифрового развития Смоленской области. Координатор. Департамент государственной службы "
         "занятости населения. Образовательные организации, находящиеся на территории региона. Организации "
         "ИТ-сектора"),
        ("Разработка плана мероприятий по содействию трудоустройства выпускников", "year", [], ["working_group"],
         "Рабочая группа"),
        ("Организация деятельности, направленной на повышение популярности профессий и специальностей в ИТ-сфере "
         "(реализация мероприятий соответствующей программы)", "year", ["dep_digital", "dep_edu"], [],
         "Департамент цифрового развития Смоленской области. Координатор. Образовательные организации, находящиеся "
         "на территории региона. Организации ИТ-сектора."),
        ("Участие в региональных этапах Чемпионата по профессиональному мастерству «Профессионалы» Смоленской "
         "области и Чемпионата высоких технологий Смоленской области", "year", [], [],
         "Образовательные организации, находящиеся на территории региона. Организации ИТ-сектора."),
    ]),
]


def load_plan_2023(ctx: dict) -> None:
    plan = ctx["plan_2023"] = upsert(WorkPlan, {"cluster": ctx["cluster"], "period": "на 2023 год"}, {
        "title": "План работы образовательно-производственного кластера информационно-коммуникационных "
                 "технологий Смоленской области",
        "period_start": D(2023, 1, 1), "period_end": D(2023, 12, 31),
    })
    ctx["plan_items_2023"] = items = []
    for s_order, (section_title, rows) in enumerate(PLAN_2023, start=1):
        section = upsert(PlanSection, {"plan": plan, "order": s_order}, {"title": section_title})
        for i_order, (title, timeframe, org_keys, body_keys, text) in enumerate(rows, start=1):
            quarters = [] if timeframe == "year" else timeframe
            item = upsert(PlanItem, {"section": section, "order": i_order}, {
                "title": title,
                "timeframe_kind": TimeframeKind.YEAR if timeframe == "year" else TimeframeKind.QUARTERS,
                "year": 2023,
                "q1": 1 in quarters, "q2": 2 in quarters, "q3": 3 in quarters, "q4": 4 in quarters,
                "organizers_text": text,
            })
            set_m2m(item.organizers, [ctx["orgs"][k] for k in org_keys])
            set_m2m(item.organizer_bodies, [ctx[k] for k in body_keys])
            items.append(item)


def link_plan_to_meetings(ctx: dict) -> None:
    """«Заседание Кластера, 1 кв.» is carried out by the meeting of 30.03.2023, and the
    working group was created by its decision 1.4."""
    items, decisions = ctx["plan_items_2023"], ctx["decisions_2023"]
    set_m2m(items[1].meetings, [ctx["meeting_2023"]])
    set_m2m(items[2].decisions, [decisions[3]])
    set_m2m(items[0].decisions, [decisions[4]])


def fan_out(ctx: dict) -> None:
    for decision in ctx["decisions_2017"] + ctx["decisions_2023"]:
        decision_assign(decision=decision)


# ---------------------------------------------------------------- outsider's cluster

def load_other_cluster(ctx: dict) -> None:
    cluster = upsert(Cluster, {"name": "Образовательно-производственный кластер машиностроения (демо)"}, {
        "short_name": "Кластер машиностроения", "region": "Демонстрационная область", "founded_on": D(2021, 2, 1),
    })
    org = upsert(Organization, {"full_name": "ООО «Демо-Машзавод»"}, {
        "short_name": "ООО «Демо-Машзавод»", "kind": OrganizationKind.EMPLOYER,
    })
    upsert(Membership, {"cluster": cluster, "organization": org},
           {"status": MembershipStatus.JOINED, "joined_on": D(2021, 2, 1)})
    person = upsert(Person, {"last_name": "Петров", "first_name": "Пётр", "patronymic": "Петрович"}, {
        "position": "главный инженер", "organization": org,
    })
    council = upsert(Body, {"cluster": cluster, "kind": BodyKind.COUNCIL}, {
        "name": "Координационный совет", "name_genitive": "Координационного совета",
    })
    seat(council, person, BodyRole.MEMBER, D(2021, 2, 1))
    meeting = upsert(Meeting, {"body": council, "date": D(2023, 2, 10)}, {
        "cluster": cluster, "number": "1", "city": "г. Демо", "status": MeetingStatus.APPROVED, "chair": person,
        "secretary": person, "signatories": SignatoriesStyle.CHAIR_SECRETARY,
    })
    item = add_item(meeting, 1, "О плане работы кластера на 2023 год.")
    decision = add_decision(item, 1, "ООО «Демо-Машзавод» подготовить проект плана работы.", DecisionKind.ASSIGN,
                            deadline=D(2023, 3, 1), orgs=[org])
    decision_assign(decision=decision)
    ctx["outsider_person"] = person
    ctx["other_cluster"] = cluster


# ---------------------------------------------------------------- logins

# Until the admin became the portal administrators' alone, the demo secretary was staff in this
# group; a re-run on such a database takes both away.
FORMER_SECRETARIES_GROUP = "Секретари кластеров"


def load_logins(ctx: dict) -> dict:
    User = get_user_model()
    p = ctx["people"]
    Group.objects.filter(name=FORMER_SECRETARIES_GROUP).delete()
    logins = {
        "secretary": p["kudryavtseva"],
        "chair": p["rudometkin"],
        "member": p["kazakov"],
        "outsider": ctx["outsider_person"],
    }
    users = {}
    for username, person in logins.items():
        user = _demo_user(User, username, person)
        if person.user_id != user.pk:
            person.user = user
            person.save()
        users[username] = user
    users["admin"] = _demo_user(User, "admin", None, is_staff=True, is_superuser=True)
    # The chair and the secretary of 2017 sign the protocol they chaired and kept (the README's «Try
    # signing»). Чуранов reads it as a member organisation's representative; Белокопытов, with no
    # organisation in the register, through a member grant.
    for username in ("churanov", "belokopytov"):
        person = p[username]
        user = users[username] = _demo_user(User, username, person)
        if person.user_id != user.pk:
            person.user = user
            person.save()
    upsert(ClusterRole, {"user": users["belokopytov"], "cluster": ctx["cluster"], "role": PortalRole.MEMBER})
    return users


def _demo_user(User, username, person, *, is_staff=False, is_superuser=False):
    values = {
        "is_staff": is_staff,
        "is_superuser": is_superuser,
        "first_name": person.first_name if person else "Администратор",
        "last_name": person.last_name if person else "портала",
        "email": f"{username}@demo.cluster-portal.local",
    }
    user = upsert(User, {"username": username}, values)
    if not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def load_demo() -> dict:
    """Load everything; returns the context (objects by key) for callers and tests."""
    ctx: dict = {}
    load_register(ctx)
    load_protocol_2017(ctx)
    load_compositions(ctx)
    load_plan_2023(ctx)
    load_protocol_2023(ctx)
    link_plan_to_meetings(ctx)
    fan_out(ctx)
    load_other_cluster(ctx)
    ctx["users"] = load_logins(ctx)
    load_authority(ctx)
    sign_protocol_2023(ctx)
    return ctx


# ---------------------------------------------------------------- the coordinating authority (issue 17)

AUTHORITY_NAME = "Департамент государственной политики в сфере профессионального образования (демо)"


def load_authority(ctx: dict) -> None:
    """A ministry department that is not a cluster: its approved protocol of a meeting with both demo clusters
    addresses them by rules («кластерам, созданным в 2017 году», «кластерам Демонстрационной области»), fanned
    out to each cluster's council. The ``ministry`` login coordinates both clusters and the department."""
    authority = ctx["authority"] = upsert(Cluster, {"name": AUTHORITY_NAME}, {
        "kind": ClusterKind.AUTHORITY, "short_name": "Департамент профобразования (демо)", "region": "",
    })
    body = ctx["authority_body"] = upsert(Body, {"cluster": authority, "kind": BodyKind.COUNCIL}, {
        "name": "Совещание с инициаторами создания кластеров", "name_genitive": "совещания с инициаторами создания кластеров",
        "agenda_numbering": AgendaNumbering.ROMAN, "signatories": SignatoriesStyle.CHAIR,
    })
    director = upsert(Person, {"last_name": "Соколова", "first_name": "Анна", "patronymic": "Сергеевна"},
                      {"position": "директор Департамента"})
    officer = upsert(Person, {"last_name": "Бондарь", "first_name": "Ольга", "patronymic": "Андреевна"},
                     {"position": "консультант отдела"})
    seat(body, director, BodyRole.CHAIR, D(2024, 1, 1))
    seat(body, officer, BodyRole.SECRETARY, D(2024, 1, 1))
    by_year = upsert(AddresseeCategory, {"cluster": authority, "name": (
        "Инициаторам создания образовательно-производственных кластеров, созданных в 2017 году")},
        {"rule_founded_year": 2017, "rule_region": ""})
    by_region = upsert(AddresseeCategory, {"cluster": authority, "name": (
        "Инициаторам создания образовательно-производственных кластеров Демонстрационной области")},
        {"rule_founded_year": None, "rule_region": "Демонстрационная область"})
    meeting = ctx["authority_meeting"] = upsert(Meeting, {"body": body, "date": D(2024, 5, 15)}, {
        "cluster": authority, "number": "АН-12/05пр", "kind": MeetingKind.CONFERENCE_CALL,
        "format": MeetingFormat.ONLINE, "city": "г. Москва", "status": MeetingStatus.APPROVED,
        "chair": director, "chair_title": ChairTitle.PRESIDING, "secretary": officer,
        "signatories": SignatoriesStyle.CHAIR, "approved_at": _aware(D(2024, 5, 20)),
    })
    meeting_set_participants(meeting=meeting, clusters=[ctx["cluster"], ctx["other_cluster"]])
    item = add_item(meeting, 1, "О ходе создания образовательно-производственных кластеров", discussion="")
    first = add_decision(item, 1, (
        "Инициаторам создания образовательно-производственных кластеров, созданных в 2017 году, продолжить "
        "исполнение поручений протоколов совещаний и представить в Департамент отчёт о ходе реализации "
        "программы развития кластера."), DecisionKind.ASSIGN, deadline=D(2024, 9, 1))
    second = add_decision(item, 2, (
        "Инициаторам создания образовательно-производственных кластеров Демонстрационной области представить "
        "предложения в план мероприятий на 2025 год."), DecisionKind.ASSIGN, deadline=D(2024, 10, 1))
    set_m2m(first.responsible_categories, [by_year])
    set_m2m(second.responsible_categories, [by_region])
    for decision in (first, second):
        decision_assign(decision=decision)
    ministry = ctx["users"]["ministry"] = _demo_user(get_user_model(), "ministry", None)
    if (ministry.first_name, ministry.last_name) != ("Министерство", "(демо)"):
        ministry.first_name, ministry.last_name = "Министерство", "(демо)"
        ministry.save(update_fields=["first_name", "last_name"])
    for cluster in (ctx["cluster"], ctx["other_cluster"], authority):
        upsert(ClusterRole, {"user": ministry, "cluster": cluster, "role": PortalRole.COORDINATOR})


# ---------------------------------------------------------------- signatures (documents app)

# Demo logins with a demo certificate in their name (``DEMO_PKI_DIR/<login>.p12``): the printed signers of
# the demo protocols (2023: Рудометкин and Кудрявцева; 2017: Чуранов and Белокопытов).
DEMO_SIGNERS = {"chair": "rudometkin", "secretary": "kudryavtseva", "churanov": "churanov",
                "belokopytov": "belokopytov"}


def sign_protocol_2023(ctx: dict) -> None:
    """A demo CA and a PKCS#12 file per demo signer (in DEMO_PKI_DIR, reused when present), and the
    protocol of 30.03.2023 signed by its printed signers in order. Skipped once a signed version exists."""
    p, users = ctx["people"], ctx["users"]
    owners = {username: p[key].full_name for username, key in DEMO_SIGNERS.items()}
    pki = ctx["demo_pki"] = ensure_demo_pki(settings.DEMO_PKI_DIR, owners)
    meeting = ctx["meeting_2023"]
    if meeting.documents.signed().exists():
        return
    by_person = {users[username].person.pk: username for username in DEMO_SIGNERS}
    while (signer := next_signer(Meeting.objects.get(pk=meeting.pk))) is not None:
        username = by_person[signer.person_id]
        sign_with_pkcs12(meeting=meeting, user=users[username], pkcs12=pki[username].read_bytes(),
                         password=pki["password"])
    meeting.refresh_from_db()
