"""The "no crew this round" email speaks to the person: why, and the change that would help."""

from django.core import mail
from round_builders import members_signed_up, open_round

from microsolidarity.crewing.models import RoundUnplaced
from microsolidarity.crewing.round_lifecycle import round_move, round_propose
from microsolidarity.crewing.round_publishing import round_publish


def _publish(host, round_, capture):
    formed = round_propose(by=host, formation_round=round_)
    with capture(execute=True):
        round_publish(by=host, formation_round=formed, seen_version=formed.proposal_version)
    return formed


def _body_for(person) -> str:
    (message,) = [m for m in mail.outbox if m.to == [person.email]]
    assert message.subject.startswith("No crew this round")
    return message.body


def test_someone_free_only_at_night_reads_why_and_which_time_would_place_them(
    host, congregation, make_person, django_capture_on_commit_callbacks
):
    round_ = open_round(host, congregation)
    members_signed_up(round_, congregation, host, make_person, ["Ana", "Bo", "Cy"])
    (lone,) = members_signed_up(
        round_, congregation, host, make_person, ["Lone"], availability="sun 03:00-04:00"
    )
    _publish(host, round_, django_capture_on_commit_callbacks)
    body = _body_for(lone)
    assert "Hello Lone," in body
    assert "Why: Nobody who speaks one of your languages is free at the same time as you" in body
    assert (
        "What would place you: If you could also be free mon 18:00-19:00 (your time), "
        "3 people you could meet with are free then."
    ) in body
    assert " their " not in body and "They " not in body


def test_a_crew_size_that_would_have_placed_them_is_named_in_their_email(
    host, congregation, make_person, django_capture_on_commit_callbacks
):
    round_ = open_round(host, congregation, size_min=2, size_max=2)
    people = members_signed_up(round_, congregation, host, make_person, ["Ana", "Bo", "Cy"])
    _publish(host, round_, django_capture_on_commit_callbacks)
    (left_out,) = [p for p in people if RoundUnplaced.objects.filter(person=p).exists()]
    body = _body_for(left_out)
    assert "Why: " in body
    assert "What would place you: Crews of up to 3 people would have had room for you" in body


def test_someone_a_host_took_out_is_told_so_plainly(
    host, congregation, make_person, django_capture_on_commit_callbacks
):
    round_ = open_round(host, congregation, size_min=3, size_max=4)
    people = members_signed_up(round_, congregation, host, make_person, ["Ana", "Bo", "Cy", "Di"])
    formed = round_propose(by=host, formation_round=round_)
    moved = round_move(by=host, formation_round=formed, person=people[3], to_crew=None)
    with django_capture_on_commit_callbacks(execute=True):
        round_publish(by=host, formation_round=moved, seen_version=moved.proposal_version)
    body = _body_for(people[3])
    assert (
        "Why: Your hosts took you out of the proposed crews; you can ask one of them why." in body
    )
    assert "What would place you" not in body
    host_words = RoundUnplaced.objects.get(person=people[3]).reason_text
    assert host_words == "Taken out of the proposal by a host."
