"""Newsletters with double opt-in, per-person digests, chat rules and signed outbound webhooks.

Every send is a row per recipient (or per endpoint) with its own status, claimed before it
goes out, so a send that stops halfway and is resumed never reaches anyone twice.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from microsolidarity.groups.models import Group


class SubscriptionState(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Subscribed")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
    BOUNCED = "bounced", _("Mail bounced")


class Subscription(models.Model):
    """An address on a group's newsletter; no account needed. Only confirmed ones get mail."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="subscriptions")
    email = models.EmailField(_("email"))
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="newsletter_subscriptions",
    )
    state = models.CharField(max_length=16, choices=SubscriptionState)
    # A random key for the confirm and unsubscribe links; only people holding the mail have it.
    token = models.CharField(max_length=64, unique=True)
    language = models.CharField(max_length=16, default="en")
    created_at = models.DateTimeField(default=now)
    confirm_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    bounced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["group", "email"], name="subscription_once_per_group"),
            models.CheckConstraint(
                condition=~Q(state="confirmed") | Q(confirmed_at__isnull=False),
                name="subscription_confirmed_has_time",
            ),
        ]
        indexes = [models.Index(fields=["group", "state"])]

    def __str__(self) -> str:
        return f"{self.email} on {self.group} ({self.state})"

    def get_absolute_url(self) -> str:
        return reverse("newsletter_subscribe", args=[self.group.slug])


class Segment(models.TextChoices):
    SUBSCRIBERS = "subscribers", _("Everyone subscribed to this newsletter")
    MEMBERS = "members", _("Subscribers who are members of the group")
    FRIENDS = "friends", _("Subscribers who are friends of the congregation")
    NETWORK = "network", _("Everyone subscribed anywhere in the network")


class IssueStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")


class NewsletterIssue(models.Model):
    """One issue of a group's newsletter, written in Markdown."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="newsletter_issues")
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text (Markdown)"), max_length=50000)
    segment = models.CharField(
        _("who receives it"), max_length=16, choices=Segment, default=Segment.SUBSCRIBERS
    )
    status = models.CharField(max_length=16, choices=IssueStatus, default=IssueStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=now)
    send_started_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("newsletter_issue", args=[self.group.slug, self.pk])


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    # Claimed by a sender that stopped before recording the result: never sent again.
    UNCONFIRMED = "unconfirmed", _("Not confirmed (the sender stopped)")
    BOUNCED = "bounced", _("Bounced")
    FAILED = "failed", _("Failed")


class IssueDelivery(models.Model):
    """One recipient of one issue: created when sending starts, claimed once, sent once."""

    issue = models.ForeignKey(NewsletterIssue, on_delete=models.CASCADE, related_name="deliveries")
    subscription = models.ForeignKey(
        Subscription, on_delete=models.SET_NULL, null=True, related_name="deliveries"
    )
    email = models.EmailField()
    status = models.CharField(max_length=16, choices=DeliveryStatus, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "email"], name="delivery_once_per_issue"),
        ]
        indexes = [models.Index(fields=["issue", "status"])]

    def __str__(self) -> str:
        return f"{self.issue} to {self.email}: {self.status}"


class DigestFrequency(models.TextChoices):
    OFF = "off", _("No digest")
    WEEKLY = "weekly", _("Every week (on Monday morning)")
    MONTHLY = "monthly", _("Every month (on the first)")


class DigestPreference(models.Model):
    """A person's choice of digest; absent or off means none (a digest is opt-in)."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="digest_preference",
    )
    frequency = models.CharField(
        _("how often"), max_length=16, choices=DigestFrequency, default=DigestFrequency.OFF
    )
    include_gatherings = models.BooleanField(_("gatherings"), default=True)
    include_calls = models.BooleanField(_("calls"), default=True)
    include_crew_calls = models.BooleanField(_("open crew calls"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Digest of {self.person}: {self.frequency}"


class DigestSent(models.Model):
    """Makes digests idempotent: one per person and period."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=16)
    items = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "period"], name="digest_once_per_period")
        ]

    def __str__(self) -> str:
        return f"Digest {self.period} to {self.person}"


class ChatService(models.TextChoices):
    DISCORD = "discord", _("Discord (channel webhook)")
    MATRIX = "matrix", _("Matrix (room)")


class ChatRule(models.Model):
    """Post a group's new public gatherings (and, if chosen, crew calls) to a chat channel."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="chat_rules")
    service = models.CharField(_("service"), max_length=16, choices=ChatService)
    name = models.CharField(_("name"), max_length=80)
    # Discord: the channel's webhook address. Matrix: the homeserver's address.
    url = models.URLField(_("address"), max_length=500)
    matrix_room = models.CharField(_("Matrix room id"), max_length=255, blank=True)
    matrix_token = models.CharField(_("Matrix access token"), max_length=255, blank=True)
    post_gatherings = models.BooleanField(_("new public gatherings and calls"), default=True)
    post_crew_calls = models.BooleanField(_("new crew calls (no names, no details)"), default=False)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=now)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    last_posted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["group", "name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.service})"


class ChatPost(models.Model):
    """One thing posted by one rule: unique, so an event is never posted twice."""

    rule = models.ForeignKey(ChatRule, on_delete=models.CASCADE, related_name="posts")
    event_type = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField()
    status = models.CharField(max_length=16, choices=DeliveryStatus, default=DeliveryStatus.PENDING)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "event_type", "object_id"], name="chat_post_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.object_id} to {self.rule}"


class WebhookEndpoint(models.Model):
    """A receiver of signed events: a group's (set by its hosts) or the site's (operators)."""

    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, null=True, blank=True, related_name="webhook_endpoints"
    )
    name = models.CharField(_("name"), max_length=80)
    url = models.URLField(_("address"), max_length=500)
    # The Standard Webhooks secret, "whsec_" and base64; shown to its owners to verify with.
    secret = models.CharField(max_length=100)
    event_types = models.JSONField(_("events"), default=list)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class WebhookEvent(models.Model):
    """One event as sent: its payload is built once, public fields only."""

    event_type = models.CharField(max_length=40)
    group = models.ForeignKey(Group, on_delete=models.SET_NULL, null=True, related_name="+")
    payload = models.JSONField()
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.event_type} #{self.pk}"

    @property
    def message_id(self) -> str:
        return f"msg_{self.pk}"


class WebhookDelivery(models.Model):
    """One event to one endpoint, with its retries; each attempt is logged."""

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=16, choices=DeliveryStatus, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event"], name="webhook_delivery_once")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.event} to {self.endpoint}: {self.status}"


class WebhookAttempt(models.Model):
    """The delivery log: what the receiver answered, and when."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="log")
    attempted_at = models.DateTimeField(default=now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["attempted_at", "pk"]

    def __str__(self) -> str:
        return f"Attempt {self.pk} of {self.delivery_id}: {self.status_code or self.error}"
