"""Background tasks for federation: each takes ids and only calls a function of the app."""

from django.tasks import task

from microsolidarity.network.delivery import delivery_attempt
from microsolidarity.network.publishing import group_publish


@task
def delivery_send(delivery_id: int) -> str:
    return delivery_attempt(delivery_id=delivery_id)


@task
def group_followers_update(group_id: int) -> int:
    return group_publish(group_id=group_id)
