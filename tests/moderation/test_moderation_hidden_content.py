"""Hidden content disappears for everyone but the hosts and operators, on every page and API
endpoint that shows it, and comes back when the step is undone."""

import pytest
from django.urls import reverse

from microsolidarity.moderation.models import ContentKind
from microsolidarity.moderation.services import action_reverse, is_hidden

HIDDEN_MARK = "Hidden by the hosts"


def _api(client, person, path: str):
    from microsolidarity.people.services import token_create

    _token, raw = token_create(person=person, name="tests")
    return client.get(path, headers={"Authorization": f"Bearer {raw}"})


def _titles(response) -> set[str]:
    return {item.get("title") or item.get("intention") for item in response.json()["items"]}


@pytest.fixture
def agenda_url(gathering):
    return reverse("agenda_detail", args=[gathering.slug, gathering.occurrences.get().pk])


def test_a_hidden_gathering_is_gone_for_members_and_marked_for_hosts(
    client, host, member, staff, congregation, their_gathering, hide
):
    action = hide(ContentKind.GATHERING, their_gathering)
    assert is_hidden(ContentKind.GATHERING, their_gathering.pk)
    detail = their_gathering.get_absolute_url()
    occurrence = their_gathering.occurrences.get().get_absolute_url()
    listing = reverse("gathering_list") + f"?group={congregation.slug}"

    client.force_login(member)
    assert client.get(detail).status_code == 404
    assert client.get(occurrence).status_code == 404
    assert client.get(reverse("gathering_feed", args=[their_gathering.slug])).status_code == 404
    assert "Loud evening" not in client.get(listing).content.decode()
    client.logout()
    assert client.get(detail).status_code == 404
    assert "Loud evening" not in client.get(listing).content.decode()

    for viewer in (host, staff):
        client.force_login(viewer)
        page = client.get(detail)
        assert page.status_code == 200 and HIDDEN_MARK in page.content.decode()
        listed = client.get(listing).content.decode()
        assert "Loud evening" in listed and HIDDEN_MARK in listed

    action_reverse(by=host, action=action)
    client.force_login(member)
    assert client.get(detail).status_code == 200
    assert HIDDEN_MARK not in client.get(detail).content.decode()
    assert "Loud evening" in client.get(listing).content.decode()


def test_a_hidden_gathering_is_gone_from_the_api_but_for_hosts(
    client, host, member, their_gathering, hide
):
    hide(ContentKind.GATHERING, their_gathering)
    detail = f"/api/v1/gatherings/{their_gathering.pk}"
    assert _api(client, member, detail).status_code == 404
    assert _api(client, member, detail + "/occurrences").status_code == 404
    assert "Loud evening" not in _titles(_api(client, member, "/api/v1/gatherings"))
    assert client.get(detail).status_code == 404
    seen = _api(client, host, detail)
    assert seen.status_code == 200 and seen.json()["hidden"] is True
    assert "Loud evening" in _titles(_api(client, host, "/api/v1/gatherings"))


def test_a_hidden_gathering_leaves_calendars_and_the_home_page(
    client, host, member, congregation, their_gathering, hide
):
    from microsolidarity.gatherings.feeds import person_ics, public_group_gatherings
    from microsolidarity.gatherings.rsvp import rsvp_set

    rsvp_set(person=member, occurrence=their_gathering.occurrences.get(), state="going")
    client.force_login(member)
    assert "Loud evening" in client.get(reverse("home")).content.decode()
    action = hide(ContentKind.GATHERING, their_gathering)
    assert "Loud evening" not in client.get(reverse("home")).content.decode()
    assert b"Loud evening" not in person_ics(member)
    assert their_gathering not in public_group_gatherings(congregation)
    action_reverse(by=host, action=action)
    assert "Loud evening" in client.get(reverse("home")).content.decode()
    assert b"Loud evening" in person_ics(member)
    assert their_gathering in public_group_gatherings(congregation)


def test_no_reminders_go_out_for_a_hidden_gathering(member, their_gathering, hide, mailoutbox):
    from datetime import timedelta

    from microsolidarity.gatherings.reminders import reminders_send
    from microsolidarity.gatherings.rsvp import rsvp_set

    occurrence = their_gathering.occurrences.get()
    rsvp_set(person=member, occurrence=occurrence, state="going")
    action = hide(ContentKind.GATHERING, their_gathering)
    due = occurrence.starts_at - timedelta(minutes=30)
    assert reminders_send(now=due) == 0
    action_reverse(by=action.by, action=action)
    assert reminders_send(now=due) > 0


def test_a_hidden_agenda_session_is_gone_for_members_and_marked_for_hosts(
    client, host, member, other_member, session, hide, agenda_url, gathering
):
    occurrence = gathering.occurrences.get()
    action = hide(ContentKind.AGENDA_SESSION, session)
    print_url = reverse("agenda_print", args=[gathering.slug, occurrence.pk])
    interest = reverse("agenda_interest", args=[gathering.slug, occurrence.pk, session.pk])
    for viewer in (member, other_member, None):
        if viewer is None:
            client.logout()
        else:
            client.force_login(viewer)
        assert "Shouting workshop" not in client.get(agenda_url).content.decode()
        assert "Shouting workshop" not in client.get(print_url).content.decode()
    client.force_login(member)
    assert client.post(interest, {"interested": "1"}).status_code == 404

    client.force_login(host)
    page = client.get(agenda_url).content.decode()
    assert "Shouting workshop" in page and HIDDEN_MARK in page

    action_reverse(by=host, action=action)
    client.force_login(member)
    assert "Shouting workshop" in client.get(agenda_url).content.decode()


def test_a_hidden_crew_call_is_gone_for_members_and_marked_for_hosts(
    client, host, member, other_member, congregation, crew_call, hide
):
    action = hide(ContentKind.CREW_CALL, crew_call)
    crewing = reverse("congregation_crewing", args=[congregation.slug])
    for viewer in (member, other_member):
        client.force_login(viewer)
        assert client.get(crew_call.get_absolute_url()).status_code == 404
        assert "Crew of the loud" not in client.get(crewing).content.decode()
        api_calls = f"/api/v1/crewing/congregations/{congregation.slug}/calls"
        assert "Crew of the loud" not in _titles(_api(client, viewer, api_calls))
        assert _api(client, viewer, f"/api/v1/crewing/calls/{crew_call.pk}").status_code == 404

    client.force_login(host)
    page = client.get(crew_call.get_absolute_url())
    assert page.status_code == 200 and HIDDEN_MARK in page.content.decode()
    assert HIDDEN_MARK in client.get(crewing).content.decode()
    assert _api(client, host, f"/api/v1/crewing/calls/{crew_call.pk}").json()["hidden"] is True

    action_reverse(by=host, action=action)
    client.force_login(member)
    assert client.get(crew_call.get_absolute_url()).status_code == 200
    assert "Crew of the loud" in client.get(crewing).content.decode()


def test_hosts_of_another_group_cannot_hide_what_is_not_theirs(
    host, staff, member, network, congregation, their_gathering, make_person
):
    from microsolidarity.errors import RuleBroken
    from microsolidarity.groups.models import JoinPolicy, Scale
    from microsolidarity.groups.services import group_create, membership_join
    from microsolidarity.moderation.services import action_take, report_create

    elsewhere = group_create(
        by=staff,
        name="Elsewhere",
        scale=Scale.CONGREGATION,
        parent=network,
        join_policy=JoinPolicy.OPEN,
    )
    membership_join(person=member, group=elsewhere)
    with pytest.raises(RuleBroken):
        report_create(
            reporter=member,
            group=elsewhere,
            content_kind=ContentKind.GATHERING,
            content_id=their_gathering.pk,
            reason="Not yours to judge.",
        )
    with pytest.raises(RuleBroken):
        action_take(
            by=staff,
            group=elsewhere,
            person=their_gathering.created_by,
            kind="hide",
            reason="x",
            content_kind=ContentKind.GATHERING,
            content_id=their_gathering.pk,
        )
    assert not is_hidden(ContentKind.GATHERING, their_gathering.pk)
