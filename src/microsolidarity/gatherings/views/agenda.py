"""Open-space agenda pages and the printable schedule."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from microsolidarity.errors import DomainError, NotAllowed
from microsolidarity.gatherings import agenda
from microsolidarity.gatherings.agenda_forms import PlaceForm, ProposeForm, RoomsForm
from microsolidarity.gatherings.models import AgendaSession, Occurrence
from microsolidarity.groups import access as group_access
from microsolidarity.pages import domain_errors_on, post_action
from microsolidarity.zones import local_to_utc, zone_named


def _occurrence(request: HttpRequest, slug: str, occurrence_id: int) -> Occurrence:
    occurrence = get_object_or_404(
        Occurrence.objects.select_related("gathering", "gathering__group"),
        pk=occurrence_id,
        gathering__slug=slug,
    )
    if not request.user.has_perm("gatherings.view_gathering", occurrence.gathering):
        # Not visible means not there.
        raise Http404
    return occurrence


def _session(request: HttpRequest, occurrence: Occurrence, session_id: int) -> AgendaSession:
    session = get_object_or_404(AgendaSession, pk=session_id, occurrence=occurrence)
    if session.hidden_at is not None and agenda.sessions_hidden_from(request.user, occurrence):
        raise Http404
    session.occurrence = occurrence
    return session


def _agenda_url(occurrence: Occurrence) -> str:
    return reverse("agenda_detail", args=[occurrence.gathering.slug, occurrence.pk])


def _place_form(occurrence: Occurrence, prefix: str) -> PlaceForm:
    gathering = occurrence.gathering
    return PlaceForm(
        prefix=prefix,
        rooms=agenda.room_names(gathering),
        zone_name=gathering.timezone,
        initial={
            "starts": timezone.localtime(occurrence.starts_at, zone_named(gathering.timezone))
        },
    )


def agenda_detail(request: HttpRequest, slug: str, occurrence_id: int) -> HttpResponse:
    return _render_agenda(request, _occurrence(request, slug, occurrence_id))


def _render_agenda(
    request,
    occurrence: Occurrence,
    *,
    propose_form=None,
    rooms_form=None,
    failed_place: tuple[int, PlaceForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    gathering = occurrence.gathering
    user = request.user
    sessions = list(agenda.agenda_sessions(occurrence, viewer=user))
    mine = set()
    if user.is_authenticated:
        mine = set(
            AgendaSession.interested.through.objects.filter(
                agendasession__occurrence=occurrence, person_id=user.pk
            ).values_list("agendasession_id", flat=True)
        )
    can_manage = user.has_perm("gatherings.manage_gathering", gathering)
    rows = []
    for session in sessions:
        place_form = None
        if can_manage:
            if failed_place and failed_place[0] == session.pk:
                place_form = failed_place[1]
            else:
                place_form = _place_form(occurrence, f"s{session.pk}")
        rows.append({"session": session, "interested": session.pk in mine, "place": place_form})
    columns, schedule = agenda.agenda_schedule(occurrence, sessions)
    context = {
        "gathering": gathering,
        "occurrence": occurrence,
        "rows": rows,
        "placed": [r for r in rows if r["session"].starts_at],
        "unplaced": [r for r in rows if not r["session"].starts_at],
        "columns": columns,
        "schedule": schedule,
        "can_take_part": agenda.agenda_can_take_part(user, occurrence),
        "can_manage": can_manage,
        "propose_form": propose_form or ProposeForm(),
        "rooms_form": rooms_form
        or RoomsForm(initial={"rooms": "\n".join(agenda.room_names(gathering))}),
        "agenda_url": _agenda_url(occurrence),
        "report_in": group_access.report_group_for(user, gathering.group),
    }
    return render(request, "gatherings/agenda_detail.html", context, status=status)


@login_required
@require_POST
def session_propose(request: HttpRequest, slug: str, occurrence_id: int) -> HttpResponse:
    occurrence = _occurrence(request, slug, occurrence_id)
    form = ProposeForm(request.POST)
    if form.is_valid():
        with domain_errors_on(form):
            agenda.session_propose(
                by=request.user,
                occurrence=occurrence,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
            )
            messages.success(request, _("Your session is proposed. Others can show interest."))
            return redirect(_agenda_url(occurrence))
    return _render_agenda(request, occurrence, propose_form=form, status=400)


def _visible_session(
    request: HttpRequest, slug: str, occurrence_id: int, session_id: int
) -> AgendaSession:
    return _session(request, _occurrence(request, slug, occurrence_id), session_id)


def _at_session(session: AgendaSession) -> str:
    return f"{_agenda_url(session.occurrence)}#session-{session.pk}"


@post_action(_visible_session, to=_at_session)
def session_interest(request: HttpRequest, session: AgendaSession) -> str:
    wanted = {"1": True, "0": False}.get(request.POST.get("interested", ""))
    now = agenda.session_interest(person=request.user, session=session, interested=wanted)
    if now:
        return _("You're interested in “%(title)s”.") % {"title": session.title}
    return _("You're no longer down for “%(title)s”.") % {"title": session.title}


@login_required
@require_POST
def session_place(
    request: HttpRequest, slug: str, occurrence_id: int, session_id: int
) -> HttpResponse:
    occurrence = _occurrence(request, slug, occurrence_id)
    session = _session(request, occurrence, session_id)
    form = PlaceForm(
        request.POST,
        prefix=f"s{session.pk}",
        rooms=agenda.room_names(occurrence.gathering),
        zone_name=occurrence.gathering.timezone,
    )
    if form.is_valid():
        zone = zone_named(occurrence.gathering.timezone)
        try:
            starts = local_to_utc(form.cleaned_data["starts"].replace(tzinfo=None), zone, "starts")
            agenda.session_place(
                by=request.user,
                session=session,
                starts_at=starts,
                ends_at=starts + timedelta(minutes=form.cleaned_data["minutes"]),
                room=form.cleaned_data.get("room", ""),
            )
        except NotAllowed as error:
            messages.error(request, error.message)
            return redirect(_agenda_url(occurrence))
        except DomainError as error:
            field = {"starts_at": "starts", "ends_at": "minutes"}.get(error.field, error.field)
            form.add_error(field if field in form.fields else None, error.message)
        else:
            messages.success(
                request, _("“%(title)s” is in the schedule.") % {"title": session.title}
            )
            return redirect(f"{_agenda_url(occurrence)}#session-{session.pk}")
    return _render_agenda(request, occurrence, failed_place=(session.pk, form), status=400)


@post_action(_visible_session, to=lambda session: _agenda_url(session.occurrence))
def session_unplace(request: HttpRequest, session: AgendaSession) -> str:
    agenda.session_unplace(by=request.user, session=session)
    return _("“%(title)s” is out of the schedule.") % {"title": session.title}


@login_required
@require_POST
def agenda_rooms(request: HttpRequest, slug: str, occurrence_id: int) -> HttpResponse:
    occurrence = _occurrence(request, slug, occurrence_id)
    form = RoomsForm(request.POST)
    if form.is_valid():
        with domain_errors_on(form, field=lambda error: "rooms"):
            agenda.agenda_rooms_set(
                by=request.user, gathering=occurrence.gathering, rooms=form.names()
            )
            messages.success(request, _("The rooms are saved."))
            return redirect(_agenda_url(occurrence))
    return _render_agenda(request, occurrence, rooms_form=form, status=400)


def agenda_print(request: HttpRequest, slug: str, occurrence_id: int) -> HttpResponse:
    occurrence = _occurrence(request, slug, occurrence_id)
    columns, schedule = agenda.agenda_schedule(
        occurrence, agenda.agenda_sessions(occurrence, viewer=request.user)
    )
    return render(
        request,
        "gatherings/agenda_print.html",
        {
            "gathering": occurrence.gathering,
            "occurrence": occurrence,
            "columns": columns,
            "schedule": schedule,
        },
    )
