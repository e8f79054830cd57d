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
keepalive = int(os.environ.get("WEB_KEEPALIVE", "5"))
# A slow client or request past this is cut off and its worker replaced.
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
