"""An RSVP's outcome shows where the answer was given: in the swapped block with htmx, on
the page the form was on without it; never on whatever page is opened next."""

from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from microsolidarity.gatherings.rsvp import rsvp_set
from microsolidarity.gatherings.services import gathering_create

WAITLIST = "number 1 on the waitlist"


@pytest.fixture(autouse=True)
def _quick(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def full_call(host, congregation, make_person):
    start = timezone.now() + timedelta(days=3)
    call = gathering_create(
        by=host,
        group=congregation,
        title="Small call",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        capacity=1,
    )
    rsvp_set(person=make_person("First"), occurrence=call.occurrences.get(), state="going")
    return call


def _answer_url(call):
    return reverse("rsvp_answer", args=[call.slug, call.occurrences.get().pk])


def test_with_htmx_the_outcome_is_in_the_swapped_block_and_not_on_the_next_page(
    client, full_call, member
):
    client.force_login(member)

    swapped = client.post(
        _answer_url(full_call), {"state": "going"}, headers={"HX-Request": "true"}
    )

    block = unescape(swapped.content.decode())
    assert 'role="status"' in block
    assert f"It's full: you're {WAITLIST}" in block
    assert "It's full" not in unescape(client.get(reverse("home")).content.decode())


def test_without_htmx_the_answer_goes_back_to_the_page_it_came_from_with_the_outcome(
    client, full_call, member
):
    client.force_login(member)
    page = full_call.get_absolute_url()

    answered = client.post(_answer_url(full_call), {"state": "going", "next": page}, follow=True)

    assert answered.redirect_chain == [(page, 302)]
    assert f"It's full: you're {WAITLIST}" in unescape(answered.content.decode())


def test_a_next_on_another_site_is_ignored_for_the_occurrence_page(client, full_call, member):
    client.force_login(member)

    answered = client.post(
        _answer_url(full_call), {"state": "going", "next": "https://evil.example.org/"}
    )

    assert answered.url == full_call.occurrences.get().get_absolute_url()


def test_full_alone_when_nobody_waits_and_the_count_when_someone_does(client, full_call, member):
    client.force_login(member)
    page = full_call.occurrences.get().get_absolute_url()

    before = client.get(page).content.decode()
    client.post(_answer_url(full_call), {"state": "going"})
    after = client.get(page).content.decode()

    assert "Full." in before
    assert "0 people waiting" not in before
    assert "1 person waiting." in after
