from django.urls import path

from microsolidarity.outreach import views

urlpatterns = [
    path("g/<slug:slug>/newsletter/", views.subscribe, name="newsletter_subscribe"),
    path("newsletter/confirm/<str:token>/", views.confirm, name="newsletter_confirm"),
    path("newsletter/unsubscribe/<str:token>/", views.unsubscribe, name="newsletter_unsubscribe"),
    path("g/<slug:slug>/outreach/", views.outreach_home, name="outreach_home"),
    path("g/<slug:slug>/outreach/issues/new/", views.issue_new, name="newsletter_issue_new"),
    path("g/<slug:slug>/outreach/issues/<int:pk>/", views.issue_detail, name="newsletter_issue"),
    path(
        "g/<slug:slug>/outreach/issues/<int:pk>/send/",
        views.issue_send,
        name="newsletter_issue_send",
    ),
    path(
        "g/<slug:slug>/outreach/issues/<int:pk>/delete/",
        views.issue_delete,
        name="newsletter_issue_delete",
    ),
    path("g/<slug:slug>/outreach/chat/new/", views.chat_new, name="chat_rule_new"),
    path("g/<slug:slug>/outreach/chat/<int:pk>/test/", views.chat_test, name="chat_rule_test"),
    path(
        "g/<slug:slug>/outreach/chat/<int:pk>/delete/", views.chat_delete, name="chat_rule_delete"
    ),
    path("g/<slug:slug>/outreach/webhooks/new/", views.webhook_new, name="webhook_new"),
    path("g/<slug:slug>/outreach/webhooks/<int:pk>/", views.webhook_detail, name="webhook_detail"),
    path("g/<slug:slug>/outreach/webhooks/<int:pk>/test/", views.webhook_test, name="webhook_test"),
    path(
        "g/<slug:slug>/outreach/webhooks/<int:pk>/delete/",
        views.webhook_delete,
        name="webhook_delete",
    ),
    path("outreach/webhooks/", views.webhook_new, name="site_webhooks"),
    path("outreach/webhooks/<int:pk>/", views.webhook_detail, name="site_webhook_detail"),
    path("outreach/webhooks/<int:pk>/test/", views.webhook_test, name="site_webhook_test"),
    path("outreach/webhooks/<int:pk>/delete/", views.webhook_delete, name="site_webhook_delete"),
    path("me/digest/", views.digest_settings, name="digest_settings"),
    path("digest/off/<str:token>/", views.digest_off, name="digest_off"),
]
