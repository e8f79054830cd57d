"""Reports, actions, responses, hidden content and the audit log of moderation."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ContentKind(models.TextChoices):
    CREW_CALL = "crew_call", _("Crew call")
    AGENDA_SESSION = "agenda_session", _("Agenda session")
    GATHERING = "gathering", _("Gathering")


class ReportStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACTIONED = "actioned", _("Actioned")
    DISMISSED = "dismissed", _("Dismissed")


class ActionKind(models.TextChoices):
    HIDE = "hide", _("Hide content")
    PAUSE = "pause", _("Pause membership")
    REMOVE = "remove", _("Remove from the group")
    SUSPEND = "suspend", _("Suspend the account")


class AuditWhat(models.TextChoices):
    REPORT_MADE = "report_made", _("Report made")
    REPORT_DISMISSED = "report_dismissed", _("Report dismissed")
    ACTION_TAKEN = "action_taken", _("Action taken")
    ACTION_REVERSED = "action_reversed", _("Action reversed")
    RESPONSE_MADE = "response_made", _("Member responded")


def _content_pair(prefix: str = "content") -> Q:
    """A content reference is a kind and an id together, or neither."""
    return Q(**{f"{prefix}_kind": "", f"{prefix}_id__isnull": True}) | (
        ~Q(**{f"{prefix}_kind": ""}) & Q(**{f"{prefix}_id__isnull": False})
    )


class Report(models.Model):
    # Ids, never copied names or emails: deleting an account leaves nothing of it here.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    group = models.ForeignKey(
        "groups.Group", on_delete=models.CASCADE, related_name="moderation_reports"
    )
    about_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    content_kind = models.CharField(
        _("kind of content"), max_length=20, choices=ContentKind.choices, blank=True
    )
    content_id = models.PositiveBigIntegerField(_("content id"), null=True, blank=True)
    reason = models.TextField(_("what happened"), max_length=4000)
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=_content_pair(), name="report_content_pair"),
        ]

    def __str__(self) -> str:
        return f"Report {self.pk} in {self.group_id}"

    def get_absolute_url(self) -> str:
        return reverse("moderation_queue", args=[self.group.slug])


class ModerationAction(models.Model):
    report = models.ForeignKey(
        Report, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    group = models.ForeignKey(
        "groups.Group", on_delete=models.CASCADE, related_name="moderation_actions"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderation_actions"
    )
    kind = models.CharField(max_length=10, choices=ActionKind.choices)
    content_kind = models.CharField(max_length=20, choices=ContentKind.choices, blank=True)
    content_id = models.PositiveBigIntegerField(null=True, blank=True)
    # What the membership was before, so a reversal puts it back: its state, and the hosting
    # role and the end of its term, which leaving the group gives up.
    previous_state = models.CharField(max_length=20, blank=True)
    previous_role = models.CharField(max_length=16, blank=True)
    previous_role_until = models.DateField(null=True, blank=True)
    reason = models.TextField(_("reason"), max_length=4000)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reversed_at = models.DateTimeField(null=True, blank=True)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=_content_pair(), name="action_content_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.person_id} in {self.group_id}"

    def get_absolute_url(self) -> str:
        return reverse("moderation_mine")

    @property
    def is_reversed(self) -> bool:
        return self.reversed_at is not None


class MemberResponse(models.Model):
    action = models.ForeignKey(ModerationAction, on_delete=models.CASCADE, related_name="responses")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("your response"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Response to action {self.action_id}"


class AuditEntry(models.Model):
    """Append-only: who did what, when, to whom. Notes carry ids, never emails."""

    who = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    what = models.CharField(max_length=20, choices=AuditWhat.choices)
    group = models.ForeignKey(
        "groups.Group", on_delete=models.CASCADE, related_name="moderation_log"
    )
    target_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    report = models.ForeignKey(
        Report, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.ForeignKey(
        ModerationAction, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.what} in {self.group_id}"
