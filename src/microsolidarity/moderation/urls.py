from django.urls import path

from microsolidarity.moderation import views

urlpatterns = [
    path("moderation/report/", views.report_new, name="moderation_report"),
    path("me/moderation/", views.mine, name="moderation_mine"),
    path("moderation/notice/<str:token>/", views.notice, name="moderation_notice"),
    path(
        "me/moderation/<int:action_id>/respond/",
        views.respond,
        name="moderation_respond",
    ),
    path("g/<slug:slug>/moderation/", views.queue, name="moderation_queue"),
    path("g/<slug:slug>/moderation/act/", views.act, name="moderation_act"),
    path("g/<slug:slug>/moderation/log/", views.log, name="moderation_log"),
    path(
        "g/<slug:slug>/moderation/reports/<int:report_id>/dismiss/",
        views.dismiss,
        name="moderation_dismiss",
    ),
    path(
        "g/<slug:slug>/moderation/actions/<int:action_id>/reverse/",
        views.undo,
        name="moderation_reverse",
    ),
]
