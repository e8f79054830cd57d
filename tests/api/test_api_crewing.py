"""Crewing through the API: calls and interest, rounds from opening to publishing, crews."""

from datetime import timedelta

import pytest
from django.utils import timezone

from microsolidarity.crewing.calls import call_post, interest_accept, interest_express
from microsolidarity.crewing.models import CallInterest, InterestState, RoundStatus
from microsolidarity.crewing.round_lifecycle import round_open, round_opt_in
from microsolidarity.groups.models import Group, Scale
from microsolidarity.groups.services import membership_approve, membership_request

EVENINGS = "mon-fri 18:00-21:00"


@pytest.fixture(autouse=True)
def _quick(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def join(person, congregation, host):
    result = membership_request(person=person, group=congregation)
    membership_approve(by=host, membership=result.membership)
    return person


@pytest.fixture
def people(make_person, congregation, host):
    return [
        join(make_person(name, availability=EVENINGS), congregation, host)
        for name in ("Ana", "Bo", "Cy", "Di", "Ed", "Flo")
    ]


@pytest.fixture
def call(member, congregation):
    return call_post(by=member, congregation=congregation, intention="Gardeners' crew", size_max=4)


def open_round(host, congregation):
    return round_open(
        by=host,
        congregation=congregation,
        title="Spring crews",
        deadline=timezone.now() + timedelta(days=7),
        size_min=3,
        size_max=3,
    )


def sign_up(round_, person):
    round_opt_in(
        person=person,
        formation_round=round_,
        timezone_name="Europe/Berlin",
        languages=["en"],
        interests=["gardening"],
        availability=EVENINGS,
    )


# Crew calls ----------------------------------------------------------------------------------


def test_a_member_posts_a_call_and_it_is_listed(client, bearer, member, congregation):
    response = client.post(
        f"/api/v1/crewing/congregations/{congregation.slug}/calls",
        {"intention": "Parents' crew", "preferred_times": "tue 18:00-20:00", "size_max": 4},
        content_type="application/json",
        headers=bearer(member),
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["intention"] == "Parents' crew"
    assert body["status"] == "open"
    assert body["caller"]["id"] == member.pk
    assert "stays in the crew" in body["agreements"]
    listed = client.get(
        f"/api/v1/crewing/congregations/{congregation.slug}/calls", headers=bearer(member)
    ).json()
    assert [item["id"] for item in listed["items"]] == [body["id"]]


def test_a_call_with_times_that_do_not_parse_is_refused_with_the_field(
    client, bearer, member, congregation
):
    response = client.post(
        f"/api/v1/crewing/congregations/{congregation.slug}/calls",
        {"intention": "Crew", "preferred_times": "whenever"},
        content_type="application/json",
        headers=bearer(member),
    )

    assert response.status_code == 400
    assert "preferred_times" in response.json()["errors"]


def test_calls_are_hidden_from_people_outside_the_congregation(
    client, bearer, outsider, congregation, call
):
    listed = client.get(
        f"/api/v1/crewing/congregations/{congregation.slug}/calls", headers=bearer(outsider)
    )
    detail = client.get(f"/api/v1/crewing/calls/{call.pk}", headers=bearer(outsider))
    anonymous = client.get(f"/api/v1/crewing/calls/{call.pk}")

    assert listed.status_code == 404
    assert detail.status_code == 404
    assert anonymous.status_code == 401


def test_interest_is_expressed_and_withdrawn_and_others_never_see_a_withdrawal(
    client, bearer, call, people
):
    ana, bo = people[:2]
    url = f"/api/v1/crewing/calls/{call.pk}/interest"

    expressed = client.post(
        url, {"message": "I garden too"}, content_type="application/json", headers=bearer(ana)
    )
    twice = client.post(url, {}, content_type="application/json", headers=bearer(ana))
    withdrawn = client.delete(url, headers=bearer(ana))
    seen_by_bo = client.get(f"/api/v1/crewing/calls/{call.pk}", headers=bearer(bo)).json()
    seen_by_caller = client.get(
        f"/api/v1/crewing/calls/{call.pk}", headers=bearer(call.caller)
    ).json()

    assert expressed.status_code == 200
    assert expressed.json() == {"call": call.pk, "state": "interested"}
    assert twice.status_code == 400
    assert withdrawn.json() == {"call": call.pk, "state": "withdrawn"}
    assert seen_by_bo["interests"] == []
    assert seen_by_bo["my_interest"] is None
    assert seen_by_caller["interests"] == []


def test_the_caller_sees_interest_and_others_see_only_the_accepted(client, bearer, call, people):
    ana, bo, cy = people[:3]
    accepted = interest_express(person=ana, call=call, message="Hello")
    interest_express(person=bo, call=call)
    interest_accept(by=call.caller, interest=accepted)

    caller_view = client.get(f"/api/v1/crewing/calls/{call.pk}", headers=bearer(call.caller))
    bo_view = client.get(f"/api/v1/crewing/calls/{call.pk}", headers=bearer(bo)).json()
    cy_view = client.get(f"/api/v1/crewing/calls/{call.pk}", headers=bearer(cy)).json()

    assert {(row["person"]["id"], row["state"]) for row in caller_view.json()["interests"]} == {
        (ana.pk, "accepted"),
        (bo.pk, "interested"),
    }
    assert {row["person"]["id"] for row in bo_view["interests"]} == {ana.pk, bo.pk}
    assert bo_view["my_interest"]["state"] == "interested"
    assert [row["person"]["id"] for row in cy_view["interests"]] == [ana.pk]


def test_the_call_list_makes_a_fixed_number_of_queries(
    client, bearer, member, congregation, people, django_assert_max_num_queries
):
    for person in people[:4]:
        call_post(by=person, congregation=congregation, intention=f"{person}'s crew")
    headers = bearer(member)

    with django_assert_max_num_queries(12):
        response = client.get(
            f"/api/v1/crewing/congregations/{congregation.slug}/calls", headers=headers
        )

    assert response.json()["count"] == 4


# Formation rounds ----------------------------------------------------------------------------


def test_a_host_opens_a_round_and_a_member_may_not(client, bearer, host, member, congregation):
    url = f"/api/v1/crewing/congregations/{congregation.slug}/rounds"
    body = {"title": "Spring crews", "deadline": (timezone.now() + timedelta(days=7)).isoformat()}

    refused = client.post(url, body, content_type="application/json", headers=bearer(member))
    opened = client.post(url, body, content_type="application/json", headers=bearer(host))
    listed = client.get(url, headers=bearer(member)).json()

    assert refused.status_code == 403
    assert "hosts" in refused.json()["detail"]
    assert opened.status_code == 200
    assert opened.json()["status"] == "open"
    assert [item["title"] for item in listed["items"]] == ["Spring crews"]


def test_a_deadline_without_a_time_zone_is_refused(client, bearer, host, congregation):
    response = client.post(
        f"/api/v1/crewing/congregations/{congregation.slug}/rounds",
        {"title": "Spring", "deadline": "2031-01-01T18:00:00"},
        content_type="application/json",
        headers=bearer(host),
    )

    assert response.status_code == 400
    assert "deadline" in response.json()["errors"]


def test_members_opt_in_and_out_and_see_their_own_sign_up(
    client, bearer, host, congregation, people
):
    round_ = open_round(host, congregation)
    ana = people[0]
    url = f"/api/v1/crewing/rounds/{round_.pk}"
    body = {
        "timezone": "America/New_York",
        "languages": ["en", "es"],
        "interests": ["parenting"],
        "availability": "mon 18:00-20:00; thu 07:00-08:30",
        "show_to_hosts": True,
    }

    opted_in = client.post(
        f"{url}/opt-in", body, content_type="application/json", headers=bearer(ana)
    )
    bad = client.post(
        f"{url}/opt-in",
        {**body, "availability": "someday"},
        content_type="application/json",
        headers=bearer(ana),
    )
    opted_out = client.post(f"{url}/opt-out", headers=bearer(ana))

    assert opted_in.status_code == 200
    assert opted_in.json()["my_entry"]["timezone"] == "America/New_York"
    assert opted_in.json()["my_entry"]["languages"] == ["en", "es"]
    assert opted_in.json()["entry_count"] == 1
    assert bad.status_code == 400
    assert "availability" in bad.json()["errors"]
    assert opted_out.json()["my_entry"] is None
    assert opted_out.json()["entry_count"] == 0


def test_the_host_forms_previews_and_publishes_and_members_find_their_crew(
    client, bearer, host, congregation, people
):
    round_ = open_round(host, congregation)
    for person in people:
        sign_up(round_, person)
    url = f"/api/v1/crewing/rounds/{round_.pk}"

    formed = client.post(f"{url}/form", headers=bearer(host))
    member_preview = client.get(f"{url}/preview", headers=bearer(people[0]))
    preview = client.get(f"{url}/preview", headers=bearer(host))

    assert formed.status_code == 200
    assert formed.json()["status"] == "preview"
    assert member_preview.status_code == 403
    proposal = preview.json()
    assert len(proposal["crews"]) == 2
    assert sum(crew["is_worst"] for crew in proposal["crews"]) == 1
    assert {len(crew["members"]) for crew in proposal["crews"]} == {3}
    assert all(crew["shared_minutes_per_week"] > 0 for crew in proposal["crews"])
    assert all(member["local_times"] for member in proposal["crews"][0]["members"])
    assert proposal["unplaced"] == []

    published = client.post(
        f"{url}/publish",
        {"proposal_version": proposal["proposal_version"]},
        content_type="application/json",
        headers=bearer(host),
    )

    assert published.status_code == 200
    assert published.json()["status"] == "published"
    ana_view = client.get(url, headers=bearer(people[0])).json()
    crew = client.get(f"/api/v1/crewing/crews/{ana_view['my_crew']}", headers=bearer(people[0]))
    assert crew.status_code == 200
    body = crew.json()
    assert len(body["members"]) == 3
    meetings = body["current_cycle"]["meetings"]
    assert len(meetings) == 3
    assert {meeting["focus"]["id"] for meeting in meetings} == {m["id"] for m in body["members"]}
    assert all(meeting["host"] for meeting in meetings)
    assert all(meeting["starts_at"] for meeting in meetings)


def test_the_second_publish_gets_a_conflict_with_a_clear_message(
    client, bearer, host, congregation, people
):
    round_ = open_round(host, congregation)
    for person in people:
        sign_up(round_, person)
    url = f"/api/v1/crewing/rounds/{round_.pk}"
    client.post(f"{url}/form", headers=bearer(host))
    version = client.get(f"{url}/preview", headers=bearer(host)).json()["proposal_version"]
    body = {"proposal_version": version}

    first = client.post(
        f"{url}/publish", body, content_type="application/json", headers=bearer(host)
    )
    second = client.post(
        f"{url}/publish", body, content_type="application/json", headers=bearer(host)
    )

    assert first.status_code == 200
    assert second.status_code == 409
    assert "already published" in second.json()["detail"]
    assert round_.cycles.count() == 2


def test_publishing_a_stale_proposal_is_a_conflict(client, bearer, host, congregation, people):
    round_ = open_round(host, congregation)
    for person in people:
        sign_up(round_, person)
    url = f"/api/v1/crewing/rounds/{round_.pk}"
    client.post(f"{url}/form", headers=bearer(host))
    version = client.get(f"{url}/preview", headers=bearer(host)).json()["proposal_version"]
    client.post(f"{url}/opt-out", headers=bearer(people[0]))

    response = client.post(
        f"{url}/publish",
        {"proposal_version": version},
        content_type="application/json",
        headers=bearer(host),
    )

    assert response.status_code == 409
    assert "look again" in response.json()["detail"]
    round_.refresh_from_db()
    assert round_.status == RoundStatus.PREVIEW


def test_rounds_are_hidden_from_outsiders(client, bearer, host, congregation, outsider):
    round_ = open_round(host, congregation)

    detail = client.get(f"/api/v1/crewing/rounds/{round_.pk}", headers=bearer(outsider))
    listed = client.get(
        f"/api/v1/crewing/congregations/{congregation.slug}/rounds", headers=bearer(outsider)
    )

    assert detail.status_code == 404
    assert listed.status_code == 404


# Crews ---------------------------------------------------------------------------------------


def test_a_crew_formed_from_a_call_shows_its_meetings_to_members_only(
    client, bearer, call, people, host
):
    from microsolidarity.crewing.calls import call_crew_start

    for person in people[:2]:
        interest_accept(by=call.caller, interest=interest_express(person=person, call=call))
    crew = call_crew_start(
        by=call.caller, call=call, first_meeting_at=timezone.now() + timedelta(days=3)
    )
    url = f"/api/v1/crewing/crews/{crew.slug}"

    mine = client.get(url, headers=bearer(people[0]))
    theirs = client.get(url, headers=bearer(people[3]))
    hosts = client.get(url, headers=bearer(host))

    assert mine.status_code == 200
    body = mine.json()
    assert body["status"] == "active"
    assert [m["id"] for m in body["members"]] == [call.caller.pk, people[0].pk, people[1].pk]
    cycle = body["current_cycle"]
    assert cycle["number"] == 1
    assert cycle["status"] == "running"
    assert cycle["format"]
    assert [(m["focus"]["id"], m["host"]["id"]) for m in cycle["meetings"]] == [
        (call.caller.pk, people[1].pk),
        (people[0].pk, call.caller.pk),
        (people[1].pk, people[0].pk),
    ]
    assert cycle["meetings"][0]["url"].endswith("/meetings/1/")
    assert theirs.status_code == 404
    assert hosts.status_code == 404
    assert CallInterest.objects.filter(call=call, state=InterestState.ACCEPTED).count() == 2


def test_a_congregation_is_not_a_crew(client, bearer, member, congregation):
    assert Group.objects.get(pk=congregation.pk).scale == Scale.CONGREGATION

    response = client.get(f"/api/v1/crewing/crews/{congregation.slug}", headers=bearer(member))

    assert response.status_code == 404


def test_the_host_changes_crew_sizes_and_the_proposal_is_formed_again(
    client, bearer, host, congregation, people
):
    round_ = open_round(host, congregation)
    for person in people:
        sign_up(round_, person)
    url = f"/api/v1/crewing/rounds/{round_.pk}"
    client.post(f"{url}/form", headers=bearer(host))
    body = {"size_min": 2, "size_max": 2}

    refused = client.post(
        f"{url}/sizes", body, content_type="application/json", headers=bearer(people[0])
    )
    changed = client.post(
        f"{url}/sizes", body, content_type="application/json", headers=bearer(host)
    )
    preview = client.get(f"{url}/preview", headers=bearer(host)).json()

    assert refused.status_code == 403
    assert changed.status_code == 200
    assert changed.json()["status"] == "preview"
    assert {len(crew["members"]) for crew in preview["crews"]} == {2}
    assert len(preview["crews"]) == 3


def test_the_caller_replaces_their_call_and_interest_stays(client, bearer, member, call, people):
    interest_express(person=people[0], call=call)
    interest_express(person=people[1], call=call)
    url = f"/api/v1/crewing/calls/{call.pk}"
    body = {"intention": "Gardeners' crew, Thursdays", "size_min": 2, "size_max": 5}

    by_other = client.put(url, body, content_type="application/json", headers=bearer(people[0]))
    too_small = client.put(
        url, {**body, "size_max": 2}, content_type="application/json", headers=bearer(member)
    )
    changed = client.put(url, body, content_type="application/json", headers=bearer(member))

    assert by_other.status_code == 403
    assert too_small.status_code == 400
    assert "size_max" in too_small.json()["errors"]
    assert changed.status_code == 200
    assert changed.json()["intention"] == "Gardeners' crew, Thursdays"
    assert changed.json()["size_max"] == 5
    assert CallInterest.objects.filter(call=call, state=InterestState.INTERESTED).count() == 2
