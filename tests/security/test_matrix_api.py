"""The permission matrix for the API: every operation of the OpenAPI schema, as every role.

Each role calls with its own Bearer token (anonymous with none), to the world's real objects
(matrix_world.py), and writes send a valid body (`BODIES`), so a refusal is the rule's and
not the validator's. Every call runs in a transaction that is then undone, so no role sees
another's write. A cell is the status, with "+" when the database changed: "200+" acted.
Set MATRIX_PRINT=1 to print the observed table (to review a change, never to paste blindly).
"""

import json
import os
from datetime import timedelta

import pytest
from django.utils import timezone
from matrix_support import ADD_A_ROW, ROLES, changes_to, fingerprint, mark, print_table

# "METHOD path": (anonymous, outsider, member, crew member, host, staff); "+" means it acted.
API: dict[str, tuple[str, ...]] = {
    "DELETE /api/v1/crewing/calls/{call_id}/interest": ("401", "404", "200", "200+", "200", "404"),
    "DELETE /api/v1/gatherings/{gathering_id}/rsvp": (
        "401",
        "200+",
        "200+",
        "200+",
        "200+",
        "200+",
    ),
    "DELETE /api/v1/groups/{slug}/membership": ("401", "400", "200+", "200+", "200+", "400"),
    "DELETE /api/v1/journal/entries/{entry_id}": ("401", "404", "200+", "404", "404", "404"),
    "DELETE /api/v1/participation/copies/{copy_id}/request": (
        "401",
        "404",
        "200+",
        "200",
        "200",
        "200",
    ),
    "DELETE /api/v1/participation/groups/{slug}/pledge": (
        "401",
        "200",
        "200+",
        "200",
        "200",
        "200",
    ),
    "DELETE /api/v1/participation/slots/{slot_id}/signup": (
        "401",
        "200",
        "200",
        "200+",
        "200",
        "200",
    ),
    "GET /api/v1/crewing/calls/{call_id}": ("401", "404", "200", "200", "200", "404"),
    "GET /api/v1/crewing/congregations/{slug}/calls": ("401", "404", "200", "200", "200", "200"),
    "GET /api/v1/crewing/congregations/{slug}/rounds": ("401", "404", "200", "200", "200", "200"),
    "GET /api/v1/crewing/crews/{slug}": ("401", "404", "404", "200", "404", "404"),
    "GET /api/v1/crewing/rounds/{round_id}": ("401", "404", "200", "200", "200", "200"),
    "GET /api/v1/crewing/rounds/{round_id}/preview": ("401", "404", "403", "403", "200", "200"),
    "GET /api/v1/dyads/partner": ("401", "200", "200", "200", "200", "200"),
    "GET /api/v1/dyads/programs": ("401", "200", "200", "200", "200", "200"),
    "GET /api/v1/dyads/programs/{slug}": ("401", "404", "200", "200", "200", "200"),
    "GET /api/v1/dyads/programs/{slug}/rounds": ("401", "404", "200", "200", "200", "200"),
    "GET /api/v1/gatherings": ("200", "200", "200", "200", "200", "200"),
    "GET /api/v1/gatherings/{gathering_id}": ("200", "200", "200", "200", "200", "200"),
    "GET /api/v1/gatherings/{gathering_id}/occurrences": ("200", "200", "200", "200", "200", "200"),
    "GET /api/v1/groups": ("200", "200", "200", "200", "200", "200"),
    "GET /api/v1/groups/{slug}": ("200", "200", "200", "200", "200", "200"),
    "GET /api/v1/groups/{slug}/memberships": ("403", "403", "200", "200", "200", "200"),
    "GET /api/v1/groups/{slug}/tree": ("200", "200", "200", "200", "200", "200"),
    "GET /api/v1/journal/entries": ("401", "200", "200", "200", "200", "200"),
    "GET /api/v1/journal/entries/{entry_id}": ("401", "404", "200", "404", "404", "404"),
    "GET /api/v1/library/books": ("200", "200", "200", "200", "200", "200"),
    "GET /api/v1/library/essays": ("200", "200", "200", "200", "200", "200"),
    "GET /api/v1/library/essays/{essay_slug}": ("200", "200", "200", "200", "200", "200"),
    "GET /api/v1/library/reading-lists/{list_slug}": ("200", "200", "200", "200", "200", "200"),
    "GET /api/v1/me": ("401", "200", "200", "200", "200", "200"),
    "GET /api/v1/me/memberships": ("401", "200", "200", "200", "200", "200"),
    "GET /api/v1/notifications": ("401", "200", "200", "200", "200", "200"),
    "GET /api/v1/participation/gatherings/{gathering_id}/slots": (
        "200",
        "200",
        "200",
        "200",
        "200",
        "200",
    ),
    "GET /api/v1/participation/groups/{slug}/contribute": (
        "200",
        "200",
        "200",
        "200",
        "200",
        "200",
    ),
    "GET /api/v1/participation/groups/{slug}/ledger": ("200", "200", "200", "200", "200", "200"),
    "GET /api/v1/participation/groups/{slug}/pledges": ("401", "403", "403", "200", "403", "403"),
    "GET /api/v1/participation/groups/{slug}/shelf": ("401", "404", "200", "200", "200", "200"),
    "GET /api/v1/participation/me/helping": ("401", "200", "200", "200", "200", "200"),
    "POST /api/v1/crewing/calls/{call_id}/interest": ("401", "404", "400", "400", "200+", "404"),
    "POST /api/v1/crewing/congregations/{slug}/calls": (
        "401",
        "404",
        "200+",
        "200+",
        "200+",
        "200+",
    ),
    "POST /api/v1/crewing/congregations/{slug}/rounds": ("401", "404", "403", "403", "400", "400"),
    "POST /api/v1/crewing/rounds/{round_id}/form": ("401", "404", "403", "403", "200+", "200+"),
    "POST /api/v1/crewing/rounds/{round_id}/opt-in": ("401", "404", "200+", "200+", "200+", "403"),
    "POST /api/v1/crewing/rounds/{round_id}/opt-out": ("401", "404", "200+", "200+", "200", "200"),
    "POST /api/v1/crewing/rounds/{round_id}/publish": ("401", "404", "403", "403", "400", "400"),
    "POST /api/v1/crewing/rounds/{round_id}/sizes": ("401", "404", "403", "403", "200+", "200+"),
    "PUT /api/v1/crewing/calls/{call_id}": ("401", "404", "200+", "403", "403", "404"),
    "POST /api/v1/dyads/places/{place_id}/outcome": ("401", "404", "404", "200+", "404", "404"),
    "POST /api/v1/dyads/programs/{slug}/opt-in": ("401", "404", "200+", "200", "200+", "403"),
    "POST /api/v1/dyads/programs/{slug}/opt-out": ("401", "404", "200", "200+", "200", "200"),
    "POST /api/v1/gatherings/{gathering_id}/rsvp": ("401", "200+", "200+", "200", "200+", "200+"),
    # Hosts change a group's settings, and staff as on the group's edit page.
    "PATCH /api/v1/groups/{slug}": ("401", "403", "403", "403", "200+", "200+"),
    "POST /api/v1/groups/{slug}/join": ("401", "400", "200+", "200+", "200+", "400"),
    "POST /api/v1/groups/{slug}/request": ("401", "200+", "400", "400", "400", "200+"),
    "POST /api/v1/journal/entries": ("401", "200+", "200+", "200+", "200+", "200+"),
    # Programs: anyone who sees the cohort may apply; the pathway answers with one's own only.
    "DELETE /api/v1/programs/cohorts/{slug}/sign-up": ("401", "200", "200+", "200", "200", "200"),
    "GET /api/v1/programs": ("200", "200", "200", "200", "200", "200"),
    "GET /api/v1/programs/cohorts": ("200", "200", "200", "200", "200", "200"),
    "GET /api/v1/programs/cohorts/{slug}": ("200", "200", "200", "200", "200", "200"),
    "GET /api/v1/programs/pathway": ("401", "200", "200", "200", "200", "200"),
    "GET /api/v1/programs/{slug}": ("200", "200", "200", "200", "200", "200"),
    "POST /api/v1/programs/cohorts/{slug}/sign-up": ("401", "200+", "200", "200+", "400", "200+"),
    "POST /api/v1/notifications/read": ("401", "200", "200+", "200+", "200+", "200"),
    "POST /api/v1/participation/copies/{copy_id}/request": (
        "401",
        "404",
        "200",
        "200",
        "400",
        "403",
    ),
    "POST /api/v1/participation/slots/{slot_id}/signup": (
        "401",
        "403",
        "200+",
        "200",
        "200+",
        "403",
    ),
    "PUT /api/v1/participation/groups/{slug}/pledge": ("401", "403", "200+", "200+", "200+", "403"),
}


def api_operations() -> list[tuple[str, str]]:
    """(METHOD, path) of every operation in the OpenAPI schema."""
    from django.test import Client

    schema = Client().get("/api/v1/openapi.json").json()
    return [
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
    ]


def _slug(method: str, path: str, world) -> str:
    if path.startswith("/api/v1/crewing/crews/"):
        return world["crew"].slug
    if path.startswith("/api/v1/programs/cohorts/"):
        return world["cohort"].slug
    if path == "/api/v1/programs/{slug}":
        return world["course"].slug
    if method == "POST" and path == "/api/v1/groups/{slug}/join":
        # Hillside is open: joining is for anyone signed in who is not in it yet.
        return world["hillside"].slug
    return world["congregation"].slug


def api_url(method: str, path: str, world) -> str:
    return (
        path.replace("{slug}", _slug(method, path, world))
        .replace("{gathering_id}", str(world["gathering"].pk))
        .replace("{entry_id}", str(world["entry"].pk))
        .replace("{call_id}", str(world["call"].pk))
        .replace("{round_id}", str(world["round"].pk))
        .replace("{place_id}", str(world["place"].pk))
        .replace("{slot_id}", str(world["slot"].pk))
        .replace("{copy_id}", str(world["copy"].pk))
        .replace("{essay_slug}", world["essay"].slug)
        .replace("{list_slug}", world["reading_list"].slug)
    )


def api_body(method: str, path: str, world) -> dict | None:
    soon = timezone.now() + timedelta(days=10)
    return {
        "POST /api/v1/crewing/congregations/{slug}/calls": {
            "intention": "A crew for cooks",
            "timezone": "Europe/Berlin",
        },
        "POST /api/v1/crewing/calls/{call_id}/interest": {"message": "Count me in."},
        "POST /api/v1/crewing/congregations/{slug}/rounds": {
            "title": "Autumn crews",
            "deadline": soon.isoformat(),
        },
        "POST /api/v1/crewing/rounds/{round_id}/opt-in": {
            "timezone": "Europe/Berlin",
            "languages": ["en", "de"],
            "availability": "mon-fri 07:00-09:00",
        },
        "POST /api/v1/crewing/rounds/{round_id}/sizes": {"size_min": 3, "size_max": 5},
        "PUT /api/v1/crewing/calls/{call_id}": {
            "intention": "A crew for gardeners and cooks",
            "size_min": 2,
            "size_max": 5,
        },
        "POST /api/v1/crewing/rounds/{round_id}/publish": {
            "proposal_version": world["round"].proposal_version
        },
        "POST /api/v1/dyads/places/{place_id}/outcome": {"outcome": "met"},
        "POST /api/v1/gatherings/{gathering_id}/rsvp": {"state": "going"},
        "DELETE /api/v1/gatherings/{gathering_id}/rsvp": {"occurrence": world["occurrence"].pk},
        "POST /api/v1/groups/{slug}/request": {"message": "May I join?"},
        "PATCH /api/v1/groups/{slug}": {"description": "We meet by the river."},
        "POST /api/v1/journal/entries": {"text": "A new entry."},
        "POST /api/v1/programs/cohorts/{slug}/sign-up": {"answer": "To find a crew."},
        "PUT /api/v1/participation/groups/{slug}/pledge": {"amount": "12.50", "rhythm": "monthly"},
        "POST /api/v1/participation/slots/{slot_id}/signup": {"occurrence": world["occurrence"].pk},
        "DELETE /api/v1/participation/slots/{slot_id}/signup": {
            "occurrence": world["occurrence"].pk
        },
    }.get(f"{method} {path}")


def observed_api(world) -> dict[str, list[str]]:
    from django.test import Client

    from microsolidarity.people.services import token_create

    headers = {"anonymous": {}}
    for role, person in world["people"].items():
        if person is not None:
            _token, raw = token_create(person=person, name="matrix")
            headers[role] = {"Authorization": f"Bearer {raw}"}
    client = Client()
    before = fingerprint()
    rows = {}
    for method, path in api_operations():
        url = api_url(method, path, world)
        body = api_body(method, path, world)
        row = []
        for role in ROLES:
            with changes_to(before) as changed:
                status = client.generic(
                    method,
                    url,
                    data=json.dumps(body) if body is not None else "",
                    content_type="application/json",
                    headers=headers[role],
                ).status_code
            row.append(mark(status, changed))
        rows[f"{method} {path}"] = row
    return rows


@pytest.mark.django_db
def test_every_api_operation_has_a_row_in_the_matrix():
    operations = {f"{method} {path}" for method, path in api_operations()}
    assert sorted(operations - set(API)) == [], ADD_A_ROW
    assert sorted(set(API) - operations) == [], "remove the operation's row from API"


def test_every_api_operation_answers_each_role_as_the_matrix_says(world):
    rows = observed_api(world)
    if os.environ.get("MATRIX_PRINT"):
        print_table("API", rows)
    for answers in rows.values():
        assert not any(answer.startswith("500") for answer in answers)
    wrong = {
        name: {"expected": API.get(name), "observed": tuple(answers)}
        for name, answers in rows.items()
        if API.get(name) != tuple(answers)
    }
    assert wrong == {}
