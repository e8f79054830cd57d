"""The demo loader for participation: pages with tiers, a ledger, a camp budget, roles, a
buddy request and a shelf with loans (run on a small network, not the whole demo)."""

import random

from django.urls import reverse

from microsolidarity.demo.participation import SHELF_BOOK_ISBN, demo_participation_load
from microsolidarity.participation.models import (
    BuddyRequest,
    CampBudget,
    Copy,
    LedgerEntry,
    Loan,
    Pledge,
    RoleSlot,
)


def test_the_demo_loader_fills_every_part_and_its_pages_render(
    client, host, network, congregation, make_person, join, camp, weekly
):
    for n in range(13):
        join(make_person(f"Demo {n}"), congregation)
    demo_participation_load(random.Random(7), network)
    assert LedgerEntry.objects.filter(group=congregation).count() > 40
    assert LedgerEntry.objects.filter(group=congregation, tags=[camp.slug]).count() == 4
    assert Pledge.objects.filter(group=congregation).count() == 11
    assert CampBudget.objects.get().gathering == camp
    assert RoleSlot.objects.filter(gathering=camp, role="kitchen").exists()
    assert BuddyRequest.objects.exists()
    assert Copy.objects.filter(shelf=congregation).count() == 10
    assert Loan.objects.filter(state="lent").count() == 4
    assert Loan.objects.filter(state="waiting").count() == 2
    client.force_login(host)
    for name in ("contribute", "ledger", "pledge_list", "shelf"):
        assert client.get(reverse(name, args=[congregation.slug])).status_code == 200
    assert client.get(reverse("helping")).status_code == 200
    page = client.get(reverse("gathering_volunteer", args=[camp.slug]))
    assert page.status_code == 200 and b"Kitchen" in page.content
    # The library's demo reading list points to this book; its copy is on the shelf.
    shelf_book = Copy.objects.get(shelf=congregation, isbn=SHELF_BOOK_ISBN)
    page = client.get(reverse("shelf_isbn", args=["1915418003"]))
    assert [item["copy"] for item in page.context["found"]] == [shelf_book]
