"""Writes of moderation: report, act, reverse, respond; each one leaves an audit entry."""

from dataclasses import dataclass
from functools import partial

from django.apps import apps
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from microsolidarity.errors import NotAllowed, RuleBroken
from microsolidarity.groups import access
from microsolidarity.groups.models import HOSTING_ROLES, Group, Membership, MembershipState
from microsolidarity.groups.services import membership_leave, membership_reinstate
from microsolidarity.mail import email_send
from microsolidarity.moderation import emails, notices
from microsolidarity.moderation.models import (
    ActionKind,
    AuditEntry,
    AuditWhat,
    ContentKind,
    MemberResponse,
    ModerationAction,
    Report,
    ReportStatus,
)
from microsolidarity.site import absolute_url

CONTENT_MODELS: dict[str, str] = {
    ContentKind.CREW_CALL: "crewing.CrewCall",
    ContentKind.AGENDA_SESSION: "gatherings.AgendaSession",
    ContentKind.GATHERING: "gatherings.Gathering",
}
# Each kind's group (as a path for select_related) and author field: reports go to the hosts
# of that group (or of the group it sits in, for a crew's or a dyad's), and the author is told.
CONTENT_GROUP: dict[str, str] = {
    ContentKind.CREW_CALL: "congregation",
    ContentKind.AGENDA_SESSION: "occurrence__gathering__group",
    ContentKind.GATHERING: "group",
}
CONTENT_AUTHOR: dict[str, str] = {
    ContentKind.CREW_CALL: "caller",
    ContentKind.AGENDA_SESSION: "proposed_by",
    ContentKind.GATHERING: "created_by",
}


@dataclass(frozen=True)
class ContentShown:
    """What a moderation page says about a piece of content: its title and its page."""

    title: str
    url: str
    hidden: bool


def _content_model(kind: str):
    return apps.get_model(CONTENT_MODELS[kind])


def _content(kind: str, content_id: int):
    return (
        _content_model(kind)
        .objects.select_related(CONTENT_GROUP[kind], CONTENT_AUTHOR[kind])
        .filter(pk=content_id)
        .first()
    )


def _content_group(kind: str, content) -> Group:
    group = content
    for step in CONTENT_GROUP[kind].split("__"):
        group = getattr(group, step)
    return group


def is_hidden(kind: str, content_id: int) -> bool:
    """Whether hosts hid this content from everyone but the hosts (and operators)."""
    if kind not in CONTENT_MODELS:
        return False
    return _content_model(kind).objects.filter(pk=content_id, hidden_at__isnull=False).exists()


def contents_shown(pairs) -> dict[tuple[str, int], ContentShown]:
    """Titles and pages of the (kind, id) pairs that still exist, one query per kind."""
    wanted: dict[str, set[int]] = {}
    for kind, content_id in pairs:
        if kind in CONTENT_MODELS and content_id is not None:
            wanted.setdefault(kind, set()).add(content_id)
    shown = {}
    for kind, ids in wanted.items():
        rows = _content_model(kind).objects.filter(pk__in=ids)
        if kind == ContentKind.AGENDA_SESSION:
            rows = rows.select_related("occurrence__gathering")
        for row in rows:
            if kind == ContentKind.AGENDA_SESSION:
                occurrence = row.occurrence
                url = reverse("agenda_detail", args=[occurrence.gathering.slug, occurrence.pk])
                url += f"#session-{row.pk}"
                title = row.title
            else:
                url = row.get_absolute_url()
                title = str(row)
            shown[(kind, row.pk)] = ContentShown(title, url, row.hidden_at is not None)
    return shown


def _audit(
    *, who, what: str, group: Group, target_person=None, report=None, action=None, note: str = ""
) -> AuditEntry:
    return AuditEntry.objects.create(
        who=who,
        what=what,
        group=group,
        target_person=target_person,
        report=report,
        action=action,
        note=note[:200],
    )


def _check_content(kind: str, content_id: int | None, group: Group):
    """The content, checked to exist and to be in this group's care; None when there is none."""
    if not kind and content_id is None:
        return None
    if kind not in CONTENT_MODELS or content_id is None:
        raise RuleBroken(_("That is not something that can be reported."), field="content_kind")
    content = _content(kind, content_id)
    if content is None:
        raise RuleBroken(_("That content no longer exists."), field="content_id")
    content_group = _content_group(kind, content)
    if group.pk not in (content_group.pk, access.moderating_group(content_group).pk):
        raise RuleBroken(
            _("That is not in %(name)s: tell the hosts of the group it is in.")
            % {"name": group.name}
        )
    return content


@transaction.atomic
def report_create(
    *,
    reporter,
    group: Group,
    reason: str,
    about_person=None,
    content_kind: str = "",
    content_id: int | None = None,
) -> Report:
    """Tell the hosts. Nothing else happens, however many reports there are."""
    if not access.is_member(reporter, group):
        raise NotAllowed(
            _("Only members of %(name)s can report to its hosts.") % {"name": group.name}
        )
    reason = reason.strip()
    if not reason:
        raise RuleBroken(_("Say what happened, so the hosts can understand."), field="reason")
    if about_person is None and not content_kind:
        raise RuleBroken(_("Say who or what the report is about."))
    content = _check_content(content_kind, content_id, group)
    if content is not None:
        # About content, the report is about its author, whoever the link named.
        about_person = getattr(content, CONTENT_AUTHOR[content_kind])
        if about_person == reporter:
            raise RuleBroken(_("You cannot report what you wrote yourself."))
    elif about_person == reporter:
        raise RuleBroken(_("You cannot report yourself."))
    elif not Membership.objects.filter(person=about_person, group=group).exists():
        raise RuleBroken(_("That person is not in %(name)s.") % {"name": group.name})
    report = Report.objects.create(
        reporter=reporter,
        group=group,
        about_person=about_person,
        content_kind=content_kind,
        content_id=content_id,
        reason=reason,
    )
    _audit(
        who=reporter,
        what=AuditWhat.REPORT_MADE,
        group=group,
        target_person=about_person,
        report=report,
        note=f"{content_kind} {content_id}" if content_kind else "",
    )
    transaction.on_commit(partial(emails.report_notify_hosts, report_id=report.pk))
    return report


@transaction.atomic
def report_dismiss(*, by, report: Report, note: str = "") -> Report:
    if not access.can_manage(by, report.group):
        raise NotAllowed(
            _("Only the hosts of %(name)s can dismiss reports.") % {"name": report.group.name}
        )
    report.status = ReportStatus.DISMISSED
    report.save(update_fields=["status"])
    _audit(
        who=by,
        what=AuditWhat.REPORT_DISMISSED,
        group=report.group,
        target_person=report.about_person,
        report=report,
        note=note,
    )
    return report


def _membership(person, group: Group) -> Membership | None:
    return Membership.objects.select_for_update().filter(person=person, group=group).first()


def _do(action: ModerationAction) -> None:
    person, group = action.person, action.group
    if action.kind == ActionKind.HIDE:
        if not action.content_kind:
            raise RuleBroken(_("Say which content to hide."), field="kind")
        hidden = (
            _content_model(action.content_kind)
            .objects.filter(pk=action.content_id, hidden_at__isnull=True)
            .update(hidden_at=timezone.now())
        )
        if not hidden:
            raise RuleBroken(_("That content is hidden already."))
    elif action.kind == ActionKind.PAUSE:
        membership = _membership(person, group)
        if membership is None or membership.state != MembershipState.ACTIVE:
            raise RuleBroken(_("Only an active membership can be paused."))
        action.previous_state = membership.state
        membership.state = MembershipState.PAUSED
        membership.save(update_fields=["state"])
    elif action.kind == ActionKind.REMOVE:
        membership = _membership(person, group)
        if membership is None or membership.state not in Membership.MEMBER_STATES:
            raise RuleBroken(_("%(person)s is not a member.") % {"person": person})
        action.previous_state = membership.state
        if membership.role in HOSTING_ROLES:
            action.previous_role = membership.role
            action.previous_role_until = membership.role_until
        membership_leave(person=person, group=group)
    elif action.kind == ActionKind.SUSPEND:
        if not person.is_active:
            raise RuleBroken(_("That account is suspended already."))
        person.is_active = False
        person.save(update_fields=["is_active"])
    access.forget_memberships(person)


def _undo(action: ModerationAction) -> None:
    person, group = action.person, action.group
    if action.kind == ActionKind.HIDE:
        _content_model(action.content_kind).objects.filter(pk=action.content_id).update(
            hidden_at=None
        )
    elif action.kind == ActionKind.PAUSE:
        membership = _membership(person, group)
        if membership is None or membership.state != MembershipState.PAUSED:
            raise RuleBroken(_("The membership has changed since; change it on the group page."))
        membership.state = action.previous_state or MembershipState.ACTIVE
        membership.save(update_fields=["state"])
    elif action.kind == ActionKind.REMOVE:
        # The state, and a hosting role for what is left of its term.
        membership_reinstate(
            person=person,
            group=group,
            state=action.previous_state or MembershipState.ACTIVE,
            role=action.previous_role,
            role_until=action.previous_role_until,
        )
    elif action.kind == ActionKind.SUSPEND:
        person.is_active = True
        person.save(update_fields=["is_active"])
    access.forget_memberships(person)


def _tell(action: ModerationAction, *, reversed_: bool) -> None:
    """Email the member what happened and why, with a link to respond."""
    person = action.person
    link = absolute_url(reverse("moderation_mine"))
    if reversed_:
        subject = _("A moderation step in %(group)s was undone") % {"group": action.group.name}
        body = _(
            "The hosts of %(group)s undid this step: %(kind)s.\n\n"
            "You can see every step about you here: %(link)s\n"
        ) % {"group": action.group.name, "kind": action.get_kind_display(), "link": link}
    else:
        subject = _("The hosts of %(group)s took a moderation step") % {"group": action.group.name}
        if action.kind == ActionKind.SUSPEND:
            # A suspended account cannot sign in: this link opens the notice without it.
            link = absolute_url(notices.notice_url(person.pk))
        body = _(
            "What happened: %(kind)s.\n\nWhy: %(reason)s\n\n"
            "You can tell the hosts your side here: %(link)s\n"
        ) % {"kind": action.get_kind_display(), "reason": action.reason, "link": link}
    transaction.on_commit(partial(email_send, to=[person.email], subject=subject, body=body))


@transaction.atomic
def action_take(
    *,
    by,
    group: Group,
    person,
    kind: str,
    reason: str,
    report: Report | None = None,
    content_kind: str = "",
    content_id: int | None = None,
) -> ModerationAction:
    """A host's graded step; suspending an account is for operators alone."""
    if not access.can_manage(by, group):
        raise NotAllowed(
            _("Only the hosts of %(name)s can take moderation steps.") % {"name": group.name}
        )
    if kind not in ActionKind.values:
        raise RuleBroken(_("Choose one of the steps."), field="kind")
    if kind == ActionKind.SUSPEND and not getattr(by, "is_staff", False):
        raise NotAllowed(_("Only operators can suspend an account."))
    if person == by:
        raise RuleBroken(_("You cannot take a moderation step about yourself."))
    reason = reason.strip()
    if not reason:
        raise RuleBroken(_("Give a reason: the member will read it."), field="reason")
    if report is not None and report.group_id != group.pk:
        raise RuleBroken(_("That report belongs to another group."))
    if report is not None and not content_kind:
        content_kind, content_id = report.content_kind, report.content_id
    if kind != ActionKind.HIDE:
        content_kind, content_id = "", None
    _check_content(content_kind, content_id, group)
    action = ModerationAction.objects.create(
        report=report,
        group=group,
        person=person,
        kind=kind,
        content_kind=content_kind,
        content_id=content_id,
        reason=reason,
        by=by,
    )
    _do(action)
    if action.previous_state:
        action.save(update_fields=["previous_state", "previous_role", "previous_role_until"])
    if report is not None and report.status == ReportStatus.OPEN:
        report.status = ReportStatus.ACTIONED
        report.save(update_fields=["status"])
    _audit(
        who=by,
        what=AuditWhat.ACTION_TAKEN,
        group=group,
        target_person=person,
        report=report,
        action=action,
        note=kind,
    )
    _tell(action, reversed_=False)
    return action


@transaction.atomic
def action_reverse(*, by, action: ModerationAction, note: str = "") -> ModerationAction:
    """Undo a step: what it hid is shown, the membership or account is as it was."""
    action = (
        ModerationAction.objects.select_for_update()
        .select_related("group", "person")
        .get(pk=action.pk)
    )
    if not access.can_manage(by, action.group):
        raise NotAllowed(
            _("Only the hosts of %(name)s can undo moderation steps.") % {"name": action.group.name}
        )
    if action.kind == ActionKind.SUSPEND and not getattr(by, "is_staff", False):
        raise NotAllowed(_("Only operators can lift a suspension."))
    if action.is_reversed:
        raise RuleBroken(_("That step was undone already."))
    _undo(action)
    action.reversed_at = timezone.now()
    action.reversed_by = by
    action.save(update_fields=["reversed_at", "reversed_by"])
    _audit(
        who=by,
        what=AuditWhat.ACTION_REVERSED,
        group=action.group,
        target_person=action.person,
        action=action,
        note=note,
    )
    _tell(action, reversed_=True)
    return action


@transaction.atomic
def response_create(*, person, action: ModerationAction, text: str) -> MemberResponse:
    """The member acted on tells the hosts their side."""
    if action.person_id != getattr(person, "pk", None):
        raise NotAllowed(_("Only the person this step was about can respond to it."))
    text = text.strip()
    if not text:
        raise RuleBroken(_("Write your response first."), field="text")
    response = MemberResponse.objects.create(action=action, person=person, text=text)
    _audit(
        who=person,
        what=AuditWhat.RESPONSE_MADE,
        group=action.group,
        target_person=person,
        action=action,
    )
    return response
