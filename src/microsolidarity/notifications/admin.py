from django.contrib import admin

from microsolidarity.notifications.models import Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["person", "kind", "text", "created_at", "read_at", "emailed_at"]
    list_filter = ["kind"]
    raw_id_fields = ["person"]
    list_select_related = ["person"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["person", "kind", "delivery"]
    raw_id_fields = ["person"]
    list_select_related = ["person"]
