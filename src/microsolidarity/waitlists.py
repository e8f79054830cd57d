"""The rules of a waiting line, shared by RSVP seats and bookshelf loans.

First come, first served: the earliest `queued_at` goes first, the lower id breaks a tie.
Whoever may take a scarce place locks the row that owns the places (`place_lock`) before
counting what is free, once per transaction; freeing a place needs no lock of its own but
promoting from the line does, since promoting takes a place.
"""

from django.db.models import Model, Q, QuerySet

LINE_ORDER = ("queued_at", "pk")


def place_lock[M: Model](model: type[M], pk: int, *related: str) -> M:
    """Lock the owner of the places; only its own row (PostgreSQL refuses FOR UPDATE on the
    nullable side of a join)."""
    rows = model._default_manager.select_for_update(of=("self",))
    return (rows.select_related(*related) if related else rows).get(pk=pk)


def in_line(waiting: QuerySet) -> QuerySet:
    return waiting.order_by(*LINE_ORDER)


def next_in_line(waiting: QuerySet, free: int | None) -> list:
    """The ones to promote into `free` places (None: no limit), first queued first."""
    if free is not None and free <= 0:
        return []
    ordered = in_line(waiting)
    return list(ordered if free is None else ordered[:free])


def line_position(waiting: QuerySet, entry) -> int:
    """1 for the next one served."""
    ahead = waiting.filter(
        Q(queued_at__lt=entry.queued_at) | Q(queued_at=entry.queued_at, pk__lt=entry.pk)
    )
    return ahead.count() + 1
