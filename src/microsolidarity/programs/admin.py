"""Operators' admin for programs: templates with their modules, cohorts and their places.

The pathway (ratings and notes) is left out on purpose: it is its person's alone.
"""

from django.contrib import admin

from microsolidarity.programs.models import Cohort, Module, Program, Seat


class ModuleInline(admin.StackedInline):
    model = Module
    extra = 0


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "weeks", "created_at"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner", "created_by"]
    inlines = [ModuleInline]


class SeatInline(admin.TabularInline):
    model = Seat
    extra = 0
    raw_id_fields = ["person"]
    fields = ["person", "state", "queued_at", "joined_at"]
    readonly_fields = ["queued_at", "joined_at"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["title", "program", "capacity", "created_at"]
    list_select_related = ["program"]
    raw_id_fields = ["program", "group", "series", "formation_round", "created_by"]
    filter_horizontal = ["facilitators"]
    inlines = [SeatInline]
