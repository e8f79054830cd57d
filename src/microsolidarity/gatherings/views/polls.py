"""Time-poll pages: ask a group for a time, answer, close; and find a time from availability."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from microsolidarity.errors import DomainError
from microsolidarity.gatherings import polls
from microsolidarity.gatherings.models import Answer, TimePoll
from microsolidarity.gatherings.poll_forms import (
    CloseForm,
    FindTimeForm,
    PollForm,
    SlotFormSet,
    SuggestionPollForm,
)
from microsolidarity.groups.models import Group
from microsolidarity.pages import post_action


def _member_group(request: HttpRequest, slug: str) -> Group:
    group = get_object_or_404(Group, slug=slug)
    if not request.user.has_perm("groups.view_group", group):
        raise Http404
    if not polls.poll_can_ask(request.user, group):
        raise PermissionDenied(_("Only members of the group can ask it for a time."))
    return group


def _visible_poll(request: HttpRequest, pk: int) -> TimePoll:
    poll = get_object_or_404(
        TimePoll.objects.select_related("group", "created_by", "chosen_slot", "gathering"), pk=pk
    )
    if not polls.poll_can_see(request.user, poll):
        # A poll is its group's business: not visible means not there.
        raise Http404
    return poll


def _slot_error(formset, field: str | None, message: str, rows: list[int]) -> bool:
    """Put a service's refusal next to the slot row it names; False when it names none."""
    if field and field.startswith("slot-"):
        index = int(field.removeprefix("slot-"))
        if index < len(rows):
            formset.forms[rows[index]].add_error(None, message)
            return True
    return False


@login_required
def poll_create(request: HttpRequest, slug: str) -> HttpResponse:
    group = _member_group(request, slug)
    if request.method != "POST":
        form = PollForm(initial={"timezone": timezone.get_current_timezone_name()})
        formset = SlotFormSet(prefix="slots")
        return _render_create(request, group, form, formset)
    data = request.POST.copy()
    if "add_slot" in data:
        total = int(data.get("slots-TOTAL_FORMS") or 0)
        data["slots-TOTAL_FORMS"] = str(min(total + 1, 40))
        form, formset = PollForm(data), SlotFormSet(data, prefix="slots")
        return _render_create(request, group, form, formset)
    form, formset = PollForm(data), SlotFormSet(data, prefix="slots")
    if not (form.is_valid() and formset.is_valid()):
        return _render_create(request, group, form, formset, status=400)
    rows, slots = [], []
    for index, slot_form in enumerate(formset.forms):
        local = slot_form.local_times()
        if local is not None:
            rows.append(index)
            slots.append(polls.SlotInput(*local))
    try:
        poll = polls.poll_create(
            by=request.user,
            group=group,
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
            poll_timezone=form.cleaned_data["timezone"],
            slots=slots,
        )
    except DomainError as error:
        if error.field in form.fields:
            form.add_error(error.field, error.message)
        elif not _slot_error(formset, error.field, error.message, rows):
            form.add_error(None, error.message)
        return _render_create(request, group, form, formset, status=400)
    messages.success(request, _("Your poll is ready: share this page with the group."))
    return redirect(poll)


def _render_create(request, group, form, formset, status: int = 200) -> HttpResponse:
    return render(
        request,
        "gatherings/poll_create.html",
        {"group": group, "form": form, "formset": formset},
        status=status,
    )


def poll_detail(request: HttpRequest, pk: int) -> HttpResponse:
    poll = _visible_poll(request, pk)
    errors: dict[int, str] = {}
    if request.method == "POST":
        answers = {}
        slot_ids = list(poll.slots.values_list("pk", flat=True))
        for slot_id in slot_ids:
            value = request.POST.get(f"slot-{slot_id}")
            if value:
                answers[slot_id] = value
        try:
            polls.poll_answer(person=request.user, poll=poll, answers=answers)
        except DomainError as error:
            messages.error(request, error.message)
            if error.field and error.field.startswith("slot-"):
                errors[int(error.field.removeprefix("slot-"))] = error.message
            return _render_detail(request, poll, errors, status=400)
        messages.success(request, _("Thank you: your answers are saved."))
        return redirect(poll)
    return _render_detail(request, poll, errors)


def _render_detail(request, poll: TimePoll, errors: dict[int, str], status: int = 200):
    tallies = polls.poll_results(poll)
    # The tallies name everyone who answered: the viewer's own answers are among them.
    mine = {t.slot.pk: t.answer_of(request.user) for t in tallies}
    mine = {slot: answer for slot, answer in mine.items() if answer is not None}
    best = next((t for t in tallies if t.is_best), None)
    can_close = poll.closed_at is None and polls.poll_can_close(request.user, poll)
    close_form = None
    if can_close:
        close_form = CloseForm(
            slots=[(t.slot.pk, _slot_label(t.slot)) for t in tallies],
            best=best.slot.pk if best else None,
        )
    rows = [
        {"tally": t, "mine": mine.get(t.slot.pk, ""), "error": errors.get(t.slot.pk, "")}
        for t in tallies
    ]
    context = {
        "poll": poll,
        "rows": rows,
        "best": best,
        "answers": Answer.choices,
        "can_close": can_close,
        "close_form": close_form,
        "viewer_timezone": timezone.get_current_timezone_name(),
        "is_open": poll.closed_at is None,
    }
    return render(request, "gatherings/poll_detail.html", context, status=status)


def _slot_label(slot) -> str:
    local = timezone.localtime(slot.starts_at)
    return f"{local:%a %d %b, %H:%M} ({timezone.get_current_timezone_name()})"


@post_action(_visible_poll)
def poll_close(request: HttpRequest, poll: TimePoll) -> str | None:
    slots = list(poll.slots.all())
    form = CloseForm(request.POST, slots=[(s.pk, str(s)) for s in slots])
    if not form.is_valid():
        for error_list in form.errors.values():
            for error in error_list:
                messages.error(request, error)
        return None
    chosen = next(s for s in slots if s.pk == form.cleaned_data["slot"])
    gathering = polls.poll_close(
        by=request.user, poll=poll, slot=chosen, capacity=form.cleaned_data["capacity"]
    )
    return _("The poll is closed and %(title)s is scheduled.") % {"title": gathering.title}


@login_required
def poll_list(request: HttpRequest, slug: str) -> HttpResponse:
    group = _member_group(request, slug)
    group_polls = group.time_polls.select_related("created_by", "gathering").order_by(
        "closed_at", "-created_at"
    )
    return render(request, "gatherings/poll_list.html", {"group": group, "polls": group_polls})


@login_required
def poll_find_time(request: HttpRequest, slug: str) -> HttpResponse:
    group = _member_group(request, slug)
    if request.method == "POST":
        return _poll_from_suggestions(request, group)
    form = FindTimeForm(request.GET or None)
    suggestions, shared, total = [], 0, 0
    week = timezone.localdate() + timedelta(days=7)
    duration = timedelta(hours=1)
    if form.is_bound and form.is_valid():
        week = form.cleaned_data["week"] or week
        duration = form.duration_delta()
    elif not form.is_bound:
        form = FindTimeForm(initial={"week": week, "duration": 60})
    if not form.errors:
        suggestions, shared, total = polls.time_suggest(group=group, week=week, duration=duration)
    return render(
        request,
        "gatherings/poll_find_time.html",
        {
            "group": group,
            "form": form,
            "suggestions": suggestions,
            "shared": shared,
            "total": total,
            "duration_minutes": int(duration.total_seconds() // 60),
            "monday": polls.week_monday(week),
            "poll_form": SuggestionPollForm(
                initial={"duration": int(duration.total_seconds() // 60)}
            ),
        },
    )


def _poll_from_suggestions(request: HttpRequest, group: Group) -> HttpResponse:
    form = SuggestionPollForm(request.POST)
    if not form.is_valid():
        for error in form.non_field_errors():
            messages.error(request, error)
        for error in form.errors.get("title", []):
            messages.error(request, _("What it is for: %(error)s") % {"error": error})
        return redirect("poll_find_time", group.slug)
    length = timedelta(minutes=form.cleaned_data["duration"])
    try:
        poll = polls.poll_create(
            by=request.user,
            group=group,
            title=form.cleaned_data["title"],
            poll_timezone=timezone.get_current_timezone_name(),
            slots=[polls.SlotInput(s, s + length) for s in form.cleaned_data["starts"]],
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("poll_find_time", group.slug)
    messages.success(request, _("Your poll is ready: share this page with the group."))
    return redirect(poll)
