"""A per-viewer page cache with exact invalidation: a kept page is served only while no table
it read has been written since (decision 0013-c).

Each GET page is rendered once per viewer (person or anonymous visitor), language, time zone
and htmx target, and kept with the set of tables its SELECTs read. Every INSERT, UPDATE or
DELETE, from any process (web, worker, shell), bumps its table's version after its
transaction commits; a kept page whose tables all still have the versions it was rendered
with is what rendering it again would give. No time decides staleness: a group made private
is gone from the next request. The CSRF token, the one per-browser thing in every page, is
kept as a placeholder and filled in with the requester's own on each serve.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth.middleware import get_user
from django.core.cache import caches
from django.db import connection, transaction
from django.db.backends.signals import connection_created
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import _unmask_cipher_token, get_token
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString, mark_safe

CACHE_ALIAS = "default"
PREFIX = "pagecache"
TOKEN_PLACEHOLDER = b"__page_cache_csrf_token__"
# Pages are the site's own HTML; the API (token auth, read in the view) and the admin never.
SKIPPED_PREFIXES = ("/api/", "/admin/", "/static/", "/media/", "/healthz")
# Django quotes every table it names; hand-written SQL (library search) may not, after FROM.
IDENTIFIER = re.compile(r'"([A-Za-z0-9_]+)"|\b(?:FROM|JOIN)\s+([A-Za-z0-9_]+)', re.I)
WRITE = re.compile(
    r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?([A-Za-z0-9_]+)"?', re.I
)
MASKED_TOKEN = re.compile(rb"\b[A-Za-z0-9]{64}\b")
_tables: frozenset[str] | None = None
_lock = threading.Lock()
# Renderers of fresh parts, by dotted path: a kept page names its parts by path, so a process
# that never rendered the page afresh still finds them (and only these).
_fresh_parts: dict[str, Callable[..., list[str]]] = {}
# Tables whose writes also bump finer versions, one per scope of rows (`writes_of`), for parts
# kept by them (`fresh_part(kept_by=...)`); and the scopes announced by the code writing now.
_row_versioned: set[str] = set()
_write_scopes: ContextVar[tuple[tuple[str, str], ...]] = ContextVar(
    "page_cache_write_scopes", default=()
)
ANY_ROWS = "*"
# Renderers of fresh parts that are kept too, by path: `kept_by(request, *args)` names the
# versions a rendering of theirs stays true for, and until when (a timestamp, or None).
_kept_by: dict[str, Callable] = {}
# Of those, the ones whose renderings are sealed before they are stored, by path:
# (seal(request, html) -> stored, open(request, stored) -> html | None).
_sealed: dict[str, tuple[Callable, Callable]] = {}
# Paths whose pages said they are private or not to be stored: never kept, so later requests
# for them skip the cache's reads and its watching of the SQL (bounded: forgotten when full).
_never_kept: set[str] = set()
NEVER_KEPT_REMEMBERED = 4096
# Set while a fresh part renders (no part inside another is marked).
_in_fresh_part: ContextVar[bool] = ContextVar("page_cache_in_fresh_part", default=False)
# Set while a fresh part renders, or reads for one (`fresh_reads`): what is read then is not
# among the kept page's tables.
_reads_apart: ContextVar[bool] = ContextVar("page_cache_reads_apart", default=False)
# The signed-in people of kept pages, per process: pk -> (the people table's version, the row's
# values as read then, its database). See `_signed_in_from_kept`. Bounded: forgotten when full.
_people_seen: dict[int, tuple[int, tuple, str]] = {}
PEOPLE_REMEMBERED = 4096


def enabled() -> bool:
    return bool(getattr(settings, "PAGE_CACHE", False))


def _cache():
    return caches[CACHE_ALIAS]


def known_tables() -> frozenset[str]:
    """Every model's table (many-to-many tables included), read once per process."""
    global _tables
    if _tables is None:
        with _lock:
            _tables = frozenset(
                model._meta.db_table for model in apps.get_models(include_auto_created=True)
            )
    return _tables


def _version_key(table: str) -> str:
    return f"{PREFIX}:v:{table}"


def tables_named(sql: str, tables: frozenset[str]) -> set[str]:
    """The models' tables a SELECT names."""
    named = (quoted or bare for quoted, bare in IDENTIFIER.findall(sql))
    return {table for table in named if table in tables}


def versions_read(tables) -> dict[str, int]:
    """The current version of each table; a version never seen (or evicted) starts anew from
    the clock, so it can never equal one a kept page recorded before."""
    cache = _cache()
    keys = [_version_key(table) for table in tables]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, time.time_ns(), timeout=None)
            found[key] = cache.get(key)
    return found


def versions_snapshot() -> dict[str, int]:
    """Every table's version as it is now, in one read: taken before a page renders, so a
    write that commits while it renders leaves the page kept with the older version, and its
    bump drops the page."""
    found = _cache().get_many([_version_key(table) for table in known_tables()])
    if len(found) < len(known_tables()):
        found = versions_read(known_tables())  # the cache was emptied: versions start anew
    return found


def tables_bump(tables) -> None:
    cache = _cache()
    for key in (_version_key(table) for table in sorted(tables)):
        try:
            cache.incr(key)
        except ValueError:
            cache.add(key, time.time_ns(), timeout=None)


# Writes: one wrapper on every database connection of every process.


def _flush(conn) -> None:
    pending, conn._page_cache_pending = conn._page_cache_pending, set()
    if pending and enabled():
        tables_bump(pending)


def _write_watcher(conn):
    def watch(execute, sql, params, many, context):
        found = WRITE.match(sql) if isinstance(sql, str) else None
        result = execute(sql, params, many, context)
        if found is None or not enabled():
            return result
        table = found.group(1)
        names = {table, *_row_names(table)} if table in _row_versioned else {table}
        if not conn.in_atomic_block:
            tables_bump(names)
            return result
        conn._page_cache_pending.update(names)
        # One bump per transaction, after it commits (nothing is announced that was rolled
        # back). Django gives the connection a new list of callbacks whenever it drops some
        # (a commit, a rollback, a savepoint rolled back): a new list, register again.
        if conn._page_cache_hooked is not conn.run_on_commit:
            transaction.on_commit(conn._page_cache_flush, using=conn.alias)
            conn._page_cache_hooked = conn.run_on_commit
        return result

    return watch


def _connection_watched(sender, connection, **kwargs) -> None:
    if getattr(connection, "_page_cache_watch", None) is None:
        connection._page_cache_pending = set()
        connection._page_cache_hooked = None
        connection._page_cache_flush = lambda: _flush(connection)
        connection._page_cache_watch = _write_watcher(connection)
    if connection._page_cache_watch not in connection.execute_wrappers:
        # First, so it sees the statement as the database gets it.
        connection.execute_wrappers.insert(0, connection._page_cache_watch)


def _row_names(table: str) -> list[str]:
    scopes = [scope for written, scope in _write_scopes.get() if written == table]
    return [row_version(table, scope) for scope in scopes or [ANY_ROWS]]


def _table_of(model_or_table) -> str:
    return model_or_table if isinstance(model_or_table, str) else model_or_table._meta.db_table


def row_version(model_or_table, scope: str) -> str:
    """The name of the version of `scope`'s rows of a table (say "person:5")."""
    return f"{_table_of(model_or_table)}@{scope}"


def table_version(model_or_table) -> str:
    return _table_of(model_or_table)


def rows_versioned(*models) -> None:
    """Writes to these tables also bump finer versions (called once at start-up, in every
    process, before anything writes)."""
    _row_versioned.update(_table_of(model) for model in models)


@contextmanager
def writes_of(model, *scopes: str):
    """The writes to `model`'s table made inside touch only rows in all of `scopes`
    ("person:5", "gathering:3"): besides the table's version they bump `row_version(model,
    scope)` of each. Any write to a row-versioned table outside such a block (an admin
    edit, a deletion cascading, a bulk update) bumps `row_version(model, ANY_ROWS)` instead,
    which every part kept by finer versions depends on: a writer that does not say which
    rows it wrote drops them all."""
    table = _table_of(model)
    token = _write_scopes.set((*_write_scopes.get(), *((table, scope) for scope in scopes)))
    try:
        yield
    finally:
        _write_scopes.reset(token)


def track_writes() -> None:
    """Called once at start-up (people's AppConfig.ready)."""
    connection_created.connect(_connection_watched, dispatch_uid="page_cache_writes")


# Fresh parts.


def fresh_part(renderer: Callable[..., list[str]] | None = None, *, kept_by=None, sealed=None):
    """Registers `renderer(request, many, known) -> [html, ...]` as a part rendered afresh on
    every serve of a kept page. `many` is a list of argument tuples, one per place the part
    shows on the page: ids and strings, since they are kept with the page, and all a serve
    has to go on, so a page with twenty parts of one kind asks once for all twenty. `known`
    is one dict per tuple of objects the page's own rendering already has (empty on a
    serve), so it reads nothing twice.

    `kept_by(request, *args) -> (version names, until)`: the part's renderings are kept too,
    per viewer and arguments, while those versions hold (tables, by `table_version`, and
    scopes of rows, by `row_version`, with `row_version(table, ANY_ROWS)` beside each) and
    until `until` (a timestamp; None: `PAGE_CACHE_SECONDS`). A rendering that read a table
    the names leave out is not kept.

    `sealed=(seal, open)`: a kept rendering is stored as `seal(request, html)` and read back
    with `open(request, stored)`, None when it no longer opens (then it is rendered again);
    for private words, which the cache must hold only sealed (the journal's)."""
    if sealed is not None and kept_by is None:
        raise ValueError("only a part kept by versions is stored, so only it can be sealed")

    def register(function):
        path = f"{function.__module__}.{function.__qualname__}"
        _fresh_parts[path] = function
        if kept_by is not None:
            _kept_by[path] = kept_by
        if sealed is not None:
            _sealed[path] = sealed
        return function

    return register if renderer is None else register(renderer)


@contextmanager
def fresh_reads():
    """Reads only for fresh parts (counts a view reads ahead for them): not the kept page's
    tables. Whatever is read inside must reach the page through fresh parts only."""
    token = _reads_apart.set(True)
    try:
        yield
    finally:
        _reads_apart.reset(token)


def _renderer(path: str) -> Callable[..., list[str]]:
    if path not in _fresh_parts:
        import_string(path)  # importing the module registers its parts
    return _fresh_parts[path]


def _rendered(request, renderer, many: list, known: list[dict]) -> list[str]:
    parts, reads = _in_fresh_part.set(True), _reads_apart.set(True)
    try:
        kept_by = _kept_by.get(f"{renderer.__module__}.{renderer.__qualname__}")
        if kept_by is not None and enabled():
            return _rendered_or_kept(request, renderer, kept_by, many, known)
        return [str(html) for html in renderer(request, many, known)]
    finally:
        _reads_apart.reset(reads)
        _in_fresh_part.reset(parts)


def _part_key(request: HttpRequest, renderer, args) -> str:
    parts = [
        f"{renderer.__module__}.{renderer.__qualname__}",
        repr(tuple(args)),
        _viewer(request),
        translation.get_language() or "",
        timezone.get_current_timezone_name(),
    ]
    return f"{PREFIX}:part:{hashlib.sha256(chr(10).join(parts).encode()).hexdigest()}"


def _rendered_or_kept(request, renderer, kept_by, many: list, known: list[dict]) -> list[str]:
    """The renderings still true (their versions unchanged, `until` not passed), the others
    rendered in one call and kept; versions are read before rendering, as for pages."""
    seal, open_sealed = _sealed.get(f"{renderer.__module__}.{renderer.__qualname__}", (None, None))
    wanted = [kept_by(request, *args) for args in many]
    keys = [_part_key(request, renderer, args) for args in many]
    names = sorted({name for names, _until in wanted for name in names})
    found = _cache().get_many([*keys, *(_version_key(name) for name in names)])
    missing = [name for name in names if _version_key(name) not in found]
    if missing:
        found.update(versions_read(missing))
    now = timezone.now().timestamp()
    shown: list[str | None] = []
    for key, (names_of, until) in zip(keys, wanted, strict=True):
        entry = found.get(key)
        versions = [found[_version_key(name)] for name in names_of]
        still = entry is not None and entry["versions"] == versions
        html = entry["html"] if still and (until is None or now < until) else None
        if html is not None and open_sealed is not None:
            html = open_sealed(request, html)
        shown.append(html)
    todo = [number for number, html in enumerate(shown) if html is None]
    if todo:
        read: set[str] = set()
        tables = known_tables()

        def watch(execute, sql, params, many_, context):
            if isinstance(sql, str):
                read.update(tables_named(sql, tables))
            return execute(sql, params, many_, context)

        with connection.execute_wrapper(watch):
            htmls = renderer(request, [many[n] for n in todo], [known[n] for n in todo])
        declared = {name.partition("@")[0] for names_of, _until in wanted for name in names_of}
        keep = {}
        for number, html in zip(todo, htmls, strict=True):
            shown[number] = str(html)
            names_of, until = wanted[number]
            # What the page read for it came before these versions were read: a write in
            # between would be kept under its own version. Shown, and kept from a serve.
            from_page = bool(known[number])
            if read <= declared and not from_page and (until is None or now < until):
                html = _with_placeholder(request, shown[number].encode()).decode()
                keep[keys[number]] = {
                    "versions": [found[_version_key(name)] for name in names_of],
                    "html": html if seal is None else seal(request, html),
                }
        if len(keep) == 1:
            _cache().set(*keep.popitem(), timeout=settings.PAGE_CACHE_SECONDS)
        elif keep:
            _cache().set_many(keep, timeout=settings.PAGE_CACHE_SECONDS)
    # Kept renderings carry a placeholder for the CSRF token: each gets the requester's own.
    token = TOKEN_PLACEHOLDER.decode()
    return [
        html.replace(token, get_token(request)) if token in html else html
        for html in map(str, shown)
    ]


def render_part(request: HttpRequest, renderer, *args, **known) -> SafeString:
    """The part's HTML. When the page may be kept, it is marked so the kept copy leaves it
    out, and what it reads is not among the page's tables."""
    path = f"{renderer.__module__}.{renderer.__qualname__}"
    if _fresh_parts.get(path) is not renderer:
        raise ValueError(f"{path} is not a @fresh_part")
    if not all(arg is None or isinstance(arg, int | str) for arg in args):
        raise TypeError("a fresh part's arguments are kept with the page: ids and strings only")
    nested = _in_fresh_part.get()
    (html,) = _rendered(request, renderer, [args], [known])
    marking = getattr(request, "_page_cache_parts", None)
    if marking is None or nested:
        return mark_safe(html)  # noqa: S308 (the renderer's own escaped HTML)
    nonce, parts = marking
    parts.append((path, args))
    number = len(parts) - 1
    return mark_safe(  # noqa: S308 (the renderer's own escaped HTML)
        f"<!--fresh:{nonce}:{number}-->{html}<!--/fresh:{nonce}:{number}-->"
    )


def _parts_apart(content: bytes, nonce: str, parts) -> tuple[bytes, bytes | None, list]:
    """The page for the browser (marks gone) and the page to keep (each part a placeholder),
    or None when a part reached the page cut (half its marks): such a page is not kept."""
    shown, keep, kept_parts = content, content, []
    for number, (path, args) in enumerate(parts):
        start = f"<!--fresh:{nonce}:{number}-->".encode()
        end = f"<!--/fresh:{nonce}:{number}-->".encode()
        shown = shown.replace(start, b"").replace(end, b"")
        if keep is None:
            continue
        before, found, rest = keep.partition(start)
        _inside, closed, after = rest.partition(end)
        if not found and end not in keep:
            continue  # rendered, then left out of the page: nothing to render on a serve
        if not found or not closed:
            keep = None
            continue
        placeholder = f"<!--fresh-part:{secrets.token_hex(8)}-->".encode()
        keep = before + placeholder + after
        kept_parts.append((path, list(args), placeholder))
    if keep is not None and f"<!--fresh:{nonce}:".encode() in keep:
        keep = None  # a part shown twice: its second copy would be kept as it is now
    return shown, keep, kept_parts


# Reads and serving.


def _viewer(request: HttpRequest) -> str:
    user = request.user
    return f"person:{user.pk}" if user.is_authenticated else "anonymous"


def _claimed(request: HttpRequest) -> str | None:
    """The person the session says is signed in, not yet checked (that reads their row)."""
    session = getattr(request, "session", None)
    claimed = session.get(SESSION_KEY) if session is not None else None
    return str(claimed) if claimed is not None else None


def _people_table() -> str:
    return get_user_model()._meta.db_table


def _remembering_sign_in(request: HttpRequest, version: int) -> None:
    """request.user, checked as Django does when first used, and its row remembered with the
    people table's `version`: read before the row, so a write that commits after it can only
    leave a newer version than the one the row is remembered with."""
    if hasattr(request, "_cached_user"):
        return  # already checked, perhaps before `version` was read

    def sign_in():
        user = get_user(request)
        if user.is_authenticated:
            if len(_people_seen) >= PEOPLE_REMEMBERED:
                _people_seen.clear()
            values = tuple(getattr(user, f.attname) for f in user._meta.concrete_fields)
            _people_seen[user.pk] = (version, values, user._state.db)
        return user

    request.user = SimpleLazyObject(sign_in)


def _signed_in_from_kept(request: HttpRequest, kept: dict, current: dict) -> bool:
    """On a serve, the signed-in person without reading their row when this process has it.

    The page was kept under the session's whole state (its person, their password's hash,
    the backend) by a rendering in which Django accepted that session as that person, and
    it is served only while no person's row has changed since (the people table is among its
    tables). Django's check is a function of the session, the row and the settings alone, so
    it would accept the session again and read this same row: the row remembered with the
    people table's current version is that row. False when Django, asked, refuses it: the
    page is then not served.

    Only writes made through this code with the page cache on bump versions: a row changed
    by hand in the database is followed within `PAGE_CACHE_SECONDS`, when the kept pages
    expire, as every kept page is."""
    viewer = kept.get("viewer")
    if viewer is None or viewer != _claimed(request) or hasattr(request, "_cached_user"):
        return True
    version = current[_version_key(_people_table())]
    seen = _people_seen.get(int(viewer))
    if seen is not None and seen[0] == version:
        _version, values, db = seen
        # A new instance each time: a view may change its own without saving.
        request._cached_user = request.user = get_user_model().from_db(db, None, values)
        return True
    # Checked now, once per process and version: code deployed since may decide otherwise.
    _remembering_sign_in(request, version)
    return str(request.user.pk) == viewer


def _session_state(request: HttpRequest) -> str:
    # What a view may read from the session (a code sent, a time zone) is part of the key, so
    # a page never outlives a change made there; anonymous visitors with an empty session
    # share one page, and the same person in two browsers shares theirs.
    session = getattr(request, "session", None)
    return repr(sorted(session.items())) if session is not None else ""


def _sign_in_settings() -> str:
    """A mark of the settings Django's check of a session depends on besides the session and
    the row: a new secret (without the old one among the fallbacks) signs everyone out, so
    the pages kept under the old settings must not be found."""
    mark = repr(
        (settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS, settings.AUTHENTICATION_BACKENDS)
    )
    return hashlib.sha256(mark.encode()).hexdigest()


def page_key(request: HttpRequest) -> str:
    parts = [
        request.path,
        request.META.get("QUERY_STRING", ""),
        # Claimed, not checked: the session's whole state is in the key too, and a page is
        # kept only from a rendering that checked it (see `_signed_in_from_kept`).
        f"person:{_claimed(request)}",
        _session_state(request),
        _sign_in_settings(),
        translation.get_language() or "",
        timezone.get_current_timezone_name(),
        request.headers.get("HX-Request", ""),
        request.headers.get("HX-Target", ""),
        request.headers.get("HX-Boosted", ""),
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"{PREFIX}:page:{digest}"


def _cacheable_request(request: HttpRequest) -> bool:
    if request.method != "GET" or "Authorization" in request.headers:
        return False
    if request.path.startswith(SKIPPED_PREFIXES):
        return False
    # Messages waiting to be shown belong to this one page load: render it fresh.
    return len(messages.get_messages(request)) == 0


def _cacheable_response(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    if _says_private(response):
        return False
    if len(messages.get_messages(request)):
        return False
    return not getattr(request, "session", None) or not request.session.modified


def _says_private(response: HttpResponse) -> bool:
    if getattr(response, "page_cache_private_in_parts", False):
        return False
    control = response.get("Cache-Control", "")
    return "no-store" in control or "private" in control


def private_in_fresh_parts(view):
    """For a page no browser may store (`never_cache`) whose private words all reach it
    through fresh parts that are never kept (no `kept_by`) or kept only sealed: the page
    cache keeps the rest, the header, menus and fixed text, and renders or opens the parts
    on every serve. The page keeps its Cache-Control for the browser."""

    @wraps(view)
    def marked(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.page_cache_private_in_parts = True
        return response

    return marked


def _with_placeholder(request: HttpRequest, content: bytes) -> bytes:
    """The page with every CSRF token of this browser replaced by a placeholder."""
    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        return content

    def swap(found):
        token = found.group(0)
        return TOKEN_PLACEHOLDER if _unmask_cipher_token(token.decode()) == secret else token

    return MASKED_TOKEN.sub(swap, content)


class PageCacheMiddleware:
    """Last in MIDDLEWARE: every other middleware still runs around a kept page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if not enabled() or request.path in _never_kept or not _cacheable_request(request):
            return self.get_response(request)
        key = page_key(request)
        kept = _cache().get(key)
        if kept is not None:
            page = self._serve(request, kept)
            if page is not None:
                return page
        return self._render_and_keep(request, key)

    def _serve(self, request: HttpRequest, kept: dict) -> HttpResponse | None:
        current = versions_read(kept["tables"])
        if any(current.get(_version_key(t)) != v for t, v in kept["versions"].items()):
            return None
        if not _signed_in_from_kept(request, kept, current):
            return None
        content = kept["content"]
        if TOKEN_PLACEHOLDER in content:
            content = content.replace(TOKEN_PLACEHOLDER, get_token(request).encode())
        by_renderer: dict[str, list] = {}
        for path, args, placeholder in kept.get("parts", ()):
            by_renderer.setdefault(path, []).append((tuple(args), placeholder))
        for path, places in by_renderer.items():
            many = [args for args, _placeholder in places]
            htmls = _rendered(request, _renderer(path), many, [{} for _ in many])
            for (_args, placeholder), html in zip(places, htmls, strict=True):
                content = content.replace(placeholder, html.encode())
        response = HttpResponse(content, status=200)
        for name, value in kept["headers"]:
            response[name] = value
        response["Content-Length"] = str(len(content))
        response.page_cache_hit = True
        return response

    def _render_and_keep(self, request: HttpRequest, key: str):
        before = versions_snapshot()
        _remembering_sign_in(request, before[_version_key(_people_table())])
        read: set[str] = set()
        wrote = []
        tables = known_tables()

        def watch(execute, sql, params, many, context):
            if isinstance(sql, str):
                if WRITE.match(sql):
                    wrote.append(sql)
                elif not _reads_apart.get():
                    read.update(tables_named(sql, tables))
            return execute(sql, params, many, context)

        nonce = secrets.token_hex(8)
        request._page_cache_parts = (nonce, [])
        try:
            with connection.execute_wrapper(watch):
                response = self.get_response(request)
        finally:
            parts = request._page_cache_parts[1]
            del request._page_cache_parts
        if response.streaming:
            return response
        if _says_private(response):
            if len(_never_kept) >= NEVER_KEPT_REMEMBERED:
                _never_kept.clear()
            _never_kept.add(request.path)
        keep, kept_parts = response.content, []
        if parts:
            shown, keep, kept_parts = _parts_apart(response.content, nonce, parts)
            response.content = shown
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(shown))
        if keep is None or wrote or not _cacheable_response(request, response):
            return response
        if getattr(response, "page_cache_private_in_parts", False) and any(
            path in _kept_by and path not in _sealed for path, _args, _placeholder in kept_parts
        ):
            return response  # a part kept by versions, unsealed, would keep private words
        viewer = request.user.pk if request.user.is_authenticated else None
        if viewer is not None or _claimed(request) is not None:
            # The person is read when first used, perhaps before this middleware; and a
            # session refused without being ended (a person made inactive) stays refused
            # only while their row is unchanged.
            read.add(_people_table())
        if any(_version_key(table) not in before for table in read):
            return response  # evicted since: the next rendering can be kept
        _cache().set(
            key,
            {
                "tables": sorted(read),
                # The person Django accepted the session as: a serve may skip reading them.
                "viewer": str(viewer) if viewer is not None else None,
                "versions": {table: before[_version_key(table)] for table in read},
                "content": _with_placeholder(request, keep),
                "parts": kept_parts,
                "headers": [
                    (name, value)
                    for name, value in response.headers.items()
                    if name.lower() not in ("content-length", "set-cookie")
                ],
            },
            timeout=settings.PAGE_CACHE_SECONDS,
        )
        return response
