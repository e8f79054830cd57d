"""The Redis cache with shared clients (microsolidarity/redis_cache.py): Django's cache, one
redis-py client per pool. Needs Redis on 127.0.0.1:6379, as the rehearsal does; under CI=true
it must answer."""

import os
import socket
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from microsolidarity.redis_cache import SharedClientsRedisCache


@pytest.fixture
def cache():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        if os.environ.get("CI") == "true":
            pytest.fail("Redis does not answer on 127.0.0.1:6379")
        pytest.skip("Redis does not answer on 127.0.0.1:6379")
    made = SharedClientsRedisCache(
        "redis://127.0.0.1:6379/14", {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
    )
    yield made
    made.clear()


def test_every_operation_uses_the_one_client_of_its_pool(cache):
    first = cache._cache.get_client("a")
    cache.set("a", {"kept": 1})

    assert cache._cache.get_client("b", write=True) is first
    assert cache.get("a") == {"kept": 1}
    assert cache.get_many(["a", "missing"]) == {"a": {"kept": 1}}


def test_threads_share_the_client_and_each_gets_its_own_answers(cache):
    def round_trip(n: int) -> int:
        cache.set(f"n{n}", n)
        cache.incr(f"n{n}")
        return cache.get(f"n{n}")

    with ThreadPoolExecutor(max_workers=8) as threads:
        answers = list(threads.map(round_trip, range(64)))

    assert answers == [n + 1 for n in range(64)]
