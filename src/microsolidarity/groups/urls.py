from django.urls import path

from microsolidarity.groups import invitation_views, views

urlpatterns = [
    path("groups/", views.group_list, name="group_list"),
    path("groups/new/", views.group_create, name="group_create"),
    path("g/<slug:slug>/", views.group_detail, name="group_detail"),
    path("g/<slug:slug>/edit/", views.group_edit, name="group_edit"),
    path("g/<slug:slug>/join/", views.group_join, name="group_join"),
    path("g/<slug:slug>/request/", views.group_request, name="group_request"),
    path("g/<slug:slug>/withdraw/", views.group_withdraw, name="group_withdraw"),
    path("g/<slug:slug>/accept/", views.group_accept, name="group_accept"),
    path("g/<slug:slug>/decline/", views.group_decline, name="group_decline"),
    path("g/<slug:slug>/leave/", views.group_leave, name="group_leave"),
    path("g/<slug:slug>/pause/", views.group_pause, name="group_pause"),
    path("g/<slug:slug>/invite/", views.group_invite, name="group_invite"),
    path("g/<slug:slug>/rotate-host/", views.group_rotate_host, name="group_rotate_host"),
    path(
        "g/<slug:slug>/requests/<int:membership_id>/",
        views.request_answer,
        name="group_request_answer",
    ),
    path("g/<slug:slug>/members/", views.group_members, name="group_members"),
    path(
        "g/<slug:slug>/members/<int:membership_id>/",
        views.membership_manage,
        name="group_membership_manage",
    ),
    path("invitations/<str:token>/", invitation_views.invitation_open, name="invitation_open"),
    path("people/<int:person_id>/", views.person_detail, name="person_detail"),
    path("people/<int:person_id>/dyad/", views.dyad_propose, name="dyad_propose"),
]
