from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from members.models import Body, BodyMembership, BodySignatory, Cluster, ClusterRole, Membership, Organization, Person


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organization"]
    fields = ["organization", "status", "invited_on", "joined_on", "left_on", "document_title"]


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "region", "founded_on"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "region"]
    inlines = [MembershipInline]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["short_name", "full_name", "kind", "parent", "inn"]
    list_filter = ["kind", ("memberships__cluster", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["parent"]
    search_fields = ["short_name", "full_name", "inn"]
    autocomplete_fields = ["parent"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["organization", "cluster", "status", "invited_on", "joined_on", "left_on"]
    list_filter = [("cluster", admin.RelatedOnlyFieldListFilter), "status", "organization__kind"]
    list_select_related = ["organization", "cluster"]
    search_fields = ["organization__short_name", "organization__full_name"]
    autocomplete_fields = ["organization", "invitation_decision"]
    date_hierarchy = "joined_on"


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "patronymic", "position", "organization", "email", "user"]
    list_filter = ["organization__kind"]
    list_select_related = ["organization", "user"]
    search_fields = ["last_name", "first_name", "patronymic", "position", "organization__short_name"]
    autocomplete_fields = ["organization", "user"]


class BodyMembershipInline(admin.TabularInline):
    model = BodyMembership
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["person", "role", "term_start", "term_end"]


class BodySignatoryInline(admin.TabularInline):
    model = BodySignatory
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["order", "person", "label"]


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "cluster", "kind", "parent", "agenda_numbering", "signatories"]
    list_filter = [("cluster", admin.RelatedOnlyFieldListFilter), "kind"]
    list_select_related = ["cluster", "parent"]
    search_fields = ["name"]
    inlines = [BodyMembershipInline, BodySignatoryInline]


@admin.register(BodyMembership)
class BodyMembershipAdmin(SimpleHistoryAdmin):
    list_display = ["person", "body", "role", "term_start", "term_end"]
    list_filter = [("body__cluster", admin.RelatedOnlyFieldListFilter), "role", ("body", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["person", "body"]
    search_fields = ["person__last_name", "body__name"]
    autocomplete_fields = ["person", "body", "appointed_by"]


@admin.register(ClusterRole)
class ClusterRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "cluster", "role", "granted_at"]
    list_filter = [("cluster", admin.RelatedOnlyFieldListFilter), "role"]
    list_select_related = ["user", "cluster"]
    search_fields = ["user__username", "user__last_name"]
    autocomplete_fields = ["user"]
