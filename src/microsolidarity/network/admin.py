"""The operators' admin for federation: servers, remote actors, follows and deliveries."""

from django.contrib import admin

from microsolidarity.network.models import (
    Delivery,
    Follower,
    Following,
    Listing,
    RemoteActor,
    RemoteEvent,
    RemoteServer,
)


@admin.register(Listing)
class ListingAdmin(admin.ModelAdmin):
    list_display = ["group", "listed", "town_name", "meets_online", "federated"]
    list_filter = ["listed", "meets_online", "federated"]


@admin.register(RemoteServer)
class RemoteServerAdmin(admin.ModelAdmin):
    list_display = ["domain", "blocked_at", "blocked_reason", "created_at"]
    search_fields = ["domain"]


@admin.register(RemoteActor)
class RemoteActorAdmin(admin.ModelAdmin):
    list_display = ["uri", "actor_type", "name", "fetched_at"]
    search_fields = ["uri", "name"]
    readonly_fields = ["public_key_pem"]


@admin.register(Follower)
class FollowerAdmin(admin.ModelAdmin):
    list_display = ["actor", "group", "state", "created_at", "decided_at"]
    list_filter = ["state"]


@admin.register(Following)
class FollowingAdmin(admin.ModelAdmin):
    list_display = ["actor", "state", "created_at", "accepted_at"]
    list_filter = ["state"]


@admin.register(RemoteEvent)
class RemoteEventAdmin(admin.ModelAdmin):
    list_display = ["name", "actor", "starts_at", "cancelled"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["inbox", "state", "attempts", "next_attempt_at", "last_error"]
    list_filter = ["state"]
