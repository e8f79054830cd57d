"""Telling people what happened: one row each, the unread count kept on the person, and an
email each time or in a daily digest, as each person chose for each kind (decision 0021-a).

Callers (each app's `notify.py`) decide who may hear of a thing; `notify` only drops the
person who did it and accounts that are closed.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from microsolidarity.notifications import tasks
from microsolidarity.notifications.models import Delivery, Kind, Notification
from microsolidarity.notifications.preferences import deliveries_for
from microsolidarity.people.models import Person

# Set while a demo or an import writes a past nobody lived: rows are made, no email is queued.
_emails_held: ContextVar[bool] = ContextVar("notification_emails_held", default=False)


@contextmanager
def emails_held() -> Iterator[None]:
    """Record notifications without queueing their emails (the demo marks them sent, so each
    queued task would only wake a worker to do nothing)."""
    token = _emails_held.set(True)
    try:
        yield
    finally:
        _emails_held.reset(token)


def _safe_link(link: str) -> str:
    """Only a path on this site: a notification's link must never send anyone elsewhere."""
    if link.startswith("/") and url_has_allowed_host_and_scheme(link, allowed_hosts=None):
        return link[:500]
    return ""


@transaction.atomic
def notify(*, people: Iterable, kind: str, text: str, link: str = "", actor=None) -> list:
    """Tell each of `people` (never `actor`, never a closed account) that `text` happened.

    One row each, the unread counts raised in one query, and one email each after commit
    for those who hear of this kind each time. Returns the rows made.
    """
    kind = Kind(kind)
    actor_id = getattr(actor, "pk", None)
    recipients = {
        person.pk: person
        for person in people
        if person is not None and person.pk != actor_id and person.is_active
    }
    if not recipients:
        return []
    made_at = timezone.now()
    rows = Notification.objects.bulk_create(
        Notification(
            person_id=pk, kind=kind, text=text[:300], link=_safe_link(link), created_at=made_at
        )
        for pk in recipients
    )
    Person.objects.filter(pk__in=recipients).update(
        notifications_unread=F("notifications_unread") + 1
    )
    if _emails_held.get():
        return rows
    deliveries = deliveries_for(person_ids=recipients, kind=kind)
    for row in rows:
        if deliveries[row.person_id] == Delivery.EVENT:
            transaction.on_commit(partial(tasks.notification_email.enqueue, row.pk))
    return rows


def _unread_recount(person) -> int:
    count = Notification.objects.filter(person=person, read_at__isnull=True).count()
    Person.objects.filter(pk=person.pk).update(notifications_unread=count)
    # The signed-in person's row is the one the header reads on the next page of this request.
    person.notifications_unread = count
    return count


@transaction.atomic
def notification_open(*, person, notification_id: int) -> Notification:
    """The person's own notification, marked read; someone else's is not found."""
    notification = Notification.objects.get(pk=notification_id, person=person)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        _unread_recount(person)
    return notification


@transaction.atomic
def notifications_mark_read(*, person, ids: Iterable[int] | None = None) -> int:
    """Mark the person's notifications read (all, or those of `ids` that are theirs);
    returns how many stay unread."""
    unread = Notification.objects.filter(person=person, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    unread.update(read_at=timezone.now())
    return _unread_recount(person)
