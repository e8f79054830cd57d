"""gunicorn's settings for production and the rehearsal: `gunicorn -c deploy/gunicorn.conf.py`.

Threads (gthread) because a request spends part of its time waiting on PostgreSQL and Redis:
a sync worker is idle then, a thread lets another request use the CPU. Keep-alive, which sync
workers do not do, saves a TCP handshake per request behind a proxy that reuses connections.
Each thread keeps its own database connection open (DATABASE_CONN_MAX_AGE), so PostgreSQL's
max_connections must allow workers x threads per process.
"""

import os

wsgi_app = "microsolidarity.wsgi"
worker_class = "gthread"
# One worker per core is enough with threads; WEB_CONCURRENCY is gunicorn's own convention.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("WEB_THREADS", "4"))
# Longer than a proxy's own idle timeout (nginx: 60 s) and than a person's pause between
# clicks: when the server drops an idle connection first, a request sent on it that moment
# is lost ("connection reset"). Idle connections wait in the poller, not in a thread.
keepalive = int(os.environ.get("WEB_KEEPALIVE", "75"))
# A slow client or request past this is cut off and its worker replaced.
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))


def post_worker_init(worker):
    """Move what the worker loaded (Django, the apps, the URL patterns) out of the garbage
    collector's reach: a full collection then scans only what requests allocate, which cuts
    the occasional pause that lands on one unlucky request (the tail, p95), not the median."""
    import gc

    gc.collect()
    gc.freeze()
