"""What the permission matrices share: the routes, their arguments, clients per role, and a
fingerprint of the database that tells whether a request changed anything."""

import hashlib
import re
from contextlib import contextmanager

from django.apps import apps
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from matrix_world import ROLES

MISSING = 999_999
ADD_A_ROW = "decide each role's answer in a row here (MATRIX_PRINT=1 pytest -s prints them)"
# Bookkeeping that any request may touch without acting on anything.
UNTRACKED_MODELS = {"sessions.session", "contenttypes.contenttype", "auth.permission"}
UNTRACKED_FIELDS = {"last_login", "last_used_at"}

__all__ = ["ADD_A_ROW", "MISSING", "ROLES"]


def named_routes() -> dict[str, object]:
    """Every named route outside the admin and the API: name -> pattern."""
    found: dict[str, object] = {}

    def walk(resolver: URLResolver, namespace: str | None) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                walk(entry, entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and entry.name and namespace is None:
                found[entry.name] = entry.pattern

    walk(get_resolver(), None)
    return found


GATHERING_ROUTES = ("gathering_", "occurrence_", "agenda_", "rsvp_", "series_")
CREW_ROUTES = ("crew_cycles", "cycle_", "meeting_detail", "meeting_attendance", "retrospective_")


# The library's routes name the object of their kind (a group's reading lists: the congregation).
LIBRARY_ROUTES = (
    ("library_essay", "essay"),
    ("library_book", "book"),
    ("library_podcast", "podcast"),
    ("library_episode", "podcast"),
    ("library_video", "video"),
    ("library_reading_list_create", None),
    ("library_reading_", "reading_list"),
)


def _slug_for(name: str, world) -> str:
    for prefix, key in LIBRARY_ROUTES:
        if name.startswith(prefix) and key is not None:
            return world[key].slug
        if name.startswith(prefix):
            break
    if name.startswith(GATHERING_ROUTES) and name != "gathering_list":
        return world["gathering"].slug
    if name.startswith(CREW_ROUTES) or name == "crew_leave":
        return world["crew"].slug
    if name == "dyads_checkin":
        return world["dyad"].slug
    if name.startswith("cohort_") and name != "cohort_create":
        return world["cohort"].slug
    if name in ("program_detail", "module_add", "module_edit", "cohort_create"):
        return world["course"].slug
    return world["congregation"].slug


def _pk_for(name: str, world) -> int:
    for prefix, key in (
        ("poll_", "poll"),
        ("crew_call_", "call"),
        ("round_", "round"),
        ("newsletter_issue", "issue"),
        ("chat_rule_", "chat_rule"),
        ("webhook_", "webhook"),
        ("site_webhook_", "site_webhook"),
    ):
        if name.startswith(prefix):
            return world[key].pk
    return MISSING


def route_kwargs(name: str, pattern, world) -> dict:
    from microsolidarity.dyads.links import outcome_token
    from microsolidarity.moderation.notices import notice_token

    converters = getattr(pattern, "converters", {}) or {}
    keys = list(converters) or list(pattern.regex.groupindex)
    values = {
        "slug": _slug_for(name, world),
        "pk": _pk_for(name, world),
        "occurrence_id": world["occurrence"].pk,
        "session_id": world["session"].pk,
        "entry_id": world["entry"].pk,
        "part_id": world["part"].pk,
        "token_id": world["token"].pk,
        "membership_id": (
            world["request"].pk if name == "group_request_answer" else world["membership"].pk
        ),
        "person_id": (
            world["founder"].pk if name == "gathering_host_remove" else world["member"].pk
        ),
        "interest_id": world["interest"].pk,
        "seat_id": world["seat"].pk,
        "pin_id": world["pin"].pk,
        "number": world["cycle"].number,
        "meeting": world["meeting"].number,
        "member_id": world["place"].pk,
        "report_id": world["report"].pk,
        "action_id": world["action"].pk,
        "key": world["feed_key"] if name == "person_feed" else "no-such-key",
        "token": (
            notice_token(world["member"].pk)
            if name == "moderation_notice"
            else world["subscription"].token
            if name.startswith("newsletter_")
            else world["digest_token"]
            if name == "digest_off"
            else world["invitation_token"]
            if name == "invitation_open"
            else outcome_token(world["place"].pk, "met")
        ),
        "uidb36": "zz",
        "slot_id": world["slot"].pk,
        "buddy_id": world["buddy"].pk,
        "copy_id": world["copy"].pk,
        "isbn": world["copy"].isbn,
        "loan_id": world["loan"].pk,
        "episode": world["episode"].slug,
        "item_id": world["reading_item"].pk,
        "notification_id": world["notification"].pk,
    }
    return {key: values.get(key, MISSING) for key in keys}


def route_query(name: str, world) -> str:
    """Pages that take their object from the query string get it there."""
    from django.conf import settings

    congregation = world["congregation"].slug
    site = settings.SITE_URL.split("://", 1)[1]
    return {
        "federation_webfinger": f"?resource=acct:{congregation}@{site}",
        "gathering_create": f"?group={congregation}",
        "group_create": f"?scale=crew&parent={congregation}",
        "moderation_report": f"?group={congregation}&person={world['ivo'].pk}",
        "moderation_act": f"?person={world['ivo'].pk}",
    }.get(name, "")


def route_url(name: str, world) -> str:
    pattern = named_routes()[name]
    return reverse(name, kwargs=route_kwargs(name, pattern, world)) + route_query(name, world)


def client_for(role: str, world):
    from django.test import Client

    client = Client()
    person = world["people"][role]
    if person is not None:
        client.force_login(person)
    return client


def clients(world) -> dict:
    return {role: client_for(role, world) for role in ROLES}


def _tracked_models() -> dict[str, object]:
    return {
        model._meta.db_table: model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.label_lower not in UNTRACKED_MODELS and not model._meta.proxy
    }


def _digest(model) -> str:
    fields = [
        f.attname
        for f in model._meta.concrete_fields
        if f.name not in UNTRACKED_FIELDS and f.attname not in UNTRACKED_FIELDS
    ]
    rows = model._base_manager.order_by("pk").values_list(*fields)
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


def fingerprint() -> dict[str, str]:
    """A digest of every tracked table, to compare with after a request."""
    return {table: _digest(model) for table, model in _tracked_models().items()}


_WRITE = re.compile(
    r'^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([\w.]+)"?', re.IGNORECASE
)


@contextmanager
def changes_to(before: dict[str, str]):
    """Run a request in a transaction that is then undone; yields the tables it changed.

    Only the tables a statement wrote to are digested again, so a request that wrote
    nothing costs nothing, and one that wrote the same values back counts as no change.
    """
    written: set[str] = set()

    def watch(execute, sql, params, many, context):
        found = _WRITE.match(sql)
        if found:
            written.add(found.group(1))
        return execute(sql, params, many, context)

    changed: list[str] = []
    models = _tracked_models()
    with transaction.atomic(), connection.execute_wrapper(watch):
        yield changed
        changed.extend(
            sorted(t for t in written if t in models and _digest(models[t]) != before[t])
        )
        transaction.set_rollback(True)


def mark(status: int, changed: list[str]) -> str:
    """ "302" when nothing changed, "302+" when the request changed the database."""
    return f"{status}{'+' if changed else ''}"


def print_table(title: str, rows: dict[str, list]) -> None:
    print(f"\n{title} = {{")
    for name, answers in sorted(rows.items()):
        print(f"    {name!r}: {tuple(answers)!r},")
    print("}")
