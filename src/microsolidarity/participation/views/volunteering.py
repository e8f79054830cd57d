"""Volunteering pages: a gathering's roles by date, signing up, buddies, and my helping."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from microsolidarity.gatherings import access as gathering_access
from microsolidarity.gatherings.models import Gathering, Kind, Occurrence
from microsolidarity.pages import post_action
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
    return redirect(_volunteer_url(gathering))


def _volunteer_url(gathering: Gathering) -> str:
    return reverse("gathering_volunteer", args=[gathering.slug])


def _gathering_slot(request: HttpRequest, slug: str, slot_id: int) -> RoleSlot:
    return _slot(_gathering(request, slug), slot_id)


def _slot_back(slot: RoleSlot) -> str:
    return _volunteer_url(slot.gathering)


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


@post_action(
    _gathering,
    allow=lambda person, gathering: gathering_access.can_manage_gathering(person, gathering),
    to=_volunteer_url,
)
def gathering_slot_create(request: HttpRequest, gathering: Gathering) -> str | None:
    occurrences = list(gathering.occurrences.filter(status="scheduled")[:200])
    form = SlotForm(request.POST, occurrences=occurrences, recurring=gathering.is_recurring)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return None
    data = form.cleaned_data
    occurrence = next((o for o in occurrences if o.pk == data["occurrence"]), None)
    if occurrence is None and not gathering.is_recurring and occurrences:
        occurrence = occurrences[0]
    slot = volunteering.slot_create(
        by=request.user,
        gathering=gathering,
        role=data["role"],
        title=data["title"],
        count=data["count"],
        description=data["description"],
        occurrence=occurrence,
    )
    return _("%(role)s added.") % {"role": slot.name}


@post_action(_gathering_slot, to=_slot_back)
def gathering_slot_delete(request: HttpRequest, slot: RoleSlot) -> str:
    volunteering.slot_delete(by=request.user, slot=slot)
    return _("The role is removed; anyone who took it is told.")


@post_action(_gathering_slot, to=_slot_back)
@rate_limited("rsvp")
def gathering_slot_signup(request: HttpRequest, slot: RoleSlot) -> str:
    if request.POST.get("every") and slot.recurs:
        result = volunteering.slot_signup_series(person=request.user, slot=slot)
        return _("You are %(role)s on %(n)s dates; %(full)s were full already.") % {
            "role": slot.name,
            "n": result.signed_up,
            "full": result.full,
        }
    occurrence = _occurrence(slot.gathering, request.POST.get("occurrence"))
    volunteering.slot_signup(person=request.user, slot=slot, occurrence=occurrence)
    return _("Thank you: you are %(role)s.") % {"role": slot.name}


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


def _gathering_occurrence(request: HttpRequest, slug: str, occurrence_id: int) -> Occurrence:
    return _occurrence(_gathering(request, slug), occurrence_id)


@post_action(_gathering_occurrence, to=lambda occurrence: _volunteer_url(occurrence.gathering))
@rate_limited("rsvp")
def gathering_buddy_ask(request: HttpRequest, occurrence: Occurrence) -> str:
    if request.POST.get("withdraw"):
        volunteering.buddy_withdraw(person=request.user, occurrence=occurrence)
        return _("You no longer ask for a buddy for this date.")
    form = BuddyForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    volunteering.buddy_ask(person=request.user, occurrence=occurrence, note=note)
    return _("Asked: you'll get an email when someone offers.")


def _buddy_request(request: HttpRequest, slug: str, buddy_id: int) -> BuddyRequest:
    gathering = _gathering(request, slug)
    buddy_request = get_object_or_404(
        BuddyRequest.objects.select_related("occurrence"),
        pk=buddy_id,
        occurrence__gathering=gathering,
    )
    buddy_request.occurrence.gathering = gathering
    return buddy_request


@post_action(_buddy_request, to=lambda buddy: _volunteer_url(buddy.occurrence.gathering))
def gathering_buddy_offer(request: HttpRequest, buddy_request: BuddyRequest) -> str:
    volunteering.buddy_offer(by=request.user, request=buddy_request)
    return _("Thank you: they'll hear that you are their buddy.")


@login_required
def helping(request: HttpRequest) -> HttpResponse:
    return render(
        request, "participation/helping.html", {"helping": queries.helping_for(request.user)}
    )
