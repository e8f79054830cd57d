"""Routes of the network: its pages, and the ActivityPub and WebFinger endpoints."""

from django.urls import path

from microsolidarity.network import federation_views, views

urlpatterns = [
    path("network/", views.directory, name="network_directory"),
    path("network/map/", views.network_map, name="network_map"),
    path("network/map/me/", views.map_choice, name="network_map_choice"),
    path("network/calendar/", views.calendar, name="network_calendar"),
    path("network/listing/<slug:slug>/", views.listing_edit, name="network_listing_edit"),
    path("network/federation/", views.federation, name="network_federation"),
    path(".well-known/webfinger", federation_views.webfinger, name="federation_webfinger"),
    path("federation/actor", federation_views.instance_actor, name="federation_instance"),
    path("federation/actor/inbox", federation_views.inbox, name="federation_instance_inbox"),
    path(
        "federation/actor/outbox",
        federation_views.instance_outbox,
        name="federation_instance_outbox",
    ),
    path("federation/inbox", federation_views.inbox, name="federation_shared_inbox"),
    path("federation/groups/<slug:slug>", federation_views.group_actor, name="federation_group"),
    path(
        "federation/groups/<slug:slug>/inbox", federation_views.inbox, name="federation_group_inbox"
    ),
    path(
        "federation/groups/<slug:slug>/outbox",
        federation_views.group_outbox,
        name="federation_group_outbox",
    ),
    path(
        "federation/groups/<slug:slug>/followers",
        federation_views.group_followers,
        name="federation_group_followers",
    ),
    path("federation/events/<int:occurrence_id>", federation_views.event, name="federation_event"),
]
