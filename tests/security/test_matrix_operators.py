"""The operators' matrix: staff and a superuser on every crew, dyad and journal route.

docs/security.md promises operators no back door into what is a crew's, a dyad's or a
journal's own. Django lets a superuser pass every `has_perm`, and staff manage groups and
gatherings: so every page, action and API operation of crews, dyads and journals is asked
here as both, with group and gathering routes pointed at the crew itself and at its own
meeting series (`crew_scoped`). A row gives (staff, superuser): for a page the GET status,
for an action the POST status with "+" when the database changed.

A new crew, dyad or journal route without a row fails the suite, as in the other matrices.
Set MATRIX_PRINT=1 to print the observed tables (to review a change, never to paste blindly).
"""

import json
import os

import pytest
from django.test import Client
from matrix_support import (
    ADD_A_ROW,
    CREW_ROUTES,
    GATHERING_ROUTES,
    changes_to,
    fingerprint,
    mark,
    named_routes,
    print_table,
    route_url,
)
from test_matrix_api import api_body, api_operations, api_url
from test_matrix_posts import post_body

OPERATORS = ("staff", "superuser")
# Group and gathering routes, asked about the crew and its meeting series.
CREW_SCOPED = ("group_", *GATHERING_ROUTES, "gathering_create")
PRIVATE = (*CREW_ROUTES, "crew_leave", "dyad", "journal_")
# Not about one group or gathering: the lists and starting a group somewhere.
NOT_SCOPED = {"group_list", "group_create", "gathering_list"}

# name: (staff, superuser), the GET status.
PAGES: dict[str, tuple[int, int]] = {
    "agenda_detail": (404, 404),
    "agenda_interest": (405, 405),
    "agenda_place": (405, 405),
    "agenda_print": (404, 404),
    "agenda_propose": (405, 405),
    "agenda_rooms": (405, 405),
    "agenda_unplace": (405, 405),
    "crew_cycles": (404, 404),
    "crew_leave": (405, 405),
    "cycle_detail": (404, 404),
    "dyad_propose": (405, 405),
    "dyads_checkin": (404, 404),
    "dyads_home": (200, 200),
    "dyads_opt_in": (405, 405),
    "dyads_opt_out": (405, 405),
    "dyads_outcome": (405, 405),
    "dyads_outcome_link": (200, 200),
    "dyads_program": (200, 200),
    "gathering_cancel": (405, 405),
    "gathering_create": (404, 404),
    "gathering_detail": (404, 404),
    "gathering_edit": (404, 404),
    "gathering_feed": (404, 404),
    "gathering_host_add": (405, 405),
    "gathering_host_remove": (405, 405),
    "gathering_registrations_csv": (404, 404),
    "group_accept": (405, 405),
    "group_decline": (405, 405),
    "group_detail": (404, 404),
    "group_edit": (404, 404),
    "group_feed": (404, 404),
    "group_invite": (405, 405),
    "group_join": (405, 405),
    "group_leave": (405, 405),
    "group_members": (404, 404),
    "group_membership_manage": (405, 405),
    "group_pause": (405, 405),
    "group_request": (405, 405),
    "group_request_answer": (405, 405),
    "group_rotate_host": (405, 405),
    "group_withdraw": (405, 405),
    "journal_delete_all": (200, 200),
    "journal_entry_create": (200, 200),
    "journal_entry_delete": (405, 405),
    "journal_entry_detail": (404, 404),
    "journal_entry_edit": (404, 404),
    "journal_export": (200, 200),
    "journal_home": (200, 200),
    "journal_part_create": (200, 200),
    "journal_part_delete": (405, 405),
    "journal_part_edit": (404, 404),
    "meeting_attendance": (405, 405),
    "meeting_detail": (404, 404),
    "occurrence_cancel": (405, 405),
    "occurrence_detail": (404, 404),
    "occurrence_feed": (404, 404),
    "occurrence_move": (405, 405),
    "occurrence_registrations_csv": (404, 404),
    "retrospective_close": (405, 405),
    "retrospective_submit": (405, 405),
    "rsvp_answer": (405, 405),
    "series_follow": (405, 405),
    "gathering_buddy_ask": (405, 405),
    "gathering_buddy_offer": (405, 405),
    "gathering_budget": (405, 405),
    "gathering_slot_create": (405, 405),
    "gathering_slot_delete": (405, 405),
    "gathering_slot_signup": (405, 405),
    "gathering_slot_withdraw": (405, 405),
    "gathering_volunteer": (404, 404),
}

# name: (staff, superuser), the POST status; "+" means it acted.
POSTS: dict[str, tuple[str, str]] = {
    "agenda_detail": ("404", "404"),
    "agenda_interest": ("404", "404"),
    "agenda_place": ("404", "404"),
    "agenda_print": ("404", "404"),
    "agenda_propose": ("404", "404"),
    "agenda_rooms": ("404", "404"),
    "agenda_unplace": ("404", "404"),
    "crew_cycles": ("404", "404"),
    "crew_leave": ("404", "404"),
    "cycle_detail": ("404", "404"),
    "dyad_propose": ("302", "302"),
    "dyads_checkin": ("404", "404"),
    "dyads_home": ("200", "200"),
    "dyads_opt_in": ("302", "302"),
    "dyads_opt_out": ("302", "302"),
    "dyads_outcome": ("302", "302"),
    "dyads_outcome_link": ("200+", "200+"),
    "dyads_program": ("302+", "302+"),
    "gathering_cancel": ("404", "404"),
    "gathering_create": ("404", "404"),
    "gathering_detail": ("404", "404"),
    "gathering_edit": ("404", "404"),
    "gathering_feed": ("405", "405"),
    "gathering_host_add": ("404", "404"),
    "gathering_host_remove": ("404", "404"),
    "gathering_registrations_csv": ("404", "404"),
    "group_accept": ("404", "404"),
    "group_decline": ("404", "404"),
    "group_detail": ("404", "404"),
    "group_edit": ("404", "404"),
    "group_feed": ("405", "405"),
    "group_invite": ("404", "404"),
    "group_join": ("404", "404"),
    "group_leave": ("404", "404"),
    "group_members": ("404", "404"),
    "group_membership_manage": ("404", "404"),
    "group_pause": ("404", "404"),
    "group_request": ("404", "404"),
    "group_request_answer": ("404", "404"),
    "group_rotate_host": ("404", "404"),
    "group_withdraw": ("404", "404"),
    "journal_delete_all": ("302", "302"),
    "journal_entry_create": ("302+", "302+"),
    "journal_entry_delete": ("404", "404"),
    "journal_entry_detail": ("404", "404"),
    "journal_entry_edit": ("404", "404"),
    "journal_export": ("200", "200"),
    "journal_home": ("200", "200"),
    "journal_part_create": ("302+", "302+"),
    "journal_part_delete": ("404", "404"),
    "journal_part_edit": ("404", "404"),
    "meeting_attendance": ("404", "404"),
    "meeting_detail": ("404", "404"),
    "occurrence_cancel": ("404", "404"),
    "occurrence_detail": ("404", "404"),
    "occurrence_feed": ("405", "405"),
    "occurrence_move": ("404", "404"),
    "occurrence_registrations_csv": ("404", "404"),
    "retrospective_close": ("404", "404"),
    "retrospective_submit": ("404", "404"),
    "rsvp_answer": ("404", "404"),
    "series_follow": ("404", "404"),
    "gathering_buddy_ask": ("404", "404"),
    "gathering_buddy_offer": ("404", "404"),
    "gathering_budget": ("404", "404"),
    "gathering_slot_create": ("404", "404"),
    "gathering_slot_delete": ("404", "404"),
    "gathering_slot_signup": ("404", "404"),
    "gathering_slot_withdraw": ("404", "404"),
    "gathering_volunteer": ("404", "404"),
}

# "METHOD path": (staff, superuser); "+" means it acted.
API: dict[str, tuple[str, str]] = {
    "DELETE /api/v1/gatherings/{gathering_id}/rsvp": ("404", "404"),
    "DELETE /api/v1/groups/{slug}/membership": ("404", "404"),
    "DELETE /api/v1/journal/entries/{entry_id}": ("404", "404"),
    "GET /api/v1/crewing/crews/{slug}": ("404", "404"),
    "GET /api/v1/dyads/partner": ("200", "200"),
    "GET /api/v1/dyads/programs": ("200", "200"),
    "GET /api/v1/dyads/programs/{slug}": ("200", "200"),
    "GET /api/v1/dyads/programs/{slug}/rounds": ("200", "200"),
    "GET /api/v1/gatherings/{gathering_id}": ("404", "404"),
    "GET /api/v1/gatherings/{gathering_id}/occurrences": ("404", "404"),
    "GET /api/v1/groups/{slug}": ("404", "404"),
    "GET /api/v1/groups/{slug}/memberships": ("404", "404"),
    "GET /api/v1/groups/{slug}/tree": ("404", "404"),
    "GET /api/v1/journal/entries": ("200", "200"),
    "GET /api/v1/journal/entries/{entry_id}": ("404", "404"),
    "POST /api/v1/dyads/places/{place_id}/outcome": ("404", "404"),
    "POST /api/v1/dyads/programs/{slug}/opt-in": ("403", "403"),
    "POST /api/v1/dyads/programs/{slug}/opt-out": ("200", "200"),
    "POST /api/v1/gatherings/{gathering_id}/rsvp": ("404", "404"),
    "PATCH /api/v1/groups/{slug}": ("404", "404"),
    "POST /api/v1/groups/{slug}/join": ("404", "404"),
    "POST /api/v1/groups/{slug}/request": ("404", "404"),
    "POST /api/v1/journal/entries": ("200+", "200+"),
}
API_PRIVATE = ("/api/v1/crewing/crews/", "/api/v1/dyads/", "/api/v1/journal/")
API_CREW_SCOPED = ("/api/v1/groups/{slug}", "/api/v1/gatherings/{gathering_id}")


def _page_routes() -> list[str]:
    return sorted(
        name
        for name in named_routes()
        if name.startswith((*PRIVATE, *CREW_SCOPED)) and name not in NOT_SCOPED
    )


def _operations() -> list[tuple[str, str]]:
    return [
        (method, path)
        for method, path in api_operations()
        if path.startswith(API_PRIVATE) or path.startswith(API_CREW_SCOPED)
    ]


def crew_scoped(world) -> dict:
    """The world with the crew in the group's place and its meeting series in the
    gathering's: group and gathering routes then name what is the crew's own."""
    return {
        **world,
        "congregation": world["crew"],
        "hillside": world["crew"],
        "gathering": world["crew_gathering"],
        "occurrence": world["crew_occurrence"],
    }


def _world_for(name: str, world, scoped) -> dict:
    return scoped if name.startswith(CREW_SCOPED) else world


def _client(role: str, world) -> Client:
    client = Client()
    client.force_login(world["superuser"] if role == "superuser" else world["people"]["staff"])
    return client


def observed_pages(world) -> dict[str, list[int]]:
    scoped = crew_scoped(world)
    by_role = {role: _client(role, world) for role in OPERATORS}
    return {
        name: [
            by_role[role].get(route_url(name, _world_for(name, world, scoped))).status_code
            for role in OPERATORS
        ]
        for name in _page_routes()
    }


def observed_posts(world) -> dict[str, list[str]]:
    scoped = crew_scoped(world)
    before = fingerprint()
    rows = {}
    for name in _page_routes():
        here = _world_for(name, world, scoped)
        url, body = route_url(name, here), post_body(name, here)
        row = []
        for role in OPERATORS:
            client = _client(role, world)
            with changes_to(before) as changed:
                status = client.post(url, body).status_code
            row.append(mark(status, changed))
        rows[name] = row
    return rows


def observed_api(world) -> dict[str, list[str]]:
    from microsolidarity.people.services import token_create

    scoped = crew_scoped(world)
    headers = {}
    for role in OPERATORS:
        person = world["superuser"] if role == "superuser" else world["people"]["staff"]
        _token, raw = token_create(person=person, name="operators matrix")
        headers[role] = {"Authorization": f"Bearer {raw}"}
    client = Client()
    before = fingerprint()
    rows = {}
    for method, path in _operations():
        here = scoped if path.startswith(API_CREW_SCOPED) else world
        url, body = api_url(method, path, here), api_body(method, path, here)
        row = []
        for role in OPERATORS:
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
def test_every_crew_dyad_and_journal_route_has_an_operators_row():
    routes = set(_page_routes())
    assert sorted(routes - set(PAGES)) == [], ADD_A_ROW
    assert sorted(routes - set(POSTS)) == [], ADD_A_ROW
    assert sorted(set(PAGES) - routes) == [], "remove the route's row from PAGES"
    assert sorted(set(POSTS) - routes) == [], "remove the route's row from POSTS"
    operations = {f"{method} {path}" for method, path in _operations()}
    assert sorted(operations - set(API)) == [], ADD_A_ROW
    assert sorted(set(API) - operations) == [], "remove the operation's row from API"


def _compare(title: str, expected: dict, rows: dict) -> dict:
    if os.environ.get("MATRIX_PRINT"):
        print_table(title, rows)
    return {
        name: {"expected": expected.get(name), "observed": tuple(answers)}
        for name, answers in rows.items()
        if expected.get(name) != tuple(answers)
    }


def test_operators_get_no_back_door_into_crew_dyad_and_journal_pages(world):
    assert _compare("PAGES", PAGES, observed_pages(world)) == {}


def test_operators_cannot_act_on_what_is_a_crews_a_dyads_or_a_journals(world):
    assert _compare("POSTS", POSTS, observed_posts(world)) == {}


def test_operators_get_no_back_door_through_the_api(world):
    assert _compare("API", API, observed_api(world)) == {}
