"""Emails about volunteering and the bookshelf, sent after the change is committed.

Each takes ids and reads the rows again, so a rolled-back change announces nothing and a
row deleted since then sends nothing.
"""

from django.utils.translation import gettext as _

from microsolidarity.groups.models import Membership
from microsolidarity.mail import email_send, greeting
from microsolidarity.participation.models import BuddyRequest, Loan
from microsolidarity.people.models import Person
from microsolidarity.site import absolute_url


def _send(to: list[str], subject: str, lines: list[str]) -> int:
    return email_send(to=to, subject=subject, lines=lines)


def _keepers(loan: Loan) -> list[Person]:
    """Who hands a copy over: its owner, or the hosts of the group that owns it."""
    copy = loan.copy
    if copy.owner is not None:
        return [copy.owner]
    memberships = Membership.objects.filter(group=copy.shelf).select_related("person")
    return [m.person for m in memberships if m.is_hosting()]


def buddy_found(*, request_id: int) -> int:
    request = (
        BuddyRequest.objects.select_related("newcomer", "buddy", "occurrence__gathering")
        .filter(pk=request_id, buddy__isnull=False)
        .first()
    )
    if request is None or request.buddy is None:
        return 0
    gathering = request.occurrence.gathering
    lines = [
        greeting(request.newcomer),
        "",
        _("%(buddy)s will be your buddy at %(title)s and will look out for you.")
        % {"buddy": request.buddy, "title": gathering.title},
        _("You can write to them at %(email)s.") % {"email": request.buddy.email},
        "",
        absolute_url(request.occurrence.get_absolute_url()),
    ]
    return _send(
        [request.newcomer.email],
        _("You have a buddy for %(title)s") % {"title": gathering.title},
        lines,
    )


def slot_removed(*, person_ids: list[int], role: str, gathering_title: str) -> int:
    sent = 0
    for person in Person.objects.filter(pk__in=person_ids):
        lines = [
            greeting(person),
            "",
            _("The hosts of %(title)s removed the role you had signed up for: %(role)s.")
            % {"title": gathering_title, "role": role},
            _("Nothing else changed; thank you for offering."),
        ]
        sent += _send([person.email], _("A volunteer role was removed"), lines)
    return sent


def copy_requested(*, loan_id: int) -> int:
    """A copy is free and someone is first in line: the keeper and the borrower both hear."""
    loan = (
        Loan.objects.select_related("copy__owner", "copy__shelf", "borrower")
        .filter(pk=loan_id, state="waiting")
        .first()
    )
    if loan is None:
        return 0
    copy = loan.copy
    page = absolute_url(copy.get_absolute_url())
    sent = _send(
        [loan.borrower.email],
        _("Your turn for %(title)s") % {"title": copy.title},
        [
            greeting(loan.borrower),
            "",
            _("%(title)s is free and you are first in line. Arrange the hand-over with %(who)s.")
            % {"title": copy.title, "who": copy.owner or copy.shelf},
            page,
        ],
    )
    sent += _send(
        [k.email for k in _keepers(loan)],
        _("%(name)s would like %(title)s") % {"name": loan.borrower, "title": copy.title},
        [
            _("%(name)s is first in line for %(title)s; mark it handed over when they have it.")
            % {"name": loan.borrower, "title": copy.title},
            page,
        ],
    )
    return sent


def copy_handed_over(*, loan_id: int) -> int:
    loan = Loan.objects.select_related("copy", "borrower").filter(pk=loan_id).first()
    if loan is None:
        return 0
    if loan.state == "given":
        line = _("%(title)s is yours to keep. Enjoy it.") % {"title": loan.copy.title}
    else:
        line = _("You have %(title)s until %(due)s. You'll get a reminder two days before.") % {
            "title": loan.copy.title,
            "due": loan.due_on.isoformat() if loan.due_on else "",
        }
    return _send(
        [loan.borrower.email],
        _("%(title)s is with you") % {"title": loan.copy.title},
        [greeting(loan.borrower), "", line, absolute_url(loan.copy.get_absolute_url())],
    )


def copy_gone(*, loan_ids: list[int]) -> int:
    sent = 0
    for loan in Loan.objects.filter(pk__in=loan_ids).select_related("copy", "borrower"):
        sent += _send(
            [loan.borrower.email],
            _("%(title)s has left the shelf") % {"title": loan.copy.title},
            [
                greeting(loan.borrower),
                "",
                _("The copy of %(title)s you waited for is no longer on the shelf.")
                % {"title": loan.copy.title},
            ],
        )
    return sent


def loan_reminder(*, loan_id: int, kind: str, today) -> int:
    """To the borrower alone: the owner knows where their book is, nobody else needs to."""
    loan = Loan.objects.select_related("copy", "borrower").filter(pk=loan_id, state="lent").first()
    if loan is None or loan.due_on is None:
        return 0
    if kind == "overdue":
        subject = _("%(title)s was due back") % {"title": loan.copy.title}
        line = _(
            "%(title)s was due back on %(due)s. Please bring it back, or ask its owner for "
            "more time."
        ) % {"title": loan.copy.title, "due": loan.due_on.isoformat()}
    else:
        subject = _("%(title)s is due back soon") % {"title": loan.copy.title}
        line = _("%(title)s is due back on %(due)s.") % {
            "title": loan.copy.title,
            "due": loan.due_on.isoformat(),
        }
    return _send(
        [loan.borrower.email],
        subject,
        [greeting(loan.borrower), "", line, absolute_url(loan.copy.get_absolute_url())],
    )
