from django.contrib import admin

from microsolidarity.groups.models import Group, HostTerm, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["person", "invited_by"]
    fields = ["person", "role", "role_until", "tier", "state", "joined_via", "started_at"]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "scale", "parent", "join_policy", "visibility", "status"]
    list_filter = ["scale", "join_policy", "visibility", "status"]
    search_fields = ["name", "slug", "region"]
    raw_id_fields = ["parent", "created_by"]
    list_select_related = ["parent"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["person", "group", "role", "tier", "state", "joined_via", "created_at"]
    list_filter = ["state", "role", "joined_via", "group__scale"]
    search_fields = ["person__email", "person__display_name", "group__name"]
    raw_id_fields = ["person", "group", "invited_by"]
    list_select_related = ["person", "group"]


@admin.register(HostTerm)
class HostTermAdmin(admin.ModelAdmin):
    list_display = ["group", "person", "role", "starts_on", "ends_on", "ended_on"]
    raw_id_fields = ["group", "person"]
    list_select_related = ["group", "person"]
