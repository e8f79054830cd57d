"""Pages for pairing: my partner now, opting in and out, program settings, outcomes, check-ins."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from microsolidarity.dyads import links, queries, services
from microsolidarity.dyads.forms import CheckInForm, ProgramForm
from microsolidarity.dyads.models import Outcome, PairingMember, PairingProgram
from microsolidarity.groups import access as group_access
from microsolidarity.groups.models import Group, Scale
from microsolidarity.pages import domain_errors_on, post_action


def _program_group(request: HttpRequest, slug: str) -> Group:
    group = get_object_or_404(Group.objects.exclude(scale=Scale.DYAD), slug=slug)
    user = request.user
    if not (
        user.has_perm("dyads.join_program", group) or user.has_perm("dyads.manage_program", group)
    ):
        raise Http404
    return group


def _program_of(group: Group) -> PairingProgram | None:
    return PairingProgram.objects.filter(group=group).select_related("group").first()


@login_required
def dyads_home(request: HttpRequest) -> HttpResponse:
    person = request.user
    programs = list(queries.programs_for(person))
    hosted = [
        m.group
        for m in person.memberships.filter(state="active").select_related("group")
        if m.is_hosting() and m.group.scale != Scale.DYAD
    ]
    with_program = {p.group_id for p in programs}
    return render(
        request,
        "dyads/home.html",
        {
            "places": queries.current_places(person),
            "waiting": queries.waiting_places(person),
            "programs": [(p, queries.is_opted_in(person, p)) for p in programs],
            "can_start": [g for g in hosted if g.pk not in with_program],
            "Outcome": Outcome,
        },
    )


@login_required
def dyads_program(request: HttpRequest, slug: str) -> HttpResponse:
    group = _program_group(request, slug)
    program = _program_of(group)
    can_manage = request.user.has_perm("dyads.manage_program", group)
    form = None
    if can_manage:
        initial = {"active": True}
        if program is not None:
            initial = {
                "every_weeks": program.every_weeks,
                "prompts": program.prompts,
                "active": program.active,
                "next_round_on": program.next_round_on,
            }
        form = ProgramForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            # The settings page shows a refusal above the form, whichever field it names.
            with domain_errors_on(form, field=lambda error: None):
                services.program_save(by=request.user, group=group, **form.cleaned_data)
                messages.success(request, _("Pairing settings saved."))
                return redirect("dyads_program", slug=group.slug)
    elif request.method == "POST":
        raise Http404
    context = {
        "group": group,
        "program": program,
        "form": form,
        "can_manage": can_manage,
        "opted_in": program is not None and queries.is_opted_in(request.user, program),
        "can_join": request.user.has_perm("dyads.join_program", group),
    }
    if program is not None and can_manage:
        context["rounds"] = queries.rounds_of(program)[:20]
        context["opted_in_count"] = queries.opted_in_count(program)
        context["summaries"] = queries.shared_summaries(program)[:50]
    return render(request, "dyads/program.html", context)


def _program(request: HttpRequest, slug: str) -> PairingProgram:
    program = _program_of(_program_group(request, slug))
    if program is None:
        raise Http404
    return program


@post_action(_program, to="dyads_home", follow_next=True)
def dyads_opt_in(request: HttpRequest, program: PairingProgram) -> str:
    services.pairing_join(person=request.user, program=program)
    return _("You are in: the next round of %(name)s will pair you with someone new.") % {
        "name": program.group.name
    }


@post_action(_program, to="dyads_home", follow_next=True)
def dyads_opt_out(request: HttpRequest, program: PairingProgram) -> str:
    services.pairing_leave(person=request.user, program=program)
    return _("You are out of pairing in %(name)s. You can opt in again at any time.") % {
        "name": program.group.name
    }


@post_action(to="dyads_home")
def dyads_outcome(request: HttpRequest, member_id: int) -> str:
    member = services.outcome_record(
        person=request.user, member_id=member_id, outcome=request.POST.get("outcome", "")
    )
    return _("Thank you: noted as “%(outcome)s”.") % {"outcome": member.get_outcome_display()}


def dyads_outcome_link(request: HttpRequest, token: str) -> HttpResponse:
    """The email's one-click link. A GET only shows the button: mail scanners follow links."""
    read = links.outcome_token_read(token)
    if read is None:
        return render(request, "dyads/outcome_link.html", {"invalid": True}, status=400)
    member_id, outcome = read
    member = get_object_or_404(
        PairingMember.objects.select_related("person", "round__program__group"), pk=member_id
    )
    done = False
    if request.method == "POST":
        services.outcome_record(person=member.person, member_id=member.pk, outcome=outcome)
        done = True
        member.refresh_from_db(fields=["outcome", "outcome_at"])
    return render(
        request,
        "dyads/outcome_link.html",
        {"member": member, "outcome": Outcome(outcome), "done": done, "token": token},
    )


@login_required
def dyads_checkin(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(Group.objects.filter(scale=Scale.DYAD), slug=slug)
    if not rules.test_rule("dyads.read_checkins", request.user, group):
        raise Http404
    can_write = rules.test_rule("dyads.write_checkin", request.user, group)
    form = CheckInForm(request.POST or None) if can_write else None
    if request.method == "POST":
        if not can_write:
            raise Http404
        if form.is_valid():
            with domain_errors_on(form):
                services.checkin_create(author=request.user, group=group, **form.cleaned_data)
                messages.success(request, _("Check-in saved. Only the two of you see it."))
                return redirect("dyads_checkin", slug=group.slug)
    partners = [
        m.person
        for m in group.memberships.filter(state__in=("active", "paused", "alumni")).select_related(
            "person"
        )
        if m.person_id != request.user.pk
    ]
    return render(
        request,
        "dyads/checkin.html",
        {
            "group": group,
            "form": form,
            "partners": partners,
            "trend": queries.balance_trend(group, request.user),
            "is_member": group_access.is_member(request.user, group),
        },
    )
