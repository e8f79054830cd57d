"""Every main page of the evening runs the same few queries at 15 members as at 150.

Each test counts one page's queries (a returning visitor's request: the first request of
a session also stores the viewer's time zone) in a congregation of 15 members, grows it to
150 with ten times the crews and RSVPs and more gatherings, polls, answers and journal
entries, counts again, and asks for the same number both times, under the issue's bound
of 25.
"""

import json

import pytest

pytestmark = pytest.mark.django_db

MAX_QUERIES = 25


def _pages(evening):
    return {
        "home": ("GET", "/", None),
        "groups list": ("GET", "/groups/", None),
        "congregation": ("GET", f"/g/{evening.congregation.slug}/", None),
        "crew": ("GET", f"/g/{evening.crew.slug}/", None),
        "gatherings list": ("GET", "/gatherings/", None),
        "gathering": ("GET", f"/gatherings/{evening.gathering.slug}/", None),
        "dyads": ("GET", "/dyads/", None),
        "polls list": ("GET", f"/g/{evening.congregation.slug}/polls/", None),
        "poll": ("GET", f"/polls/{evening.poll.pk}/", None),
        "journal": ("GET", "/me/journal/", None),
        "poll answer": (
            "POST",
            f"/polls/{evening.poll.pk}/",
            {f"slot-{slot.pk}": "yes" for slot in evening.poll.slots.all()},
        ),
    }


API = {
    "occurrences (API)": ("GET", "/api/v1/gatherings/{gathering}/occurrences", None),
    "RSVP (API)": ("POST", "/api/v1/gatherings/{gathering}/rsvp", "rsvp"),
    "journal write (API)": ("POST", "/api/v1/journal/entries", "journal"),
}


def _count(client, django_assert_max_num_queries, method, url, data=None, **extra) -> int:
    send = client.get if method == "GET" else client.post
    first = send(url, data, **extra) if data is not None else send(url, **extra)
    assert first.status_code in (200, 302), first.content[:500]
    with django_assert_max_num_queries(MAX_QUERIES) as captured:
        response = send(url, data, **extra) if data is not None else send(url, **extra)
    assert response.status_code in (200, 302), response.content[:500]
    return len(captured)


@pytest.mark.parametrize("role", ["host", "member"])
@pytest.mark.parametrize(
    "page",
    [
        "home",
        "groups list",
        "congregation",
        "crew",
        "gatherings list",
        "gathering",
        "dyads",
        "polls list",
        "poll",
        "poll answer",
        "journal",
    ],
)
def test_a_page_runs_as_many_queries_for_150_members_as_for_15(
    client, evening, django_assert_max_num_queries, page, role
):
    client.force_login(getattr(evening, role))
    method, url, data = _pages(evening)[page]
    few = _count(client, django_assert_max_num_queries, method, url, data)

    evening.grow_to(150)
    many = _count(client, django_assert_max_num_queries, method, url, data)

    assert evening.congregation.memberships.count() >= 150
    assert len(evening.crews) >= 29
    assert many == few


@pytest.mark.parametrize("role", ["host", "member"])
@pytest.mark.parametrize("call", list(API))
def test_an_api_call_runs_as_many_queries_for_150_members_as_for_15(
    client, evening, django_assert_max_num_queries, call, role
):
    from microsolidarity.people.services import token_create

    person = getattr(evening, role)
    _token, raw = token_create(person=person, name="tests")
    method, url, body = API[call]
    url = url.format(gathering=evening.gathering.pk)

    def send():
        payload = {
            None: None,
            "rsvp": {"occurrence": evening.occurrence.pk, "state": "going"},
            "journal": {"text": "Tonight the crew listened well."},
        }[body]
        extra = {"headers": {"Authorization": f"Bearer {raw}"}}
        if payload is not None:
            extra.update(data=json.dumps(payload), content_type="application/json")
        return _count(client, django_assert_max_num_queries, method, url, **extra)

    few = send()
    evening.grow_to(150)
    many = send()

    assert many == few
