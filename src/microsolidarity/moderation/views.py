"""Pages of moderation: they parse input, call a service, and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from microsolidarity.errors import DomainError
from microsolidarity.groups import access
from microsolidarity.groups.models import Group, Membership
from microsolidarity.moderation import notices, services
from microsolidarity.moderation.audit_words import audit_lines
from microsolidarity.moderation.forms import ActionForm, ReportForm, ResponseForm
from microsolidarity.moderation.models import (
    ActionKind,
    AuditEntry,
    ContentKind,
    ModerationAction,
    Report,
    ReportStatus,
)
from microsolidarity.pages import domain_errors_on, post_action
from microsolidarity.people.models import Person


def _int(raw: str | None) -> int | None:
    try:
        return int(raw) if raw else None
    except ValueError:
        return None


def _hosted_group(request: HttpRequest, slug: str) -> Group:
    group = get_object_or_404(Group, slug=slug)
    if not access.can_manage(request.user, group):
        raise PermissionDenied
    return group


def _above_the_form(error: DomainError) -> None:
    """A report's or a step's refusal is about the whole of it: shown above the form."""
    return None


def _people_to_report(group: Group, reporter):
    """Whom a report can name when the link named no one: the group's members but oneself."""
    members = Membership.objects.filter(group=group, state__in=Membership.MEMBER_STATES)
    return (
        Person.objects.filter(pk__in=members.values("person"))
        .exclude(pk=reporter.pk)
        .order_by("display_name", "pk")
    )


@login_required
def report_new(request: HttpRequest) -> HttpResponse:
    """?group=<slug>&person=<id>&kind=<content kind>&id=<content id>"""
    params = request.POST if request.method == "POST" else request.GET
    group = Group.objects.filter(slug=params.get("group", "")).first()
    if group is None or not access.is_member(request.user, group):
        raise Http404
    person_id = _int(params.get("person"))
    about = Person.objects.filter(pk=person_id).first() if person_id else None
    kind = params.get("kind", "")
    kind = kind if kind in ContentKind.values else ""
    content_id = _int(params.get("id")) if kind else None
    content = services.contents_shown([(kind, content_id)]).get((kind, content_id))
    if kind and content is None:
        raise Http404
    people = _people_to_report(group, request.user) if about is None and not kind else None
    form = ReportForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form, field=_above_the_form):
            services.report_create(
                reporter=request.user,
                group=group,
                about_person=form.cleaned_data.get("about") or about,
                content_kind=kind,
                content_id=content_id,
                reason=form.cleaned_data["reason"],
            )
            messages.success(
                request,
                _("Thank you. The hosts of %(name)s will read your report.") % {"name": group.name},
            )
            return redirect(content.url if content is not None else group.get_absolute_url())
    context = {
        "form": form,
        "group": group,
        "about": about,
        "kind": kind,
        "kind_label": ContentKind(kind).label if kind else "",
        "content_id": content_id,
        "content": content,
    }
    return render(request, "moderation/report.html", context)


@login_required
def queue(request: HttpRequest, slug: str) -> HttpResponse:
    group = _hosted_group(request, slug)
    reports = Report.objects.filter(group=group).select_related("reporter", "about_person")
    actions = (
        ModerationAction.objects.filter(group=group)
        .select_related("person", "by", "reversed_by")
        .prefetch_related("responses")
    )
    reports, actions = list(reports[:200]), list(actions[:200])
    shown = services.contents_shown(
        [(row.content_kind, row.content_id) for row in [*reports, *actions]]
    )
    for row in [*reports, *actions]:
        row.content = shown.get((row.content_kind, row.content_id))
    context = {
        "group": group,
        "open_reports": [r for r in reports if r.status == ReportStatus.OPEN],
        "closed_reports": [r for r in reports if r.status != ReportStatus.OPEN],
        "actions": actions,
        "is_staff": request.user.is_staff,
    }
    return render(request, "moderation/queue.html", context)


@login_required
def act(request: HttpRequest, slug: str) -> HttpResponse:
    """?person=<id> or ?report=<id>: the host chooses a step and gives a reason."""
    group = _hosted_group(request, slug)
    params = request.POST if request.method == "POST" else request.GET
    report_id = _int(params.get("report"))
    report = (
        get_object_or_404(Report.objects.select_related("about_person"), pk=report_id, group=group)
        if report_id
        else None
    )
    person_id = _int(params.get("person"))
    person = report.about_person if report is not None and report.about_person else None
    if person_id:
        person = get_object_or_404(Person, pk=person_id)
    if person is None:
        raise Http404
    can_hide = report is not None and bool(report.content_kind)
    form = ActionForm(request.POST or None, staff=request.user.is_staff, can_hide=can_hide)
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form, field=_above_the_form):
            services.action_take(
                by=request.user,
                group=group,
                person=person,
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
                report=report,
            )
            messages.success(request, _("Done. %(person)s is told by email.") % {"person": person})
            return redirect("moderation_queue", group.slug)
    context = {"group": group, "report": report, "person": person, "form": form}
    return render(request, "moderation/act.html", context)


@login_required
@require_POST
def dismiss(request: HttpRequest, slug: str, report_id: int) -> HttpResponse:
    group = _hosted_group(request, slug)
    report = get_object_or_404(Report, pk=report_id, group=group)
    services.report_dismiss(by=request.user, report=report)
    messages.success(request, _("The report is dismissed."))
    return redirect("moderation_queue", group.slug)


def _hosted_action(request: HttpRequest, slug: str, action_id: int) -> ModerationAction:
    group = _hosted_group(request, slug)
    action = get_object_or_404(ModerationAction, pk=action_id, group=group)
    action.group = group
    return action


@post_action(
    _hosted_action, to=lambda action: reverse("moderation_queue", args=[action.group.slug])
)
def undo(request: HttpRequest, action: ModerationAction) -> str:
    services.action_reverse(by=request.user, action=action)
    return _("The step is undone, and the member is told.")


@login_required
def log(request: HttpRequest, slug: str) -> HttpResponse:
    group = _hosted_group(request, slug)
    entries = AuditEntry.objects.filter(group=group).select_related(
        "who", "target_person", "action", "report"
    )[:500]
    return render(request, "moderation/log.html", {"group": group, "lines": audit_lines(entries)})


def _actions_about(person) -> list[ModerationAction]:
    actions = list(
        ModerationAction.objects.filter(person=person)
        .select_related("group")
        .prefetch_related("responses")
    )
    shown = services.contents_shown([(a.content_kind, a.content_id) for a in actions])
    for action in actions:
        action.content = shown.get((action.content_kind, action.content_id))
    return actions


def _respond(request: HttpRequest, person, action: ModerationAction) -> None:
    form = ResponseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write your response first."))
        return
    try:
        services.response_create(person=person, action=action, text=form.cleaned_data["text"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Your response is with the hosts of %(name)s.") % {"name": action.group.name},
        )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """Every step about me, paused or removed alike, with a form to respond to each."""
    return render(
        request,
        "moderation/mine.html",
        {"actions": _actions_about(request.user), "suspend": ActionKind.SUSPEND},
    )


@login_required
@require_POST
def respond(request: HttpRequest, action_id: int) -> HttpResponse:
    action = get_object_or_404(
        ModerationAction.objects.select_related("group"), pk=action_id, person=request.user
    )
    _respond(request, request.user, action)
    return redirect("moderation_mine")


def notice(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link for a suspended member, who cannot sign in: read the steps and respond.

    The signed token names the person; it reaches only their own notices, for MAX_AGE days.
    """
    person_id = notices.notice_token_read(token)
    person = Person.objects.filter(pk=person_id).first() if person_id is not None else None
    if person is None:
        return render(request, "moderation/notice_invalid.html", status=400)
    if request.method == "POST":
        action = get_object_or_404(
            ModerationAction.objects.select_related("group"),
            pk=_int(request.POST.get("action")) or 0,
            person=person,
        )
        _respond(request, person, action)
        return redirect("moderation_notice", token)
    context = {"actions": _actions_about(person), "token": token, "person": person}
    return render(request, "moderation/mine.html", context)
