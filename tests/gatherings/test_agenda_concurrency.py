"""A room holds one session at a time even when hosts place sessions at once (PostgreSQL)."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from microsolidarity.errors import Conflict
from microsolidarity.gatherings.agenda import session_place, session_propose
from microsolidarity.gatherings.models import AgendaSession
from microsolidarity.gatherings.services import gathering_create

SESSIONS = 8


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "Row locks (select_for_update) need PostgreSQL; SQLite runs one writer at once."
        )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_sessions_placed_at_once_in_one_room_and_time_leave_exactly_one(host, congregation, member):
    start = timezone.now() + timedelta(days=30)
    gathering = gathering_create(
        by=host,
        group=congregation,
        title="Open space",
        starts_at=start,
        ends_at=start + timedelta(hours=8),
    )
    gathering.rooms = ["Barn"]
    gathering.save(update_fields=["rooms"])
    occurrence = gathering.occurrences.get()
    sessions = [
        session_propose(by=member, occurrence=occurrence, title=f"Session {n}")
        for n in range(SESSIONS)
    ]
    barrier = threading.Barrier(SESSIONS)
    slot = start + timedelta(hours=1)

    def place(session):
        try:
            barrier.wait(timeout=30)
            # Overlapping, not equal, times: only the lock (not the unique constraint) stops them.
            offset = timedelta(minutes=session.pk % 3 * 10)
            session_place(
                by=host,
                session=session,
                starts_at=slot + offset,
                ends_at=slot + offset + timedelta(hours=1),
                room="Barn",
            )
            return "placed"
        except Conflict:
            return "refused"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=SESSIONS) as pool:
        results = list(pool.map(place, sessions))

    assert sorted(results) == ["placed"] + ["refused"] * (SESSIONS - 1)
    assert AgendaSession.objects.filter(room="Barn", starts_at__isnull=False).count() == 1
