"""Limit counters are shared by every web process: without Redis they live in the database,
so a worker with an empty memory of its own (another gunicorn worker) counts the same."""

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db

GUESSER = "203.0.113.77"


def another_worker() -> None:
    """What a request served by another process sees: its own local memory, empty."""
    cache.clear()


def test_the_limits_cache_is_the_database_when_there_is_no_redis(settings):
    if settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        pytest.skip("This run has Redis: the limits cache is Redis")
    assert settings.CACHES["limits"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert settings.RATELIMIT_USE_CACHE == "limits"


def test_wrong_passwords_spread_over_workers_meet_the_documented_limit(
    client, limits_on, verified_person
):
    verified_person("owner@example.org", password="the-owners-long-password")
    statuses = []
    for n in range(27):
        another_worker()
        answer = client.post(
            "/accounts/login/",
            {"login": "owner@example.org", "password": f"wrong-{n}"},
            REMOTE_ADDR=GUESSER,
        )
        statuses.append(answer.status_code)

    assert statuses == [200] * 25 + [429] * 2


def test_api_calls_spread_over_workers_meet_the_limit(client, limits_on):
    limits_on.ABUSE_LIMITS = {**limits_on.ABUSE_LIMITS, "api": "4/5m"}
    statuses = []
    for _ in range(6):
        another_worker()
        statuses.append(client.get("/api/v1/groups", REMOTE_ADDR=GUESSER).status_code)

    assert statuses == [200] * 4 + [429] * 2


def test_made_up_tokens_spread_over_workers_meet_the_limit(client, limits_on):
    limits_on.ABUSE_LIMITS = {**limits_on.ABUSE_LIMITS, "api_token_failure": "3/5m"}
    statuses = []
    for n in range(5):
        another_worker()
        statuses.append(
            client.get(
                "/api/v1/me", headers={"Authorization": f"Bearer ms_{n}"}, REMOTE_ADDR=GUESSER
            ).status_code
        )

    assert statuses == [401] * 3 + [429] * 2


def test_migrate_makes_the_limits_table_when_it_is_missing(settings):
    from django.apps import apps
    from django.db import connection
    from django.db.models.signals import post_migrate

    if not settings.CACHES["limits"]["BACKEND"].endswith("DatabaseCache"):
        pytest.skip("This run keeps the counters in Redis")
    table = settings.CACHES["limits"]["LOCATION"]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {connection.ops.quote_name(table)}")
    assert table not in connection.introspection.table_names()

    people = apps.get_app_config("people")
    post_migrate.send(
        sender=people, app_config=people, using="default", verbosity=0, interactive=False
    )

    assert table in connection.introspection.table_names()
