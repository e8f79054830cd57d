"""Background tasks for gatherings: each takes ids and only calls a function of the app."""

from datetime import timedelta

from django.tasks import default_task_backend, task
from django.utils import timezone

from microsolidarity.gatherings.models import Occurrence
from microsolidarity.gatherings.reminders import (
    occurrence_change_notify,
    promotion_notify,
    reminder_offsets,
    reminders_send,
)


@task
def rsvp_promoted_notify(rsvp_id: int) -> bool:
    return promotion_notify(rsvp_id=rsvp_id)


@task
def occurrence_changed_notify(occurrence_id: int) -> int:
    return occurrence_change_notify(occurrence_id=occurrence_id)


@task
def occurrence_reminders_send(occurrence_id: int) -> int:
    return reminders_send(occurrence_ids=[occurrence_id])


def schedule_reminders(occurrence_id: int) -> int:
    """Queue this occurrence's reminders at their times, when the queue can hold them till then.

    The `send_reminders` command (cron or `--every`) sends whatever these miss, so a queue
    without deferred tasks, or one that lost them, still gets every reminder out.
    """
    if not default_task_backend.supports_defer:
        return 0
    occurrence = Occurrence.objects.select_related("gathering").filter(pk=occurrence_id).first()
    if occurrence is None:
        return 0
    now = timezone.now()
    queued = 0
    for minutes in reminder_offsets(occurrence.gathering):
        at = occurrence.starts_at - timedelta(minutes=minutes)
        if at > now:
            occurrence_reminders_send.using(run_after=at).enqueue(occurrence_id)
            queued += 1
    return queued
