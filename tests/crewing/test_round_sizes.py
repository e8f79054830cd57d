"""A host changes a round's crew sizes until it is published; a proposal is formed again."""

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from round_builders import crews_of, members_signed_up, open_round

from microsolidarity.crewing.models import PinKind, RoundStatus
from microsolidarity.crewing.round_lifecycle import (
    round_pin,
    round_propose,
    round_sizes_change,
)
from microsolidarity.crewing.round_publishing import round_publish
from microsolidarity.errors import NotAllowed, RuleBroken

SIX = ["Ana", "Bo", "Cy", "Di", "Ed", "Flo"]


@pytest.fixture(autouse=True)
def _tasks_run_here(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def round_(host, congregation):
    return open_round(host, congregation, size_min=3, size_max=3)


@pytest.fixture
def six(round_, congregation, host, make_person):
    return members_signed_up(round_, congregation, host, make_person, SIX)


def test_an_open_round_takes_new_sizes_and_waits_for_its_host_to_form_crews(round_, host):
    changed = round_sizes_change(by=host, formation_round=round_, size_min=2, size_max=5)
    assert (changed.size_min, changed.size_max) == (2, 5)
    assert changed.status == RoundStatus.OPEN
    assert changed.proposal_version == round_.proposal_version


def test_a_proposal_is_formed_again_with_the_new_sizes(round_, six, host):
    formed = round_propose(by=host, formation_round=round_)
    assert sorted(len(crew) for crew in crews_of(formed)) == [3, 3]
    changed = round_sizes_change(by=host, formation_round=formed, size_min=2, size_max=2)
    assert changed.status == RoundStatus.PREVIEW
    assert changed.proposal_version > formed.proposal_version
    assert sorted(len(crew) for crew in crews_of(changed)) == [2, 2, 2]


def test_a_large_round_forms_again_in_the_background(
    round_, six, host, settings, django_capture_on_commit_callbacks
):
    formed = round_propose(by=host, formation_round=round_)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.CREWING_ROUND_BACKGROUND_ABOVE = 3
    with django_capture_on_commit_callbacks(execute=True):
        changed = round_sizes_change(by=host, formation_round=formed, size_min=2, size_max=3)
    assert changed.status == RoundStatus.RUNNING
    assert DBTaskResult.objects.get().task_path.endswith("round_run_task")


def test_the_same_sizes_change_nothing(round_, six, host):
    formed = round_propose(by=host, formation_round=round_)
    same = round_sizes_change(by=host, formation_round=formed, size_min=3, size_max=3)
    assert same.proposal_version == formed.proposal_version


def test_only_hosts_change_sizes(round_, six):
    with pytest.raises(NotAllowed, match="Only hosts"):
        round_sizes_change(by=six[0], formation_round=round_, size_min=2, size_max=4)
    round_.refresh_from_db()
    assert (round_.size_min, round_.size_max) == (3, 3)


def test_sizes_that_make_no_sense_are_refused(round_, host):
    with pytest.raises(RuleBroken, match="smallest crew"):
        round_sizes_change(by=host, formation_round=round_, size_min=5, size_max=4)
    with pytest.raises(RuleBroken, match="smallest crew"):
        round_sizes_change(by=host, formation_round=round_, size_min=1, size_max=4)
    with pytest.raises(RuleBroken, match="at most 8"):
        round_sizes_change(by=host, formation_round=round_, size_min=3, size_max=9)


def test_a_largest_crew_smaller_than_a_together_pin_is_refused_by_name(round_, six, host):
    round_pin(by=host, formation_round=round_, first=six[0], second=six[1], kind=PinKind.TOGETHER)
    round_pin(by=host, formation_round=round_, first=six[1], second=six[2], kind=PinKind.TOGETHER)
    with pytest.raises(RuleBroken, match="Ana, Bo, Cy are pinned together") as refused:
        round_sizes_change(by=host, formation_round=round_, size_min=2, size_max=2)
    assert refused.value.field == "size_max"


def test_a_proposal_with_fewer_people_than_the_smallest_crew_is_refused(round_, six, host):
    formed = round_propose(by=host, formation_round=round_)
    with pytest.raises(RuleBroken, match="6 people have signed up; a crew needs 7"):
        round_sizes_change(by=host, formation_round=formed, size_min=7, size_max=8)
    formed.refresh_from_db()
    assert (formed.size_min, formed.size_max, formed.status) == (3, 3, RoundStatus.PREVIEW)


def test_after_publishing_the_sizes_stay_with_a_clear_message(round_, six, host):
    formed = round_propose(by=host, formation_round=round_)
    round_publish(by=host, formation_round=formed, seen_version=formed.proposal_version)
    with pytest.raises(RuleBroken, match="published, so its crews are made and its sizes stay"):
        round_sizes_change(by=host, formation_round=formed, size_min=2, size_max=4)


def test_while_crews_are_forming_the_sizes_wait(round_, six, host):
    round_.status = RoundStatus.RUNNING
    round_.save(update_fields=["status"])
    with pytest.raises(RuleBroken, match="being formed right now"):
        round_sizes_change(by=host, formation_round=round_, size_min=2, size_max=4)


def test_the_host_changes_sizes_on_the_round_page(client, round_, six, host):
    round_propose(by=host, formation_round=round_)
    client.force_login(host)
    page = client.get(round_.get_absolute_url()).content.decode()
    assert f'action="{reverse("round_sizes", args=[round_.pk])}"' in page
    assert "moves you made in this proposal are replaced" in page
    response = client.post(
        reverse("round_sizes", args=[round_.pk]), {"size_min": "2", "size_max": "2"}, follow=True
    )
    text = response.content.decode()
    assert "Crews now have 2 to 2 people. A new proposal is ready" in text
    round_.refresh_from_db()
    assert (round_.size_min, round_.size_max) == (2, 2)


def test_a_refusal_on_the_page_is_a_message_and_nothing_changes(client, round_, six, host):
    client.force_login(host)
    response = client.post(
        reverse("round_sizes", args=[round_.pk]), {"size_min": "4", "size_max": "3"}, follow=True
    )
    assert "The largest crew can&#x27;t be smaller than the smallest." in response.content.decode()
    round_.refresh_from_db()
    assert (round_.size_min, round_.size_max) == (3, 3)


def test_members_cannot_reach_the_sizes_action(client, round_, six):
    client.force_login(six[0])
    response = client.post(reverse("round_sizes", args=[round_.pk]), {"size_min": "2"})
    assert response.status_code == 404
