"""Scarce places under real concurrency (PostgreSQL, threads released together): a slot
never takes more people than its count, and a copy is never lent to two people."""

import pytest
from at_once import at_once
from django.db import connection

from microsolidarity.errors import DomainError
from microsolidarity.participation.bookshelf import copy_add, loan_hand_over, loan_request
from microsolidarity.participation.models import (
    Loan,
    LoanState,
    SignupState,
    SlotSignup,
    VolunteerRole,
)
from microsolidarity.participation.volunteering import slot_create, slot_signup

PEOPLE = 12


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("Row locks (select_for_update) need PostgreSQL; SQLite runs one writer.")


@pytest.fixture
def members(make_person, congregation, join):
    return [join(make_person(f"Racer {n}"), congregation) for n in range(PEOPLE)]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twelve_sign_ups_at_once_fill_a_slot_of_three_and_no_more(host, gathering, members):
    occurrence = gathering.occurrences.get()
    slot = slot_create(by=host, gathering=gathering, role=VolunteerRole.KITCHEN, count=3)

    results = at_once(
        lambda person: slot_signup(person=person, slot=slot, occurrence=occurrence),
        members,
        returned=(DomainError,),
    )

    signed = SlotSignup.objects.filter(slot=slot, state=SignupState.SIGNED_UP)
    assert signed.count() == 3
    assert sum(isinstance(r, SlotSignup) for r in results) == 3
    assert sum(isinstance(r, DomainError) for r in results) == PEOPLE - 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_requests_and_hand_overs_at_once_lend_one_copy_to_one_person(member, congregation, members):
    copy = copy_add(by=member, shelf=congregation, title="Mutual Aid")

    requests = at_once(
        lambda person: loan_request(person=person, copy=copy), members, returned=(DomainError,)
    )
    positions = sorted(r.position for r in requests)
    assert positions == list(range(1, PEOPLE + 1))

    # The owner's double (and triple, ...) click: every hand-over races for the copy.
    handed = at_once(
        lambda _n: loan_hand_over(by=member, copy=copy), range(6), returned=(DomainError,)
    )

    lent = Loan.objects.filter(copy=copy, state=LoanState.LENT)
    assert lent.count() == 1
    assert sum(isinstance(h, Loan) for h in handed) == 1
    first = min(requests, key=lambda r: (r.loan.queued_at, r.loan.pk)).loan
    assert lent.get().borrower_id == first.borrower_id
    assert Loan.objects.filter(copy=copy, state=LoanState.WAITING).count() == PEOPLE - 1
