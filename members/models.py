"""The member register: clusters, organisations, people, bodies and who holds which role.

Portal access is derived from this register (see ``members/access.py``): a person's
seat in a body of a cluster and explicit ``ClusterRole`` grants decide what a login
sees, so access follows the real composition of the council.
"""


from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import UserProfile, supported_language


class ClusterKind(models.TextChoices):
    CLUSTER = "cluster", _("Educational-industrial cluster")
    # A ministry department or another coordinating authority that is not a cluster: it holds
    # meetings with many clusters (``Meeting.participating_clusters``) and may address them.
    AUTHORITY = "authority", _("Coordinating authority")


class Cluster(models.Model):
    name = models.CharField(_("name"), max_length=500)
    kind = models.CharField(_("kind"), max_length=10, choices=ClusterKind.choices, default=ClusterKind.CLUSTER)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=200, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    agreement_title = models.CharField(_("agreement title"), max_length=500, blank=True)
    agreement = models.FileField(_("agreement document"), upload_to="clusters/agreements/", blank=True)

    class Meta:
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        ordering = ["name"]

    def __str__(self):
        return self.short_name or self.name

    @property
    def is_authority(self) -> bool:
        return self.kind == ClusterKind.AUTHORITY


class OrganizationKind(models.TextChoices):
    GOVERNMENT = "government", _("Government authority")
    NONPROFIT = "nonprofit", _("Non-profit organisation")
    EMPLOYER = "employer", _("Employer or business")
    EDU_HIGHER = "edu_higher", _("Higher education")
    EDU_VOCATIONAL = "edu_vocational", _("Vocational education (SPO)")
    EDU_ADDITIONAL = "edu_additional", _("Additional professional education (DPO)")
    EDU_GENERAL = "edu_general", _("General education")

    @classmethod
    def educational(cls):
        return [cls.EDU_HIGHER, cls.EDU_VOCATIONAL, cls.EDU_ADDITIONAL, cls.EDU_GENERAL]


# How protocols group organisations («Органы государственной власти», ...).
ORGANIZATION_GROUPS = [
    (_("Government authorities"), [OrganizationKind.GOVERNMENT]),
    (_("Non-profit organisations"), [OrganizationKind.NONPROFIT]),
    (_("Employers and business"), [OrganizationKind.EMPLOYER]),
    (_("Educational organisations"), OrganizationKind.educational()),
]


inn_validator = RegexValidator(r"^(\d{10}|\d{12})$", _("INN is 10 digits (organisation) or 12 digits."))


class Organization(models.Model):
    full_name = models.CharField(_("full name"), max_length=500)
    short_name = models.CharField(_("short name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganizationKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("head organisation"),
        help_text=_("For a branch («филиал»): the organisation it belongs to."),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="branches",
    )
    inn = models.CharField(_("INN"), max_length=12, blank=True, validators=[inn_validator])
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["short_name", "full_name"]
        indexes = [models.Index(fields=["kind"])]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="organization_not_own_parent"),
        ]

    def __str__(self):
        return self.short_name or self.full_name

    @property
    def is_educational(self) -> bool:
        return self.kind in OrganizationKind.educational()


class MembershipStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    JOINED = "joined", _("Joined")
    LEFT = "left", _("Left")


class MembershipQuerySet(models.QuerySet):
    def active_on(self, day):
        """Joined on or before ``day`` and not left by then: a member on that day."""
        return self.filter(status=MembershipStatus.JOINED, joined_on__lte=day).filter(
            Q(left_on__isnull=True) | Q(left_on__gt=day)
        )


class Membership(models.Model):
    """One organisation's participation in one cluster, over time."""

    cluster = models.ForeignKey(Cluster, verbose_name=_("cluster"), on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="memberships"
    )
    status = models.CharField(_("status"), max_length=10, choices=MembershipStatus.choices, default=MembershipStatus.JOINED)
    invited_on = models.DateField(_("invited on"), null=True, blank=True)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    document_title = models.CharField(_("accession document"), max_length=300, blank=True)
    document = models.FileField(_("document file"), upload_to="memberships/", blank=True)
    invitation_decision = models.ForeignKey(
        "meetings.Decision",
        verbose_name=_("invitation decision"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invited_memberships",
    )
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["cluster", "organization__short_name"]
        indexes = [models.Index(fields=["cluster", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "organization"],
                condition=~Q(status="left"),
                name="membership_one_open_per_cluster_org",
                violation_error_message=_("This organisation already has an open membership in this cluster."),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(joined_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="membership_left_after_joined",
                violation_error_message=_("The leaving date cannot be before the joining date."),
            ),
            models.CheckConstraint(
                condition=~Q(status="joined") | Q(joined_on__isnull=False),
                name="membership_joined_has_date",
                violation_error_message=_("A joined membership needs the joining date."),
            ),
        ]

    def __str__(self):
        return f"{self.organization} — {self.cluster}"

    def is_active_on(self, day) -> bool:
        if self.status == MembershipStatus.INVITED or not self.joined_on or self.joined_on > day:
            return False
        return self.left_on is None or self.left_on > day


class Person(models.Model):
    last_name = models.CharField(_("surname"), max_length=100)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    position = models.CharField(_("position"), max_length=300, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name", "patronymic"]
        indexes = [models.Index(fields=["last_name"])]

    def __str__(self):
        return self.surname_initials

    @property
    def initials(self) -> str:
        return "".join(f"{part[0]}." for part in (self.first_name, self.patronymic) if part)

    @property
    def initials_surname(self) -> str:
        """«А.Н. Рудометкин», as protocols print signatures and speakers."""
        return f"{self.initials} {self.last_name}".strip()

    @property
    def surname_initials(self) -> str:
        """«Рудометкин А.Н.», as lists and registers print names."""
        return f"{self.last_name} {self.initials}".strip()

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.last_name, self.first_name, self.patronymic) if part)

    @property
    def position_and_organization(self) -> str:
        parts = [self.position, str(self.organization) if self.organization_id else ""]
        return ", ".join(p for p in parts if p)

    @property
    def contact_email(self) -> str:
        """Where mail to this person goes, the one precedence: the register's e-mail (typed by the
        secretary), else their login's. Lists that mail many people select ``user`` with them."""
        return self.email or (self.user.email if self.user_id else "")


def user_contact_email(user) -> str:
    """Where mail to a login goes: its register entry's ``contact_email`` when it has one, else its own."""
    person = getattr(user, "person", None)  # the reverse one-to-one raises an AttributeError when missing
    return person.contact_email if person is not None else user.email


def mail_languages(emails) -> dict[str, str]:
    """{address: the language chosen by the login behind it} for those of ``emails`` that belong to a
    login with a choice (its ``contact_email`` first, then its own address); one query. An address
    missing from the answer is written to in Russian."""
    emails = sorted({e for e in emails if e})
    if not emails:
        return {}
    rows = list(UserProfile.objects.filter(Q(user__email__in=emails) | Q(user__person__email__in=emails))
                .values_list("user__person__email", "user__email", "language").order_by("pk"))
    wanted, found = set(emails), {}
    for person_email, own_email, language in rows:  # the contact address decides
        contact = person_email or own_email
        if contact in wanted:
            found.setdefault(contact, supported_language(language))
    for _person_email, own_email, language in rows:
        if own_email in wanted:
            found.setdefault(own_email, supported_language(language))
    return found


class BodyKind(models.TextChoices):
    COUNCIL = "council", _("Coordination council")
    PRESIDIUM = "presidium", _("Presidium")
    WORKING_GROUP = "working_group", _("Working group")
    GENERAL_MEETING = "general_meeting", _("General meeting of the cluster")

    @classmethod
    def governing(cls):
        """The bodies whose officers are the cluster's officers: a chair or secretary of the
        council or its presidium is chair or secretary of the cluster; of a working group, not."""
        return [cls.COUNCIL, cls.PRESIDIUM]


class AgendaNumbering(models.TextChoices):
    ARABIC = "arabic", _("1, 2, 3")
    ROMAN = "roman", _("I, II, III")


class SignatoriesStyle(models.TextChoices):
    """Who signs a body's protocols (``meetings.protocol.signatories`` resolves it for one protocol)."""

    CHAIR_SECRETARY = "chair_secretary", _("The chair and the secretary")
    CHAIR = "chair", _("The chair alone")
    SECRETARY = "secretary", _("The secretary alone")
    HEAD = "head", _("The head who presided, under their own position (a director)")
    CUSTOM = "custom", _("Signers in a set order")


class ProtocolLayout(models.TextChoices):
    """How a protocol lays out its decisions (DESIGN.md «Styles seen in real protocols»)."""

    PER_ITEM = "per_item", _("Per item: «СЛУШАЛИ», «ВЫСТУПИЛИ», «РЕШИЛИ»")
    SINGLE_BLOCK = "single_block", _("One «РЕШИЛИ» block after all agenda items")
    HEARD = "heard", _("«Заслушав выступление …, РЕШИЛИ:», the speaker in brackets")
    QUESTION = "question", _("«Вопрос №1: …», «РЕШЕНИЕ:» under every item")


class DecisionNumbering(models.TextChoices):
    """How a protocol numbers its decisions (``meetings.models.decision_numbers``)."""

    HIERARCHICAL = "hierarchical", _("With the item's number (1.1., 1.2.)")
    PER_ITEM = "per_item", _("Restarting in each item (1., 2.)")
    NONE = "none", _("Without numbers")


class DateForm(models.TextChoices):
    """How a protocol writes a date in words, in its heading and in deadlines (``core.ru.date_suffix``)."""

    SHORT = "short", _("«12 мая 2023 г.» (short)")
    FULL = "full", _("«12 мая 2023 года» (in full)")


class Body(models.Model):
    cluster = models.ForeignKey(Cluster, verbose_name=_("cluster"), on_delete=models.CASCADE, related_name="bodies")
    kind = models.CharField(_("kind"), max_length=20, choices=BodyKind.choices)
    name = models.CharField(_("name"), max_length=300)
    name_genitive = models.CharField(
        _("name in the genitive"),
        max_length=300,
        blank=True,
        help_text=_("As the protocol title needs it: «Координационного совета»."),
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("parent body"), null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    agenda_numbering = models.CharField(
        _("agenda numbering"), max_length=10, choices=AgendaNumbering.choices, default=AgendaNumbering.ARABIC
    )
    attendance_list_limit = models.PositiveSmallIntegerField(
        _("attendance list limit"),
        null=True,
        blank=True,
        help_text=_("Above this many attendees only the total is printed; empty means the portal default."),
    )
    signatories = models.CharField(
        _("who signs the protocols"), max_length=20, choices=SignatoriesStyle.choices,
        default=SignatoriesStyle.CHAIR_SECRETARY,
        help_text=_("For signers in a set order, list them below (each with the position as printed)."),
    )
    protocol_layout = models.CharField(
        _("protocol layout"), max_length=20, choices=ProtocolLayout.choices, default=ProtocolLayout.PER_ITEM
    )
    decision_numbering = models.CharField(
        _("decision numbers"), max_length=20, choices=DecisionNumbering.choices, default=DecisionNumbering.HIERARCHICAL,
        help_text=_("«1.1.» with the item's number, «1.» restarting in each item, or none."),
    )
    date_form = models.CharField(
        _("date form"), max_length=10, choices=DateForm.choices, default=DateForm.SHORT,
        help_text=_("How the protocol heading and deadlines write a date in words."),
    )

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["cluster", "kind", "name"]

    def __str__(self):
        return self.name

    @property
    def label_with_cluster(self) -> str:
        """«Координационный совет (Кластер ИКТ)»: how choices name a body (load ``cluster`` with it)."""
        return f"{self.name} ({self.cluster})"

    def members_on(self, day=None):
        """The composition as of ``day`` (today by default)."""
        day = day or timezone.localdate()
        return self.memberships.current_on(day).select_related("person__organization")


class SignatoryRow(models.Model):
    """One signer of a set list: a person, the position as printed above the name, the order
    (printed top to bottom, signed in that order)."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    label = models.CharField(_("position as printed"), max_length=300,
                             help_text=_("«Директор Департамента …», printed before the initials and surname."))
    order = models.PositiveSmallIntegerField(_("order"))

    class Meta:
        abstract = True


class BodySignatory(SignatoryRow):
    """A signer of every protocol of a body whose ``signatories`` is ``CUSTOM``."""

    body = models.ForeignKey(Body, verbose_name=_("body"), on_delete=models.CASCADE, related_name="signatory_rows")

    class Meta:
        verbose_name = _("signer of the body's protocols")
        verbose_name_plural = _("signers of the body's protocols")
        ordering = ["body", "order"]
        constraints = [
            models.UniqueConstraint(fields=["body", "order"], name="body_signatory_order_unique"),
            models.UniqueConstraint(fields=["body", "person"], name="body_signatory_person_once",
                                    violation_error_message=_("This person is already among the signers.")),
        ]

    def __str__(self):
        return f"{self.order}. {self.label} {self.person.initials_surname}"


class BodyRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    DEPUTY_CHAIR = "deputy_chair", _("Deputy chair")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")


class BodyMembershipQuerySet(models.QuerySet):
    def current_on(self, day):
        """Seats whose term covers ``day``."""
        return self.filter(term_start__lte=day).filter(Q(term_end__isnull=True) | Q(term_end__gte=day))


class BodyMembership(models.Model):
    """A seat in a body for a term; the presidium roles have one holder at a time."""

    body = models.ForeignKey(Body, verbose_name=_("body"), on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="body_memberships")
    role = models.CharField(_("role"), max_length=20, choices=BodyRole.choices, default=BodyRole.MEMBER)
    term_start = models.DateField(_("term start"))
    term_end = models.DateField(_("term end"), null=True, blank=True)
    appointed_by = models.ForeignKey(
        "meetings.Decision",
        verbose_name=_("appointed by decision"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointments",
    )
    history = HistoricalRecords()

    objects = BodyMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("body membership")
        verbose_name_plural = _("body memberships")
        ordering = ["body", "role", "term_start"]
        indexes = [models.Index(fields=["person", "term_start"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=models.F("term_start")),
                name="body_membership_end_after_start",
                violation_error_message=_("The term cannot end before it starts."),
            ),
            models.UniqueConstraint(
                fields=["body", "role"],
                condition=Q(role__in=["chair", "secretary"], term_end__isnull=True),
                name="body_one_open_chair_or_secretary",
                violation_error_message=_("The body already has a current holder of this role; end their term first."),
            ),
        ]

    def __str__(self):
        return f"{self.person} — {self.get_role_display()} ({self.body})"

    def clean(self):
        super().clean()
        if self.role not in (BodyRole.CHAIR, BodyRole.SECRETARY) or not self.body_id or not self.term_start:
            return
        overlapping = BodyMembership.objects.filter(body_id=self.body_id, role=self.role).exclude(pk=self.pk)
        overlapping = overlapping.filter(Q(term_end__isnull=True) | Q(term_end__gte=self.term_start))
        if self.term_end:
            overlapping = overlapping.filter(term_start__lte=self.term_end)
        if overlapping.exists():
            raise ValidationError(
                _("The body has another %(role)s in this period.") % {"role": self.get_role_display().lower()}
            )

    def is_current_on(self, day) -> bool:
        return self.term_start <= day and (self.term_end is None or self.term_end >= day)


class PortalRole(models.TextChoices):
    SECRETARY = "secretary", _("Secretary")
    CHAIR = "chair", _("Chair")
    DEPUTY_CHAIR = "deputy_chair", _("Deputy chair")
    MEMBER = "member", _("Member")
    # A ministry or regional department following the cluster (``members.access``): reads its published
    # protocols, plans and execution, never a draft, never writes. Granted by the portal administrator only.
    COORDINATOR = "coordinator", _("Coordinator")


class ClusterRole(models.Model):
    """An explicit grant of a portal role in a cluster, on top of body membership."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("login"), on_delete=models.CASCADE, related_name="cluster_roles"
    )
    cluster = models.ForeignKey(Cluster, verbose_name=_("cluster"), on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("role"), max_length=20, choices=PortalRole.choices)
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)

    class Meta:
        verbose_name = _("portal role")
        verbose_name_plural = _("portal roles")
        constraints = [models.UniqueConstraint(fields=["user", "cluster", "role"], name="cluster_role_unique")]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} ({self.cluster})"


class AddresseeCategory(models.Model):
    """A named addressee of decisions that is not an organisation kind («Инициаторам создания
    образовательно-производственных центров (кластеров) … созданных в 2023 году»): defined once by the
    cluster's secretary, printed as written, fanned out to the assignments of the organisations it
    covers (and, for a coordinating authority, of the clusters it covers: their coordination councils).
    Written by ``members.services.addressee_category_save``."""

    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster"), on_delete=models.CASCADE, related_name="addressee_categories"
    )
    name = models.TextField(_("name as printed"))
    organizations = models.ManyToManyField(
        Organization, verbose_name=_("covered organisations"), blank=True, related_name="addressee_categories"
    )
    clusters = models.ManyToManyField(
        Cluster, verbose_name=_("covered clusters"), blank=True, related_name="covering_categories"
    )
    # A coordinating authority may define the covered clusters by a rule instead of (or on top of) a list:
    # «кластерам, созданным в 2023 году», «кластерам Смоленской области». Evaluated at fan-out
    # (``rule_q``): every condition set must hold; no condition set means no rule.
    rule_founded_year = models.PositiveSmallIntegerField(
        _("clusters founded in the year"), null=True, blank=True,
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
    )
    rule_region = models.CharField(_("clusters of the region"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("addressee category")
        verbose_name_plural = _("addressee categories")
        ordering = ["cluster", "name"]

    def __str__(self):
        return self.name

    @property
    def has_rule(self) -> bool:
        return self.rule_founded_year is not None or bool(self.rule_region)

    def rule_q(self) -> Q | None:
        """The clusters the rule covers, as a condition on ``Cluster`` (None without a rule). Only clusters:
        an authority never covers itself or another authority."""
        if not self.has_rule:
            return None
        condition = Q(kind=ClusterKind.CLUSTER)
        if self.rule_founded_year is not None:
            condition &= Q(founded_on__year=self.rule_founded_year)
        if self.rule_region:
            condition &= Q(region__iexact=self.rule_region)
        return condition

    @property
    def rule_display(self) -> str:
        parts = []
        if self.rule_founded_year is not None:
            parts.append(_("founded in %(year)s") % {"year": self.rule_founded_year})
        if self.rule_region:
            parts.append(_("region: %(region)s") % {"region": self.rule_region})
        return "; ".join(str(p) for p in parts)
