"""Routes of the parts journal; the project mounts them at me/journal/."""

from django.urls import path

from microsolidarity.journal import views

urlpatterns = [
    path("", views.journal_home, name="journal_home"),
    path("new/", views.entry_create, name="journal_entry_create"),
    path("entries/<int:entry_id>/", views.entry_detail, name="journal_entry_detail"),
    path("entries/<int:entry_id>/edit/", views.entry_edit, name="journal_entry_edit"),
    path("entries/<int:entry_id>/delete/", views.entry_delete, name="journal_entry_delete"),
    path("parts/new/", views.part_create, name="journal_part_create"),
    path("parts/<int:part_id>/", views.part_edit, name="journal_part_edit"),
    path("parts/<int:part_id>/delete/", views.part_delete, name="journal_part_delete"),
    path("export/", views.journal_export, name="journal_export"),
    path("delete/", views.journal_delete_all, name="journal_delete_all"),
]
