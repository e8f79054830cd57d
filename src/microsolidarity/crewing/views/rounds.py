"""Crewing pages: formation rounds (open, sign up, preview, pin, move, re-run, publish)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRefresh

from microsolidarity.crewing import round_lifecycle, round_publishing, round_queries, round_runs
from microsolidarity.crewing.models import FormationRound, ProposedCrew, RoundPin, RoundStatus
from microsolidarity.crewing.round_forms import (
    RoundEntryForm,
    RoundMoveForm,
    RoundOpenForm,
    RoundPinForm,
    RoundPublishForm,
    RoundSizesForm,
)
from microsolidarity.groups.models import Group, Scale
from microsolidarity.pages import domain_errors_on, post_action
from microsolidarity.people.models import Person

POLL_SECONDS = 2


def _congregation(request: HttpRequest, slug: str) -> Group:
    group = get_object_or_404(Group, slug=slug, scale=Scale.CONGREGATION)
    if not request.user.has_perm("crewing.see_round", group):
        raise Http404
    return group


def _round(request: HttpRequest, pk: int) -> FormationRound:
    round_ = get_object_or_404(FormationRound.objects.select_related("congregation"), pk=pk)
    if not request.user.has_perm("crewing.see_round", round_.congregation):
        raise Http404
    return round_


def _hosts(person, round_: FormationRound) -> bool:
    return person.has_perm("crewing.host_round", round_.congregation)


@login_required
def round_list(request: HttpRequest, slug: str) -> HttpResponse:
    congregation = _congregation(request, slug)
    return render(
        request,
        "crewing/round_list.html",
        {
            "congregation": congregation,
            "rounds": round_queries.rounds_of(congregation),
            "can_host": request.user.has_perm("crewing.host_round", congregation),
        },
    )


@login_required
def round_create(request: HttpRequest, slug: str) -> HttpResponse:
    congregation = _congregation(request, slug)
    if not request.user.has_perm("crewing.host_round", congregation):
        raise Http404
    form = RoundOpenForm(request.POST or None, congregation=congregation)
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            round_ = round_lifecycle.round_open(
                by=request.user, congregation=congregation, **form.cleaned_data
            )
            messages.success(request, _("The round is open: invite members to sign up."))
            return redirect(round_)
    return render(
        request, "crewing/round_create.html", {"congregation": congregation, "form": form}
    )


def _detail_context(request: HttpRequest, round_: FormationRound) -> dict:
    person = request.user
    is_host = person.has_perm("crewing.host_round", round_.congregation)
    context = {
        "round": round_,
        "congregation": round_.congregation,
        "is_host": is_host,
        "can_join": person.has_perm("crewing.join_round", round_.congregation),
        "entry": round_queries.entry_of(round_, person),
        "my_crew": round_queries.my_crew(round_, person),
        "sign_ups_open": round_.status in round_lifecycle.SIGN_UP_STATES,
        "running": round_.status == RoundStatus.RUNNING,
        "poll_seconds": POLL_SECONDS,
        "progress_percent": round(round_.progress * 100),
    }
    if is_host:
        proposal = round_queries.proposal_for_hosts(round_)
        people = proposal.people
        context.update(
            proposal=proposal,
            entry_count=len(proposal.entries),
            pin_form=RoundPinForm(people=people),
            move_form=RoundMoveForm(
                people=people,
                crews=[view.crew for view in proposal.crews],
                initial={"version": round_.proposal_version},
            ),
            publish_form=RoundPublishForm(initial={"version": round_.proposal_version}),
            sizes_form=RoundSizesForm(
                initial={"size_min": round_.size_min, "size_max": round_.size_max}
            ),
            background=len(proposal.entries) > round_runs.background_above(),
        )
    return context


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    return render(request, "crewing/round_detail.html", _detail_context(request, round_))


@login_required
def round_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress partial that htmx polls; when forming ends, the whole page reloads."""
    round_ = _round(request, pk)
    if request.htmx and round_.status != RoundStatus.RUNNING:
        return HttpResponseClientRefresh()
    return render(
        request,
        "crewing/round_detail.html#progress",
        {
            "round": round_,
            "running": round_.status == RoundStatus.RUNNING,
            "poll_seconds": POLL_SECONDS,
            "progress_percent": round(round_.progress * 100),
        },
    )


@login_required
def round_join(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    if not request.user.has_perm("crewing.join_round", round_.congregation):
        raise Http404
    entry = round_queries.entry_of(round_, request.user)
    form = RoundEntryForm(
        request.POST or None, initial=RoundEntryForm.initial_for(request.user, entry)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with domain_errors_on(form):
            round_lifecycle.round_opt_in(
                person=request.user,
                formation_round=round_,
                timezone_name=data["timezone"],
                languages=data["languages"],
                interests=data["interests"],
                availability=data["availability"],
                show_to_hosts=data["show_to_hosts"],
            )
            messages.success(
                request,
                _("You're in. You'll hear from us when the crews are published.")
                if entry is None
                else _("Your details for this round are updated."),
            )
            return redirect(round_)
    return render(
        request,
        "crewing/round_join.html",
        {"round": round_, "congregation": round_.congregation, "form": form, "entry": entry},
    )


@post_action(_round)
def round_leave(request: HttpRequest, round_: FormationRound) -> str:
    round_lifecycle.round_opt_out(person=request.user, formation_round=round_)
    return _("You have left this round.")


@post_action(_round, allow=_hosts, hidden=True)
def round_propose(request: HttpRequest, round_: FormationRound) -> None:
    formed = round_lifecycle.round_propose(by=request.user, formation_round=round_)
    if formed.status == RoundStatus.PREVIEW:
        messages.success(request, _("A proposal is ready: look it over below."))
    elif formed.status == RoundStatus.FAILED:
        messages.error(request, formed.error)
    else:
        messages.info(request, _("Crews are being formed in the background."))


@post_action(_round, allow=_hosts, hidden=True)
def round_cancel(request: HttpRequest, round_: FormationRound) -> str:
    round_lifecycle.round_cancel(by=request.user, formation_round=round_)
    return _("The round is cancelled.")


def _people(round_: FormationRound) -> list:
    return list(Person.objects.filter(round_entries__round=round_).order_by("display_name"))


@post_action(_round, allow=_hosts, hidden=True)
def round_pin(request: HttpRequest, round_: FormationRound) -> str | None:
    people = _people(round_)
    form = RoundPinForm(request.POST, people=people)
    if not form.is_valid():
        messages.error(request, _("Choose two people and how to pin them."))
        return
    by_pk = {person.pk: person for person in people}
    round_lifecycle.round_pin(
        by=request.user,
        formation_round=round_,
        first=by_pk[form.cleaned_data["first"]],
        second=by_pk[form.cleaned_data["second"]],
        kind=form.cleaned_data["kind"],
    )
    return _("Pinned. Form crews again to apply it.")


@post_action(_round, allow=_hosts, hidden=True)
def round_unpin(request: HttpRequest, round_: FormationRound, pin_id: int) -> str:
    pin = get_object_or_404(RoundPin.objects.select_related("round"), pk=pin_id, round=round_)
    round_lifecycle.round_unpin(by=request.user, pin=pin)
    return _("Pin removed.")


@post_action(_round, allow=_hosts, hidden=True)
def round_move(request: HttpRequest, round_: FormationRound) -> str | None:
    people = _people(round_)
    crews = list(ProposedCrew.objects.filter(round=round_))
    form = RoundMoveForm(request.POST, people=people, crews=crews)
    if not form.is_valid():
        messages.error(request, _("Choose someone and where to move them."))
        return
    to = form.cleaned_data["to"]
    round_lifecycle.round_move(
        by=request.user,
        formation_round=round_,
        person=next(p for p in people if p.pk == form.cleaned_data["person"]),
        to_crew=None if to == RoundMoveForm.OUT else next(c for c in crews if str(c.pk) == to),
        seen_version=form.cleaned_data["version"],
    )
    return _("Moved. The crews it touched are explained again below.")


@post_action(_round, allow=_hosts, hidden=True)
def round_publish(request: HttpRequest, round_: FormationRound) -> str | None:
    form = RoundPublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Reload the page and publish again."))
        return
    round_publishing.round_publish(
        by=request.user, formation_round=round_, seen_version=form.cleaned_data["version"]
    )
    return _("Published: the crews exist and everyone has been emailed.")


@post_action(_round, allow=_hosts, hidden=True)
def round_sizes(request: HttpRequest, round_: FormationRound) -> None:
    form = RoundSizesForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return
    changed = round_lifecycle.round_sizes_change(
        by=request.user,
        formation_round=round_,
        size_min=form.cleaned_data["size_min"],
        size_max=form.cleaned_data["size_max"],
    )
    sizes = _("Crews now have %(min)s to %(max)s people.") % {
        "min": changed.size_min,
        "max": changed.size_max,
    }
    if (
        changed.status == RoundStatus.PREVIEW
        and changed.proposal_version != round_.proposal_version
    ):
        messages.success(request, sizes + " " + _("A new proposal is ready: look it over below."))
    elif changed.status == RoundStatus.RUNNING:
        messages.success(request, sizes + " " + _("Crews are being formed again."))
    elif changed.status == RoundStatus.FAILED:
        messages.error(request, changed.error)
    else:
        messages.success(request, sizes)
