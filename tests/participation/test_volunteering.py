"""Volunteer slots: places are counted per date, withdrawing frees one, rotation is fair."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from microsolidarity.errors import Conflict, NotAllowed, RuleBroken
from microsolidarity.gatherings.models import Occurrence
from microsolidarity.participation.models import SignupState, SlotSignup, VolunteerRole
from microsolidarity.participation.queries import (
    Place,
    helping_for,
    rotations_for,
    slots_for,
    volunteering_evidence,
)
from microsolidarity.participation.volunteering import (
    buddy_ask,
    buddy_offer,
    slot_create,
    slot_delete,
    slot_signup,
    slot_signup_series,
    slot_withdraw,
)


def test_a_slot_takes_as_many_people_as_its_count_and_no_more(
    host, member, other_member, gathering
):
    occurrence = gathering.occurrences.get()
    slot = slot_create(by=host, gathering=gathering, role=VolunteerRole.WELCOMER, count=1)
    slot_signup(person=member, slot=slot, occurrence=occurrence)
    with pytest.raises(Conflict) as refused:
        slot_signup(person=other_member, slot=slot, occurrence=occurrence)
    assert "taken" in refused.value.message
    # Asking twice keeps the one place.
    slot_signup(person=member, slot=slot, occurrence=occurrence)
    assert SlotSignup.objects.filter(state=SignupState.SIGNED_UP).count() == 1


def test_withdrawing_frees_the_place_for_the_next_person(host, member, other_member, gathering):
    occurrence = gathering.occurrences.get()
    slot = slot_create(by=host, gathering=gathering, role=VolunteerRole.NOTE_TAKER)
    slot_signup(person=member, slot=slot, occurrence=occurrence)
    assert slot_withdraw(person=member, slot=slot, occurrence=occurrence) == 1
    slot_signup(person=other_member, slot=slot, occurrence=occurrence)
    [date] = slots_for(member, gathering)
    [place] = date.places
    assert [p.pk for p in place.people] == [other_member.pk]
    assert place.free == 0 and not place.mine


def test_a_recurring_slot_counts_its_places_on_each_date(host, member, other_member, weekly):
    dates = list(weekly.occurrences.order_by("starts_at"))
    assert len(dates) == 4
    slot = slot_create(by=host, gathering=weekly, role=VolunteerRole.CALL_HOST, count=1)
    slot_signup(person=other_member, slot=slot, occurrence=dates[1])
    result = slot_signup_series(person=member, slot=slot)
    assert (result.signed_up, result.full) == (3, 1)
    rows = slots_for(member, weekly)
    assert [row.places[0].mine for row in rows] == [True, False, True, True]


def test_a_slot_for_one_date_cannot_be_taken_on_another(host, member, weekly):
    first, second = weekly.occurrences.order_by("starts_at")[:2]
    slot = slot_create(by=host, gathering=weekly, role=VolunteerRole.KITCHEN, occurrence=first)
    with pytest.raises(RuleBroken):
        slot_signup(person=member, slot=slot, occurrence=second)


def test_only_hosts_add_slots_and_only_members_take_them(
    host, member, make_person, network, gathering
):
    from microsolidarity.groups.services import membership_join

    occurrence = gathering.occurrences.get()
    with pytest.raises(NotAllowed):
        slot_create(by=member, gathering=gathering, role=VolunteerRole.WELCOMER)
    slot = slot_create(by=host, gathering=gathering, role=VolunteerRole.WELCOMER)
    stranger = make_person("Sam Stranger")
    membership_join(person=stranger, group=network)
    with pytest.raises(NotAllowed):
        slot_signup(person=stranger, slot=slot, occurrence=occurrence)
    with pytest.raises(RuleBroken):
        slot_create(by=host, gathering=gathering, role=VolunteerRole.OTHER)
    with pytest.raises(RuleBroken):
        slot_create(by=host, gathering=gathering, role=VolunteerRole.WELCOMER, count=0)


def test_removing_a_slot_tells_the_people_who_took_it(
    host, member, gathering, django_capture_on_commit_callbacks
):
    occurrence = gathering.occurrences.get()
    slot = slot_create(by=host, gathering=gathering, role=VolunteerRole.KITCHEN, count=3)
    slot_signup(person=member, slot=slot, occurrence=occurrence)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        slot_delete(by=host, slot=slot)
    assert [m.to for m in mail.outbox] == [[member.email]]


def test_evidence_lists_roles_done_at_past_dates_only(host, member, weekly):
    dates = list(weekly.occurrences.order_by("starts_at"))
    slot = slot_create(by=host, gathering=weekly, role=VolunteerRole.WELCOMER, count=2)
    for occurrence in dates[:2]:
        slot_signup(person=member, slot=slot, occurrence=occurrence)
    past = timezone.now() - timedelta(days=2)
    Occurrence.objects.filter(pk=dates[0].pk).update(
        starts_at=past, ends_at=past + timedelta(hours=1)
    )
    [record] = volunteering_evidence(member)
    assert (record.role, record.gathering, record.gathering_slug) == (
        "welcomer",
        "Weekly call",
        weekly.slug,
    )
    assert record.date == timezone.localtime(past).date()


def test_the_rotation_asks_first_whoever_did_the_role_least(
    host, member, other_member, congregation, weekly
):
    dates = list(weekly.occurrences.order_by("starts_at"))
    slot = slot_create(by=host, gathering=weekly, role=VolunteerRole.WELCOMER, count=3)
    slot_signup(person=member, slot=slot, occurrence=dates[0])
    slot_signup(person=member, slot=slot, occurrence=dates[1])
    slot_signup(person=other_member, slot=slot, occurrence=dates[1])
    long_ago = timezone.now() - timedelta(days=30)
    for occurrence in dates[:2]:
        Occurrence.objects.filter(pk=occurrence.pk).update(
            starts_at=long_ago, ends_at=long_ago + timedelta(hours=1)
        )
        long_ago += timedelta(days=7)
    ranked = rotations_for(weekly, [Place(slot, dates[2])])[slot.pk]
    names = [person.pk for person, _times in ranked]
    # The host never did it, the other member once, the member twice.
    assert names == [host.pk, other_member.pk, member.pk]
    assert [times for _person, times in ranked] == [0, 1, 2]


def test_a_newcomer_asks_for_a_buddy_and_the_first_member_to_offer_is_it(
    host, member, other_member, make_person, network, gathering, django_capture_on_commit_callbacks
):
    from microsolidarity.groups.services import membership_join

    newcomer = make_person("Nia New")
    membership_join(person=newcomer, group=network)
    occurrence = gathering.occurrences.get()
    request = buddy_ask(person=newcomer, occurrence=occurrence, note="First time here.")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        buddy_offer(by=member, request=request)
    with pytest.raises(Conflict):
        buddy_offer(by=other_member, request=request)
    assert [m.to for m in mail.outbox] == [[newcomer.email]]
    assert member.email in mail.outbox[0].body
    with pytest.raises(NotAllowed):
        buddy_offer(by=newcomer, request=request)


def test_what_i_can_help_with_shows_my_roles_and_open_ones(host, member, gathering, weekly):
    occurrence = gathering.occurrences.get()
    mine = slot_create(by=host, gathering=gathering, role=VolunteerRole.WELCOMER)
    open_one = slot_create(by=host, gathering=weekly, role=VolunteerRole.CALL_HOST, count=2)
    slot_signup(person=member, slot=mine, occurrence=occurrence)
    helping = helping_for(member)
    assert [s.slot_id for s in helping.signups] == [mine.pk]
    assert {p.slot.pk for p in helping.open_places} == {open_one.pk}
    assert len(helping.open_places) == 4  # one per date of the weekly call
