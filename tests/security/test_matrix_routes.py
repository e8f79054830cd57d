"""The permission matrix: every named route and API operation, requested with GET as every role.

Routes come from the URL resolver and operations from the OpenAPI schema; each must have a row
below, so a new page or endpoint without a decided answer fails the suite. A row gives the
status each role gets, in ROLES order. Path parameters are filled with the fixtures' objects
(a members-only crew, a gathering, a poll, the member's own journal entry and token); routes
whose objects these fixtures do not make get an id that does not exist, so their row says how
a missing object is answered (never a 500, and the login page first for anonymous visitors).

POST-only routes are in the table too: a GET must not act (405, or the login redirect).
The admin is checked as a whole: every admin route sends anyone but staff to its login.
Set MATRIX_PRINT=1 to print the observed table (to review a change, never to paste blindly).
"""

import os
from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

ROLES = ("anonymous", "outsider", "member", "crew", "host", "staff")
MISSING = 999_999
ADD_A_ROW = "decide each role's answer in a row here (MATRIX_PRINT=1 pytest -s prints them)"

# name: (anonymous, outsider, member, crew member, host, staff)
PAGES: dict[str, tuple[int, ...]] = {
    "account_change_password": (302, 200, 200, 200, 200, 200),
    "account_confirm_login_code": (302, 302, 302, 302, 302, 302),
    "account_email": (302, 200, 200, 200, 200, 200),
    "account_email_verification_sent": (302, 302, 302, 302, 302, 302),
    "account_inactive": (200, 200, 200, 200, 200, 200),
    "account_login": (200, 302, 302, 302, 302, 302),
    "account_logout": (302, 200, 200, 200, 200, 200),
    "account_reauthenticate": (302, 200, 200, 200, 200, 200),
    "account_request_login_code": (200, 302, 302, 302, 302, 302),
    "account_reset_password": (200, 200, 200, 200, 200, 200),
    "account_reset_password_done": (200, 200, 200, 200, 200, 200),
    "account_reset_password_from_key": (200, 200, 200, 200, 200, 200),
    "account_reset_password_from_key_done": (200, 200, 200, 200, 200, 200),
    "account_set_password": (302, 302, 302, 302, 302, 302),
    "account_signup": (200, 302, 302, 302, 302, 302),
    "agenda_detail": (200, 200, 200, 200, 200, 200),
    "agenda_interest": (302, 405, 405, 405, 405, 405),
    "agenda_place": (302, 405, 405, 405, 405, 405),
    "agenda_print": (200, 200, 200, 200, 200, 200),
    "agenda_propose": (302, 405, 405, 405, 405, 405),
    "agenda_rooms": (302, 405, 405, 405, 405, 405),
    "agenda_unplace": (302, 405, 405, 405, 405, 405),
    "congregation_crewing": (302, 404, 200, 200, 200, 200),
    "crew_call_answer": (302, 405, 405, 405, 405, 405),
    "crew_call_create": (302, 404, 200, 200, 200, 200),
    "crew_call_detail": (302, 404, 404, 404, 404, 404),
    "crew_call_form": (302, 405, 405, 405, 405, 405),
    "crew_call_interest": (302, 405, 405, 405, 405, 405),
    "crew_call_interest_withdraw": (302, 405, 405, 405, 405, 405),
    "crew_call_withdraw": (302, 405, 405, 405, 405, 405),
    "crew_cycles": (302, 404, 404, 404, 404, 404),
    "crew_leave": (302, 405, 405, 405, 405, 405),
    "cycle_detail": (302, 404, 404, 404, 404, 404),
    "dyad_propose": (302, 405, 405, 405, 405, 405),
    "dyads_checkin": (302, 404, 404, 404, 404, 404),
    "dyads_home": (302, 200, 200, 200, 200, 200),
    "dyads_opt_in": (302, 405, 405, 405, 405, 405),
    "dyads_opt_out": (302, 405, 405, 405, 405, 405),
    "dyads_outcome": (302, 405, 405, 405, 405, 405),
    "dyads_outcome_link": (400, 400, 400, 400, 400, 400),
    "dyads_program": (302, 404, 404, 404, 404, 404),
    "feed_reset": (302, 405, 405, 405, 405, 405),
    "feed_revoke": (302, 405, 405, 405, 405, 405),
    "feed_settings": (302, 200, 200, 200, 200, 200),
    "gathering_cancel": (302, 405, 405, 405, 405, 405),
    "gathering_create": (302, 404, 404, 404, 404, 404),
    "gathering_detail": (200, 200, 200, 200, 200, 200),
    "gathering_edit": (302, 302, 302, 302, 200, 200),
    "gathering_feed": (200, 200, 200, 200, 200, 200),
    "gathering_host_add": (302, 405, 405, 405, 405, 405),
    "gathering_host_remove": (302, 405, 405, 405, 405, 405),
    "gathering_list": (200, 200, 200, 200, 200, 200),
    "gathering_registrations_csv": (302, 403, 403, 403, 200, 200),
    "group_accept": (302, 405, 405, 405, 405, 405),
    "group_create": (302, 200, 200, 200, 200, 200),
    "group_decline": (302, 405, 405, 405, 405, 405),
    "group_detail": (200, 200, 200, 200, 200, 200),
    "group_edit": (302, 302, 302, 302, 200, 200),
    "group_feed": (200, 200, 200, 200, 200, 200),
    "group_invite": (302, 405, 405, 405, 405, 405),
    "group_join": (302, 405, 405, 405, 405, 405),
    "group_leave": (302, 405, 405, 405, 405, 405),
    "group_list": (200, 200, 200, 200, 200, 200),
    "group_membership_manage": (302, 405, 405, 405, 405, 405),
    "group_pause": (302, 405, 405, 405, 405, 405),
    "group_request": (302, 405, 405, 405, 405, 405),
    "group_request_answer": (302, 405, 405, 405, 405, 405),
    "group_rotate_host": (302, 405, 405, 405, 405, 405),
    "group_withdraw": (302, 405, 405, 405, 405, 405),
    "home": (200, 200, 200, 200, 200, 200),
    "journal_delete_all": (302, 200, 200, 200, 200, 200),
    "journal_entry_create": (302, 200, 200, 200, 200, 200),
    "journal_entry_delete": (302, 405, 405, 405, 405, 405),
    "journal_entry_detail": (302, 404, 200, 404, 404, 404),
    "journal_entry_edit": (302, 404, 200, 404, 404, 404),
    "journal_export": (302, 200, 200, 200, 200, 200),
    "journal_home": (302, 200, 200, 200, 200, 200),
    "journal_part_create": (302, 200, 200, 200, 200, 200),
    "journal_part_delete": (302, 405, 405, 405, 405, 405),
    "journal_part_edit": (302, 404, 200, 404, 404, 404),
    "meeting_attendance": (302, 405, 405, 405, 405, 405),
    "meeting_detail": (302, 404, 404, 404, 404, 404),
    "meeting_template_create": (302, 404, 404, 404, 200, 200),
    "moderation_act": (302, 403, 403, 403, 404, 404),
    "moderation_dismiss": (302, 405, 405, 405, 405, 405),
    "moderation_log": (302, 403, 403, 403, 200, 200),
    "moderation_mine": (302, 200, 200, 200, 200, 200),
    "moderation_queue": (302, 403, 403, 403, 200, 200),
    "moderation_report": (302, 404, 404, 404, 404, 404),
    "moderation_respond": (302, 405, 405, 405, 405, 405),
    "moderation_reverse": (302, 405, 405, 405, 405, 405),
    "occurrence_cancel": (302, 405, 405, 405, 405, 405),
    "occurrence_detail": (200, 200, 200, 200, 200, 200),
    "occurrence_feed": (200, 200, 200, 200, 200, 200),
    "occurrence_move": (302, 405, 405, 405, 405, 405),
    "occurrence_registrations_csv": (302, 403, 403, 403, 200, 200),
    "person_detail": (302, 200, 200, 200, 200, 200),
    "person_feed": (404, 404, 404, 404, 404, 404),
    "poll_close": (302, 405, 405, 405, 405, 405),
    "poll_create": (302, 403, 200, 200, 200, 200),
    "poll_detail": (404, 404, 200, 200, 200, 200),
    "poll_find_time": (302, 403, 200, 200, 200, 200),
    "poll_list": (302, 403, 200, 200, 200, 200),
    "profile_edit": (302, 200, 200, 200, 200, 200),
    "retrospective_close": (302, 405, 405, 405, 405, 405),
    "retrospective_submit": (302, 405, 405, 405, 405, 405),
    "rights_account_delete": (302, 200, 200, 200, 200, 200),
    "rights_delete_cancel": (405, 405, 405, 405, 405, 405),
    "rights_export": (302, 200, 200, 200, 200, 200),
    "rights_my_data": (302, 200, 200, 200, 200, 200),
    "round_cancel": (302, 405, 405, 405, 405, 405),
    "round_create": (302, 404, 404, 404, 200, 200),
    "round_detail": (302, 404, 404, 404, 404, 404),
    "round_form": (302, 405, 405, 405, 405, 405),
    "round_join": (302, 404, 404, 404, 404, 404),
    "round_leave": (302, 405, 405, 405, 405, 405),
    "round_list": (302, 404, 200, 200, 200, 200),
    "round_move": (302, 405, 405, 405, 405, 405),
    "round_pin": (302, 405, 405, 405, 405, 405),
    "round_progress": (302, 404, 404, 404, 404, 404),
    "round_publish": (302, 405, 405, 405, 405, 405),
    "round_unpin": (302, 405, 405, 405, 405, 405),
    "rsvp_answer": (302, 405, 405, 405, 405, 405),
    "series_follow": (302, 405, 405, 405, 405, 405),
    "token_list": (302, 200, 200, 200, 200, 200),
    "token_new": (302, 405, 405, 405, 405, 405),
    "token_revoke": (302, 405, 405, 405, 405, 405),
    "town_options": (200, 200, 200, 200, 200, 200),
}
# "METHOD path" from the OpenAPI schema: (anonymous, outsider, member, crew member, host, staff),
# each role with its own Bearer token, in that order (so a join by one is seen by the next).
API: dict[str, tuple[int, ...]] = {
    "DELETE /api/v1/crewing/calls/{call_id}/interest": (404, 404, 404, 404, 404, 404),
    "DELETE /api/v1/gatherings/{gathering_id}/rsvp": (401, 200, 200, 200, 200, 200),
    "DELETE /api/v1/groups/{slug}/membership": (401, 400, 200, 200, 200, 400),
    "DELETE /api/v1/journal/entries/{entry_id}": (401, 404, 200, 404, 404, 404),
    "GET /api/v1/crewing/calls/{call_id}": (404, 404, 404, 404, 404, 404),
    "GET /api/v1/crewing/congregations/{slug}/calls": (401, 404, 404, 404, 404, 200),
    "GET /api/v1/crewing/congregations/{slug}/rounds": (401, 404, 404, 404, 404, 200),
    "GET /api/v1/crewing/crews/{slug}": (401, 404, 404, 404, 404, 404),
    "GET /api/v1/crewing/rounds/{round_id}": (404, 404, 404, 404, 404, 404),
    "GET /api/v1/crewing/rounds/{round_id}/preview": (404, 404, 404, 404, 404, 404),
    "GET /api/v1/dyads/partner": (401, 200, 200, 200, 200, 200),
    "GET /api/v1/dyads/programs": (401, 200, 200, 200, 200, 200),
    "GET /api/v1/dyads/programs/{slug}": (401, 404, 404, 404, 404, 404),
    "GET /api/v1/dyads/programs/{slug}/rounds": (401, 404, 404, 404, 404, 404),
    "GET /api/v1/gatherings": (200, 200, 200, 200, 200, 200),
    "GET /api/v1/gatherings/{gathering_id}": (200, 200, 200, 200, 200, 200),
    "GET /api/v1/gatherings/{gathering_id}/occurrences": (200, 200, 200, 200, 200, 200),
    "GET /api/v1/groups": (200, 200, 200, 200, 200, 200),
    "GET /api/v1/groups/{slug}": (200, 200, 200, 200, 200, 200),
    "GET /api/v1/groups/{slug}/memberships": (403, 403, 200, 200, 200, 200),
    "GET /api/v1/groups/{slug}/tree": (200, 200, 200, 200, 200, 200),
    "GET /api/v1/journal/entries": (401, 200, 200, 200, 200, 200),
    "GET /api/v1/journal/entries/{entry_id}": (401, 404, 200, 404, 404, 404),
    "GET /api/v1/me": (401, 200, 200, 200, 200, 200),
    "GET /api/v1/me/memberships": (401, 200, 200, 200, 200, 200),
    "POST /api/v1/crewing/calls/{call_id}/interest": (404, 404, 404, 404, 404, 404),
    "POST /api/v1/crewing/congregations/{slug}/calls": (401, 422, 422, 422, 422, 422),
    "POST /api/v1/crewing/congregations/{slug}/rounds": (401, 422, 422, 422, 422, 422),
    "POST /api/v1/crewing/rounds/{round_id}/form": (404, 404, 404, 404, 404, 404),
    "POST /api/v1/crewing/rounds/{round_id}/opt-in": (404, 404, 404, 404, 404, 404),
    "POST /api/v1/crewing/rounds/{round_id}/opt-out": (404, 404, 404, 404, 404, 404),
    "POST /api/v1/crewing/rounds/{round_id}/publish": (404, 404, 404, 404, 404, 404),
    "POST /api/v1/dyads/places/{place_id}/outcome": (401, 422, 422, 422, 422, 422),
    "POST /api/v1/dyads/programs/{slug}/opt-in": (401, 404, 404, 404, 404, 404),
    "POST /api/v1/dyads/programs/{slug}/opt-out": (401, 404, 404, 404, 404, 404),
    "POST /api/v1/gatherings/{gathering_id}/rsvp": (401, 422, 422, 422, 422, 422),
    "POST /api/v1/groups/{slug}/join": (401, 400, 400, 400, 400, 400),
    "POST /api/v1/groups/{slug}/request": (401, 200, 400, 400, 400, 200),
    "POST /api/v1/journal/entries": (401, 422, 422, 422, 422, 422),
}


@pytest.fixture
def quiet_crew(member, congregation):
    """A members-only crew in `congregation`, started by `member`."""
    from microsolidarity.groups.models import JoinPolicy, Scale, Visibility
    from microsolidarity.groups.services import group_create

    return group_create(
        by=member,
        name="Quiet Crew",
        scale=Scale.CREW,
        parent=congregation,
        join_policy=JoinPolicy.OPEN,
        visibility=Visibility.MEMBERS,
    )


@pytest.fixture
def crew_member(make_person, congregation, host, quiet_crew):
    from microsolidarity.groups.services import (
        membership_accept,
        membership_approve,
        membership_invite,
        membership_request,
    )

    person = make_person("Cai Crew")
    result = membership_request(person=person, group=congregation)
    membership_approve(by=host, membership=result.membership)
    membership_invite(by=quiet_crew.memberships.get().person, group=quiet_crew, person=person)
    membership_accept(person=person, group=quiet_crew)
    return person


@pytest.fixture
def matrix_outsider(make_person, network, staff):
    from microsolidarity.groups.models import JoinPolicy, Scale
    from microsolidarity.groups.services import group_create, membership_join

    other = group_create(
        by=staff,
        name="Hillside",
        scale=Scale.CONGREGATION,
        parent=network,
        join_policy=JoinPolicy.OPEN,
    )
    person = make_person("Oda Outsider")
    membership_join(person=person, group=network)
    membership_join(person=person, group=other)
    return person


@pytest.fixture
def world(congregation, host, member, crew_member, quiet_crew, matrix_outsider, staff):
    from microsolidarity.gatherings.models import PollSlot, TimePoll
    from microsolidarity.gatherings.services import gathering_create
    from microsolidarity.groups.models import Membership
    from microsolidarity.journal.services import entry_create, part_create
    from microsolidarity.people.services import token_create

    starts = timezone.now() + timedelta(days=3)
    gathering = gathering_create(
        by=host,
        group=congregation,
        title="Evening circle",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
    )
    poll = TimePoll.objects.create(
        group=congregation, title="When?", duration=timedelta(hours=1), created_by=host
    )
    PollSlot.objects.create(poll=poll, starts_at=starts, ends_at=starts + timedelta(hours=1))
    token, _raw = token_create(person=member, name="matrix")
    return {
        "people": {
            "anonymous": None,
            "outsider": matrix_outsider,
            "member": member,
            "crew": crew_member,
            "host": host,
            "staff": staff,
        },
        "congregation": congregation.slug,
        "crew": quiet_crew.slug,
        "gathering": gathering,
        "occurrence": gathering.occurrences.first().pk,
        "poll": poll.pk,
        "entry": entry_create(author=member, text="Mine alone.").pk,
        "part": part_create(author=member, name="The tired one").pk,
        "token": token.pk,
        "membership": Membership.objects.get(group=congregation, person=member).pk,
        "member": member.pk,
    }


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


def _slug_for(name: str, world) -> str:
    if name.startswith(("gathering_", "occurrence_", "agenda_", "rsvp_", "series_")):
        return world["gathering"].slug
    if name.startswith(
        (
            "crew_cycles",
            "cycle_",
            "meeting_detail",
            "meeting_attendance",
            "retrospective_",
            "crew_leave",
            "dyads_checkin",
        )
    ):
        return world["crew"]
    if name.startswith("dyads_program") or name.startswith("dyads_opt"):
        return "no-such-program"
    return world["congregation"]


def _kwargs(name: str, pattern, world) -> dict:
    converters = getattr(pattern, "converters", {}) or {}
    keys = list(converters) or list(pattern.regex.groupindex)
    values = {
        "slug": _slug_for(name, world),
        "occurrence_id": world["occurrence"],
        "entry_id": world["entry"],
        "part_id": world["part"],
        "token_id": world["token"],
        "membership_id": world["membership"],
        "person_id": world["member"],
        "pk": world["poll"] if name.startswith("poll_") else MISSING,
        "number": 1,
        "meeting": 1,
        "key": "no-such-key",
        "token": "no-such-token",
        "uidb36": "zz",
    }
    return {key: values.get(key, MISSING) for key in keys}


def _client_for(role: str, world):
    from django.test import Client

    client = Client()
    person = world["people"][role]
    if person is not None:
        client.force_login(person)
    return client


def observed_pages(role: str, world) -> dict[str, int]:
    client = _client_for(role, world)
    answers = {}
    for name, pattern in sorted(named_routes().items()):
        url = reverse(name, kwargs=_kwargs(name, pattern, world))
        answers[name] = client.get(url).status_code
    return answers


def api_operations() -> list[tuple[str, str]]:
    """(METHOD, path) of every operation in the OpenAPI schema."""
    from django.test import Client

    schema = Client().get("/api/v1/openapi.json").json()
    return [
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
    ]


def _api_path(path: str, world) -> str:
    slug = "no-such-program" if path.startswith("/api/v1/dyads/") else world["congregation"]
    return (
        path.replace("{slug}", slug)
        .replace("{gathering_id}", str(world["gathering"].pk))
        .replace("{entry_id}", str(world["entry"]))
        .replace("{place_id}", str(MISSING))
    )


def observed_api(world) -> dict[str, list[int]]:
    from django.test import Client

    from microsolidarity.people.services import token_create

    headers = {}
    for role, person in world["people"].items():
        if person is not None:
            _token, raw = token_create(person=person, name="matrix")
            headers[role] = {"Authorization": f"Bearer {raw}"}
    client = Client()
    rows = {}
    for method, path in api_operations():
        url = _api_path(path, world)
        rows[f"{method} {path}"] = [
            client.generic(
                method,
                url,
                data="{}",
                content_type="application/json",
                headers=headers.get(role, {}),
            ).status_code
            for role in ROLES
        ]
    return rows


def _print_table(title: str, rows: dict[str, list[int]]) -> None:
    print(f"\n{title} = {{")
    for name, answers in sorted(rows.items()):
        print(f"    {name!r}: {tuple(answers)!r},")
    print("}")


@pytest.mark.django_db
def test_every_api_operation_has_a_row_in_the_matrix():
    operations = {f"{method} {path}" for method, path in api_operations()}
    assert sorted(operations - set(API)) == [], ADD_A_ROW
    assert sorted(set(API) - operations) == [], "remove the operation's row from API"


def test_every_api_operation_answers_each_role_as_the_matrix_says(world):
    rows = observed_api(world)
    if os.environ.get("MATRIX_PRINT"):
        _print_table("API", rows)
    for answers in rows.values():
        assert 500 not in answers
    wrong = {
        name: {"expected": API.get(name), "observed": tuple(answers)}
        for name, answers in rows.items()
        if API.get(name) != tuple(answers)
    }
    assert wrong == {}


def test_the_admin_sends_everyone_but_staff_to_its_login(world):
    for role in ("anonymous", "outsider", "member", "crew", "host"):
        client = _client_for(role, world)
        for url in (
            "/admin/",
            "/admin/people/person/",
            "/admin/groups/group/",
            "/admin/groups/membership/",
            "/admin/people/apitoken/",
        ):
            answer = client.get(url)
            assert answer.status_code == 302, (role, url)
            assert answer["Location"].startswith("/admin/login/"), (role, url)


@pytest.mark.django_db
def test_every_named_route_has_a_row_in_the_matrix():
    assert sorted(set(named_routes()) - set(PAGES)) == [], ADD_A_ROW
    assert sorted(set(PAGES) - set(named_routes())) == [], "remove the route's row from PAGES"


def test_every_route_answers_each_role_as_the_matrix_says(world):
    observed = {role: observed_pages(role, world) for role in ROLES}
    rows = {name: [observed[role][name] for role in ROLES] for name in observed["anonymous"]}
    if os.environ.get("MATRIX_PRINT"):
        _print_table("PAGES", rows)
    for answers in rows.values():
        assert 500 not in answers
    wrong = {
        name: {"expected": PAGES.get(name), "observed": tuple(answers)}
        for name, answers in rows.items()
        if PAGES.get(name) != tuple(answers)
    }
    assert wrong == {}
