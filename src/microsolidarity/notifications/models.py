"""What a person is told (one row each time), how they want to hear of each kind, and which
day's digest went out."""

from django.conf import settings
from django.db import models
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    JOIN_REQUEST = "join_request", _("Someone asks to join a group you host")
    JOIN_APPROVED = "join_approved", _("Your request to join a group is approved")
    CALL_INTEREST = "call_interest", _("Someone shows interest in your crew call")
    POLL_OPENED = "poll_opened", _("A time poll opens in your group")


class Delivery(models.TextChoices):
    EVENT = "event", _("An email each time")
    DIGEST = "digest", _("One email a day with everything new")
    OFF = "off", _("No email: only in the list on this site")


# Someone waits on the first two (a request, a door opening); the others keep a day.
DEFAULT_DELIVERY = {
    Kind.JOIN_REQUEST: Delivery.EVENT,
    Kind.JOIN_APPROVED: Delivery.EVENT,
    Kind.CALL_INTEREST: Delivery.DIGEST,
    Kind.POLL_OPENED: Delivery.DIGEST,
}


class Notification(models.Model):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind)
    # Written once, when it happens: a later rename does not rewrite what someone was told.
    text = models.CharField(_("text"), max_length=300)
    link = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["person", "read_at"])]

    def __str__(self) -> str:
        return f"{self.person}: {self.text}"


class NotificationPreference(models.Model):
    """Only the kinds a person changed have a row; the others follow DEFAULT_DELIVERY."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind)
    delivery = models.CharField(_("email"), max_length=16, choices=Delivery)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="notification_preference_once")
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.kind} by {self.delivery}"


class DigestSent(models.Model):
    """One digest a person a day (their own day): the unique row decides between two runners."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "day"], name="digest_once_a_day")]

    def __str__(self) -> str:
        return f"Digest for {self.person} on {self.day}"
