"""Gathering pages: list, detail, create, edit, occurrences and RSVPs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from microsolidarity.errors import DomainError
from microsolidarity.gatherings import access, occurrences, queries, rsvp, services
from microsolidarity.gatherings.forms import (
    CancelForm,
    GatheringForm,
    MoveForm,
    answers_form,
    answers_from,
)
from microsolidarity.gatherings.models import Gathering, Occurrence, RsvpState
from microsolidarity.groups import access as group_access
from microsolidarity.groups.models import Group, Membership, MembershipState
from microsolidarity.people.models import Person
from microsolidarity.ratelimits import rate_limited
from microsolidarity.redirects import safe_next
from microsolidarity.zones import zone_checked


def _visible_gathering(request: HttpRequest, slug: str) -> Gathering:
    gathering = get_object_or_404(
        Gathering.objects.select_related("group", "group__parent"), slug=slug
    )
    if not request.user.has_perm("gatherings.view_gathering", gathering):
        # Not visible means not there: don't confirm that a hidden gathering exists.
        raise Http404
    return gathering


def _occurrence(gathering: Gathering, occurrence_id: int) -> Occurrence:
    occurrence = get_object_or_404(Occurrence, pk=occurrence_id, gathering=gathering)
    occurrence.gathering = gathering
    return occurrence


def _groups_i_host_in(person):
    if not person.is_authenticated:
        return []
    # The memberships, read with their groups, also answer each group's permission check.
    memberships = list(
        Membership.objects.filter(person=person, state=MembershipState.ACTIVE)
        .select_related("group", "group__parent")
        .order_by("group__name")
    )
    group_access.memberships_remember(person, memberships)
    groups = [membership.group for membership in memberships]
    return [group for group in groups if access.can_host_in(person, group)]


def gathering_list(request: HttpRequest) -> HttpResponse:
    """Upcoming gatherings I may see; `?group=<slug>` narrows to one group's."""
    group = None
    slug = request.GET.get("group", "")
    if slug:
        group = Group.objects.filter(slug=slug).first()
        if group is None or not request.user.has_perm("groups.view_group", group):
            raise Http404
    return render(
        request,
        "gatherings/list.html",
        {
            "upcoming": queries.upcoming_for(request.user, group=group),
            "host_groups": _groups_i_host_in(request.user),
            "group": group,
        },
    )


def _rsvp_context(request, occurrence: Occurrence, *, form=None) -> dict:
    view = queries.occurrence_view(request.user, occurrence)
    gathering = occurrence.gathering
    initial = {f"answer_{k}": v for k, v in (view.rsvp.answers if view.rsvp else {}).items()}
    return {
        "gathering": gathering,
        "occurrence": occurrence,
        "view": view,
        "can_rsvp": request.user.has_perm("gatherings.rsvp_gathering", gathering),
        "answers_form": form or answers_form(gathering, initial=initial),
        "deadline": rsvp.rsvp_deadline(occurrence),
        "show_call_link": access.can_see_call_link(request.user, occurrence),
    }


def gathering_detail(request: HttpRequest, slug: str) -> HttpResponse:
    gathering = _visible_gathering(request, slug)
    upcoming = list(queries.upcoming_occurrences(gathering))
    mine = queries.rsvps_by_occurrence(request.user, upcoming)
    rows = [
        {
            "occurrence": occurrence,
            "seats_left": queries.seats_left(gathering, occurrence.going_count),
            "rsvp": mine.get(occurrence.pk),
        }
        for occurrence in upcoming
    ]
    following = queries.is_following(request.user, gathering)
    next_one = next((o for o in upcoming if o.status == "scheduled"), None)
    context = {
        "gathering": gathering,
        "rows": rows,
        "hosts": list(gathering.hosts.all()),
        "can_manage": request.user.has_perm("gatherings.manage_gathering", gathering),
        "following": following,
        "cancel_form": CancelForm(),
        "report_in": group_access.report_group_for(request.user, gathering.group),
    }
    if next_one is not None:
        next_one.gathering = gathering
        context.update(_rsvp_context(request, next_one))
    # The page is about every occurrence: going to any of them shows the link.
    context["show_call_link"] = access.can_see_call_link(request.user, gathering)
    return render(request, "gatherings/detail.html", context)


def occurrence_detail(request: HttpRequest, slug: str, occurrence_id: int) -> HttpResponse:
    gathering = _visible_gathering(request, slug)
    occurrence = _occurrence(gathering, occurrence_id)
    context = _rsvp_context(request, occurrence)
    context.update(
        {
            "can_manage": request.user.has_perm("gatherings.manage_gathering", gathering),
            "move_form": MoveForm(),
            "cancel_form": CancelForm(),
            "report_in": group_access.report_group_for(request.user, gathering.group),
        }
    )
    return render(request, "gatherings/occurrence.html", context)


def _rsvp_response(request, occurrence: Occurrence, form=None) -> HttpResponse:
    if request.htmx:
        return render(
            request, "gatherings/_rsvp.html", _rsvp_context(request, occurrence, form=form)
        )
    return redirect(safe_next(request, occurrence.get_absolute_url()))


@login_required
@require_POST
@rate_limited("rsvp")
def rsvp_answer(request: HttpRequest, slug: str, occurrence_id: int) -> HttpResponse:
    gathering = _visible_gathering(request, slug)
    occurrence = _occurrence(gathering, occurrence_id)
    state = request.POST.get("state", "")
    answers = None
    form = None
    if state == RsvpState.GOING and gathering.registration_questions:
        form = answers_form(gathering, request.POST)
        answers = answers_from(gathering, request.POST)
    try:
        result = rsvp.rsvp_set(
            person=request.user, occurrence=occurrence, state=state, answers=answers
        )
    except DomainError as error:
        messages.error(request, error.message)
        if form is not None and not request.htmx:
            # Keep what was typed: show the page with the form and its messages.
            context = _rsvp_context(request, occurrence, form=form)
            context.update({"can_manage": False, "move_form": None, "cancel_form": None})
            return render(request, "gatherings/occurrence.html", context, status=400)
        return _rsvp_response(request, occurrence, form=form)
    state = result.rsvp.state
    if state == RsvpState.GOING:
        messages.success(request, _("You're going. See you there."))
    elif state == RsvpState.WAITLISTED:
        messages.info(
            request,
            _("It's full: you're number %(n)s on the waitlist. We'll email you if a seat frees.")
            % {"n": result.waitlist_position},
        )
    else:
        messages.success(request, _("Thanks for saying so."))
    return _rsvp_response(request, occurrence)


@login_required
@require_POST
def series_follow(request: HttpRequest, slug: str) -> HttpResponse:
    gathering = _visible_gathering(request, slug)
    try:
        if request.POST.get("follow", "1") == "1":
            made = rsvp.series_subscribe(person=request.user, gathering=gathering)
            messages.success(
                request,
                _("You follow the whole series: %(n)s more dates are on your list.") % {"n": made},
            )
        else:
            rsvp.series_unsubscribe(person=request.user, gathering=gathering)
            messages.success(request, _("You no longer follow the series."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(gathering)


def _require_manage(request, gathering: Gathering) -> bool:
    if request.user.has_perm("gatherings.manage_gathering", gathering):
        return True
    messages.error(request, _("Only the hosts can change this gathering."))
    return False


@login_required
def gathering_create(request: HttpRequest) -> HttpResponse:
    slug = request.GET.get("group") or request.POST.get("group") or ""
    group = get_object_or_404(Group, slug=slug) if slug else None
    if group is None or not request.user.has_perm("groups.view_group", group):
        raise Http404
    if not request.user.has_perm("gatherings.host_gathering_in", group):
        messages.error(
            request, _("Only the hosts of %(name)s can call its gatherings.") % {"name": group.name}
        )
        return redirect(group)
    form = GatheringForm(
        request.POST or None, initial={"timezone": group.timezone or "UTC", "repeat": "once"}
    )
    if request.method == "POST" and form.is_valid():
        kwargs = form.service_kwargs()
        kwargs["host_timezone"] = kwargs.pop("timezone")
        try:
            with transaction.atomic():
                gathering = services.gathering_create(by=request.user, group=group, **kwargs)
        except DomainError as error:
            form.add_error(_form_field(error, form), error.message)
        else:
            messages.success(request, _("%(title)s is on.") % {"title": gathering.title})
            return redirect(gathering)
    return render(
        request, "gatherings/form.html", {"form": form, "group": group, "gathering": None}
    )


def _form_field(error: DomainError, form) -> str | None:
    aliases = {"starts_at": "starts", "ends_at": "ends", "registration_questions": "questions_text"}
    field = aliases.get(error.field, error.field)
    if field == "recurrence" and form.cleaned_data.get("repeat") != "custom":
        field = "repeat"
    return field if field in form.fields else None


@login_required
def gathering_edit(request: HttpRequest, slug: str) -> HttpResponse:
    gathering = _visible_gathering(request, slug)
    if not _require_manage(request, gathering):
        return redirect(gathering)
    form = GatheringForm(request.POST or None, gathering=gathering)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.gathering_update(
                    by=request.user, gathering=gathering, **form.service_kwargs()
                )
        except DomainError as error:
            form.add_error(_form_field(error, form), error.message)
        else:
            messages.success(request, _("Saved."))
            return redirect(gathering)
    return render(
        request,
        "gatherings/form.html",
        {"form": form, "group": gathering.group, "gathering": gathering},
    )


@login_required
@require_POST
def gathering_cancel(request: HttpRequest, slug: str) -> HttpResponse:
    gathering = _visible_gathering(request, slug)
    form = CancelForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.gathering_cancel(by=request.user, gathering=gathering, note=note)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Cancelled. Everyone who was coming is told."))
    return redirect(gathering)


@login_required
@require_POST
def occurrence_cancel(request: HttpRequest, slug: str, occurrence_id: int) -> HttpResponse:
    gathering = _visible_gathering(request, slug)
    occurrence = _occurrence(gathering, occurrence_id)
    form = CancelForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        if request.POST.get("restore") == "1":
            occurrences.occurrence_restore(by=request.user, occurrence=occurrence)
            messages.success(request, _("It's on again."))
        else:
            occurrences.occurrence_cancel(by=request.user, occurrence=occurrence, note=note)
            messages.success(request, _("Cancelled. Everyone who was coming is told."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(occurrence)


@login_required
@require_POST
def occurrence_move(request: HttpRequest, slug: str, occurrence_id: int) -> HttpResponse:
    gathering = _visible_gathering(request, slug)
    occurrence = _occurrence(gathering, occurrence_id)
    form = MoveForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(occurrence)
    zone = zone_checked(gathering.timezone)
    ends = form.cleaned_data["ends"]
    try:
        occurrences.occurrence_move(
            by=request.user,
            occurrence=occurrence,
            starts_at=form.cleaned_data["starts"].replace(tzinfo=zone),
            ends_at=ends.replace(tzinfo=zone) if ends else None,
            note=form.cleaned_data["note"],
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Moved. Everyone who was coming is told."))
    return redirect(occurrence)


@login_required
@require_POST
def gathering_host_add(request: HttpRequest, slug: str) -> HttpResponse:
    gathering = _visible_gathering(request, slug)
    email = request.POST.get("email", "").strip()
    person = Person.objects.filter(email__iexact=email, is_active=True).first() if email else None
    if person is None:
        messages.error(request, _("Nobody here has the email %(email)s.") % {"email": email})
        return redirect(gathering)
    try:
        services.gathering_host_add(by=request.user, gathering=gathering, person=person)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(person)s co-hosts now.") % {"person": person})
    return redirect(gathering)


@login_required
@require_POST
def gathering_host_remove(request: HttpRequest, slug: str, person_id: int) -> HttpResponse:
    gathering = _visible_gathering(request, slug)
    person = get_object_or_404(gathering.hosts, pk=person_id)
    try:
        services.gathering_host_remove(by=request.user, gathering=gathering, person=person)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(person)s no longer hosts.") % {"person": person})
    return redirect(gathering)


urlpatterns = [
    path("gatherings/", gathering_list, name="gathering_list"),
    path("gatherings/<slug:slug>/hosts/", gathering_host_add, name="gathering_host_add"),
    path(
        "gatherings/<slug:slug>/hosts/<int:person_id>/remove/",
        gathering_host_remove,
        name="gathering_host_remove",
    ),
    path("gatherings/new/", gathering_create, name="gathering_create"),
    path("gatherings/<slug:slug>/", gathering_detail, name="gathering_detail"),
    path("gatherings/<slug:slug>/edit/", gathering_edit, name="gathering_edit"),
    path("gatherings/<slug:slug>/cancel/", gathering_cancel, name="gathering_cancel"),
    path("gatherings/<slug:slug>/follow/", series_follow, name="series_follow"),
    path(
        "gatherings/<slug:slug>/<int:occurrence_id>/",
        occurrence_detail,
        name="occurrence_detail",
    ),
    path(
        "gatherings/<slug:slug>/<int:occurrence_id>/rsvp/",
        rsvp_answer,
        name="rsvp_answer",
    ),
    path(
        "gatherings/<slug:slug>/<int:occurrence_id>/cancel/",
        occurrence_cancel,
        name="occurrence_cancel",
    ),
    path(
        "gatherings/<slug:slug>/<int:occurrence_id>/move/",
        occurrence_move,
        name="occurrence_move",
    ),
]
