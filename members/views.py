"""Pages of the member register. Each view asks ``selectors`` for the object first
(objects outside the user's clusters → 404), then checks the role, then calls a service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from core import ru
from core.errors import DomainError
from members import exports, panels, register_html, selectors, services
from members.access import get_cluster_for_user, visible_cluster_list, visible_clusters
from members.filters import ANY, RegisterFilter, casefold_filter
from members.forms import (
    AddresseeCategoryForm,
    AsOfDateForm,
    BodyAddForm,
    BodyForm,
    ClusterCreateForm,
    ClusterForm,
    CompositionChangeForm,
    InviteForm,
    JoinForm,
    LeaveForm,
    OrganizationAddForm,
    OrganizationForm,
    PersonAddForm,
    PersonForm,
    PersonLoginForm,
    RoleGrantForm,
    SeatEndForm,
    signatories_forms,
    signatory_entries,
)
from members.models import AddresseeCategory, BodyMembership, Cluster, ClusterRole, Membership, Organization, PortalRole


def _require(allowed: bool):
    if not allowed:
        raise PermissionDenied


def _as_of(request):
    form = AsOfDateForm(request.GET)
    day = form.cleaned_data.get("on") if form.is_valid() else None
    return day or selectors.today(), bool(day)


def _register_context(request, *, for_text_only=False):
    """``for_text_only``: the filter's queryset is read only by a text search (``_register_memberships``),
    so the page builds it only then; the export always reads it."""
    cluster = selectors.chosen_cluster(request.user, request.GET.get("cluster"))
    day, dated = _as_of(request)
    searched = bool((request.GET.get("text") or "").strip())
    queryset = (selectors.register_memberships(cluster, day) if searched or not for_text_only
                else Membership.objects.none())
    register = RegisterFilter(request.GET, queryset=queryset)
    return cluster, day, dated, register


# ---------------------------------------------------------------- organisations

def _register_memberships(register, cluster, day):
    """The filtered register: a prepared query unless a text is searched (``selectors.register_rows``)."""
    data = register.form.cleaned_data
    if (data.get("text") or "").strip():
        return register.qs
    status = data.get("status")
    return selectors.register_rows(cluster, day, status=status if status and status != ANY else None,
                                   kind=data.get("kind") or None)


@login_required
@require_GET
def organization_list(request):
    cluster, day, dated, register = _register_context(request, for_text_only=True)
    groups = selectors.group_register(_register_memberships(register, cluster, day)) if register.is_valid() else []
    clusters = visible_cluster_list(request.user)
    return render(request, "members/organization_list.html", {
        "cluster": cluster, "day": day, "dated": dated, "groups": groups,
        "groups_html": register_html.groups_html(groups),
        "filter_html": register_html.filter_html(register=register, clusters=clusters, cluster=cluster, dated=dated, day=day),
        "bodies": selectors.cluster_body_list(cluster.pk),
        "can_edit": cluster.pk in selectors.secretary_cluster_ids(request.user),
        "total": sum(group.count for group in groups), "query": request.GET.urlencode(),
    })


@login_required
@require_GET
def register_export(request):
    cluster, day, _dated, register = _register_context(request)
    groups = selectors.group_register(register.qs) if register.is_valid() else []
    response = HttpResponse(exports.register_xlsx(cluster, day, groups), content_type=exports.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="register-{day:%Y-%m-%d}.xlsx"'
    return response


@login_required
@require_GET
def membership_document(request, pk, membership):
    """A membership's accession document, only to those who see the organisation in that cluster (never /media/)."""
    organization, access = selectors.get_organization_for_user(request.user, pk)
    found = get_object_or_404(
        organization.memberships.filter(cluster_id__in=access.cluster_ids).exclude(document=""), pk=membership
    )
    return FileResponse(found.document.open("rb"), as_attachment=True, filename=found.document.name.rsplit("/", 1)[-1])


@login_required
@require_GET
def organization_detail(request, pk):
    organization, access = selectors.get_organization_for_user(request.user, pk)
    cluster_ids = access.cluster_ids
    return render(request, "members/organization_detail.html", {
        "organization": organization, "can_edit": access.can_edit, "sees_contacts": access.sees_contacts,
        "memberships": list(selectors.organization_memberships(organization, cluster_ids)),
        "representatives": list(organization.people.order_by("last_name", "first_name")),
        "branches": list(organization.branches.all()),
        "managed_clusters": Cluster.objects.filter(pk__in=access.managed_ids),
        **panels.organization_sections(request.user, organization),
    })


@login_required
def organization_create(request):
    managed = selectors.secretary_cluster_ids(request.user)
    _require(bool(managed))
    form = OrganizationAddForm(
        request.POST or None, request.FILES or None, clusters=Cluster.objects.filter(pk__in=managed),
        parents=selectors.organizations_visible_to(request.user),
        find_duplicates=lambda d: selectors.organization_namesakes(request.user, d["full_name"], d["short_name"]),
    )
    if request.method == "POST" and form.is_valid():
        try:
            organization = services.organization_create(**form.service_data())
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The organisation is added to the register."))
            return redirect("members:organization-detail", pk=organization.pk)
    return render(request, "members/organization_form.html", {"form": form})


@login_required
def organization_edit(request, pk):
    organization, access = selectors.get_organization_for_user(request.user, pk)
    _require(access.can_edit)
    form = OrganizationForm(request.POST or None, instance=organization,
                            parents=selectors.organizations_visible_to(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.organization_update(organization=organization, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("members:organization-detail", pk=organization.pk)
    return render(request, "members/organization_form.html", {"form": form, "organization": organization})


MEMBERSHIP_ACTIONS = {
    "invite": (InviteForm, services.membership_invite, gettext_lazy("Invitation to join")),
    "join": (JoinForm, services.membership_join, gettext_lazy("Accession to the agreement")),
    "leave": (LeaveForm, services.membership_leave, gettext_lazy("Leaving the cluster")),
}


@login_required
def organization_membership(request, pk, action):
    organization, access = selectors.get_organization_for_user(request.user, pk)
    _require(access.can_edit)
    form_class, service, title = MEMBERSHIP_ACTIONS[action]
    form = form_class(request.POST or None, request.FILES or None, clusters=Cluster.objects.filter(pk__in=access.managed_ids),
                      initial={"on": selectors.today()})
    if request.method == "POST" and form.is_valid():
        try:
            service(organization=organization, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The membership history is updated."))
            return redirect("members:organization-detail", pk=organization.pk)
    return render(request, "members/membership_form.html",
                  {"form": form, "organization": organization, "title": title, "action": action})


# ---------------------------------------------------------------- people

@login_required
@require_GET
def person_list(request):
    cluster = selectors.chosen_cluster(request.user, request.GET.get("cluster"))
    query = request.GET.get("q", "").strip()
    people = selectors.people_visible_in([cluster.pk])
    if query:
        people = casefold_filter(people, ["last_name"], query)
    people = selectors.with_people_context(people.order_by("last_name", "first_name", "pk"))
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    return render(request, "members/person_list.html", {
        "cluster": cluster, "clusters": list(visible_clusters(request.user)), "page": page, "query": query,
        "can_edit": cluster.pk in selectors.secretary_cluster_ids(request.user), "day": selectors.today(),
    })


@login_required
@require_GET
def person_detail(request, pk):
    person, access = selectors.get_person_for_user(request.user, pk)
    return render(request, "members/person_detail.html", {
        "person": person, "can_edit": access.can_edit, "sees_contacts": access.sees_contacts, "day": selectors.today(),
        "can_link_login": request.user.is_superuser,
        "seats": selectors.person_seats(person, access.cluster_ids),
        **panels.person_sections(request.user, person),
    })


def _person_form(request, person=None):
    organizations = Organization.objects.filter(
        memberships__cluster_id__in=selectors.secretary_cluster_ids(request.user)
    ).distinct()
    if person is None:
        form = PersonAddForm(request.POST or None, organizations=organizations,
                             initial={"organization": request.GET.get("organization")},
                             find_duplicates=lambda d: _person_namesakes(request.user, d))
    else:
        form = PersonForm(request.POST or None, instance=person, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "confirm_duplicate"}
        try:
            if person is None:
                person = services.person_create(**data)
            else:
                services.person_update(person=person, **data)
        except services.DuplicatePersonError as error:
            form.add_error(None, str(error))
            return render(request, "members/person_form.html", {"form": form, "person": person, "existing": error.existing})
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("members:person-detail", pk=person.pk)
    return render(request, "members/person_form.html", {"form": form, "person": person})


def _person_namesakes(user, data):
    # The same name in the same organisation is refused outright by the service (and offered instead).
    names = {k: data[k] for k in ("last_name", "first_name", "patronymic")}
    if services.person_duplicate(organization=data.get("organization"), **names):
        return []
    return selectors.person_namesakes(user, **names)


@login_required
def person_create(request):
    _require(bool(selectors.secretary_cluster_ids(request.user)))
    return _person_form(request)


@login_required
def person_edit(request, pk):
    person, access = selectors.get_person_for_user(request.user, pk)
    _require(access.can_edit)
    return _person_form(request, person)


# ---------------------------------------------------------------- bodies

@login_required
@require_GET
def body_detail(request, pk):
    body, access = selectors.get_body_for_user(request.user, pk)
    day, dated = _as_of(request)
    current, past, future = selectors.body_composition(body, day)
    return render(request, "members/body_detail.html", {
        "body": body, "signers": body.signatory_rows.select_related("person").order_by("order"),
        "can_change_composition": access.is_secretary, "day": day, "dated": dated, "current": current, "past": past,
        "future": future, "today": selectors.today(),
    })


@login_required
def body_change(request, pk):
    body, access = selectors.get_body_for_user(request.user, pk)
    _require(access.is_secretary)
    form = CompositionChangeForm(request.POST or None, body=body, people=selectors.people_visible_in([body.cluster_id]).select_related("organization"),
                                 initial={"on": selectors.today(), "role": request.GET.get("role")})
    if request.method == "POST" and form.is_valid():
        try:
            services.body_change_composition(body=body, by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            day = form.cleaned_data["on"]
            messages.success(request, _("The composition is changed from %(day)s.") % {"day": ru.ru_date(day)})
            return redirect(f"{reverse('members:body-detail', args=[body.pk])}?on={day:%Y-%m-%d}")
    return render(request, "members/body_change_form.html", {"form": form, "body": body})


@login_required
@require_POST
def seat_end(request, pk):
    seat = get_object_or_404(BodyMembership.objects.select_related("body", "person"), pk=pk)
    body, access = selectors.get_body_for_user(request.user, seat.body_id)
    _require(access.is_secretary)
    form = SeatEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the last day of the term."))
    else:
        try:
            services.body_membership_end(seat=seat, on=form.cleaned_data["on"])
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The term of %(person)s is ended.") % {"person": seat.person})
    return redirect("members:body-detail", pk=body.pk)


def _secretary_cluster(request, pk):
    """The cluster for a secretary's page: outsiders 404, readers without the secretary role 403."""
    cluster, access = get_cluster_for_user(request.user, pk)
    _require(access.is_secretary)
    return cluster, access


@login_required
def body_create(request, pk):
    cluster, _access = _secretary_cluster(request, pk)
    form = BodyAddForm(request.POST or None, cluster=cluster,
                       find_duplicates=lambda d: selectors.body_namesakes(cluster, d["name"]))
    if request.method == "POST" and form.is_valid():
        try:
            body = services.body_create(cluster=cluster, **form.service_data())
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The body is added. Now enter its composition."))
            return redirect("members:body-detail", pk=body.pk)
    return render(request, "members/body_form.html", {"form": form, "cluster": cluster})


@login_required
def body_edit(request, pk):
    body, access = selectors.get_body_for_user(request.user, pk)
    _require(access.is_secretary)
    form = BodyForm(request.POST or None, instance=body)
    if request.method == "POST" and form.is_valid():
        try:
            services.body_update(body=body, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("members:body-detail", pk=body.pk)
    return render(request, "members/body_form.html", {"form": form, "cluster": body.cluster, "body": body})


@login_required
def body_signatories(request, pk):
    """Who signs the body's protocols: the secretary of its cluster sets the way, or the signers in order."""
    body, access = selectors.get_body_for_user(request.user, pk)
    _require(access.is_secretary)
    data = request.POST if request.method == "POST" else None
    form, formset = signatories_forms(data, cluster_id=body.cluster_id, style=body.signatories,
                                      rows=body.signatory_rows.order_by("order"))
    if data is not None and form.is_valid() and formset.is_valid():
        try:
            services.body_signatories_set(body=body, style=form.cleaned_data["style"],
                                          entries=signatory_entries(formset))
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved. Protocols approved from now on are signed so; approved and signed "
                                        "ones keep their signers."))
            return redirect("members:body-detail", pk=body.pk)
    return render(request, "members/body_signatories.html", {"body": body, "form": form, "formset": formset})


# ---------------------------------------------------------------- people's logins (portal administrator)

@login_required
def person_login(request, pk):
    person, _access = selectors.get_person_for_user(request.user, pk)
    _require(request.user.is_superuser)
    logins = get_user_model().objects.filter(is_active=True).order_by("username")
    form = PersonLoginForm(request.POST or None, logins=logins, initial={"user": person.user_id})
    if request.method == "POST" and form.is_valid():
        try:
            services.person_link_login(by=request.user, person=person, user=form.cleaned_data["user"])
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("members:person-detail", pk=person.pk)
    return render(request, "members/person_login_form.html", {"form": form, "person": person})


# ---------------------------------------------------------------- clusters

@login_required
@require_GET
def cluster_list(request):
    secretary_of = set(selectors.secretary_cluster_ids(request.user))
    clusters = [(cluster, cluster.pk in secretary_of) for cluster in visible_clusters(request.user).order_by("name")]
    return render(request, "members/cluster_list.html",
                  {"clusters": clusters, "can_create": request.user.is_superuser})


@login_required
def cluster_create(request):
    _require(request.user.is_superuser)
    logins = get_user_model().objects.filter(is_active=True).exclude(pk=request.user.pk).order_by("username")
    form = ClusterCreateForm(request.POST or None, logins=logins,
                             find_duplicates=lambda d: selectors.cluster_namesakes(d["name"], d["short_name"]))
    if request.method == "POST" and form.is_valid():
        try:
            cluster = services.cluster_create(by=request.user, **form.service_kwargs())
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The cluster is set up. Its secretary can now log in and enter protocols."))
            return redirect("clusters:cluster-roles", pk=cluster.pk)
    return render(request, "members/cluster_create.html", {"form": form})


@login_required
def cluster_edit(request, pk):
    cluster, _access = _secretary_cluster(request, pk)
    form = ClusterForm(request.POST or None, request.FILES or None, instance=cluster)
    if request.method == "POST" and form.is_valid():
        try:
            services.cluster_update(cluster=cluster, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("clusters:cluster-list")
    return render(request, "members/cluster_form.html", {"form": form, "cluster": cluster})


def _grant_form(request, cluster, data=None):
    if request.user.is_superuser:
        logins, roles = get_user_model().objects.filter(is_active=True).order_by("username"), None
    else:
        logins, roles = selectors.cluster_users(cluster), services.SECRETARY_GRANTABLE_ROLES
    return RoleGrantForm(data, logins=logins.exclude(pk=request.user.pk), roles=roles,
                         initial={"role": PortalRole.MEMBER})


@login_required
def cluster_roles(request, pk):
    """Who holds which role in the cluster: from the composition, through membership, by grant."""
    cluster, _access = _secretary_cluster(request, pk)
    form = _grant_form(request, cluster, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cluster_role_grant(by=request.user, cluster=cluster, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The role is granted."))
            return redirect("clusters:cluster-roles", pk=cluster.pk)
    day = selectors.today()
    grants = [(grant, services.cluster_role_revoke_problem(by=request.user, grant=grant) is None)
              for grant in selectors.cluster_role_grants(cluster)]
    return render(request, "members/cluster_roles.html", {
        "cluster": cluster, "form": form, "grants": grants, "day": day, "grants_any_role": request.user.is_superuser,
        "seats": selectors.cluster_seat_roles(cluster, day),
        "member_logins": selectors.cluster_member_logins(cluster, day),
        "bodies": list(cluster.bodies.order_by("kind", "name")),
    })


@login_required
@require_POST
def cluster_role_revoke(request, pk, grant):
    cluster, _access = _secretary_cluster(request, pk)
    grant = get_object_or_404(ClusterRole.objects.select_related("user"), pk=grant, cluster=cluster)
    try:
        services.cluster_role_revoke(by=request.user, grant=grant)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The role of %(user)s is taken away.") % {"user": grant.user.get_username()})
    return redirect("clusters:cluster-roles", pk=cluster.pk)


# ---------------------------------------------------------------- addressee categories (the cluster's secretary)

@login_required
@require_GET
def addressee_list(request, pk):
    """The cluster's named addressees («Инициаторам создания …») with what each covers."""
    cluster, _access = _secretary_cluster(request, pk)
    categories = selectors.addressee_categories(cluster)
    return render(request, "members/addressee_list.html", {"cluster": cluster, "categories": categories})


@login_required
def addressee_edit(request, pk, category=None):
    """New (``category`` None) or edit: one form; the rules are ``services.addressee_category_save``'s."""
    cluster, _access = _secretary_cluster(request, pk)
    instance = get_object_or_404(AddresseeCategory, pk=category, cluster=cluster) if category is not None else None
    initial = {"name": instance.name, "organizations": list(instance.organizations.all()),
               "clusters": list(instance.clusters.all()), "rule_founded_year": instance.rule_founded_year,
               "rule_region": instance.rule_region} if instance else None
    form = AddresseeCategoryForm(request.POST or None, cluster=cluster, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.addressee_category_save(cluster=cluster, category=instance, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("clusters:addressee-list", pk=cluster.pk)
    return render(request, "members/addressee_form.html", {"cluster": cluster, "form": form, "category": instance})
