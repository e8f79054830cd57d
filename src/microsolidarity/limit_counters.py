"""Where abuse-limit counters live, so every web process counts the same attempts.

Each gunicorn worker has its own local-memory cache: counted there, 3 workers allow 3
times the documented limit. So the counters have a cache of their own, `limits`: Redis
when `REDIS_URL` is set, else a table in the database (docs/security.md). allauth counts
sign-ins in Django's default cache; it is pointed at `limits` too. And `check --deploy`
warns when several workers (`WEB_CONCURRENCY`) share no cache for what else is cached.
"""

from allauth.core.internal import ratelimit
from django.conf import settings
from django.core import checks
from django.core.cache import caches
from django.core.management import call_command
from django.utils.connection import ConnectionProxy

LIMITS = "limits"
# Caches that live inside one process: each worker would have its own.
PROCESS_LOCAL = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


def count_allauth_limits_in_the_shared_cache() -> None:
    """allauth reads `cache` from its rate-limit module at each attempt: give it ours."""

    ratelimit.cache = ConnectionProxy(caches, LIMITS)


def create_limits_table(**kwargs) -> None:
    """After migrate: the database cache's table (createcachetable does nothing if there)."""
    if settings.CACHES.get(LIMITS, {}).get("BACKEND", "").endswith("db.DatabaseCache"):
        call_command("createcachetable", database=kwargs.get("using", "default"), verbosity=0)


@checks.register(checks.Tags.caches, deploy=True)
def check_shared_caches(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    workers = getattr(settings, "WEB_WORKERS", 1)
    if workers <= 1:
        return []
    found = []
    for alias in ("default", LIMITS):
        backend = settings.CACHES.get(alias, {}).get("BACKEND", "")
        if backend in PROCESS_LOCAL:
            kind = backend.rsplit(".", 1)[-1]
            found.append(
                checks.Warning(
                    f"{workers} web workers run, but the {alias!r} cache is {kind}: "
                    "each worker keeps its own copy"
                    + (", so abuse limits are counted per worker." if alias == LIMITS else "."),
                    hint="Set REDIS_URL so every worker shares one cache (docs/deploy.md).",
                    id="microsolidarity.W001" if alias == "default" else "microsolidarity.W002",
                )
            )
    return found
