"""Operators' admin for crewing: calls, formats, cycles and meetings.

Retrospectives and attendance are left out on purpose: they are the crew's own.
"""

from django.contrib import admin

from microsolidarity.crewing.models import (
    CrewCall,
    CrewCycle,
    CrewingSettings,
    CrewMeeting,
    MeetingTemplate,
)


@admin.register(CrewingSettings)
class CrewingSettingsAdmin(admin.ModelAdmin):
    list_display = ["congregation", "calls_by", "check_in_every_days"]
    raw_id_fields = ["congregation"]


@admin.register(MeetingTemplate)
class MeetingTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "congregation", "created_at"]
    raw_id_fields = ["congregation", "created_by"]
    list_select_related = ["congregation"]


@admin.register(CrewCall)
class CrewCallAdmin(admin.ModelAdmin):
    list_display = ["intention", "congregation", "caller", "status", "created_at"]
    list_filter = ["status", "rhythm"]
    raw_id_fields = ["congregation", "caller", "crew", "template"]
    list_select_related = ["congregation", "caller"]


class CrewMeetingInline(admin.TabularInline):
    model = CrewMeeting
    extra = 0
    fields = ["number", "occurrence", "focus", "host"]
    raw_id_fields = ["occurrence", "focus", "host"]


@admin.register(CrewCycle)
class CrewCycleAdmin(admin.ModelAdmin):
    list_display = ["crew", "number", "starts_on", "ends_on", "status"]
    list_filter = ["status"]
    raw_id_fields = ["crew", "series", "template", "formation_round", "call"]
    list_select_related = ["crew"]
    # The outcome lists who chose what; operators see the state, not the answers.
    exclude = ["outcome"]
    inlines = [CrewMeetingInline]
