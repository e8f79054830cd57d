"""Crewing pages: a crew's cycles, its meetings, attendance, retrospectives, leaving."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from microsolidarity.crewing import access, cycles, queries, retrospective_outcomes, retrospectives
from microsolidarity.crewing.forms import RetrospectiveForm
from microsolidarity.crewing.models import Attendance, CrewCycle, CrewMeeting, Retrospective
from microsolidarity.gatherings.access import can_see_call_link
from microsolidarity.groups.models import Group, Scale
from microsolidarity.pages import Done, post_action

# The journal's own prompt for after a crew meeting (journal.prompts.Prompt.AFTER_CREW).
JOURNAL_PROMPT = "after_crew"


def _crew(request: HttpRequest, slug: str) -> Group:
    crew = get_object_or_404(Group.objects.select_related("parent"), slug=slug, scale=Scale.CREW)
    if not request.user.is_authenticated:
        raise Http404
    return crew


def _cycle(request: HttpRequest, slug: str, number: int) -> CrewCycle:
    crew = _crew(request, slug)
    cycle = get_object_or_404(
        CrewCycle.objects.select_related("crew", "crew__parent", "series", "template"),
        crew=crew,
        number=number,
    )
    if not request.user.has_perm("crewing.see_cycle", cycle):
        # Private to the crew: not visible means not there.
        raise Http404
    return cycle


def _meeting(request: HttpRequest, slug: str, number: int, meeting: int) -> CrewMeeting:
    cycle = _cycle(request, slug, number)
    found = get_object_or_404(CrewMeeting, cycle=cycle, number=meeting)
    found.cycle = cycle
    return found


def _journal_link(meeting: CrewMeeting) -> str:
    try:
        base = reverse("journal_entry_create")
    except NoReverseMatch:
        return ""
    return base + "?" + urlencode({"prompt": JOURNAL_PROMPT, "group": meeting.cycle.crew_id})


@login_required
def crew_cycles(request: HttpRequest, slug: str) -> HttpResponse:
    crew = _crew(request, slug)
    latest = queries.crew_cycles(crew).first()
    if latest is not None and request.user.has_perm("crewing.see_cycle", latest):
        return redirect(latest)
    raise Http404


@login_required
def cycle_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    cycle = _cycle(request, slug, number)
    meetings = queries.cycle_meetings(cycle)
    mine = Retrospective.objects.filter(cycle=cycle, person=request.user).first()
    revealed = access.results_revealed(cycle)
    retrospective_open = retrospectives.retrospective_is_open(cycle)
    form = None
    if retrospective_open and request.user.has_perm("crewing.write_retrospective", cycle):
        initial = (
            {
                "worked": mine.worked,
                "did_not": mine.did_not,
                "choice": mine.choice,
                "share_with_hosts": mine.share_with_hosts,
            }
            if mine
            else None
        )
        form = RetrospectiveForm(initial=initial)
    context = {
        "crew": cycle.crew,
        "cycle": cycle,
        "meetings": meetings,
        "cycles": queries.crew_cycles(cycle.crew),
        "retrospective_form": form,
        "mine": mine,
        "revealed": revealed,
        "answered": cycle.retrospectives.count(),
        "retrospectives": (list(cycle.retrospectives.select_related("person")) if revealed else []),
        "outcome_text": retrospective_outcomes.outcome_text(cycle.outcome) if revealed else "",
        "can_close": (
            not revealed
            and access.is_crew_member(request.user, cycle.crew)
            and retrospective_open
            and timezone.localdate() >= cycle.ends_on
        ),
        "can_leave": request.user.has_perm("crewing.leave_crew", cycle.crew),
        "now": timezone.now(),
        "show_call_link": cycle.series is not None
        and can_see_call_link(request.user, cycle.series),
    }
    return render(request, "crewing/cycle_detail.html", context)


@login_required
def meeting_detail(request: HttpRequest, slug: str, number: int, meeting: int) -> HttpResponse:
    cycle = _cycle(request, slug, number)
    found = get_object_or_404(
        CrewMeeting.objects.select_related("occurrence", "focus", "host"),
        cycle=cycle,
        number=meeting,
    )
    found.cycle = cycle
    members = cycles.active_members(cycle.crew)
    coaches = [p for p in members if p.pk not in (found.focus_id, found.host_id)]
    attendance = {row.person_id: row.present for row in Attendance.objects.filter(meeting=found)}
    begun = found.occurrence.starts_at <= timezone.now()
    return render(
        request,
        "crewing/meeting_detail.html",
        {
            "crew": cycle.crew,
            "cycle": cycle,
            "meeting": found,
            "show_call_link": can_see_call_link(request.user, found.occurrence),
            "steps": queries.meeting_steps(found, coaches),
            "coaches": coaches,
            "members": [(p, attendance.get(p.pk)) for p in members],
            "attendance_recorded": bool(attendance),
            "can_record": begun and request.user.has_perm("crewing.record_attendance", found),
            "begun": begun,
            "journal_link": _journal_link(found) if begun else "",
            "journal_prompt": cycle.template.journal_prompt if cycle.template else "",
        },
    )


@post_action(_meeting)
def meeting_attendance(request: HttpRequest, found: CrewMeeting) -> str:
    cycles.attendance_record(
        by=request.user, meeting=found, present_ids=request.POST.getlist("present")
    )
    return _("Attendance saved. Only the crew sees it.")


@post_action(_cycle)
def retrospective_submit(request: HttpRequest, cycle: CrewCycle) -> str | None:
    form = RetrospectiveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what comes next for you."))
        return None
    retrospectives.retrospective_submit(person=request.user, cycle=cycle, **form.cleaned_data)
    cycle.refresh_from_db()
    if cycle.closed_at is not None:
        return _("Everyone has answered: read the retrospective together.")
    return _("Saved. The crew sees all answers together once everyone has written.")


@post_action(_cycle)
def retrospective_close(request: HttpRequest, cycle: CrewCycle) -> str:
    retrospectives.retrospective_close(by=request.user, cycle=cycle)
    return _("The retrospective is closed and its outcome applied.")


@post_action(_crew, allow="crewing.leave_crew", hidden=True)
def crew_leave(request: HttpRequest, crew: Group) -> Done:
    cycles.crew_leave(person=request.user, crew=crew)
    return Done(
        _("You have left %(crew)s. The others are told, and your meetings are taken care of.")
        % {"crew": crew.name},
        to=reverse("congregation_crewing", args=[crew.parent.slug]),
    )
