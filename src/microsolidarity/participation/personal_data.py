"""A member's participation data for their export, and what goes when they delete their account."""

from django.utils import timezone

from microsolidarity.participation.models import (
    BuddyRequest,
    Copy,
    Loan,
    LoanState,
    Pledge,
    SlotSignup,
    Treasurer,
)


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def participation_export(*, person) -> dict:
    return {
        "pledges": [
            {
                "group": p.group.name,
                "amount": str(p.amount.amount),
                "currency": str(p.amount.currency),
                "rhythm": p.rhythm,
                "listed": p.listed,
                "created_at": _iso(p.created_at),
                "ended_at": _iso(p.ended_at),
            }
            for p in Pledge.objects.filter(person=person).select_related("group")
        ],
        "treasurer_of": [t.group.name for t in Treasurer.objects.filter(person=person)],
        "volunteer_roles": [
            {
                "role": s.slot.name,
                "gathering": s.occurrence.gathering.title,
                "starts_at": _iso(s.occurrence.starts_at),
                "state": s.state,
            }
            for s in SlotSignup.objects.filter(person=person)
            .select_related("slot", "occurrence__gathering")
            .order_by("occurrence__starts_at", "pk")
        ],
        "buddy_requests": [
            {
                "gathering": b.occurrence.gathering.title,
                "starts_at": _iso(b.occurrence.starts_at),
                "note": b.note,
                "has_buddy": b.buddy_id is not None,
            }
            for b in BuddyRequest.objects.filter(newcomer=person).select_related(
                "occurrence__gathering"
            )
        ],
        "books_on_shelves": [
            {
                "title": c.title,
                "author": c.author,
                "isbn": c.isbn,
                "shelf": c.shelf.name,
                "terms": c.terms,
                "off_shelf_at": _iso(c.off_shelf_at),
            }
            for c in Copy.objects.filter(owner=person).select_related("shelf")
        ],
        "loans": [
            {
                "title": loan.copy.title,
                "state": loan.state,
                "queued_at": _iso(loan.queued_at),
                "lent_at": _iso(loan.lent_at),
                "due_on": _iso(loan.due_on),
                "returned_at": _iso(loan.returned_at),
            }
            for loan in Loan.objects.filter(borrower=person).select_related("copy")
        ],
    }


def participation_remove(*, person) -> None:
    """Pledges, roles, buddy requests and waiting requests go; their own books leave the
    shelves (whoever waited is released). A book still in their hands stays recorded as
    lent, under the scrubbed name, so its owner knows it has not come back."""
    Pledge.objects.filter(person=person).delete()
    Treasurer.objects.filter(person=person).delete()
    SlotSignup.objects.filter(person=person).delete()
    BuddyRequest.objects.filter(newcomer=person).delete()
    BuddyRequest.objects.filter(buddy=person).update(buddy=None, matched_at=None)
    Loan.objects.filter(borrower=person).exclude(state=LoanState.LENT).delete()
    own = Copy.objects.filter(owner=person, off_shelf_at__isnull=True)
    Loan.objects.filter(copy__in=own, state=LoanState.WAITING).update(state=LoanState.WITHDRAWN)
    own.update(off_shelf_at=timezone.now(), note="")
