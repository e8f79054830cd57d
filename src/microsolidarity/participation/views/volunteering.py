"""Volunteering pages: a gathering's roles by date, signing up, buddies, and my helping."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from microsolidarity.errors import DomainError
from microsolidarity.gatherings import access as gathering_access
from microsolidarity.gatherings.models import Gathering, Kind, Occurrence
from microsolidarity.participation import access, queries, volunteering
from microsolidarity.participation.forms import BuddyForm, CampBudgetForm, SlotForm
from microsolidarity.participation.models import BuddyRequest, RoleSlot
from microsolidarity.ratelimits import rate_limited


def _gathering(request: HttpRequest, slug: str) -> Gathering:
    gathering = get_object_or_404(
        Gathering.objects.select_related("group", "group__parent"), slug=slug
    )
    if not request.user.has_perm("gatherings.view_gathering", gathering):
        raise Http404
    return gathering


def _occurrence(gathering: Gathering, occurrence_id) -> Occurrence:
    try:
        occurrence_id = int(occurrence_id)
    except (TypeError, ValueError):
        raise Http404 from None
    occurrence = get_object_or_404(Occurrence, pk=occurrence_id, gathering=gathering)
    occurrence.gathering = gathering
    return occurrence


def _slot(gathering: Gathering, slot_id: int) -> RoleSlot:
    slot = get_object_or_404(RoleSlot, pk=slot_id, gathering=gathering)
    slot.gathering = gathering
    return slot


def _back(gathering: Gathering) -> HttpResponse:
    return redirect("gathering_volunteer", gathering.slug)


def gathering_volunteer(request: HttpRequest, slug: str) -> HttpResponse:
    gathering = _gathering(request, slug)
    person = request.user
    dates = queries.slots_for(person, gathering)
    can_manage = gathering_access.can_manage_gathering(person, gathering)
    suggestions = {}
    if can_manage and dates:
        open_places = [place for place in dates[0].places if place.free]
        suggestions = queries.rotations_for(gathering, open_places) if open_places else {}
    budget = getattr(gathering, "budget", None) if gathering.kind == Kind.CAMP else None
    return render(
        request,
        "participation/volunteer.html",
        {
            "gathering": gathering,
            "dates": dates,
            "can_manage": can_manage,
            "can_volunteer": access.can_volunteer(person, gathering),
            "can_see_volunteers": access.can_see_volunteers(person, gathering),
            "can_ask_for_buddy": access.can_ask_for_buddy(person, gathering),
            "suggestions": suggestions,
            "slot_form": SlotForm(
                occurrences=[d.occurrence for d in dates], recurring=gathering.is_recurring
            ),
            "buddy_form": BuddyForm(),
            "is_camp": gathering.kind == Kind.CAMP,
            "budget": budget,
            "can_set_budget": gathering.kind == Kind.CAMP
            and access.can_set_camp_budget(person, gathering),
            "budget_form": CampBudgetForm(
                initial={
                    "amount": budget.amount.amount,
                    "currency": str(budget.amount.currency),
                    "tag": budget.tag,
                    "note": budget.note,
                }
                if budget
                else {"tag": gathering.slug[:60]}
            ),
        },
    )


@login_required
@require_POST
def gathering_slot_create(request: HttpRequest, slug: str) -> HttpResponse:
    gathering = _gathering(request, slug)
    if not gathering_access.can_manage_gathering(request.user, gathering):
        raise PermissionDenied
    occurrences = list(gathering.occurrences.filter(status="scheduled")[:200])
    form = SlotForm(request.POST, occurrences=occurrences, recurring=gathering.is_recurring)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return _back(gathering)
    data = form.cleaned_data
    occurrence = next((o for o in occurrences if o.pk == data["occurrence"]), None)
    if occurrence is None and not gathering.is_recurring and occurrences:
        occurrence = occurrences[0]
    try:
        slot = volunteering.slot_create(
            by=request.user,
            gathering=gathering,
            role=data["role"],
            title=data["title"],
            count=data["count"],
            description=data["description"],
            occurrence=occurrence,
        )
        messages.success(request, _("%(role)s added.") % {"role": slot.name})
    except DomainError as error:
        messages.error(request, error.message)
    return _back(gathering)


@login_required
@require_POST
def gathering_slot_delete(request: HttpRequest, slug: str, slot_id: int) -> HttpResponse:
    gathering = _gathering(request, slug)
    slot = _slot(gathering, slot_id)
    try:
        volunteering.slot_delete(by=request.user, slot=slot)
        messages.success(request, _("The role is removed; anyone who took it is told."))
    except DomainError as error:
        messages.error(request, error.message)
    return _back(gathering)


@login_required
@require_POST
@rate_limited("rsvp")
def gathering_slot_signup(request: HttpRequest, slug: str, slot_id: int) -> HttpResponse:
    gathering = _gathering(request, slug)
    slot = _slot(gathering, slot_id)
    try:
        if request.POST.get("every") and slot.recurs:
            result = volunteering.slot_signup_series(person=request.user, slot=slot)
            messages.success(
                request,
                _("You are %(role)s on %(n)s dates; %(full)s were full already.")
                % {"role": slot.name, "n": result.signed_up, "full": result.full},
            )
        else:
            occurrence = _occurrence(gathering, request.POST.get("occurrence"))
            volunteering.slot_signup(person=request.user, slot=slot, occurrence=occurrence)
            messages.success(request, _("Thank you: you are %(role)s.") % {"role": slot.name})
    except DomainError as error:
        messages.error(request, error.message)
    return _back(gathering)


@login_required
@require_POST
def gathering_slot_withdraw(request: HttpRequest, slug: str, slot_id: int) -> HttpResponse:
    gathering = _gathering(request, slug)
    slot = _slot(gathering, slot_id)
    occurrence = None
    if not request.POST.get("every"):
        occurrence = _occurrence(gathering, request.POST.get("occurrence"))
    if volunteering.slot_withdraw(person=request.user, slot=slot, occurrence=occurrence):
        messages.success(request, _("You gave the role back; someone else can take it."))
    return _back(gathering)


@login_required
@require_POST
@rate_limited("rsvp")
def gathering_buddy_ask(request: HttpRequest, slug: str, occurrence_id: int) -> HttpResponse:
    gathering = _gathering(request, slug)
    occurrence = _occurrence(gathering, occurrence_id)
    if request.POST.get("withdraw"):
        volunteering.buddy_withdraw(person=request.user, occurrence=occurrence)
        messages.success(request, _("You no longer ask for a buddy for this date."))
        return _back(gathering)
    form = BuddyForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        volunteering.buddy_ask(person=request.user, occurrence=occurrence, note=note)
        messages.success(request, _("Asked: you'll get an email when someone offers."))
    except DomainError as error:
        messages.error(request, error.message)
    return _back(gathering)


@login_required
@require_POST
def gathering_buddy_offer(request: HttpRequest, slug: str, buddy_id: int) -> HttpResponse:
    gathering = _gathering(request, slug)
    buddy_request = get_object_or_404(
        BuddyRequest.objects.select_related("occurrence"),
        pk=buddy_id,
        occurrence__gathering=gathering,
    )
    buddy_request.occurrence.gathering = gathering
    try:
        volunteering.buddy_offer(by=request.user, request=buddy_request)
        messages.success(request, _("Thank you: they'll hear that you are their buddy."))
    except DomainError as error:
        messages.error(request, error.message)
    return _back(gathering)


@login_required
def helping(request: HttpRequest) -> HttpResponse:
    return render(
        request, "participation/helping.html", {"helping": queries.helping_for(request.user)}
    )
