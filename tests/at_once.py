"""Run a function on many items in threads released together: the race a row lock must win.

Each thread closes its own database connections when done, so the test database can be
dropped afterwards. Exceptions of the `returned` types come back as results (a refused
claim is an outcome to count, not a failure of the test); any other exception is raised.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

from django.db import connections


def at_once(fn, items, *, returned: tuple[type[BaseException], ...] = ()) -> list:
    items = list(items)
    barrier = threading.Barrier(len(items))

    def run(item):
        try:
            barrier.wait(timeout=30)
            return fn(item)
        except returned as refusal:
            return refusal
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(items)) as pool:
        return list(pool.map(run, items))
