"""A pledge is between the member and the treasurers, unless the member lists it."""

from decimal import Decimal

import pytest
from django.urls import reverse

from microsolidarity.errors import NotAllowed, RuleBroken
from microsolidarity.participation.contributions import (
    TierInput,
    contribution_page_save,
    pledge_end,
    pledge_set,
)
from microsolidarity.participation.models import Pledge


def page_text(client, person, name, group):
    client.force_login(person)
    return client.get(reverse(name, args=[group.slug])).content.decode()


def test_an_unlisted_pledge_is_seen_by_the_treasurer_and_nobody_else(
    client, member, other_member, host, treasurer, staff, congregation
):
    pledge_set(person=member, group=congregation, amount=Decimal("37.50"))
    assert "37.50" in page_text(client, treasurer, "pledge_list", congregation)
    # The member sees their own; nobody else sees it on the contribute page.
    assert "37.50" in page_text(client, member, "contribute", congregation)
    for person in (other_member, host, staff):
        assert "37.50" not in page_text(client, person, "contribute", congregation)
    # The list of pledges is the treasurers' alone: hosts and operators are refused too.
    for person in (member, host, staff):
        client.force_login(person)
        assert client.get(reverse("pledge_list", args=[congregation.slug])).status_code == 403


def test_a_listed_pledge_is_shown_to_the_members_but_not_to_outsiders(
    client, member, other_member, make_person, network, congregation
):
    from microsolidarity.groups.services import membership_join

    pledge_set(person=member, group=congregation, amount=Decimal("12"), listed=True)
    assert "12.00" in page_text(client, other_member, "contribute", congregation)
    outsider = make_person("Oda Outsider")
    membership_join(person=outsider, group=network)
    text = page_text(client, outsider, "contribute", congregation)
    assert "12.00" not in text and str(member) not in text
    client.logout()
    assert (
        "12.00" not in client.get(reverse("contribute", args=[congregation.slug])).content.decode()
    )


def test_a_member_has_one_open_pledge_that_they_change_or_end(member, congregation):
    pledge_set(person=member, group=congregation, amount=Decimal("5"))
    pledge_set(person=member, group=congregation, amount=Decimal("8"), rhythm="yearly")
    [pledge] = Pledge.objects.filter(ended_at__isnull=True)
    assert (pledge.amount.amount, pledge.rhythm) == (Decimal("8.00"), "yearly")
    assert pledge_end(person=member, group=congregation)
    assert not Pledge.objects.filter(ended_at__isnull=True).exists()


def test_pledges_are_for_members_and_amounts_must_be_positive(make_person, member, congregation):
    with pytest.raises(NotAllowed):
        pledge_set(person=make_person("Sam"), group=congregation, amount=Decimal("5"))
    with pytest.raises(RuleBroken):
        pledge_set(person=member, group=congregation, amount=Decimal("0"))
    with pytest.raises(RuleBroken):
        pledge_set(person=member, group=congregation, amount=Decimal("5"), rhythm="weekly")


def test_the_page_shows_links_note_and_tiers_in_the_viewers_language(
    client, host, congregation, settings
):
    contribution_page_save(
        by=host,
        group=congregation,
        intro="We rent a room.",
        links=[{"label": "Open Collective", "url": "https://opencollective.com/riverside"}],
        sliding_scale="Give what you can.",
        currency="EUR",
        tiers=[TierInput("Friend", Decimal("1234.5"), "monthly", "Keeps the lights on")],
    )
    client.logout()
    english = client.get(reverse("contribute", args=[congregation.slug])).content.decode()
    assert "https://opencollective.com/riverside" in english
    assert "Give what you can." in english
    assert "€1,234.50" in english
    settings.LANGUAGES = [("en", "English"), ("de", "Deutsch")]
    german = client.get(
        reverse("contribute", args=[congregation.slug]), headers={"accept-language": "de"}
    ).content.decode()
    assert "1.234,50\xa0€" in german


def test_only_hosts_edit_the_page_and_links_must_be_addresses(member, host, congregation):
    with pytest.raises(NotAllowed):
        contribution_page_save(by=member, group=congregation)
    with pytest.raises(RuleBroken):
        contribution_page_save(
            by=host, group=congregation, links=[{"label": "x", "url": "ftp://x"}]
        )
    with pytest.raises(RuleBroken):
        contribution_page_save(by=host, group=congregation, currency="XYZ1")
