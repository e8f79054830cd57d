"""Contribution pages: what a group asks for, pledges, treasurers, the ledger, camp budgets."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from microsolidarity.gatherings.models import Gathering, Kind
from microsolidarity.groups.models import Group
from microsolidarity.pages import domain_errors_on, post_action
from microsolidarity.participation import access, contributions, ledger, queries
from microsolidarity.participation.chart import ledger_chart
from microsolidarity.participation.forms import (
    CampBudgetForm,
    ContributionPageForm,
    LedgerUploadForm,
    PledgeForm,
    TreasurerForm,
)
from microsolidarity.participation.models import Treasurer
from microsolidarity.people.models import Person
from microsolidarity.ratelimits import rate_limited

LEDGER_ROWS_SHOWN = 200


def _group(request: HttpRequest, slug: str) -> Group:
    group = get_object_or_404(Group.objects.select_related("parent"), slug=slug)
    if not access.can_view_contributions(request.user, group):
        raise Http404
    return group


def _page_of(view_name: str):
    """Where an action on a group's contributions goes back to: one of its pages."""
    return lambda group: reverse(view_name, args=[group.slug])


def contribute(request: HttpRequest, slug: str) -> HttpResponse:
    group = _group(request, slug)
    page = contributions.page_of(group)
    person = request.user
    pledge = queries.my_pledge(person, group)
    initial = (
        {"amount": pledge.amount.amount, "rhythm": pledge.rhythm, "listed": pledge.listed}
        if pledge
        else {}
    )
    return render(
        request,
        "participation/contribute.html",
        {
            "group": group,
            "page": page,
            "tiers": list(page.tiers.all()) if page else [],
            "can_edit": access.can_edit_contributions(person, group),
            "is_treasurer": access.is_treasurer(person, group),
            "can_pledge": access.can_pledge(person, group),
            "pledge": pledge,
            "pledge_form": PledgeForm(initial=initial),
            "listed": (
                queries.listed_pledges(group)
                if access.can_see_listed_pledges(person, group)
                else []
            ),
        },
    )


@login_required
def contribute_edit(request: HttpRequest, slug: str) -> HttpResponse:
    group = _group(request, slug)
    if not access.can_edit_contributions(request.user, group):
        raise PermissionDenied
    page = contributions.page_of(group)
    if request.method == "POST":
        form = ContributionPageForm(request.POST)
        if form.is_valid():
            with domain_errors_on(form):
                contributions.contribution_page_save(
                    by=request.user, group=group, **form.cleaned_data
                )
                messages.success(request, _("The contribute page is saved."))
                return redirect("contribute", group.slug)
    else:
        initial = {}
        if page is not None:
            initial = {
                "intro": page.intro,
                "links": "\n".join(f"{link['label']} | {link['url']}" for link in page.links),
                "sliding_scale": page.sliding_scale,
                "currency": page.currency,
                "tiers": "\n".join(
                    f"{t.name} | {t.amount.amount} | {t.rhythm} | {t.description}".rstrip(" |")
                    for t in page.tiers.all()
                ),
            }
        form = ContributionPageForm(initial=initial)
    treasurers = Treasurer.objects.filter(group=group).select_related("person")
    return render(
        request,
        "participation/contribute_edit.html",
        {"group": group, "form": form, "treasurers": treasurers, "treasurer_form": TreasurerForm()},
    )


@post_action(_group, to=_page_of("contribute_edit"))
@rate_limited("invite")
def treasurer_add(request: HttpRequest, group: Group) -> str | None:
    form = TreasurerForm(request.POST)
    person = (
        Person.objects.filter(email__iexact=form.data.get("email", "").strip()).first()
        if form.is_valid()
        else None
    )
    if person is None:
        messages.error(request, _("Nobody here has that email; ask them to sign up first."))
        return None
    contributions.treasurer_appoint(by=request.user, group=group, person=person)
    return _("%(name)s is a treasurer now.") % {"name": person}


@post_action(_group, to=_page_of("contribute"))
def treasurer_remove(request: HttpRequest, group: Group, person_id: int) -> str | None:
    person = get_object_or_404(Person, pk=person_id)
    if contributions.treasurer_remove(by=request.user, group=group, person=person):
        return _("%(name)s is no longer a treasurer.") % {"name": person}
    return None


@post_action(_group, to=_page_of("contribute"))
@rate_limited("rsvp")
def pledge_save(request: HttpRequest, group: Group) -> str | None:
    form = PledgeForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return None
    contributions.pledge_set(person=request.user, group=group, **form.cleaned_data)
    return _("Thank you: your pledge is saved.")


@login_required
@require_POST
def pledge_end(request: HttpRequest, slug: str) -> HttpResponse:
    group = _group(request, slug)
    if contributions.pledge_end(person=request.user, group=group):
        messages.success(request, _("Your pledge has ended. Thank you for what you gave."))
    return redirect("contribute", group.slug)


@login_required
def pledge_list(request: HttpRequest, slug: str) -> HttpResponse:
    group = _group(request, slug)
    if not access.is_treasurer(request.user, group):
        raise PermissionDenied
    pledges = queries.pledges_for_treasurer(group)
    return render(request, "participation/pledges.html", {"group": group, "pledges": pledges})


def ledger_page(request: HttpRequest, slug: str) -> HttpResponse:
    group = _group(request, slug)
    page = contributions.page_of(group)
    entries, summary = queries.ledger_of(group, page.currency if page else None)
    return render(
        request,
        "participation/ledger.html",
        {
            "group": group,
            "entries": entries[:LEDGER_ROWS_SHOWN],
            "more": max(len(entries) - LEDGER_ROWS_SHOWN, 0),
            "summary": summary,
            "chart": ledger_chart(summary),
            "camps": queries.camp_lines(group, entries),
            "is_treasurer": access.is_treasurer(request.user, group),
        },
    )


@login_required
def ledger_import(request: HttpRequest, slug: str) -> HttpResponse:
    group = _group(request, slug)
    if not access.is_treasurer(request.user, group):
        raise PermissionDenied
    form = LedgerUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form, field=lambda error: "file"):
            report = ledger.ledger_import(
                by=request.user, group=group, text=form.cleaned_data["file"]
            )
            messages.success(
                request,
                _("%(added)s added, %(updated)s updated, %(unchanged)s already there.")
                % {"added": report.added, "updated": report.updated, "unchanged": report.unchanged},
            )
            return redirect("ledger", group.slug)
    return render(request, "participation/ledger_import.html", {"group": group, "form": form})


def _camp(request: HttpRequest, slug: str) -> Gathering:
    gathering = get_object_or_404(Gathering.objects.select_related("group"), slug=slug)
    if not request.user.has_perm("gatherings.view_gathering", gathering):
        raise Http404
    if gathering.kind != Kind.CAMP:
        raise Http404
    return gathering


@post_action(_camp, to=_page_of("gathering_volunteer"))
def gathering_budget(request: HttpRequest, gathering: Gathering) -> str | None:
    form = CampBudgetForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return None
    contributions.camp_budget_set(by=request.user, gathering=gathering, **form.cleaned_data)
    return _("The camp's budget is saved.")
