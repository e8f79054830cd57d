"""Asking to delete an account and downloading one's data are limited per person."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_eleventh_deletion_attempt_in_an_hour_gets_429(client, member, settings):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATELIMIT_ENABLE = True
    client.force_login(member)
    answers = [
        client.post("/me/data/delete/", {"password": "wrong"}).status_code for _ in range(11)
    ]
    assert 429 not in answers[:10]
    assert answers[10] == 429
