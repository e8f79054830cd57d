"""The bookshelf pages: a group's shelf, one copy with its line, and the keeper's buttons."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from microsolidarity.errors import DomainError
from microsolidarity.groups.models import Group, Membership
from microsolidarity.library.isbns import isbn_clean, isbn_display
from microsolidarity.pages import Done, domain_errors_on, post_action
from microsolidarity.participation import access, bookshelf, queries
from microsolidarity.participation.forms import CopyForm
from microsolidarity.participation.models import Copy, Loan, LoanState
from microsolidarity.ratelimits import rate_limited


def _shelf(request: HttpRequest, slug: str) -> Group:
    group = get_object_or_404(Group, slug=slug)
    if not access.can_view_shelf(request.user, group):
        # The shelf is for members: to others it is not there.
        raise Http404
    return group


def _copy(request: HttpRequest, copy_id: int) -> Copy:
    copy = get_object_or_404(Copy.objects.select_related("shelf", "owner"), pk=copy_id)
    if not access.can_view_shelf(request.user, copy.shelf):
        raise Http404
    return copy


@login_required
def shelf(request: HttpRequest, slug: str) -> HttpResponse:
    group = _shelf(request, slug)
    search = request.GET.get("q", "")[:100]
    return render(
        request,
        "participation/shelf.html",
        {
            "group": group,
            "copies": queries.shelf_of(group, search=search),
            "search": search,
            "form": CopyForm(
                can_own=access.can_edit_contributions(request.user, group),
                # Filled in when the viewer came from a book no shelf had yet.
                initial={"isbn": request.GET.get("isbn", "")[:40]},
            ),
            "can_add": access.can_add_to_shelf(request.user, group),
        },
    )


@login_required
@require_POST
@rate_limited("rsvp")
def shelf_add(request: HttpRequest, slug: str) -> HttpResponse:
    group = _shelf(request, slug)
    can_own = access.can_edit_contributions(request.user, group)
    form = CopyForm(request.POST, can_own=can_own)
    if form.is_valid():
        with domain_errors_on(form):
            copy = bookshelf.copy_add(by=request.user, shelf=group, **form.cleaned_data)
            messages.success(request, _("%(title)s is on the shelf.") % {"title": copy.title})
            return redirect("shelf", group.slug)
    return render(
        request,
        "participation/shelf.html",
        {
            "group": group,
            "copies": queries.shelf_of(group),
            "search": "",
            "form": form,
            "can_add": access.can_add_to_shelf(request.user, group),
        },
        status=400,
    )


@login_required
def copy_detail(request: HttpRequest, copy_id: int) -> HttpResponse:
    copy = _copy(request, copy_id)
    out, waiting = queries.loan_line(copy)
    mine = next(
        (loan for loan in [out, *waiting] if loan and loan.borrower_id == request.user.pk), None
    )
    keeper = access.can_keep_copy(request.user, copy)
    return render(
        request,
        "participation/copy.html",
        {
            "copy": copy,
            "isbn": isbn_display(copy.isbn),
            "out": out,
            "waiting": waiting if keeper else [],
            "waiting_count": len(waiting),
            "mine": mine,
            "position": bookshelf.loan_position(mine) if mine else None,
            "keeper": keeper,
            "can_borrow": access.can_borrow(request.user, copy) and copy.off_shelf_at is None,
        },
    )


@login_required
def isbn_copies(request: HttpRequest, isbn: str) -> HttpResponse:
    """Copies of one book (a reading list's book item) on the shelves the viewer may see."""
    try:
        value = isbn_clean(isbn)
    except DomainError as error:
        return render(
            request, "participation/isbn_copies.html", {"error": error.message}, status=404
        )
    copies = queries.copies_of(value, person=request.user)
    mine = dict(
        Loan.objects.filter(
            copy__in=copies, borrower=request.user, state__in=bookshelf.OPEN_STATES
        ).values_list("copy_id", "state")
    )
    found = [
        {
            "copy": copy,
            "lent": bool(copy.lent_count),
            "waiting": copy.waiting_count,
            "mine": mine.get(copy.pk),
            "can_borrow": access.can_borrow(request.user, copy),
        }
        for copy in copies
    ]
    # Where the viewer could put a copy: the shelves of the groups they belong to.
    shelves = [
        m.group
        for m in Membership.objects.filter(person=request.user, state__in=Membership.MEMBER_STATES)
        .select_related("group")
        .order_by("group__name")
    ]
    return render(
        request,
        "participation/isbn_copies.html",
        {
            "isbn": value,
            "isbn_shown": isbn_display(value),
            "title": next((copy.title for copy in copies), ""),
            "found": found,
            "shelves": shelves,
        },
    )


def _at_copy(copy: Copy) -> str:
    return reverse("copy_detail", args=[copy.pk])


@post_action(_copy, to=_at_copy)
@rate_limited("rsvp")
def copy_request(request: HttpRequest, copy: Copy) -> str:
    result = bookshelf.loan_request(person=request.user, copy=copy)
    return _("You are number %(n)s in line.") % {"n": result.position}


@post_action(_copy, to=_at_copy)
def copy_withdraw(request: HttpRequest, copy: Copy) -> str | None:
    if bookshelf.loan_withdraw(person=request.user, copy=copy):
        return _("You left the line.")
    return None


@post_action(_copy, to=_at_copy)
def copy_hand_over(request: HttpRequest, copy: Copy) -> str:
    loan = bookshelf.loan_hand_over(by=request.user, copy=copy)
    if loan.state == LoanState.GIVEN:
        return _("Given to %(name)s.") % {"name": loan.borrower}
    return _("Lent to %(name)s until %(due)s.") % {
        "name": loan.borrower,
        "due": date_format(loan.due_on),
    }


@post_action(_copy, to=_at_copy)
def copy_remove(request: HttpRequest, copy: Copy) -> Done:
    bookshelf.copy_remove(by=request.user, copy=copy)
    return Done(
        _("%(title)s is off the shelf.") % {"title": copy.title},
        to=reverse("shelf", args=[copy.shelf.slug]),
    )


def _loan(request: HttpRequest, loan_id: int) -> Loan:
    loan = get_object_or_404(Loan.objects.select_related("copy__shelf", "copy__owner"), pk=loan_id)
    if not access.can_view_shelf(request.user, loan.copy.shelf):
        raise Http404
    return loan


@post_action(
    _loan,
    allow=lambda person, loan: access.can_keep_copy(person, loan.copy),
    to=lambda loan: _at_copy(loan.copy),
)
def loan_return(request: HttpRequest, loan: Loan) -> str | None:
    if bookshelf.loan_return(by=request.user, loan=loan):
        return _("Back on the shelf.")
    return None
