"""The bookshelf: ISBNs checked, first come first served, one borrower at a time,
reminders to the borrower alone."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from microsolidarity.errors import Conflict, NotAllowed, RuleBroken
from microsolidarity.participation.bookshelf import (
    copy_add,
    copy_remove,
    isbn_clean,
    loan_hand_over,
    loan_reminders_send,
    loan_request,
    loan_return,
    loan_withdraw,
)
from microsolidarity.participation.models import Loan, LoanState, Terms
from microsolidarity.participation.queries import copies_of, shelf_of


@pytest.fixture
def copy(member, congregation):
    return copy_add(
        by=member, shelf=congregation, title="Braiding Sweetgrass", isbn="978-0-306-40615-7"
    )


def test_an_isbn_10_or_13_is_kept_as_its_isbn_13_and_a_wrong_one_is_refused():
    assert isbn_clean("0-306-40615-2") == "9780306406157"
    assert isbn_clean("978 0 306 40615 7") == "9780306406157"
    assert isbn_clean("") == ""
    with pytest.raises(RuleBroken) as refused:
        isbn_clean("978-0-306-40615-8")
    assert refused.value.field == "isbn"


def test_requests_wait_in_the_order_they_came(copy, other_member, treasurer):
    first = loan_request(person=other_member, copy=copy)
    second = loan_request(person=treasurer, copy=copy)
    assert (first.position, second.position) == (1, 2)
    # Asking again keeps the place.
    assert loan_request(person=treasurer, copy=copy).position == 2
    loan_withdraw(person=other_member, copy=copy)
    assert loan_request(person=treasurer, copy=copy).position == 1


def test_the_owner_hands_over_to_the_first_in_line_with_a_due_date(
    member, copy, other_member, treasurer
):
    loan_request(person=other_member, copy=copy)
    loan_request(person=treasurer, copy=copy)
    today = timezone.localdate()
    loan = loan_hand_over(by=member, copy=copy, today=today)
    assert loan.borrower == other_member
    assert loan.due_on == today + timedelta(days=28)
    with pytest.raises(Conflict):
        loan_hand_over(by=member, copy=copy)
    loan_return(by=member, loan=loan)
    assert loan_hand_over(by=member, copy=copy).borrower == treasurer


def test_the_database_refuses_a_second_open_loan_of_one_copy(copy, other_member, treasurer):
    due = timezone.localdate() + timedelta(days=7)
    Loan.objects.create(copy=copy, borrower=other_member, state=LoanState.LENT, due_on=due)
    with pytest.raises(IntegrityError), transaction.atomic():
        Loan.objects.create(copy=copy, borrower=treasurer, state=LoanState.LENT, due_on=due)


def test_a_copy_to_give_leaves_the_shelf_with_the_first_in_line(
    member, congregation, other_member, treasurer, django_capture_on_commit_callbacks
):
    gift = copy_add(by=member, shelf=congregation, title="Pedagogy", terms=Terms.GIVE)
    loan_request(person=other_member, copy=gift)
    loan_request(person=treasurer, copy=gift)
    with django_capture_on_commit_callbacks(execute=True):
        loan = loan_hand_over(by=member, copy=gift)
    assert loan.state == LoanState.GIVEN
    gift.refresh_from_db()
    assert gift.off_shelf_at is not None
    assert Loan.objects.get(borrower=treasurer).state == LoanState.WITHDRAWN
    assert [c.copy.pk for c in shelf_of(congregation)] == []
    with pytest.raises(RuleBroken):
        loan_request(person=treasurer, copy=gift)


def test_only_the_owner_hands_over_and_members_borrow(
    member, copy, other_member, host, make_person, network
):
    from microsolidarity.groups.services import membership_join

    loan_request(person=other_member, copy=copy)
    with pytest.raises(NotAllowed):
        loan_hand_over(by=other_member, copy=copy)
    with pytest.raises(NotAllowed):
        loan_hand_over(by=host, copy=copy)
    with pytest.raises(RuleBroken):
        loan_request(person=member, copy=copy)
    stranger = make_person("Sam Stranger")
    membership_join(person=stranger, group=network)
    with pytest.raises(NotAllowed):
        loan_request(person=stranger, copy=copy)


def test_a_group_owned_copy_is_kept_by_its_hosts(host, member, congregation, other_member):
    with pytest.raises(NotAllowed):
        copy_add(by=member, shelf=congregation, title="Ours", group_owned=True)
    ours = copy_add(by=host, shelf=congregation, title="Ours", group_owned=True)
    assert ours.owner is None
    loan_request(person=member, copy=ours)
    assert loan_hand_over(by=host, copy=ours).borrower == member


def test_overdue_and_due_soon_reminders_go_to_the_borrower_only_and_once(
    member, copy, other_member, treasurer, django_capture_on_commit_callbacks
):
    loan_request(person=other_member, copy=copy)
    loan_request(person=treasurer, copy=copy)
    start = timezone.localdate()
    loan = loan_hand_over(by=member, copy=copy, today=start)
    mail.outbox.clear()
    due = loan.due_on
    with django_capture_on_commit_callbacks(execute=True):
        assert loan_reminders_send(today=due - timedelta(days=5)) == 0
        assert loan_reminders_send(today=due - timedelta(days=2)) == 1
        assert loan_reminders_send(today=due - timedelta(days=1)) == 0
        assert loan_reminders_send(today=due + timedelta(days=1)) == 1
        assert loan_reminders_send(today=due + timedelta(days=3)) == 0
        assert loan_reminders_send(today=due + timedelta(days=8)) == 1
    assert [m.to for m in mail.outbox] == [[other_member.email]] * 3
    assert "due back on" in mail.outbox[1].body
    assert member.email not in str([m.to + m.cc + m.bcc for m in mail.outbox])
    assert treasurer.email not in str([m.to + m.cc + m.bcc for m in mail.outbox])


def test_a_returned_copy_is_reminded_of_no_more(member, copy, other_member):
    loan_request(person=other_member, copy=copy)
    loan = loan_hand_over(by=member, copy=copy)
    loan_return(by=member, loan=loan)
    assert loan_reminders_send(today=loan.due_on + timedelta(days=1)) == 0


def test_copies_of_finds_a_book_by_either_isbn_on_shelves_the_reader_may_see(
    copy, other_member, make_person, network
):
    from microsolidarity.groups.services import membership_join

    assert [c.pk for c in copies_of("0306406152")] == [copy.pk]
    assert [c.pk for c in copies_of("978-0-306-40615-7", person=other_member)] == [copy.pk]
    stranger = make_person("Sam Stranger")
    membership_join(person=stranger, group=network)
    assert copies_of("9780306406157", person=stranger) == []
    assert copies_of("not an isbn") == []


def test_taking_a_lent_copy_off_the_shelf_is_refused(member, copy, other_member):
    loan_request(person=other_member, copy=copy)
    loan_hand_over(by=member, copy=copy)
    with pytest.raises(RuleBroken):
        copy_remove(by=member, copy=copy)


def test_the_reminder_command_sends_what_is_due_and_says_how_many(
    member, copy, other_member, capsys
):
    from django.core.management import call_command

    loan_request(person=other_member, copy=copy)
    loan = loan_hand_over(by=member, copy=copy)
    Loan.objects.filter(pk=loan.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    call_command("send_loan_reminders")
    call_command("send_loan_reminders")
    assert capsys.readouterr().out.splitlines() == [
        "1 loan reminders sent",
        "0 loan reminders sent",
    ]
