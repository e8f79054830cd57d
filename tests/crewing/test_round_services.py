"""Formation rounds: opening, signing up, pins, forming, moving, publishing (services)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from round_builders import crews_of, join, members_signed_up, open_round, sign_up

from microsolidarity.crewing.models import (
    CrewCycle,
    PinKind,
    ProposedCrew,
    ProposedMember,
    RoundEntry,
    RoundStatus,
    RoundUnplaced,
)
from microsolidarity.crewing.round_lifecycle import (
    round_cancel,
    round_move,
    round_open,
    round_opt_in,
    round_opt_out,
    round_pin,
    round_propose,
    round_unpin,
)
from microsolidarity.crewing.round_publishing import first_meeting_at, round_publish
from microsolidarity.errors import Conflict, NotAllowed, RuleBroken
from microsolidarity.groups.models import (
    Group,
    JoinedVia,
    JoinPolicy,
    Membership,
    MembershipState,
    Scale,
    Visibility,
)

SIX = ["Ana", "Bo", "Cy", "Di", "Ed", "Flo"]


@pytest.fixture(autouse=True)
def _tasks_run_here(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def round_(host, congregation):
    return open_round(host, congregation)


@pytest.fixture
def six(round_, congregation, host, make_person):
    return members_signed_up(round_, congregation, host, make_person, SIX)


# Opening ------------------------------------------------------------------------------


def test_a_host_opens_a_round_with_its_settings(host, congregation):
    opened = open_round(host, congregation, size_min=3, size_max=5, meeting_minutes=60)
    assert opened.status == RoundStatus.OPEN
    assert (opened.size_min, opened.size_max, opened.meeting_minutes) == (3, 5, 60)
    assert opened.get_absolute_url() == f"/rounds/{opened.pk}/"


def test_only_hosts_open_rounds(member, congregation):
    with pytest.raises(NotAllowed):
        open_round(member, congregation)


def test_a_round_needs_a_future_deadline_and_sizes_that_make_sense(host, congregation):
    with pytest.raises(RuleBroken, match="still ahead"):
        open_round(host, congregation, deadline=timezone.now() - timedelta(hours=1))
    with pytest.raises(RuleBroken, match="smallest crew"):
        open_round(host, congregation, size_min=5, size_max=4)
    with pytest.raises(RuleBroken, match="at most 8"):
        open_round(host, congregation, size_max=9)


def test_one_round_at_a_time_per_congregation(host, congregation, round_):
    with pytest.raises(RuleBroken, match="still under way"):
        open_round(host, congregation, title="Another")
    round_cancel(by=host, formation_round=round_)
    assert open_round(host, congregation, title="Another").status == RoundStatus.OPEN


def test_rounds_are_for_congregations(host, network):
    with pytest.raises(RuleBroken, match="congregations"):
        round_open(
            by=host,
            congregation=network,
            title="Nope",
            deadline=timezone.now() + timedelta(days=1),
        )


# Signing up ---------------------------------------------------------------------------


def test_a_member_signs_up_with_a_snapshot_in_their_own_time(round_, member):
    entry = sign_up(
        round_,
        member,
        timezone_name="America/New_York",
        languages=["en", "ES"],
        interests=["Mutual Aid", "mutual aid", "cycling"],
        availability="mon 18:00-20:00; wed 07:00-09:30",
    )
    assert entry.timezone == "America/New_York"
    assert entry.languages == ["en", "es"]
    assert entry.interests == ["mutual aid", "cycling"]
    assert entry.availability == "mon 18:00-20:00; wed 07:00-09:30"
    member.profile.refresh_from_db()
    assert member.profile.availability == ""  # the profile is untouched


def test_signing_up_again_updates_the_entry(round_, member):
    sign_up(round_, member, availability="mon 18:00-20:00")
    sign_up(round_, member, availability="tue 18:00-20:00")
    assert RoundEntry.objects.get(round=round_, person=member).availability == "tue 18:00-20:00"


def test_availability_that_cannot_be_read_is_refused_with_the_place(round_, member):
    with pytest.raises(RuleBroken, match="character") as caught:
        sign_up(round_, member, availability="mon 18:00-17:00")
    assert caught.value.field == "availability"


def test_a_sign_up_needs_times_a_language_and_a_real_zone(round_, member):
    with pytest.raises(RuleBroken, match="weekly times"):
        sign_up(round_, member, availability="")
    with pytest.raises(RuleBroken, match="language"):
        sign_up(round_, member, languages=[])
    with pytest.raises(RuleBroken, match="time zone"):
        sign_up(round_, member, timezone_name="Mars/Olympus")


def test_only_active_members_sign_up(round_, make_person):
    with pytest.raises(NotAllowed):
        sign_up(round_, make_person("Outsider"))


def test_sign_ups_close_at_the_deadline(round_, member):
    round_.deadline = timezone.now() - timedelta(minutes=1)
    round_.save(update_fields=["deadline"])
    with pytest.raises(RuleBroken, match="closed"):
        sign_up(round_, member)


def test_opting_out_removes_the_entry_and_pins(round_, six, host):
    round_pin(by=host, formation_round=round_, first=six[0], second=six[1], kind=PinKind.APART)
    round_opt_out(person=six[0], formation_round=round_)
    assert not RoundEntry.objects.filter(round=round_, person=six[0]).exists()
    assert not round_.pins.exists()
    round_opt_out(person=six[0], formation_round=round_)  # twice is fine


# Pins ---------------------------------------------------------------------------------


def test_pins_are_for_hosts_and_signed_up_people(round_, six, host, member):
    with pytest.raises(NotAllowed):
        round_pin(
            by=six[0], formation_round=round_, first=six[0], second=six[1], kind=PinKind.TOGETHER
        )
    with pytest.raises(RuleBroken, match="has not signed up"):
        round_pin(
            by=host, formation_round=round_, first=six[0], second=member, kind=PinKind.TOGETHER
        )
    with pytest.raises(RuleBroken, match="two different"):
        round_pin(
            by=host, formation_round=round_, first=six[0], second=six[0], kind=PinKind.TOGETHER
        )


def test_a_pin_that_contradicts_another_is_refused_with_the_reason(round_, six, host):
    ana, bo, cy = six[:3]
    round_pin(by=host, formation_round=round_, first=ana, second=bo, kind=PinKind.APART)
    with pytest.raises(RuleBroken, match="already pinned apart"):
        round_pin(by=host, formation_round=round_, first=bo, second=ana, kind=PinKind.TOGETHER)
    round_pin(by=host, formation_round=round_, first=ana, second=cy, kind=PinKind.TOGETHER)
    with pytest.raises(RuleBroken, match="Ana and Bo are pinned apart"):
        round_pin(by=host, formation_round=round_, first=cy, second=bo, kind=PinKind.TOGETHER)
    # The same pin twice is the same pin.
    again = round_pin(by=host, formation_round=round_, first=cy, second=ana, kind=PinKind.TOGETHER)
    assert round_.pins.count() == 2
    round_unpin(by=host, pin=again)
    assert round_.pins.count() == 1


def test_pinning_more_together_than_a_crew_holds_is_refused(round_, six, host):
    for other in six[1:4]:
        round_pin(
            by=host, formation_round=round_, first=six[0], second=other, kind=PinKind.TOGETHER
        )
    with pytest.raises(RuleBroken, match="more than the largest crew"):
        round_pin(
            by=host, formation_round=round_, first=six[0], second=six[4], kind=PinKind.TOGETHER
        )


def test_people_who_met_cannot_be_pinned_together(round_, six, host, congregation):
    _crew_of(six[:2], congregation)
    with pytest.raises(RuleBroken, match="in a crew together before"):
        round_pin(
            by=host, formation_round=round_, first=six[0], second=six[1], kind=PinKind.TOGETHER
        )


# Forming ------------------------------------------------------------------------------


def test_forming_makes_a_preview_with_explanations_and_a_worst_crew(round_, six, host):
    formed = round_propose(by=host, formation_round=round_)
    assert formed.status == RoundStatus.PREVIEW
    assert formed.proposal_version == 1
    assert formed.progress == 1.0
    crews = list(formed.proposed_crews.all())
    assert sorted(len(c) for c in crews_of(formed)) == [3, 3]
    why = crews[0].explanation
    assert why["languages"] == ["en"]
    assert why["interests"] == ["gardening"]
    some_member = str(crews[0].placements.first().person_id)
    assert why["shared_times_local"][some_member].startswith("mon 18:00-21:00")
    assert why["warnings"] == []
    assert sum(c.is_worst for c in crews) == 1
    assert formed.worst_score == min(c.score for c in crews)


def test_forming_needs_enough_people(round_, host, congregation, make_person):
    members_signed_up(round_, congregation, host, make_person, ["Ana", "Bo"])
    with pytest.raises(RuleBroken, match="a crew needs 3"):
        round_propose(by=host, formation_round=round_)


def test_only_hosts_form_crews(round_, six):
    with pytest.raises(NotAllowed):
        round_propose(by=six[0], formation_round=round_)


def test_people_nobody_shares_time_with_are_unplaced_with_the_reason(
    round_, six, host, congregation, make_person
):
    (loner,) = members_signed_up(
        round_, congregation, host, make_person, ["Lone"], availability="sun 03:00-04:00"
    )
    formed = round_propose(by=host, formation_round=round_)
    unplaced = RoundUnplaced.objects.get(round=formed)
    assert unplaced.person == loner
    assert "60 minutes" in unplaced.reason


def test_pins_are_honoured(round_, six, host):
    ana, bo, cy, _di, ed, flo = six
    round_pin(by=host, formation_round=round_, first=ana, second=flo, kind=PinKind.TOGETHER)
    round_pin(by=host, formation_round=round_, first=ana, second=ed, kind=PinKind.TOGETHER)
    round_pin(by=host, formation_round=round_, first=bo, second=cy, kind=PinKind.APART)
    crews = crews_of(round_propose(by=host, formation_round=round_))
    ana_crew = next(c for c in crews if "Ana" in c)
    assert {"Ana", "Ed", "Flo"} <= ana_crew
    assert not any({"Bo", "Cy"} <= c for c in crews)


def test_a_round_never_reunites_anyone_who_met(round_, host, congregation, make_person):
    people = members_signed_up(round_, congregation, host, make_person, [f"P{n}" for n in range(9)])
    # Three earlier crews (one of them already over), and a dyad.
    _crew_of(people[0:3], congregation, name="Old one")
    old = _crew_of(people[3:6], congregation, name="Old two")
    Membership.objects.filter(group=old, person=people[3]).update(state=MembershipState.ALUMNI)
    _crew_of(people[6:9], congregation, name="Old three")
    formed = round_propose(by=host, formation_round=round_)
    met = [set(people[i : i + 3]) for i in (0, 3, 6)]
    placed = 0
    for crew in formed.proposed_crews.all():
        members = {p.person for p in crew.placements.select_related("person")}
        placed += len(members)
        for before in met:
            assert len(members & before) <= 1
    assert placed == 9


def test_forming_again_replaces_the_proposal_and_bumps_the_version(round_, six, host):
    first = round_propose(by=host, formation_round=round_)
    again = round_propose(by=host, formation_round=first)
    assert again.proposal_version == 2
    assert ProposedCrew.objects.filter(round=round_).count() == 2
    assert ProposedMember.objects.filter(crew__round=round_).count() == 6


def test_a_failing_engine_leaves_the_round_failed_with_a_readable_error(
    round_, six, host, monkeypatch
):
    def broken(*args, **kwargs):
        raise ValueError("groups cannot be formed")

    monkeypatch.setattr("microsolidarity.crewing.round_runs.form_crews", broken)
    failed = round_propose(by=host, formation_round=round_)
    assert failed.status == RoundStatus.FAILED
    assert "groups cannot be formed" in failed.error
    assert "try again" in failed.error
    monkeypatch.undo()
    assert round_propose(by=host, formation_round=failed).status == RoundStatus.PREVIEW


# Moving -------------------------------------------------------------------------------


def test_moving_someone_marks_them_reexplains_and_warns_of_broken_rules(round_, six, host):
    formed = round_propose(by=host, formation_round=round_)
    first, second = formed.proposed_crews.all()
    mover = first.placements.first().person
    moved = round_move(
        by=host, formation_round=formed, person=mover, to_crew=second, seen_version=1
    )
    assert moved.proposal_version == 2
    first.refresh_from_db()
    second.refresh_from_db()
    assert ProposedMember.objects.get(crew=second, person=mover).moved_by_host
    assert first.placements.count() == 2 and second.placements.count() == 4
    assert str(mover.pk) in second.explanation["shared_times_local"]
    assert str(mover.pk) not in first.explanation["shared_times_local"]
    assert any("2 people" in w for w in first.explanation["warnings"])
    assert second.explanation["warnings"] == []


def test_moving_into_a_crew_with_someone_they_met_is_a_warning(round_, six, host, congregation):
    formed = round_propose(by=host, formation_round=round_)
    first, second = formed.proposed_crews.all()
    mover = first.placements.first().person
    other = second.placements.first().person
    _crew_of([mover, other], congregation, name="Met before")
    round_move(by=host, formation_round=formed, person=mover, to_crew=second)
    second.refresh_from_db()
    assert any("in a crew together before" in w for w in second.explanation["warnings"])


def test_moving_someone_out_and_back(round_, six, host):
    formed = round_propose(by=host, formation_round=round_)
    crew = formed.proposed_crews.first()
    mover = crew.placements.first().person
    round_move(by=host, formation_round=formed, person=mover, to_crew=None)
    assert RoundUnplaced.objects.get(round=formed, person=mover).reason
    round_move(by=host, formation_round=formed, person=mover, to_crew=crew)
    assert not RoundUnplaced.objects.filter(round=formed, person=mover).exists()
    formed.refresh_from_db()
    assert formed.proposal_version == 3


def test_the_last_person_moved_out_of_a_crew_removes_it(round_, six, host):
    formed = round_propose(by=host, formation_round=round_)
    first, second = formed.proposed_crews.all()
    for placement in list(first.placements.select_related("person")):
        round_move(by=host, formation_round=formed, person=placement.person, to_crew=second)
    assert list(formed.proposed_crews.all()) == [second]


def test_moves_are_refused_on_a_stale_version_and_before_a_proposal(round_, six, host):
    with pytest.raises(RuleBroken, match="once there is a proposal"):
        round_move(by=host, formation_round=round_, person=six[0], to_crew=None)
    formed = round_propose(by=host, formation_round=round_)
    with pytest.raises(Conflict, match="changed since you looked"):
        round_move(by=host, formation_round=formed, person=six[0], to_crew=None, seen_version=0)


def test_rerunning_after_a_move_starts_from_the_engine_again(round_, six, host):
    formed = round_propose(by=host, formation_round=round_)
    round_move(by=host, formation_round=formed, person=six[0], to_crew=None)
    rerun = round_propose(by=host, formation_round=formed)
    assert rerun.proposal_version == 3
    assert not RoundUnplaced.objects.filter(round=rerun).exists()
    assert not ProposedMember.objects.filter(crew__round=rerun, moved_by_host=True).exists()


def test_opting_out_of_a_preview_takes_them_out_of_their_crew(round_, six, host):
    formed = round_propose(by=host, formation_round=round_)
    round_opt_out(person=six[0], formation_round=formed)
    formed.refresh_from_db()
    assert formed.proposal_version == 2
    assert not ProposedMember.objects.filter(crew__round=formed, person=six[0]).exists()


# Publishing ---------------------------------------------------------------------------


def test_publishing_makes_crews_memberships_and_first_cycles(
    round_, six, host, congregation, mailoutbox, django_capture_on_commit_callbacks
):
    formed = round_propose(by=host, formation_round=round_)
    with django_capture_on_commit_callbacks(execute=True):
        published = round_publish(
            by=host, formation_round=formed, seen_version=formed.proposal_version
        )
    assert published.status == RoundStatus.PUBLISHED
    assert published.published_by == host
    crews = Group.objects.filter(parent=congregation, scale=Scale.CREW)
    assert crews.count() == 2
    for crew in crews:
        assert crew.visibility == Visibility.PARENT
        assert crew.join_policy == JoinPolicy.INVITATION
        memberships = crew.memberships.all()
        assert {m.joined_via for m in memberships} == {JoinedVia.FORMATION}
        assert {m.state for m in memberships} == {MembershipState.ACTIVE}
        assert memberships.count() == 3
        cycle = CrewCycle.objects.get(crew=crew)
        assert cycle.formation_round == published
        starts = cycle.meetings.order_by("number").first().occurrence.starts_at
        # Everyone is free mon-fri 18:00-21:00 in Berlin: the first meeting is in it.
        local = starts.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Berlin"))
        assert local.weekday() < 5 and local.hour == 18
        assert starts > timezone.now()
    crew_mails = [m for m in mailoutbox if m.subject.startswith("Your crew from Spring crews")]
    assert sorted(m.to[0] for m in crew_mails) == sorted(p.email for p in six)


def test_publishing_twice_names_who_published_first(round_, six, host):
    formed = round_propose(by=host, formation_round=round_)
    round_publish(by=host, formation_round=formed, seen_version=1)
    with pytest.raises(Conflict, match="already published by Hana Host at"):
        round_publish(by=host, formation_round=formed, seen_version=1)
    assert Group.objects.filter(scale=Scale.CREW).count() == 2


def test_publishing_a_proposal_that_changed_is_refused(round_, six, host):
    formed = round_propose(by=host, formation_round=round_)
    round_move(by=host, formation_round=formed, person=six[0], to_crew=None)
    with pytest.raises(Conflict, match="changed since you looked"):
        round_publish(by=host, formation_round=formed, seen_version=1)
    assert not Group.objects.filter(scale=Scale.CREW).exists()


def test_publishing_needs_a_preview_and_a_host(round_, six, host):
    with pytest.raises(RuleBroken, match="no proposal"):
        round_publish(by=host, formation_round=round_, seen_version=0)
    formed = round_propose(by=host, formation_round=round_)
    with pytest.raises(NotAllowed):
        round_publish(by=six[0], formation_round=formed, seen_version=1)


def test_a_crew_of_one_cannot_be_published(round_, six, host):
    formed = round_propose(by=host, formation_round=round_)
    first, second = formed.proposed_crews.all()
    for placement in list(first.placements.select_related("person"))[:2]:
        round_move(by=host, formation_round=formed, person=placement.person, to_crew=second)
    formed.refresh_from_db()
    with pytest.raises(RuleBroken, match="fewer than two"):
        round_publish(by=host, formation_round=formed, seen_version=formed.proposal_version)


def test_someone_who_left_the_congregation_holds_up_publishing_with_a_clear_message(
    round_, six, host, congregation
):
    formed = round_propose(by=host, formation_round=round_)
    Membership.objects.filter(group=congregation, person=six[0]).update(
        state=MembershipState.ALUMNI
    )
    with pytest.raises(RuleBroken, match="no longer belong"):
        round_publish(by=host, formation_round=formed, seen_version=1)


# The first meeting time ---------------------------------------------------------------


def test_the_first_meeting_is_the_first_long_enough_shared_window_after_the_date():
    from datetime import UTC, date, datetime

    monday = date(2026, 3, 2)
    why = {"shared_windows_utc": [[60, 90], [2 * 1440 + 17 * 60, 2 * 1440 + 20 * 60]]}
    after = datetime(2026, 3, 5, tzinfo=UTC)  # a Thursday
    starts = first_meeting_at(why, week_monday=monday, after=after, meeting_minutes=75)
    assert starts == datetime(2026, 3, 11, 17, 0, tzinfo=UTC)  # the next Wednesday
    earlier = first_meeting_at(
        why, week_monday=monday, after=datetime(2026, 2, 20, tzinfo=UTC), meeting_minutes=75
    )
    assert earlier == datetime(2026, 2, 25, 17, 0, tzinfo=UTC)


def test_a_window_across_sunday_midnight_counts_as_one():
    from datetime import UTC, date, datetime

    why = {"shared_windows_utc": [[0, 60], [10080 - 60, 10080]]}
    starts = first_meeting_at(
        why,
        week_monday=date(2026, 3, 2),
        after=datetime(2026, 3, 2, tzinfo=UTC),
        meeting_minutes=90,
    )
    assert starts == datetime(2026, 3, 8, 23, 0, tzinfo=UTC)


def _crew_of(people, congregation, name="Before"):
    from microsolidarity.groups.services import group_create

    first, *rest = people
    crew = group_create(by=first, name=name, scale=Scale.CREW, parent=congregation)
    for person in rest:
        Membership.objects.create(
            group=crew,
            person=person,
            state=MembershipState.ACTIVE,
            joined_via=JoinedVia.ADDED,
            started_at=timezone.now(),
        )
    return crew


def test_a_member_may_still_sign_up_after_joining(round_, congregation, host, make_person):
    person = join(make_person("Late"), congregation, host)
    entry = round_opt_in(
        person=person,
        formation_round=round_,
        timezone_name="UTC",
        languages=["en"],
        interests=[],
        availability="sat 10:00-12:00",
        show_to_hosts=True,
    )
    assert entry.show_to_hosts


def test_moving_someone_away_from_their_pin_partner_warns_on_both_crews(round_, six, host):
    ana, bo = six[:2]
    round_pin(by=host, formation_round=round_, first=ana, second=bo, kind=PinKind.TOGETHER)
    formed = round_propose(by=host, formation_round=round_)
    home = ProposedMember.objects.get(crew__round=formed, person=ana).crew
    away = formed.proposed_crews.exclude(pk=home.pk).get()
    round_move(by=host, formation_round=formed, person=ana, to_crew=away)
    home.refresh_from_db()
    away.refresh_from_db()
    assert any("Bo is pinned together with Ana" in w for w in home.explanation["warnings"])
    assert any("Ana is pinned together with Bo" in w for w in away.explanation["warnings"])
