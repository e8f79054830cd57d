"""The page cache (page_cache.py): a kept page is served until a table it read is written, and
never to anyone else. These tests commit for real (transactional_db), since versions are
bumped after commit."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from microsolidarity import page_cache

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    from django.core.cache import cache

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.PAGE_CACHE = True
    cache.clear()
    page_cache._never_kept.clear()
    page_cache._people_seen.clear()
    yield
    cache.clear()
    page_cache._never_kept.clear()
    page_cache._people_seen.clear()


def signed_in(person, **extra) -> Client:
    client = Client(**extra)
    client.force_login(person)
    # A session's first request stores the viewer's time zone in it: such a page is not kept.
    client.get("/healthz")
    return client


def get_twice(client, url):
    """The page rendered (and kept), then the same page again."""
    first = client.get(url)
    second = client.get(url)
    assert first.status_code == second.status_code == 200
    return first, second


def kept_in_another_browser(person, url):
    """The same person in another browser (another CSRF cookie), served the page a first
    browser had kept. Both sign in before the page is kept: signing in writes the person's
    last sign-in, which the page's header reads."""
    first = signed_in(person, enforce_csrf_checks=True)
    other = signed_in(person, enforce_csrf_checks=True)
    other.get(url)
    get_twice(first, url)
    page = other.get(url)
    assert kept(page)
    return other, page


def kept(response) -> bool:
    return getattr(response, "page_cache_hit", False)


def without_tokens(content: bytes) -> bytes:
    return re.sub(rb"[A-Za-z0-9]{64}", b"TOKEN", content)


@pytest.fixture
def gathering(host, congregation):
    from microsolidarity.gatherings.services import gathering_create

    start = timezone.now() + timedelta(days=3)
    return gathering_create(
        by=host,
        group=congregation,
        title="River walk",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )


def test_a_second_visit_gets_the_kept_page_with_the_same_content(host, congregation):
    client = signed_in(host)
    first, second = get_twice(client, "/groups/")

    assert not kept(first) and kept(second)
    assert without_tokens(first.content) == without_tokens(second.content)


def test_a_kept_page_is_never_served_to_another_person(host, member, congregation):
    get_twice(signed_in(host), "/")
    members_page = signed_in(member).get("/")

    assert not kept(members_page)
    assert b"Mo Member" in members_page.content


def test_anonymous_visitors_share_no_page_with_a_signed_in_person(host, congregation):
    get_twice(signed_in(host), f"/g/{congregation.slug}/")
    visitor = Client().get(f"/g/{congregation.slug}/")

    assert not kept(visitor)


def test_a_group_made_private_vanishes_at_once(host, congregation, make_person):
    from microsolidarity.groups.models import Group, Visibility

    stranger = signed_in(make_person("Stranger"))
    _first, second = get_twice(stranger, "/groups/")
    assert kept(second) and b"Riverside Congregation" in second.content

    Group.objects.filter(pk=congregation.pk).update(visibility=Visibility.MEMBERS)
    after = stranger.get("/groups/")

    assert not kept(after)
    assert b"Riverside Congregation" not in after.content


def test_hidden_content_vanishes_at_once(member, gathering):
    from microsolidarity.gatherings.models import Gathering

    client = signed_in(member)
    _first, second = get_twice(client, "/gatherings/")
    assert kept(second) and b"River walk" in second.content

    Gathering.objects.filter(pk=gathering.pk).update(hidden_at=timezone.now())

    assert b"River walk" not in client.get("/gatherings/").content


def test_a_membership_change_shows_at_once(host, congregation, make_person, gathering):
    from microsolidarity.gatherings.models import Gathering
    from microsolidarity.groups.services import membership_approve, membership_request

    Gathering.objects.filter(pk=gathering.pk).update(audience="members")
    newcomer = make_person("Newcomer")
    client = signed_in(newcomer)
    _first, second = get_twice(client, "/gatherings/")
    assert kept(second) and b"River walk" not in second.content

    result = membership_request(person=newcomer, group=congregation)
    membership_approve(by=host, membership=result.membership)

    assert b"River walk" in client.get("/gatherings/").content


def test_an_rsvp_changes_the_gathering_page_at_once(host, member, gathering):
    from microsolidarity.gatherings.rsvp import rsvp_set

    client = signed_in(member)
    url = gathering.get_absolute_url()
    _first, second = get_twice(client, url)
    assert kept(second) and b"0 going." in second.content

    rsvp_set(person=host, occurrence=gathering.occurrences.get(), state="going")
    after = client.get(url)

    # Kept all the same: the answer box is a fresh part.
    assert kept(after) and b"1 going." in after.content and b"0 going." not in after.content


def test_a_write_inside_a_transaction_counts_once_it_commits(host, congregation):
    from django.db import transaction

    from microsolidarity.groups.models import Group

    client = signed_in(host)
    get_twice(client, "/groups/")
    with transaction.atomic():
        Group.objects.filter(pk=congregation.pk).update(name="Riverside, renamed")
        # Not yet committed: other connections would still read the old name.
        assert kept(client.get("/groups/"))

    assert b"Riverside, renamed" in client.get("/groups/").content


def test_messages_are_shown_after_a_post_and_not_kept(host, congregation):
    from microsolidarity.gatherings.models import PollSlot, TimePoll

    poll = TimePoll.objects.create(
        group=congregation, title="When?", duration=timedelta(hours=1), created_by=host
    )
    start = timezone.now() + timedelta(days=5)
    slot = PollSlot.objects.create(poll=poll, starts_at=start, ends_at=start + timedelta(hours=1))
    client = signed_in(host)
    url = f"/polls/{poll.pk}/"
    _first, second = get_twice(client, url)
    assert kept(second)

    answered = client.post(url, {f"slot-{slot.pk}": "yes"}, follow=True)
    assert b"your answers are saved" in answered.content
    again = client.get(url)

    assert b"your answers are saved" not in again.content


def test_a_kept_page_carries_the_requesters_own_csrf_token(host, congregation):
    from microsolidarity.gatherings.models import PollSlot, TimePoll

    poll = TimePoll.objects.create(
        group=congregation, title="When?", duration=timedelta(hours=1), created_by=host
    )
    start = timezone.now() + timedelta(days=5)
    slot = PollSlot.objects.create(poll=poll, starts_at=start, ends_at=start + timedelta(hours=1))
    url = f"/polls/{poll.pk}/"
    other, page = kept_in_another_browser(host, url)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.content).group(1)

    answered = other.post(url, {"csrfmiddlewaretoken": token.decode(), f"slot-{slot.pk}": "yes"})

    assert answered.status_code == 302


def test_the_api_and_other_methods_are_never_kept(host):
    from microsolidarity.people.services import token_create

    _token, raw = token_create(person=host, name="test")
    headers = {"Authorization": f"Bearer {raw}"}
    client = Client()
    client.get("/api/v1/journal/entries", headers=headers)
    again = client.get("/api/v1/journal/entries", headers=headers)

    assert not kept(again)


def test_nothing_is_kept_when_the_page_cache_is_off(settings, host, congregation):
    settings.PAGE_CACHE = False
    _first, second = get_twice(signed_in(host), "/groups/")

    assert not kept(second)


def test_the_tables_a_page_read_are_what_it_is_kept_with(host, congregation):
    from django.core.cache import cache

    client = signed_in(host)
    client.get("/groups/")
    # Locmem's keys are ":<version>:<key>".
    keys = [key.split(":", 2)[2] for key in cache._cache if f"{page_cache.PREFIX}:page:" in key]
    assert len(keys) == 1
    entry = cache.get(keys[0])

    assert {"groups_group", "groups_membership", "people_person"} <= set(entry["tables"])


def test_a_write_after_a_rolled_back_savepoint_still_counts(host, congregation):
    from django.db import transaction

    from microsolidarity.groups.models import Group

    client = signed_in(host)
    get_twice(client, "/groups/")
    with transaction.atomic():
        try:
            with transaction.atomic():
                Group.objects.filter(pk=congregation.pk).update(name="Never")
                raise RuntimeError
        except RuntimeError:
            pass
        Group.objects.filter(pk=congregation.pk).update(name="Riverside, renamed")

    assert b"Riverside, renamed" in client.get("/groups/").content


# Fresh parts: what an evening's RSVPs change is rendered on every serve of a kept page.


def kept_entry(url_part: str = ""):
    from django.core.cache import cache

    keys = [key.split(":", 2)[2] for key in cache._cache if f"{page_cache.PREFIX}:page:" in key]
    assert len(keys) == 1
    return cache.get(keys[0])


def test_an_rsvp_shows_on_a_kept_group_page_without_dropping_it(host, member, gathering):
    from microsolidarity.gatherings.rsvp import rsvp_set

    client = signed_in(member)
    url = f"/g/{gathering.group.slug}/"
    first, second = get_twice(client, url)
    assert kept(second) and b"0 going" in second.content

    rsvp_set(person=host, occurrence=gathering.occurrences.get(), state="going")
    after = client.get(url)

    assert kept(after)
    assert b"1 going" in after.content and b"0 going" not in after.content
    assert without_tokens(after.content).replace(b"1 going", b"0 going") == without_tokens(
        first.content
    )


def test_what_only_a_fresh_part_reads_is_not_a_kept_pages_table(member, gathering):
    occurrence = gathering.occurrences.get()
    client = signed_in(member)
    client.get(f"/g/{gathering.group.slug}/")
    entry = kept_entry()

    assert "gatherings_rsvp" not in entry["tables"]
    assert {"groups_group", "groups_membership"} <= set(entry["tables"])
    assert [(path, args) for path, args, _placeholder in entry["parts"]] == [
        ("microsolidarity.gatherings.templatetags.going.going_part", [occurrence.pk, None])
    ]


def test_no_mark_of_a_fresh_part_reaches_the_browser(member, gathering):
    client = signed_in(member)
    first, second = get_twice(client, f"/g/{gathering.group.slug}/")

    for page in (first, second):
        assert b"<!--fresh" not in page.content and b"River walk" in page.content
        assert int(page["Content-Length"]) == len(page.content)


def test_a_fresh_part_still_follows_who_may_see_what(host, member, gathering):
    from microsolidarity.gatherings.models import Gathering

    client = signed_in(member)
    _first, second = get_twice(client, f"/g/{gathering.group.slug}/")
    assert b"River walk" in second.content

    Gathering.objects.filter(pk=gathering.pk).update(hidden_at=timezone.now())

    assert b"River walk" not in client.get(f"/g/{gathering.group.slug}/").content


def test_a_write_committed_while_a_page_renders_drops_the_page_kept(
    monkeypatch, host, congregation
):
    from microsolidarity.groups.models import Group

    client = signed_in(host)
    checked = page_cache._cacheable_response

    def a_write_after_the_pages_reads(request, response):
        # Another process commits once the page has read the old name, before it is kept.
        Group.objects.filter(pk=congregation.pk).update(name="Riverside, renamed")
        return checked(request, response)

    monkeypatch.setattr(page_cache, "_cacheable_response", a_write_after_the_pages_reads)
    assert b"Riverside, renamed" not in client.get("/groups/").content
    monkeypatch.setattr(page_cache, "_cacheable_response", checked)
    again = client.get("/groups/")

    assert not kept(again) and b"Riverside, renamed" in again.content
    assert kept(client.get("/groups/"))


def test_a_fresh_part_takes_only_what_a_kept_page_can_store(rf):
    from microsolidarity.gatherings.templatetags.going import going_part

    with pytest.raises(TypeError):
        page_cache.render_part(rf.get("/"), going_part, object())

    def not_registered(request):
        return ""

    with pytest.raises(ValueError, match="not a @fresh_part"):
        page_cache.render_part(rf.get("/"), not_registered)


def test_a_kept_list_counts_all_its_gatherings_in_one_query(host, member, congregation):
    from django.db import connection

    from microsolidarity.gatherings.rsvp import rsvp_set
    from microsolidarity.gatherings.services import gathering_create

    start = timezone.now() + timedelta(days=2)
    walks = [
        gathering_create(
            by=host,
            group=congregation,
            title=f"Walk {n}",
            starts_at=start + timedelta(days=n),
            ends_at=start + timedelta(days=n, hours=1),
            capacity=10 if n == 0 else None,
        )
        for n in range(3)
    ]
    client = signed_in(member)
    get_twice(client, "/gatherings/")
    rsvp_set(person=host, occurrence=walks[0].occurrences.get(), state="going")
    rsvp_set(person=host, occurrence=walks[2].occurrences.get(), state="going")
    read = []
    with connection.execute_wrapper(lambda run, sql, *args: (read.append(sql), run(sql, *args))[1]):
        after = client.get("/gatherings/")

    assert kept(after)
    assert after.content.count(b"1 going") == 1 and after.content.count(b"0 going") == 1
    assert b"1 of 10 seats taken" in after.content
    assert len([sql for sql in read if "gatherings_rsvp" in sql]) == 1


def test_a_kept_home_page_follows_my_rsvps_and_my_poll_answers(host, member, gathering):
    from microsolidarity.gatherings.models import PollAnswer, PollSlot, TimePoll
    from microsolidarity.gatherings.rsvp import rsvp_set

    poll = TimePoll.objects.create(
        group=gathering.group, title="When next?", duration=timedelta(hours=1), created_by=host
    )
    start = timezone.now() + timedelta(days=5)
    slot = PollSlot.objects.create(poll=poll, starts_at=start, ends_at=start + timedelta(hours=1))
    client = signed_in(member)
    _first, second = get_twice(client, "/")
    assert kept(second)
    assert b"When next?" in second.content and b"Nothing yet." in second.content

    rsvp_set(person=member, occurrence=gathering.occurrences.get(), state="going")
    PollAnswer.objects.create(slot=slot, person=member, answer="yes")
    after = client.get("/")

    assert kept(after)
    assert b"When next?" not in after.content and b"Nothing yet." not in after.content
    going_to = after.content.split(b"gatherings-heading", 1)[1].split(b"</section>", 1)[0]
    assert b"River walk" in going_to and b"Coming up in your groups" not in going_to


def test_nothing_waiting_shows_on_a_kept_home_page_once_the_last_poll_is_answered(
    host, make_person, network
):
    from microsolidarity.gatherings.models import PollAnswer, PollSlot, TimePoll
    from microsolidarity.groups.models import Membership

    # In the network only: no congregation whose crew to find, nothing else waiting.
    newcomer = make_person("Newcomer")
    Membership.objects.create(
        person=newcomer, group=network, state="active", started_at=timezone.now()
    )
    poll = TimePoll.objects.create(
        group=network, title="When next?", duration=timedelta(hours=1), created_by=host
    )
    start = timezone.now() + timedelta(days=5)
    slot = PollSlot.objects.create(poll=poll, starts_at=start, ends_at=start + timedelta(hours=1))
    client = signed_in(newcomer)
    _first, second = get_twice(client, "/")
    assert b"When next?" in second.content and b"Nothing waiting for you." not in second.content

    PollAnswer.objects.create(slot=slot, person=newcomer, answer="yes")
    after = client.get("/")

    assert kept(after) and b"Nothing waiting for you." in after.content


def test_my_own_rsvp_and_the_call_link_show_on_a_kept_gathering_page(member, gathering):
    from microsolidarity.gatherings.models import Gathering
    from microsolidarity.gatherings.rsvp import rsvp_set

    Gathering.objects.filter(pk=gathering.pk).update(
        mode="online", call_link="https://call.example/river"
    )
    client = signed_in(member)
    url = gathering.get_absolute_url()
    _first, second = get_twice(client, url)
    assert kept(second) and b"https://call.example/river" not in second.content

    rsvp_set(person=member, occurrence=gathering.occurrences.get(), state="going")
    after = client.get(url)

    assert kept(after)
    assert b"You&#x27;re going." in after.content or b"You're going." in after.content
    assert b"https://call.example/river" in after.content
    assert b"<!--fresh" not in after.content


def test_a_poll_that_closes_while_the_home_page_is_kept_leaves_it(
    host, member, congregation, monkeypatch
):
    from microsolidarity.gatherings.models import PollSlot, TimePoll

    closes = timezone.now() + timedelta(hours=1)
    poll = TimePoll.objects.create(
        group=congregation,
        title="When next?",
        duration=timedelta(hours=1),
        created_by=host,
        closes_at=closes,
    )
    start = timezone.now() + timedelta(days=5)
    PollSlot.objects.create(poll=poll, starts_at=start, ends_at=start + timedelta(hours=1))
    client = signed_in(member)
    _first, second = get_twice(client, "/")
    assert kept(second) and b"When next?" in second.content

    later = closes + timedelta(minutes=1)
    monkeypatch.setattr("microsolidarity.home.parts.timezone.now", lambda: later)
    after = client.get("/")

    assert kept(after) and b"When next?" not in after.content


def test_a_page_that_says_it_is_private_is_not_looked_for_again(member, monkeypatch):
    client = signed_in(member)
    first = client.get("/me/journal/new/")
    assert first.status_code == 200 and "private" in first["Cache-Control"]

    def no_key(request):
        raise AssertionError("a private page's key was worked out again")

    monkeypatch.setattr(page_cache, "page_key", no_key)
    again = client.get("/me/journal/new/")

    assert again.status_code == 200 and not kept(again)


def _home_reads(client) -> tuple:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as read:
        page = client.get("/")
    return page, [query["sql"] for query in read.captured_queries]


def _going_to(page) -> bytes:
    return page.content.split(b"gatherings-heading", 1)[1].split(b"</section>", 1)[0]


def test_other_peoples_rsvps_and_answers_leave_my_home_parts_kept(
    host, member, make_person, gathering
):
    from microsolidarity.gatherings.models import PollSlot, TimePoll
    from microsolidarity.gatherings.polls import poll_answer
    from microsolidarity.gatherings.rsvp import rsvp_set
    from microsolidarity.groups.models import Membership

    poll = TimePoll.objects.create(
        group=gathering.group, title="When next?", duration=timedelta(hours=1), created_by=host
    )
    start = timezone.now() + timedelta(days=5)
    slot = PollSlot.objects.create(poll=poll, starts_at=start, ends_at=start + timedelta(hours=1))
    rsvp_set(person=member, occurrence=gathering.occurrences.get(), state="going")
    other = make_person("Other")
    Membership.objects.create(
        person=other, group=gathering.group, state="active", started_at=timezone.now()
    )
    client = signed_in(member)
    get_twice(client, "/")

    rsvp_set(person=other, occurrence=gathering.occurrences.get(), state="going")
    poll_answer(person=other, poll=poll, answers={slot.pk: "yes"})
    page, read = _home_reads(client)

    assert kept(page) and b"River walk" in _going_to(page) and b"When next?" in page.content
    assert not [sql for sql in read if "gatherings_rsvp" in sql or "gatherings_pollanswer" in sql]


def test_a_write_that_does_not_say_whose_rows_drops_every_kept_part(member, gathering):
    from microsolidarity.gatherings.models import Rsvp
    from microsolidarity.gatherings.rsvp import rsvp_set

    rsvp_set(person=member, occurrence=gathering.occurrences.get(), state="going")
    client = signed_in(member)
    get_twice(client, "/")

    Rsvp.objects.filter(person=member).update(state="waitlisted")
    page, read = _home_reads(client)

    assert kept(page) and b"waitlisted" in _going_to(page)
    assert [sql for sql in read if "gatherings_rsvp" in sql]


def test_someone_promoted_from_the_waitlist_sees_it_on_their_kept_home_page(
    host, member, gathering
):
    from microsolidarity.gatherings.models import Gathering
    from microsolidarity.gatherings.rsvp import rsvp_set

    Gathering.objects.filter(pk=gathering.pk).update(capacity=1)
    occurrence = gathering.occurrences.get()
    rsvp_set(person=host, occurrence=occurrence, state="going")
    assert rsvp_set(person=member, occurrence=occurrence, state="going").rsvp.state == "waitlisted"
    client = signed_in(member)
    _first, second = get_twice(client, "/")
    assert b"waitlisted" in _going_to(second)

    rsvp_set(person=host, occurrence=occurrence, state="not_going")
    after = client.get("/")

    assert b"River walk" in _going_to(after) and b"waitlisted" not in _going_to(after)


@page_cache.fresh_part(
    kept_by=lambda request, pk: ([page_cache.table_version("groups_group")], None)
)
def _group_name_part(request, many, known):
    from microsolidarity.groups.models import Group

    return [Group.objects.get(pk=pk).name for (pk,) in many]


@page_cache.fresh_part(kept_by=lambda request, pk: ([], None))
def _undeclared_part(request, many, known):
    from microsolidarity.groups.models import Group

    return [Group.objects.get(pk=pk).name for (pk,) in many]


def test_a_kept_part_lasts_while_what_it_read_is_unchanged_and_only_then(
    rf, member, congregation, django_assert_num_queries
):
    from microsolidarity.groups.models import Group

    request = rf.get("/")
    request.user = member
    with django_assert_num_queries(1):
        assert page_cache._rendered(request, _group_name_part, [(congregation.pk,)], [{}]) == [
            congregation.name
        ]
    with django_assert_num_queries(0):
        page_cache._rendered(request, _group_name_part, [(congregation.pk,)], [{}])
    for _ in range(2):  # it read a table it did not name: never kept
        with django_assert_num_queries(1):
            page_cache._rendered(request, _undeclared_part, [(congregation.pk,)], [{}])

    Group.objects.filter(pk=congregation.pk).update(name="Renamed")
    with django_assert_num_queries(1):
        assert page_cache._rendered(request, _group_name_part, [(congregation.pk,)], [{}]) == [
            "Renamed"
        ]


def test_a_kept_answer_box_carries_the_requesters_own_csrf_token(member, gathering):
    other, page = kept_in_another_browser(member, gathering.get_absolute_url())
    form = page.content.split(b'id="rsvp-', 1)[1]
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    action = re.search(rb'action="([^"]+)"', form).group(1).decode()

    answered = other.post(action, {"csrfmiddlewaretoken": token.decode(), "state": "going"})

    assert answered.status_code in (200, 302)
    assert gathering.occurrences.get().rsvps.get(person=member).state == "going"


def test_someone_elses_rsvp_shows_on_my_kept_gathering_page(member, make_person, gathering):
    from microsolidarity.gatherings.rsvp import rsvp_set
    from microsolidarity.groups.models import Membership

    other = make_person("Other")
    Membership.objects.create(
        person=other, group=gathering.group, state="active", started_at=timezone.now()
    )
    client = signed_in(member)
    url = gathering.get_absolute_url()
    get_twice(client, url)
    before = client.get(url)  # its answer box kept too
    assert kept(before) and b"1 going" not in before.content

    rsvp_set(person=other, occurrence=gathering.occurrences.get(), state="going")
    after = client.get(url)

    assert kept(after) and b"1 going" in after.content


@page_cache.fresh_part(
    kept_by=lambda request, pk: ([page_cache.table_version("groups_group")], None)
)
def _form_part(request, many, known):
    from django.middleware.csrf import get_token

    from microsolidarity.groups.models import Group

    names = dict(Group.objects.filter(pk__in=[pk for (pk,) in many]).values_list("pk", "name"))
    return [f'<form>{names[pk]}<input value="{get_token(request)}"></form>' for (pk,) in many]


def test_kept_and_fresh_renderings_of_one_batch_carry_the_requesters_own_token(
    rf, member, congregation, network
):
    from django.middleware.csrf import _unmask_cipher_token

    def browser():
        request = rf.get("/")
        request.user = member
        return request

    page_cache._rendered(browser(), _form_part, [(congregation.pk,)], [{}])
    other = browser()
    shown = page_cache._rendered(other, _form_part, [(congregation.pk,), (network.pk,)], [{}, {}])

    tokens = [re.search(r'value="([^"]+)"', html).group(1) for html in shown]
    assert [congregation.name in shown[0], network.name in shown[1]] == [True, True]
    assert all(_unmask_cipher_token(token) == other.META["CSRF_COOKIE"] for token in tokens)


# The header's link to one's notifications: only a signed-in page has it.
SIGNED_IN = b'class="header-notifications'


def _read_of(client, url, table):
    """The page, and the queries serving it made that name `table` (or its prefix)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    return page, [q["sql"] for q in queries if table in q["sql"]]


def _people_read(client, url):
    return _read_of(client, url, "people_person")


def test_a_kept_page_is_served_without_reading_the_signed_in_person_again(member, congregation):
    client = signed_in(member)
    get_twice(client, "/groups/")

    page, people_read = _people_read(client, "/groups/")

    assert kept(page) and people_read == []
    assert page.wsgi_request.user.pk == member.pk and SIGNED_IN in page.content


def test_each_serve_gets_its_own_copy_of_the_person(member, congregation):
    client = signed_in(member)
    get_twice(client, "/groups/")
    first = client.get("/groups/").wsgi_request.user
    first.display_name = "Changed, never saved"

    second = client.get("/groups/").wsgi_request.user

    assert second is not first and second.display_name == "Mo Member"


def test_a_change_to_my_row_shows_on_the_next_page(member, congregation):
    from microsolidarity.people.models import Person

    client = signed_in(member)
    get_twice(client, "/groups/")
    Person.objects.filter(pk=member.pk).update(notifications_unread=3)

    page, people_read = _people_read(client, "/groups/")
    again, read_again = _people_read(client, "/groups/")

    assert not kept(page) and people_read and b"Notifications (3)" in page.content
    assert kept(again) and read_again == [] and b"Notifications (3)" in again.content


def test_a_password_changed_elsewhere_signs_a_kept_browser_out(member, congregation):
    old = signed_in(member)
    get_twice(old, "/groups/")
    assert old.get("/groups/").wsgi_request.user.pk == member.pk

    member.set_password("another-long-test-password")
    member.save(update_fields=["password"])
    new = signed_in(member)  # signed in afresh: a page kept again, for the new password
    get_twice(new, "/groups/")
    page = old.get("/groups/")

    assert not kept(page) and not page.wsgi_request.user.is_authenticated
    assert SIGNED_IN not in page.content


def test_a_person_made_inactive_is_signed_out_of_a_kept_page(member, congregation):
    from microsolidarity.people.models import Person

    client = signed_in(member)
    get_twice(client, "/groups/")

    Person.objects.filter(pk=member.pk).update(is_active=False)
    page = client.get("/groups/")

    assert not page.wsgi_request.user.is_authenticated and SIGNED_IN not in page.content
    Person.objects.filter(pk=member.pk).update(is_active=True)
    back = client.get("/groups/")
    assert back.wsgi_request.user.pk == member.pk and SIGNED_IN in back.content


def test_a_row_remembered_before_a_change_is_not_used(member, congregation):
    """As in a process that served the person before their row changed, while another
    process kept the page again after it."""
    from microsolidarity.people.models import Person

    client = signed_in(member)
    get_twice(client, "/groups/")
    version, values, db = page_cache._people_seen[member.pk]
    Person.objects.filter(pk=member.pk).update(notifications_unread=3)
    get_twice(client, "/groups/")  # kept again with the people table's new version
    unread = [f.attname for f in Person._meta.concrete_fields].index("notifications_unread")
    stale = (*values[:unread], 7, *values[unread + 1 :])
    page_cache._people_seen[member.pk] = (version, stale, db)

    page = client.get("/groups/")

    assert kept(page) and page.wsgi_request.user.notifications_unread == 3


# The journal: its page is kept without the journal's words.


def test_the_journal_page_is_kept_without_a_word_of_the_journal(member):
    from django.core.cache import cache

    from microsolidarity.journal.services import entry_create, part_create

    part = part_create(author=member, name="The lantern keeper", notes="Watches the door")
    entry_create(author=member, text="Zebra mornings feel calmer", part_ids=[part.pk])
    client = signed_in(member)

    first, second = get_twice(client, "/me/journal/")
    stored = b"".join(cache._cache.values())  # locmem keeps each value pickled
    assert any(b"fresh-part" in value for value in cache._cache.values())

    assert kept(second)
    for words in (b"The lantern keeper", b"Watches the door", b"Zebra mornings"):
        assert words in first.content and words in second.content
        assert words not in stored  # neither in the kept page nor in its kept, sealed parts
    assert "no-store" in second["Cache-Control"]
    assert without_tokens(first.content) == without_tokens(second.content)


def test_a_new_entry_shows_on_the_kept_journal_page_at_once(member):
    from microsolidarity.journal.services import entry_create

    client = signed_in(member)
    get_twice(client, "/me/journal/")

    entry_create(author=member, text="Written while the page was kept")
    page = client.get("/me/journal/")

    assert kept(page) and b"Written while the page was kept" in page.content


def test_the_kept_journal_page_is_no_one_elses(member, make_person):
    from microsolidarity.journal.services import entry_create

    entry_create(author=member, text="Mine alone")
    get_twice(signed_in(member), "/me/journal/")
    other = signed_in(make_person("Other"))

    page = other.get("/me/journal/")

    assert not kept(page) and b"Mine alone" not in page.content


def test_a_private_page_with_a_part_kept_by_versions_is_not_kept(rf, member, congregation):
    from django.contrib.sessions.backends.cache import SessionStore
    from django.http import HttpResponse
    from django.views.decorators.cache import never_cache

    @never_cache
    @page_cache.private_in_fresh_parts
    def view(request):
        return HttpResponse(
            page_cache.render_part(request, _group_name_part, congregation.pk),
            content_type="text/html",
        )

    def request():
        made = rf.get("/a-private-page/")
        made.user, made.session = member, SessionStore()
        return made

    middleware = page_cache.PageCacheMiddleware(view)
    middleware(request())
    again = middleware(request())

    assert not kept(again) and congregation.name.encode() in again.content


def _journal_reads(client):
    return _read_of(client, "/me/journal/", "journal_")


def test_others_writing_their_journals_leave_mine_kept(member, make_person):
    from microsolidarity.journal.services import entry_create, part_create

    other = make_person("Other")  # a new person changes every signed-in page: made first
    entry_create(author=member, text="My own evening")
    client = signed_in(member)
    get_twice(client, "/me/journal/")

    part = part_create(author=other, name="Their critic")
    entry_create(author=other, text="Their evening", part_ids=[part.pk])
    page, journal_read = _journal_reads(client)

    assert kept(page) and journal_read == [] and b"My own evening" in page.content


def test_a_kept_journal_piece_sealed_with_a_retired_key_is_rendered_again(settings, member):
    from microsolidarity.journal.services import entry_create

    entry_create(author=member, text="Before the key changed")
    settings.JOURNAL_KEY = "the-first-journal-key-" + "k" * 40
    client = signed_in(member)
    get_twice(client, "/me/journal/")

    settings.JOURNAL_KEY = "the-next-journal-key-" + "n" * 40
    settings.JOURNAL_KEY_FALLBACKS = []
    page, journal_read = _journal_reads(client)

    assert kept(page) and journal_read  # the page kept, its piece read afresh
    assert b"can&#x27;t be opened" in page.content or b"can't be opened" in page.content


def test_a_new_secret_key_signs_a_kept_browser_out(settings, member, congregation):
    # As in production: sessions in the cache, where a new key leaves their data readable
    # and Django's check of the password's hash is what signs people out.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    client = signed_in(member)
    get_twice(client, "/groups/")
    page_cache._people_seen.clear()  # as after the restart that takes the new key

    settings.SECRET_KEY = "a-new-secret-key-for-everyone-" + "s" * 30
    settings.SECRET_KEY_FALLBACKS = []
    page = client.get("/groups/")

    assert not kept(page) and not page.wsgi_request.user.is_authenticated
    assert SIGNED_IN not in page.content


def test_a_kept_browser_is_checked_again_by_a_process_that_has_not_seen_the_person(
    member, congregation, monkeypatch
):
    """As after a deploy whose code refuses what the old one accepted."""
    from django.contrib.auth.backends import ModelBackend

    client = signed_in(member)
    get_twice(client, "/groups/")
    page_cache._people_seen.clear()
    monkeypatch.setattr(ModelBackend, "user_can_authenticate", lambda self, user: False)

    page = client.get("/groups/")

    assert not kept(page) and not page.wsgi_request.user.is_authenticated
    assert SIGNED_IN not in page.content


@page_cache.fresh_part(
    kept_by=lambda request, pk: ([page_cache.table_version("groups_group")], None)
)
def _name_from_the_page_part(request, many, known):
    from microsolidarity.groups.models import Group

    return [
        has["name"] if "name" in has else Group.objects.get(pk=pk).name
        for (pk,), has in zip(many, known, strict=True)
    ]


def test_a_part_rendered_from_what_the_page_read_is_shown_but_not_kept(
    rf, member, congregation, django_assert_num_queries
):
    from microsolidarity.groups.models import Group

    request = rf.get("/")
    request.user = member
    read_by_the_page = Group.objects.get(pk=congregation.pk).name
    # A rename commits after the page read the name, before the part reads its versions.
    Group.objects.filter(pk=congregation.pk).update(name="Renamed")
    shown = page_cache._rendered(
        request, _name_from_the_page_part, [(congregation.pk,)], [{"name": read_by_the_page}]
    )
    assert shown == [congregation.name]

    with django_assert_num_queries(1):
        again = page_cache._rendered(request, _name_from_the_page_part, [(congregation.pk,)], [{}])
    assert again == ["Renamed"]
    with django_assert_num_queries(0):
        page_cache._rendered(request, _name_from_the_page_part, [(congregation.pk,)], [{}])


def test_a_page_showing_a_fresh_part_twice_is_not_kept():
    nonce = "n1"
    part = b"<!--fresh:n1:0-->now<!--/fresh:n1:0-->"
    content = b"<p>" + part + b"</p><p>" + part + b"</p>"

    shown, keep, _parts = page_cache._parts_apart(content, nonce, [("a.part", ())])

    assert keep is None and shown == b"<p>now</p><p>now</p>"
