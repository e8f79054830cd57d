"""Fixtures for notifications: tasks run at once, so an email each time lands in the outbox."""

import pytest


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def told():
    """told(person) -> the texts of that person's notifications, oldest first."""
    from microsolidarity.notifications.models import Notification

    def texts(person, kind=None) -> list[str]:
        rows = Notification.objects.filter(person=person).order_by("created_at", "pk")
        if kind is not None:
            rows = rows.filter(kind=kind)
        return list(rows.values_list("text", flat=True))

    return texts


@pytest.fixture
def bearer():
    """bearer(person) -> headers that authenticate as that person with a fresh token."""
    from microsolidarity.people.services import token_create

    def headers(person) -> dict[str, str]:
        _token, raw = token_create(person=person, name="tests")
        return {"Authorization": f"Bearer {raw}"}

    return headers
