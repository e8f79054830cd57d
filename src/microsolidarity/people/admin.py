from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from microsolidarity.people.models import ApiToken, Person, Profile


@admin.register(Person)
class PersonAdmin(UserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "display_name"]
    fieldsets = [
        (None, {"fields": ["email", "password", "display_name"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    filter_horizontal = ["groups"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["person", "timezone", "town_name"]
    search_fields = ["person__email", "person__display_name"]
    list_select_related = ["person"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "person", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_select_related = ["person"]
    readonly_fields = ["prefix", "key_hash", "created_at", "last_used_at"]
