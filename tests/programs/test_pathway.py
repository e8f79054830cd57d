"""The pathway: my self-assessment beside roles held, seen by me and by nobody else."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from microsolidarity.errors import RuleBroken

SECRET = "I still find hosting frightening"


@pytest.fixture
def owner(make_person):
    from microsolidarity.programs.pathway import pathway_save

    person = make_person("Pat Pathway")
    pathway_save(person=person, ratings={"listening": 3, "facilitating": 1}, note=SECRET)
    return person


def test_saving_and_reading_my_pathway(owner):
    from microsolidarity.programs.pathway import pathway_of, pathway_save

    stages = {stage.key: stage for stage in pathway_of(owner)}
    assert stages["small"].average == 3
    assert stages["facilitation"].average == 1
    assert stages["larger"].average is None
    pathway_save(person=owner, ratings={"listening": None}, note="")
    assert {s.key: s.average for s in pathway_of(owner)}["small"] is None


@pytest.mark.parametrize(
    ("ratings", "note"),
    [({"flying": 2}, ""), ({"listening": 9}, ""), ({"listening": 1}, "x" * 4001)],
)
def test_bad_answers_are_refused(owner, ratings, note):
    from microsolidarity.programs.pathway import pathway_save

    with pytest.raises(RuleBroken):
        pathway_save(person=owner, ratings=ratings, note=note)


def test_roles_held_are_the_evidence(owner, make_cohort, host, congregation, member):
    from microsolidarity.gatherings.models import Kind
    from microsolidarity.gatherings.services import gathering_create
    from microsolidarity.programs.pathway import pathway_of

    make_cohort()
    start = timezone.now() + timedelta(days=3)
    gathering_create(
        by=host,
        group=congregation,
        title="Spring gathering",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
    )
    gathering_create(
        by=host,
        group=congregation,
        title="Monthly call",
        kind=Kind.CALL,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
    )
    evidence = {e.label: e for stage in pathway_of(host) for e in stage.evidence}
    assert [text for text, _url in evidence["Gatherings you hosted"].items] == ["Spring gathering"]
    assert [text for text, _url in evidence["Calls you hosted"].items] == ["Monthly call"]
    assert evidence["Cohorts you facilitated"].count == 1
    # The cohort's own group gave a host term, and the congregation and network gave theirs.
    assert evidence["Host terms in congregations and networks"].count >= 3
    assert evidence["Crews you have been in"].count == 0
    # Someone else's roles are not in mine.
    mine = {e.label: e.count for stage in pathway_of(member) for e in stage.evidence}
    assert mine["Cohorts you facilitated"] == 0 and mine["Gatherings you hosted"] == 0


def test_roles_taken_at_gatherings_are_evidence(member, host, congregation):
    from microsolidarity.gatherings.models import Occurrence
    from microsolidarity.gatherings.services import gathering_create
    from microsolidarity.participation.models import VolunteerRole
    from microsolidarity.participation.volunteering import slot_create, slot_signup
    from microsolidarity.programs.pathway import pathway_of

    start = timezone.now() + timedelta(days=3)
    gathering = gathering_create(
        by=host,
        group=congregation,
        title="Harvest supper",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
    )
    occurrence = gathering.occurrences.get()
    slot = slot_create(by=host, gathering=gathering, role=VolunteerRole.WELCOMER, count=2)
    slot_signup(person=member, slot=slot, occurrence=occurrence)

    def roles(person):
        larger = {s.key: s for s in pathway_of(person)}["larger"]
        return {e.label: e for e in larger.evidence}["Roles you took at gatherings"]

    # A role at a date still ahead is a promise, not yet evidence.
    assert roles(member).count == 0
    past = timezone.now() - timedelta(days=2)
    Occurrence.objects.filter(pk=occurrence.pk).update(
        starts_at=past, ends_at=past + timedelta(hours=3)
    )
    [(text, url)] = roles(member).items
    assert "Harvest supper" in text and url == gathering.get_absolute_url()
    assert roles(host).count == 0


def test_the_page_shows_my_own_and_saves(client, owner):
    client.force_login(owner)
    page = client.get(reverse("pathway")).content.decode()
    assert SECRET in page
    assert "Only you see this page" in page
    response = client.post(reverse("pathway"), {"listening": "4", "note": "Better now"})
    assert response.status_code == 302
    assert "Better now" in client.get(reverse("pathway")).content.decode()


@pytest.mark.parametrize("role", ["anonymous", "member", "host", "staff", "superuser"])
def test_nobody_else_sees_my_pathway(client, owner, role, member, host, staff, make_person):
    from microsolidarity.people.models import Person

    viewer = {"anonymous": None, "member": member, "host": host, "staff": staff}.get(role)
    if role == "superuser":
        viewer = make_person("Root")
        Person.objects.filter(pk=viewer.pk).update(is_staff=True, is_superuser=True)
        viewer.refresh_from_db()
    if viewer is not None:
        client.force_login(viewer)
    pages = [
        reverse("pathway"),
        reverse("person_detail", args=[owner.pk]),
        "/api/v1/programs/pathway",
        "/admin/",
    ]
    for url in pages:
        response = client.get(url, follow=True)
        assert SECRET not in response.content.decode(), (role, url)
    # And the admin holds no pathway at all.
    from django.contrib import admin

    from microsolidarity.programs.models import PathwayNote, PathwayRating

    assert PathwayRating not in admin.site._registry and PathwayNote not in admin.site._registry
