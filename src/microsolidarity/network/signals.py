"""A saved or deleted gathering, occurrence or congregation brings its followers up to date.

Gatherings and groups sit below this app, so they cannot call it; these receivers only queue
`group_publish` after the commit, and only for groups that have followers or shared events.
The `federation_deliver` command also runs it for every such group, so a change made with a
bulk update (which sends no signal) still reaches followers.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from microsolidarity.gatherings.models import Gathering, Occurrence
from microsolidarity.groups.models import Group
from microsolidarity.network.models import Follower, Listing, Published
from microsolidarity.network.tasks import group_followers_update


def _queue_publish(group_id: int | None) -> None:
    if group_id is None:
        return
    if not (
        Follower.objects.filter(group_id=group_id).exists()
        or Published.objects.filter(group_id=group_id, withdrawn_at__isnull=True).exists()
    ):
        return

    def enqueue() -> None:

        group_followers_update.enqueue(group_id)

    transaction.on_commit(enqueue)


@receiver([post_save, post_delete], sender=Gathering, dispatch_uid="network_gathering_changed")
def gathering_changed(sender, instance: Gathering, **kwargs) -> None:
    _queue_publish(instance.group_id)


@receiver([post_save, post_delete], sender=Occurrence, dispatch_uid="network_occurrence_changed")
def occurrence_changed(sender, instance: Occurrence, **kwargs) -> None:
    group_id = (
        Gathering.objects.filter(pk=instance.gathering_id)
        .values_list("group_id", flat=True)
        .first()
    )
    _queue_publish(group_id)


@receiver(post_save, sender=Group, dispatch_uid="network_group_changed")
def group_changed(sender, instance: Group, **kwargs) -> None:
    _queue_publish(instance.pk)


@receiver(post_save, sender=Listing, dispatch_uid="network_listing_changed")
def listing_changed(sender, instance: Listing, **kwargs) -> None:
    _queue_publish(instance.group_id)
