"""Crewing pages: a congregation's crewing (calls, and the hosts' view), calls and formats."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from microsolidarity.crewing import access, calls, cycles, queries
from microsolidarity.crewing.forms import (
    CallForm,
    CrewStartForm,
    InterestForm,
    TemplateForm,
    as_aware,
    templates_for,
)
from microsolidarity.crewing.models import CallInterest, CrewCall
from microsolidarity.crewing.retrospectives import cycles_due_for_retrospective
from microsolidarity.groups import access as group_access
from microsolidarity.groups.models import Group, Scale
from microsolidarity.pages import Done, domain_errors_on, post_action
from microsolidarity.zones import person_zone, weekly_times_in, zone_label


def _congregation(request: HttpRequest, slug: str) -> Group:
    congregation = get_object_or_404(Group, slug=slug, scale=Scale.CONGREGATION)
    if not request.user.has_perm("crewing.use_crewing", congregation):
        raise Http404
    return congregation


def _call(request: HttpRequest, pk: int) -> CrewCall:
    call = get_object_or_404(
        CrewCall.objects.select_related("congregation", "caller", "template", "crew"), pk=pk
    )
    if not request.user.has_perm("crewing.view_call", call):
        raise Http404
    return call


# What a caller writes, the same whether the call is new or edited.
CALL_FIELDS = (
    "intention",
    "description",
    "rhythm",
    "meeting_minutes",
    "preferred_times",
    "caller_timezone",
    "cycle_ends_on",
    "size_min",
    "size_max",
    "agreements",
    "template",
)


def _call_fields(form) -> dict:
    return {name: form.cleaned_data[name] for name in CALL_FIELDS}


@login_required
def congregation_crewing(request: HttpRequest, slug: str) -> HttpResponse:
    congregation = _congregation(request, slug)
    context = {
        "congregation": congregation,
        "calls": queries.open_calls(congregation, request.user),
        "my_calls": queries.calls_of(request.user, congregation),
        "can_post": request.user.has_perm("crewing.post_call", congregation),
        "is_host": request.user.has_perm("crewing.see_host_view", congregation),
        "templates": templates_for(congregation),
    }
    if context["is_host"]:
        context.update(
            {
                "crewless_count": queries.crewless_members(congregation).count(),
                "crewless_shown": queries.crewless_shown_to_hosts(congregation),
                "due": cycles_due_for_retrospective(congregation),
                "shared": queries.shared_retrospectives(congregation)[:20],
                "check_in_days": access.crewing_settings(congregation).check_in_every_days,
            }
        )
    return render(request, "crewing/congregation.html", context)


@login_required
def call_create(request: HttpRequest, slug: str) -> HttpResponse:
    congregation = _congregation(request, slug)
    if not request.user.has_perm("crewing.post_call", congregation):
        messages.info(request, _("In %(name)s, the hosts call crews.") % {"name": congregation})
        return redirect("congregation_crewing", congregation.slug)
    zone = getattr(getattr(request.user, "profile", None), "timezone", "UTC")
    form = CallForm(
        request.POST or None, congregation=congregation, initial={"caller_timezone": zone}
    )
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            call = calls.call_post(
                by=request.user,
                congregation=congregation,
                **_call_fields(form),
            )
            messages.success(request, _("Your call is posted. People can say they're interested."))
            return redirect(call)
    return render(request, "crewing/call_form.html", {"form": form, "congregation": congregation})


@login_required
def call_edit(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call(request, pk)
    if not request.user.has_perm("crewing.answer_call", call):
        raise Http404
    if call.status != "open":
        messages.info(request, _("This call is not open any more, so it stays as it was."))
        return redirect(call)
    form = CallForm(
        request.POST or None,
        congregation=call.congregation,
        initial={
            "intention": call.intention,
            "description": call.description,
            "rhythm": call.rhythm,
            "meeting_minutes": call.meeting_minutes,
            "preferred_times": call.preferred_times,
            "caller_timezone": call.timezone,
            "cycle_ends_on": call.cycle_ends_on,
            "size_min": call.size_min,
            "size_max": call.size_max,
            "agreements": call.agreements,
            "template": call.template,
        },
    )
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            call, changes = calls.call_edit(
                by=request.user,
                call=call,
                **_call_fields(form),
            )
            waiting = calls.waiting_count(call)
            if not changes:
                messages.info(request, _("Nothing changed: the call is as it was."))
            elif waiting:
                messages.success(
                    request,
                    ngettext(
                        "Your call is updated. The %(count)s person interested keeps their "
                        "place and is told what changed.",
                        "Your call is updated. The %(count)s people interested keep their "
                        "place and are told what changed.",
                        waiting,
                    )
                    % {"count": waiting},
                )
            else:
                messages.success(request, _("Your call is updated."))
            return redirect(call)
    return render(
        request,
        "crewing/call_form.html",
        {"form": form, "congregation": call.congregation, "call": call},
    )


@login_required
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call(request, pk)
    is_caller = request.user.has_perm("crewing.answer_call", call)
    mine = CallInterest.objects.filter(call=call, person=request.user).first()
    context = {
        "call": call,
        "is_caller": is_caller,
        "rows": list(access.interest_rows_for(request.user, call)),
        "mine": mine,
        "can_express": request.user.has_perm("crewing.express_interest", call),
        "interest_form": InterestForm(),
        "crew_start_form": CrewStartForm(),
        "people_count": calls.accepted_count(call) + 1,
        "report_in": group_access.report_group_for(request.user, call.congregation),
        # The caller wrote the times in their zone; each reader sees them in their own.
        "times_for_me": weekly_times_in(
            call.preferred_times,
            written_in=call.timezone,
            read_in=person_zone(request.user).key,
            week_of=timezone.localdate(),
        ),
        "call_zone_label": zone_label(call.timezone),
    }
    if is_caller and call.status == "open":
        suggested = calls.first_meeting_suggest(call)
        context["suggested"] = suggested
    return render(request, "crewing/call_detail.html", context)


@post_action(_call)
def call_interest(request: HttpRequest, call: CrewCall) -> str:
    form = InterestForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    calls.interest_express(person=request.user, call=call, message=message)
    return _("The caller knows you're interested.")


@post_action(_call)
def call_interest_withdraw(request: HttpRequest, call: CrewCall) -> str:
    calls.interest_withdraw(person=request.user, call=call)
    return _("Withdrawn. Nobody else is shown that you did.")


@post_action(_call)
def call_answer(request: HttpRequest, call: CrewCall, interest_id: int) -> None:
    interest = get_object_or_404(CallInterest, pk=interest_id, call=call)
    answer = request.POST.get("answer")
    if answer == "accept":
        calls.interest_accept(by=request.user, interest=interest)
    elif answer == "decline":
        calls.interest_decline(by=request.user, interest=interest)
    else:
        raise Http404


@post_action(_call)
def call_crew_start(request: HttpRequest, call: CrewCall) -> Done | None:
    form = CrewStartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the first meeting's time and the call link."))
        return None
    data = form.cleaned_data
    crew = calls.call_crew_start(
        by=request.user,
        call=call,
        name=data["name"],
        call_link=data["call_link"],
        first_meeting_at=as_aware(data["first_meeting_at"], call.timezone),
    )
    cycle = cycles.cycle_current(crew)
    return Done(
        _("Your crew is formed. Everyone has their meetings by email."),
        to=cycle if cycle is not None else crew,
    )


@post_action(_call, to=lambda call: reverse("congregation_crewing", args=[call.congregation.slug]))
def call_withdraw(request: HttpRequest, call: CrewCall) -> str:
    calls.call_withdraw(by=request.user, call=call)
    return _("The call is withdrawn.")


@login_required
def template_create(request: HttpRequest, slug: str) -> HttpResponse:
    congregation = _congregation(request, slug)
    if not request.user.has_perm("crewing.write_templates", congregation):
        raise Http404
    form = TemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with domain_errors_on(form):
            cycles.meeting_template_create(
                by=request.user,
                congregation=congregation,
                name=data["name"],
                description=data["description"],
                steps=data["steps"],
                journal_prompt=data["journal_prompt"],
            )
            messages.success(request, _("The format is ready for calls and rounds."))
            return redirect("congregation_crewing", congregation.slug)
    return render(
        request,
        "crewing/template_form.html",
        {"form": form, "congregation": congregation},
    )
