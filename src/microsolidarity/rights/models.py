"""A pending account deletion: asked for, waiting out its grace period, cancelled by signing in."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _


class DeletionRequest(models.Model):
    """One per person at a time; the row goes with the account when the deletion is carried out."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deletion_requests"
    )
    requested_at = models.DateTimeField(default=now)
    due_at = models.DateTimeField(_("deleted after"))
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(cancelled_at__isnull=True),
                name="deletion_one_pending_per_person",
            ),
            models.CheckConstraint(
                condition=Q(due_at__gte=models.F("requested_at")),
                name="deletion_due_after_request",
            ),
        ]

    def __str__(self) -> str:
        return f"Deletion of account {self.person_id} due {self.due_at:%Y-%m-%d}"
