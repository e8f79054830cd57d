"""Django's Redis cache, with one redis-py client per connection pool instead of one per call.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` for every cache operation,
and each builds its table of response callbacks: about 0.1 ms of CPU here, several times a
request (the session, the page cache's versions and page, the abuse limits). A `redis.Redis`
is safe to share between threads (each command takes a connection from the pool), so one is
made per pool and kept.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class SharedClients(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client


class SharedClientsRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClients
