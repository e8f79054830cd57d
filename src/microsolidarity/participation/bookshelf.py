"""The lending bookshelf: copies on a group's shelf, requested, handed over and returned.

Requests wait in line by the RSVP waitlist's rules (`microsolidarity.waitlists`): first
come, first served. Handing a copy over locks the copy's row, then checks that it is
not out already; a partial unique constraint (`loan_one_at_a_time`) refuses a second
open loan even to code that forgot the lock.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from microsolidarity.errors import Conflict, NotAllowed, RuleBroken
from microsolidarity.groups.models import Group
from microsolidarity.library.isbns import isbn_clean
from microsolidarity.participation import access, emails
from microsolidarity.participation.models import Copy, Loan, LoanReminder, LoanState, Terms
from microsolidarity.people.models import Person
from microsolidarity.waitlists import line_position, next_in_line, place_lock

OPEN_STATES = (LoanState.WAITING, LoanState.LENT)
DUE_SOON_DAYS = 2
OVERDUE_EVERY_DAYS = 7


@dataclass(frozen=True)
class LoanResult:
    loan: Loan
    position: int | None


@transaction.atomic
def copy_add(
    *,
    by: Person,
    shelf: Group,
    title: str,
    author: str = "",
    isbn: str = "",
    terms: str = Terms.LEND,
    loan_days: int = 28,
    note: str = "",
    group_owned: bool = False,
) -> Copy:
    """Put a copy on the shelf: my own, or (hosts only) one the group owns."""
    if not access.can_add_to_shelf(by, shelf):
        raise NotAllowed(_("Members of the group can put books on its shelf."))
    if group_owned and not access.can_edit_contributions(by, shelf):
        raise NotAllowed(_("Only the group's hosts add books the group owns."))
    title = (title or "").strip()
    if not title:
        raise RuleBroken(_("Give the book's title."), field="title")
    if terms not in Terms.values:
        raise RuleBroken(_("Choose to lend or to give."), field="terms")
    if not 1 <= int(loan_days) <= 365:
        raise RuleBroken(_("Lend it for 1 to 365 days."), field="loan_days")
    return Copy.objects.create(
        shelf=shelf,
        owner=None if group_owned else by,
        isbn=isbn_clean(isbn),
        title=title[:300],
        author=(author or "").strip()[:200],
        terms=terms,
        loan_days=int(loan_days),
        note=(note or "").strip()[:300],
    )


@transaction.atomic
def copy_remove(*, by: Person, copy: Copy) -> None:
    """Take a copy off the shelf; whoever waited for it is told. Not while it is lent."""
    if not access.can_keep_copy(by, copy):
        raise NotAllowed(_("Only the copy's owner can take it off the shelf."))
    locked = place_lock(Copy, copy.pk)
    if locked.loans.filter(state=LoanState.LENT).exists():
        raise RuleBroken(_("It is lent out: mark it returned first."))
    waiting = list(locked.loans.filter(state=LoanState.WAITING).values_list("pk", flat=True))
    locked.loans.filter(state=LoanState.WAITING).update(state=LoanState.WITHDRAWN)
    locked.off_shelf_at = timezone.now()
    locked.save(update_fields=["off_shelf_at"])
    if waiting:
        transaction.on_commit(lambda: emails.copy_gone(loan_ids=waiting))


def _waiting(copy: Copy):
    return Loan.objects.filter(copy=copy, state=LoanState.WAITING)


def loan_position(loan: Loan) -> int | None:
    if loan.state != LoanState.WAITING:
        return None
    return line_position(_waiting(loan.copy), loan)


@transaction.atomic
def loan_request(*, person: Person, copy: Copy) -> LoanResult:
    """Join the line for a copy; asking again keeps my place."""
    if not access.can_borrow(person, copy):
        if copy.owner_id == person.pk:
            raise RuleBroken(_("This copy is yours already."))
        raise NotAllowed(_("Members of the group can borrow from its shelf."))
    locked = place_lock(Copy, copy.pk)
    if locked.off_shelf_at is not None:
        raise RuleBroken(_("This copy is no longer on the shelf."))
    loan = Loan.objects.filter(copy=locked, borrower=person, state__in=OPEN_STATES).first()
    if loan is None:
        loan = Loan.objects.create(copy=locked, borrower=person, queued_at=timezone.now())
        if loan_position(loan) == 1 and not locked.loans.filter(state=LoanState.LENT).exists():
            transaction.on_commit(lambda: emails.copy_requested(loan_id=loan.pk))
    return LoanResult(loan, loan_position(loan))


@transaction.atomic
def loan_withdraw(*, person: Person, copy: Copy) -> bool:
    """Leave the line (a copy in my hands is returned through its owner, not here)."""
    return bool(
        Loan.objects.filter(copy=copy, borrower=person, state=LoanState.WAITING).update(
            state=LoanState.WITHDRAWN
        )
    )


@transaction.atomic
def loan_hand_over(*, by: Person, copy: Copy, today: date | None = None) -> Loan:
    """The owner hands the copy to the first in line: lent until the due date, or given."""
    if not access.can_keep_copy(by, copy):
        raise NotAllowed(_("Only the copy's owner hands it over."))
    locked = place_lock(Copy, copy.pk)
    out = locked.loans.filter(state=LoanState.LENT).select_related("borrower").first()
    if out is not None:
        raise Conflict(
            _("It is with %(name)s until they bring it back; mark it returned first.")
            % {"name": out.borrower}
        )
    if locked.off_shelf_at is not None:
        raise RuleBroken(_("This copy is no longer on the shelf."))
    line = next_in_line(_waiting(locked), 1)
    if not line:
        raise RuleBroken(_("Nobody is waiting for it."))
    loan = line[0]
    now = timezone.now()
    today = today or timezone.localdate()
    if locked.terms == Terms.GIVE:
        loan.state = LoanState.GIVEN
        loan.lent_at = now
        loan.save(update_fields=["state", "lent_at"])
        rest = list(_waiting(locked).values_list("pk", flat=True))
        _waiting(locked).update(state=LoanState.WITHDRAWN)
        locked.off_shelf_at = now
        locked.save(update_fields=["off_shelf_at"])
        if rest:
            transaction.on_commit(lambda: emails.copy_gone(loan_ids=rest))
    else:
        loan.state = LoanState.LENT
        loan.lent_at = now
        loan.due_on = today + timedelta(days=locked.loan_days)
        try:
            with transaction.atomic():
                loan.save(update_fields=["state", "lent_at", "due_on"])
        except IntegrityError:
            raise Conflict(_("Someone handed it over at the same moment.")) from None
    transaction.on_commit(lambda: emails.copy_handed_over(loan_id=loan.pk))
    return loan


@transaction.atomic
def loan_return(*, by: Person, loan: Loan) -> Loan:
    """The owner has the copy back; the next in line is told it is their turn."""
    if not access.can_keep_copy(by, loan.copy):
        raise NotAllowed(_("Only the copy's owner marks it returned."))
    locked = place_lock(Copy, loan.copy_id)
    loan = Loan.objects.select_for_update().get(pk=loan.pk)
    if loan.state != LoanState.LENT:
        raise RuleBroken(_("This loan is not open."))
    loan.state = LoanState.RETURNED
    loan.returned_at = timezone.now()
    loan.save(update_fields=["state", "returned_at"])
    nxt = next_in_line(_waiting(locked), 1)
    if nxt:
        transaction.on_commit(lambda: emails.copy_requested(loan_id=nxt[0].pk))
    return loan


# Reminders: to the borrower only -------------------------------------------------------


def _reminder_kind(loan: Loan, today: date) -> tuple[str, date] | None:
    """What, if anything, to remind of today, and the day it is about (for idempotence)."""
    if loan.due_on is None:
        return None
    if loan.due_on - timedelta(days=DUE_SOON_DAYS) <= today < loan.due_on:
        return "due_soon", loan.due_on
    if today > loan.due_on:
        late = (today - loan.due_on).days - 1
        # The first day late, then once a week: a nudge, not a nag.
        return "overdue", loan.due_on + timedelta(days=1 + late - late % OVERDUE_EVERY_DAYS)
    return None


def loan_reminders_send(*, today: date | None = None) -> int:
    """Remind borrowers of copies due in two days or overdue; each reminder goes once."""
    today = today or timezone.localdate()
    loans = Loan.objects.filter(
        state=LoanState.LENT, due_on__lte=today + timedelta(days=DUE_SOON_DAYS)
    ).select_related("copy", "borrower")
    sent = 0
    for loan in loans:
        due = _reminder_kind(loan, today)
        if due is None:
            continue
        kind, about = due
        with transaction.atomic():
            _row, made = LoanReminder.objects.get_or_create(loan=loan, kind=kind, about_day=about)
            if made:
                transaction.on_commit(
                    partial(emails.loan_reminder, loan_id=loan.pk, kind=kind, today=today)
                )
                sent += 1
    return sent
