"""Gathering pages: list, detail, create, edit, occurrences and RSVPs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
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
from microsolidarity.gatherings.models import Gathering, Occurrence, Rsvp, RsvpState
from microsolidarity.groups import access as group_access
from microsolidarity.groups import queries as group_queries
from microsolidarity.groups.models import Group, MembershipState
from microsolidarity.page_cache import (
    ANY_ROWS,
    fresh_part,
    fresh_reads,
    render_part,
    row_version,
    table_version,
)
from microsolidarity.pages import domain_errors_on, post_action
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


def _groups_i_host_in(person, memberships):
    if not person.is_authenticated:
        return []
    # The memberships, read with their groups, also answer each group's permission check.
    group_access.memberships_remember(person, memberships)
    groups = [m.group for m in memberships if m.state == MembershipState.ACTIVE]
    return [group for group in groups if access.can_host_in(person, group)]


def gathering_list(request: HttpRequest) -> HttpResponse:
    """Upcoming gatherings I may see; `?group=<slug>` narrows to one group's."""
    group = None
    slug = request.GET.get("group", "")
    if slug:
        group = Group.objects.filter(slug=slug).first()
        if group is None or not request.user.has_perm("groups.view_group", group):
            raise Http404
    memberships = group_queries.request_memberships(request)
    return render(
        request,
        "gatherings/list.html",
        {
            "upcoming": queries.with_fresh_counts(
                queries.upcoming_for(
                    request.user, group=group, memberships=memberships, counts=False
                )
            ),
            "host_groups": _groups_i_host_in(request.user, memberships),
            "group": group,
        },
    )


def _rsvp_context(request, occurrence: Occurrence, *, form=None, facts=None, **known) -> dict:
    """`known`: `rsvp=`, the viewer's answer when the page has read it (see occurrence_view);
    `facts`: the page's `Facts`, which answer the permission checks without reading again."""
    view = queries.occurrence_view(request.user, occurrence, **known)
    gathering = occurrence.gathering
    initial = {f"answer_{k}": v for k, v in (view.rsvp.answers if view.rsvp else {}).items()}
    going = (
        view.rsvp is not None and view.rsvp.state == RsvpState.GOING
        if request.user.is_authenticated
        else None
    )
    if facts is None:
        can_rsvp = request.user.has_perm("gatherings.rsvp_gathering", gathering)
        show_call_link = access.can_see_call_link(request.user, occurrence, going=going)
    else:
        can_rsvp = facts.can_rsvp
        show_call_link = facts.call_link_settled or bool(going)
    return {
        "gathering": gathering,
        "occurrence": occurrence,
        "view": view,
        "can_rsvp": can_rsvp,
        "answers_form": form or answers_form(gathering, initial=initial),
        "deadline": rsvp.rsvp_deadline(occurrence),
        "show_call_link": show_call_link,
    }


class Facts:
    """What a gathering's page settles for its viewer before its live pieces render: may they
    answer, and do they see the call link whatever they answer (hosts; members, where the
    hosts chose so). Kept with the page as a short string (`str(facts)`), these stay true
    while the kept page does: they come from the tables it read."""

    def __init__(self, *, can_rsvp: bool, call_link_settled: bool):
        self.can_rsvp = can_rsvp
        self.call_link_settled = call_link_settled

    @classmethod
    def of(cls, person, gathering: Gathering) -> "Facts":
        return cls(
            can_rsvp=person.has_perm("gatherings.rsvp_gathering", gathering),
            call_link_settled=access.call_link_settled(person, gathering),
        )

    @classmethod
    def parse(cls, text: str) -> "Facts":
        return cls(can_rsvp="rsvp" in text.split(","), call_link_settled="link" in text.split(","))

    def __str__(self) -> str:
        return ",".join(
            name
            for name, holds in (("rsvp", self.can_rsvp), ("link", self.call_link_settled))
            if holds
        )


def _live(request, gathering: Gathering, facts: Facts) -> dict:
    """What everyone's RSVPs change on a gathering's page: the next date with its answer box,
    seats left on each coming date, the viewer's own answers and so whether they see the call
    link. Only ever shown through `gathering_live_part`."""
    with fresh_reads():
        upcoming = list(queries.upcoming_occurrences(gathering))
        answers = queries.rsvps_to(request.user, gathering)
        mine = {o.pk: answers[o.pk] for o in upcoming if o.pk in answers}
        rows = [
            {
                "occurrence": occurrence,
                "seats_left": queries.seats_left(gathering, occurrence.going_count),
                "rsvp": mine.get(occurrence.pk),
            }
            for occurrence in upcoming
        ]
        context = {"gathering": gathering, "rows": rows}
        next_one = next((o for o in upcoming if o.status == "scheduled"), None)
        if next_one is not None:
            next_one.gathering = gathering
            context.update(
                _rsvp_context(request, next_one, facts=facts, rsvp=mine.get(next_one.pk))
            )
        # The page is about every occurrence: going to any of them, listed or not, shows it.
        context["show_call_link"] = facts.call_link_settled or any(
            answer.state == RsvpState.GOING for answer in answers.values()
        )
    return context


LIVE_PIECES = {
    "next": "gatherings/_detail_next.html",
    "dates": "gatherings/_detail_dates.html",
    "call": "gatherings/_call_link.html",
}


def _live_kept_by(request, gathering_pk, piece, facts):
    """A gathering's RSVPs (everyone's, so mine too), its dates, itself and its group."""
    rsvps = [row_version(Rsvp, f"gathering:{gathering_pk}"), row_version(Rsvp, ANY_ROWS)]
    return [*rsvps, *(table_version(model) for model in (Occurrence, Gathering, Group))], None


@fresh_part(kept_by=_live_kept_by)
def gathering_live_part(request, many, known) -> list[str]:
    """A gathering page's live pieces (`LIVE_PIECES`), rendered fresh on each serve of a kept
    page: `many` is (gathering id, piece, `Facts`); the pieces of one gathering share one
    reading."""
    read: dict[int, dict] = {}
    shown = []
    for (gathering_pk, piece, facts), has in zip(many, known, strict=True):
        context = has.get("context") or read.get(gathering_pk)
        if context is None:
            gathering = Gathering.objects.select_related("group", "group__parent").get(
                pk=gathering_pk
            )
            context = read[gathering_pk] = _live(request, gathering, Facts.parse(facts))
        shown.append(render_to_string(LIVE_PIECES[piece], context, request=request))
    return shown


def gathering_detail(request: HttpRequest, slug: str) -> HttpResponse:
    gathering = _visible_gathering(request, slug)
    hosts = list(gathering.hosts.all())
    # The permission checks below ask who hosts it: the list just read answers them.
    gathering._host_ids = {host.pk for host in hosts}
    context = {
        "gathering": gathering,
        "hosts": hosts,
        "can_manage": request.user.has_perm("gatherings.manage_gathering", gathering),
        "following": queries.is_following(request.user, gathering),
        "cancel_form": CancelForm(),
        "report_in": group_access.report_group_for(request.user, gathering.group),
    }
    # After the page's own reads: what the fresh parts read (and what a permission check
    # might remember from it) is not the kept page's to depend on.
    facts = Facts.of(request.user, gathering)
    live = _live(request, gathering, facts)
    for piece in LIVE_PIECES:
        if piece != "dates" or gathering.is_recurring:
            context[f"live_{piece}"] = render_part(
                request, gathering_live_part, gathering.pk, piece, str(facts), context=live
            )
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


@post_action(_visible_gathering)
def series_follow(request: HttpRequest, gathering: Gathering) -> str:
    if request.POST.get("follow", "1") == "1":
        made = rsvp.series_subscribe(person=request.user, gathering=gathering)
        return _("You follow the whole series: %(n)s more dates are on your list.") % {"n": made}
    rsvp.series_unsubscribe(person=request.user, gathering=gathering)
    return _("You no longer follow the series.")


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
        with domain_errors_on(form, field=lambda error: _form_field(error, form)):
            with transaction.atomic():
                gathering = services.gathering_create(by=request.user, group=group, **kwargs)
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
        with domain_errors_on(form, field=lambda error: _form_field(error, form)):
            with transaction.atomic():
                services.gathering_update(
                    by=request.user, gathering=gathering, **form.service_kwargs()
                )
            messages.success(request, _("Saved."))
            return redirect(gathering)
    return render(
        request,
        "gatherings/form.html",
        {"form": form, "group": gathering.group, "gathering": gathering},
    )


@post_action(_visible_gathering)
def gathering_cancel(request: HttpRequest, gathering: Gathering) -> str:
    form = CancelForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    services.gathering_cancel(by=request.user, gathering=gathering, note=note)
    return _("Cancelled. Everyone who was coming is told.")


def _visible_occurrence(request: HttpRequest, slug: str, occurrence_id: int) -> Occurrence:
    return _occurrence(_visible_gathering(request, slug), occurrence_id)


@post_action(_visible_occurrence)
def occurrence_cancel(request: HttpRequest, occurrence: Occurrence) -> str:
    form = CancelForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    if request.POST.get("restore") == "1":
        occurrences.occurrence_restore(by=request.user, occurrence=occurrence)
        return _("It's on again.")
    occurrences.occurrence_cancel(by=request.user, occurrence=occurrence, note=note)
    return _("Cancelled. Everyone who was coming is told.")


@post_action(_visible_occurrence)
def occurrence_move(request: HttpRequest, occurrence: Occurrence) -> str | None:
    form = MoveForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return None
    zone = zone_checked(occurrence.gathering.timezone)
    ends = form.cleaned_data["ends"]
    occurrences.occurrence_move(
        by=request.user,
        occurrence=occurrence,
        starts_at=form.cleaned_data["starts"].replace(tzinfo=zone),
        ends_at=ends.replace(tzinfo=zone) if ends else None,
        note=form.cleaned_data["note"],
    )
    return _("Moved. Everyone who was coming is told.")


@post_action(_visible_gathering)
def gathering_host_add(request: HttpRequest, gathering: Gathering) -> str | None:
    email = request.POST.get("email", "").strip()
    person = Person.objects.filter(email__iexact=email, is_active=True).first() if email else None
    if person is None:
        messages.error(request, _("Nobody here has the email %(email)s.") % {"email": email})
        return None
    services.gathering_host_add(by=request.user, gathering=gathering, person=person)
    return _("%(person)s co-hosts now.") % {"person": person}


@post_action(_visible_gathering)
def gathering_host_remove(request: HttpRequest, gathering: Gathering, person_id: int) -> str:
    person = get_object_or_404(gathering.hosts, pk=person_id)
    services.gathering_host_remove(by=request.user, gathering=gathering, person=person)
    return _("%(person)s no longer hosts.") % {"person": person}
