"""The participation API: a pledge private to the treasurers, a full role answers 409, and
the line for a book."""

from microsolidarity.participation.bookshelf import copy_add
from microsolidarity.participation.contributions import treasurer_appoint
from microsolidarity.participation.volunteering import slot_create


def test_a_pledge_is_put_and_only_the_treasurer_lists_it(
    client, bearer, member, host, make_person, congregation
):
    treasurer = make_person("Tess Treasurer")
    from microsolidarity.groups.services import membership_approve, membership_request

    membership_approve(
        by=host, membership=membership_request(person=treasurer, group=congregation).membership
    )
    treasurer_appoint(by=host, group=congregation, person=treasurer)
    url = f"/api/v1/participation/groups/{congregation.slug}/pledge"
    put = client.put(
        url, {"amount": "7.25", "rhythm": "yearly"}, content_type="application/json",
        headers=bearer(member),
    )  # fmt: skip
    assert put.status_code == 200
    assert put.json()["amount"] == {"amount": "7.25", "currency": "EUR"}
    listing = f"/api/v1/participation/groups/{congregation.slug}/pledges"
    assert client.get(listing, headers=bearer(host)).status_code == 403
    pledges = client.get(listing, headers=bearer(treasurer)).json()
    assert [(p["name"], p["amount"]["amount"]) for p in pledges] == [(str(member), "7.25")]
    page = client.get(f"/api/v1/participation/groups/{congregation.slug}/contribute").json()
    assert page["listed_pledges"] == []
    bad = client.put(url, {"amount": "-1"}, content_type="application/json", headers=bearer(member))
    assert bad.status_code == 422


def test_a_full_role_answers_409_and_the_slots_show_who_took_what(
    client, bearer, host, member, make_person, congregation
):
    from datetime import timedelta

    from django.utils import timezone

    from microsolidarity.gatherings.services import gathering_create
    from microsolidarity.groups.services import membership_approve, membership_request

    other = make_person("Ola Other")
    membership_approve(
        by=host, membership=membership_request(person=other, group=congregation).membership
    )
    starts = timezone.now() + timedelta(days=2)
    gathering = gathering_create(
        by=host, group=congregation, title="Circle", starts_at=starts,
        ends_at=starts + timedelta(hours=1),
    )  # fmt: skip
    occurrence = gathering.occurrences.get()
    slot = slot_create(by=host, gathering=gathering, role="note_taker")
    url = f"/api/v1/participation/slots/{slot.pk}/signup"
    body = {"occurrence": occurrence.pk}
    first = client.post(url, body, content_type="application/json", headers=bearer(member))
    assert first.status_code == 200 and first.json()["name"] == "Note taker"
    second = client.post(url, body, content_type="application/json", headers=bearer(other))
    assert second.status_code == 409
    [date] = client.get(
        f"/api/v1/participation/gatherings/{gathering.pk}/slots", headers=bearer(member)
    ).json()
    assert date["places"][0]["taken"] == 1 and date["places"][0]["mine"] is True


def test_joining_the_line_for_a_copy_answers_my_place(client, bearer, host, member, congregation):
    copy = copy_add(by=host, shelf=congregation, title="Slow Trust")
    url = f"/api/v1/participation/copies/{copy.pk}/request"
    answer = client.post(url, headers=bearer(member))
    assert answer.status_code == 200
    assert (answer.json()["state"], answer.json()["position"]) == ("waiting", 1)
    shelf = client.get(
        f"/api/v1/participation/groups/{congregation.slug}/shelf", headers=bearer(member)
    ).json()
    assert shelf[0]["waiting"] == 1 and shelf[0]["lent"] is False
    assert client.delete(url, headers=bearer(member)).json() == {"withdrawn": True}
