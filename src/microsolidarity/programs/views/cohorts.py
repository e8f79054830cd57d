"""Cohort pages: starting one, signing up, the sessions' module pages, the formation round."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from microsolidarity.crewing.forms import as_aware
from microsolidarity.gatherings.access import can_see_call_link
from microsolidarity.pages import Done, domain_errors_on, post_action
from microsolidarity.programs import access, formation, queries, seats
from microsolidarity.programs.cohorts import cohort_create as cohort_start
from microsolidarity.programs.cohorts import next_session, sessions_of
from microsolidarity.programs.forms import CohortForm, SignUpForm
from microsolidarity.programs.models import Cohort, Program, Seat, SeatState
from microsolidarity.programs.texts import markdown_html
from microsolidarity.programs.views.programs import practice_steps


def _cohort(request: HttpRequest, slug: str) -> Cohort:
    cohort = get_object_or_404(
        Cohort.objects.select_related("program", "program__owner", "group", "series"), slug=slug
    )
    if not request.user.has_perm("programs.see_cohort", cohort):
        raise Http404
    return cohort


@login_required
def cohort_create(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_object_or_404(Program.objects.select_related("owner"), slug=slug)
    if not request.user.has_perm("programs.manage_program", program):
        raise Http404
    zone = getattr(request.user, "profile", None)
    initial = {
        "host_timezone": (zone.timezone if zone else "") or "UTC",
        "session_days": program.session_days.split(","),
        "session_minutes": program.session_minutes,
    }
    people = queries.co_facilitator_choices(program.owner, exclude=request.user)
    form = CohortForm(request.POST or None, initial=initial, people=people)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        fields = {"starts_at": "first_session_at", "timezone": "host_timezone"}
        with domain_errors_on(form, field=lambda error: fields.get(error.field, error.field)):
            cohort = cohort_start(
                by=request.user,
                program=program,
                title=data["title"],
                first_session_at=as_aware(data["first_session_at"], data["host_timezone"]),
                host_timezone=data["host_timezone"],
                session_days=data["session_days"],
                session_minutes=data["session_minutes"],
                capacity=data["capacity"],
                call_link=data["call_link"],
                application_question=data["application_question"],
                contribution_url=data["contribution_url"],
                contribution_note=data["contribution_note"],
                co_facilitators=list(data["co_facilitators"]),
            )
            messages.success(request, _("The cohort is open for sign-ups."))
            return redirect(cohort)
    return render(request, "programs/cohort_form.html", {"program": program, "form": form})


def _session_rows(sessions, partners: dict[int, list], now):
    upcoming = next_session(sessions, now)
    return [
        {
            "session": s,
            "is_next": upcoming is not None and s.number == upcoming.number,
            "is_past": s.occurrence.ends_at <= now,
            "partners": partners.get(s.number),
        }
        for s in sessions
    ]


def cohort_detail(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = _cohort(request, slug)
    person = request.user
    now = timezone.now()
    sessions = sessions_of(cohort)
    seat = access.seat_of(person, cohort)
    can_manage = person.has_perm("programs.manage_cohort", cohort)
    partners = queries.my_partners(person, cohort) if seat else {}
    round_ = formation.formation_round_of(cohort)
    opens_at = formation.formation_opens_at(cohort)
    context = {
        "cohort": cohort,
        "program": cohort.program,
        "rows": _session_rows(sessions, partners, now),
        "next": next_session(sessions, now),
        "seat": seat,
        "waitlist_position": seats.waitlist_position(seat),
        "going_count": seats.going_count(cohort),
        "signups_open": not cohort.is_called_off and now < seats.signups_close_at(cohort),
        "can_read": person.has_perm("programs.read_sessions", cohort),
        "can_manage": can_manage,
        "form": SignUpForm(),
        "facilitators": list(cohort.facilitators.order_by("display_name")),
        "formation_round": round_,
        "formation_can_open": can_manage and round_ is None and opens_at and now >= opens_at,
        "crews": list(queries.cohort_crews(cohort)) if round_ else [],
        "my_crew": queries.my_crew(person, cohort),
        "SeatState": SeatState,
    }
    if can_manage:
        context["seats_by_state"] = queries.seats_for_facilitators(cohort)
    return render(request, "programs/cohort_detail.html", context)


@post_action(_cohort)
def cohort_signup(request: HttpRequest, cohort: Cohort) -> Done:
    form = SignUpForm(request.POST)
    answer = form.cleaned_data["answer"] if form.is_valid() else ""
    result = seats.seat_request(person=request.user, cohort=cohort, answer=answer)
    state = result.seat.state
    if state == SeatState.GOING:
        upcoming = next_session(sessions_of(cohort))
        return Done(
            _("You are in. Here is your next session."),
            to=None
            if upcoming is None
            else reverse("cohort_session", args=[cohort.slug, upcoming.number]),
        )
    if state == SeatState.WAITLISTED:
        return Done(
            _(
                "The cohort is full: you are number %(n)s on the waiting list. "
                "We will write when a place frees."
            )
            % {"n": result.waitlist_position},
            level=messages.INFO,
        )
    return Done(_("Thank you: the facilitators will read your answer and write."))


@login_required
@require_POST
def cohort_leave(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = _cohort(request, slug)
    result = seats.seat_leave(person=request.user, cohort=cohort)
    if result is not None:
        messages.success(request, _("You have left %(cohort)s.") % {"cohort": cohort})
    return redirect(cohort)


@post_action(
    _cohort,
    allow="programs.manage_cohort",
    hidden=True,
    to=lambda cohort: reverse("cohort_detail", args=[cohort.slug]) + "#applications",
)
def cohort_seat_answer(request: HttpRequest, cohort: Cohort, seat_id: int) -> None:
    seat = get_object_or_404(Seat, pk=seat_id, cohort=cohort)
    if request.POST.get("answer") == "accept":
        seats.seat_accept(by=request.user, seat=seat)
    else:
        seats.seat_decline(by=request.user, seat=seat)


@post_action(_cohort, allow="programs.manage_cohort", hidden=True)
def cohort_formation_open(request: HttpRequest, cohort: Cohort) -> Done:
    round_ = formation.formation_open(by=request.user, cohort=cohort)
    return Done(_("The formation round is open: everyone can sign up for a crew."), to=round_)


@login_required
def cohort_session(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    cohort = _cohort(request, slug)
    if not request.user.has_perm("programs.read_sessions", cohort):
        raise Http404
    sessions = sessions_of(cohort)
    if not 1 <= number <= len(sessions):
        raise Http404
    session = sessions[number - 1]
    module = session.module
    partners = queries.my_partners(request.user, cohort)
    is_last = number == len(sessions)
    round_ = formation.formation_round_of(cohort)
    return render(
        request,
        "programs/cohort_session.html",
        {
            "cohort": cohort,
            "session": session,
            "module": module,
            "show_call_link": can_see_call_link(request.user, cohort.series),
            "text": markdown_html(module.text) if module else "",
            "steps": practice_steps(module.practices) if module else [],
            "total_minutes": sum(
                int(s.get("minutes", 0)) for s in (module.practices if module else [])
            ),
            "partners": partners.get(number),
            "previous": sessions[number - 2] if number > 1 else None,
            "following": sessions[number] if number < len(sessions) else None,
            "is_last": is_last,
            "formation_round": round_,
            "formation_can_open": is_last
            and round_ is None
            and request.user.has_perm("programs.manage_cohort", cohort)
            and timezone.now() >= formation.formation_opens_at(cohort),
            "journal_prompt": module.reflection_prompt if module else "",
        },
    )
