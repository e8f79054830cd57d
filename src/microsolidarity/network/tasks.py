"""Background tasks for federation: each takes ids and only calls a function of the app.

Sending one delivery is `delivery.delivery_send`, beside the attempt that schedules its retry.
"""

from django.tasks import task

from microsolidarity.network.publishing import group_publish


@task
def group_followers_update(group_id: int) -> int:
    return group_publish(group_id=group_id)
