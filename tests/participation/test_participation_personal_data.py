"""A member's participation is in their export and goes with their account."""

import json
import zipfile
from decimal import Decimal
from io import BytesIO

from microsolidarity.participation.bookshelf import copy_add, loan_hand_over, loan_request
from microsolidarity.participation.contributions import pledge_set
from microsolidarity.participation.models import (
    BuddyRequest,
    Copy,
    Loan,
    LoanState,
    Pledge,
    SlotSignup,
)
from microsolidarity.participation.volunteering import buddy_ask, slot_create, slot_signup
from microsolidarity.rights.deletion import account_delete, deletion_request
from microsolidarity.rights.exports import export_zip


def _setup(host, member, other_member, congregation, gathering):
    occurrence = gathering.occurrences.get()
    pledge_set(person=member, group=congregation, amount=Decimal("9"))
    slot = slot_create(by=host, gathering=gathering, role="welcomer")
    slot_signup(person=member, slot=slot, occurrence=occurrence)
    buddy_ask(person=member, occurrence=occurrence, note="Shy.")
    mine = copy_add(by=member, shelf=congregation, title="My own book")
    loan_request(person=other_member, copy=mine)
    theirs = copy_add(by=other_member, shelf=congregation, title="Borrowed book")
    loan_request(person=member, copy=theirs)
    loan_hand_over(by=other_member, copy=theirs)
    return mine, theirs


def test_the_export_holds_pledges_roles_buddies_books_and_loans(
    host, member, other_member, congregation, gathering
):
    _setup(host, member, other_member, congregation, gathering)
    archive = zipfile.ZipFile(BytesIO(export_zip(person=member)))
    data = json.loads(archive.read("participation.json"))
    assert data["pledges"][0]["amount"] == "9.00"
    assert data["volunteer_roles"][0]["role"] == "Welcomer"
    assert data["buddy_requests"][0]["note"] == "Shy."
    assert [b["title"] for b in data["books_on_shelves"]] == ["My own book"]
    assert [(loan["title"], loan["state"]) for loan in data["loans"]] == [("Borrowed book", "lent")]


def test_deleting_the_account_removes_participation_but_keeps_a_lent_book_recorded(
    host, member, other_member, congregation, gathering
):
    mine, theirs = _setup(host, member, other_member, congregation, gathering)
    deletion_request(person=member)
    account_delete(person_id=member.pk, force=True)
    assert not Pledge.objects.filter(person=member).exists()
    assert not SlotSignup.objects.filter(person=member).exists()
    assert not BuddyRequest.objects.filter(newcomer=member).exists()
    mine.refresh_from_db()
    assert mine.off_shelf_at is not None
    assert Loan.objects.get(copy=mine).state == LoanState.WITHDRAWN
    assert Loan.objects.get(copy=theirs).state == LoanState.LENT
    assert Copy.objects.filter(pk=theirs.pk, off_shelf_at__isnull=True).exists()
