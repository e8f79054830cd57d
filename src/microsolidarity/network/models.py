"""The network's directory listing, members' map choice, and federation with other servers."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from microsolidarity.gatherings.models import Gathering, Occurrence
from microsolidarity.groups.models import Group


class Listing(models.Model):
    """How a congregation shows in the directory and on the map; no row means not listed."""

    group = models.OneToOneField(
        Group, on_delete=models.CASCADE, primary_key=True, related_name="network_listing"
    )
    listed = models.BooleanField(_("list it in the network's directory"), default=True)
    meets_online = models.BooleanField(_("meets online"), default=False)
    town_geonameid = models.PositiveIntegerField(null=True, blank=True)
    town_name = models.CharField(_("town"), max_length=200, blank=True)
    town_latitude = models.FloatField(null=True, blank=True)
    town_longitude = models.FloatField(null=True, blank=True)
    rhythm = models.CharField(
        _("meeting rhythm"),
        max_length=200,
        blank=True,
        help_text=_("For example: a call every month, a gathering each spring and autumn."),
    )
    contact = models.CharField(
        _("contact"),
        max_length=200,
        blank=True,
        help_text=_("An email address or a web address newcomers can write to."),
    )
    # Public congregations are followable from other servers unless the hosts say no.
    federated = models.BooleanField(_("share with other servers"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("directory listing")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(town_geonameid__isnull=True, town_latitude__isnull=True)
                    | Q(town_geonameid__isnull=False, town_latitude__isnull=False)
                ),
                name="listing_town_has_centroid",
            )
        ]

    def __str__(self) -> str:
        return f"Listing of {self.group}"

    def get_absolute_url(self) -> str:
        return self.group.get_absolute_url()


class MapChoice(models.Model):
    """A member chose to be counted on the map, in their profile's town (never finer)."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    chosen_at = models.DateTimeField(default=now)

    class Meta:
        verbose_name = _("place on the map")

    def __str__(self) -> str:
        return f"{self.person} is counted on the map"


class RemoteServer(models.Model):
    """Another server we have heard from; operators can block it."""

    domain = models.CharField(max_length=255, unique=True)
    blocked_at = models.DateTimeField(null=True, blank=True)
    blocked_reason = models.CharField(_("why"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain

    @property
    def is_blocked(self) -> bool:
        return self.blocked_at is not None


class RemoteActor(models.Model):
    """A person, group or server on another instance, as its actor document described it."""

    uri = models.URLField(max_length=500, unique=True)
    server = models.ForeignKey(RemoteServer, on_delete=models.CASCADE, related_name="actors")
    actor_type = models.CharField(max_length=40)
    preferred_username = models.CharField(max_length=200, blank=True)
    name = models.CharField(max_length=300, blank=True)
    summary = models.TextField(max_length=4000, blank=True)
    url = models.URLField(max_length=500, blank=True)
    inbox = models.URLField(max_length=500)
    shared_inbox = models.URLField(max_length=500, blank=True)
    outbox = models.URLField(max_length=500, blank=True)
    key_id = models.CharField(max_length=500, unique=True)
    public_key_pem = models.TextField(max_length=10000)
    fetched_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["uri"]

    def __str__(self) -> str:
        return self.handle

    @property
    def handle(self) -> str:
        return f"{self.preferred_username or '?'}@{self.server.domain}"

    @property
    def delivery_inbox(self) -> str:
        return self.shared_inbox or self.inbox


class SigningKey(models.Model):
    """The RSA key of one local actor: a group, or the instance itself (group empty)."""

    group = models.OneToOneField(
        Group, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # True on the instance's own key; makes "only one instance key" a plain unique index.
    for_instance = models.BooleanField(default=False)
    private_key_pem = models.TextField()
    public_key_pem = models.TextField()
    created_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["for_instance"],
                condition=Q(for_instance=True),
                name="signingkey_one_instance_key",
            ),
            models.CheckConstraint(
                condition=Q(for_instance=True, group__isnull=True)
                | Q(for_instance=False, group__isnull=False),
                name="signingkey_instance_or_group",
            ),
        ]

    def __str__(self) -> str:
        return f"Key of {self.group or 'the instance'}"


class FollowState(models.TextChoices):
    PENDING = "pending", _("Waiting for an operator")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Refused")


class Follower(models.Model):
    """A remote actor that asked to follow one of our congregations."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="remote_followers")
    actor = models.ForeignKey(RemoteActor, on_delete=models.CASCADE, related_name="follows_here")
    follow_id = models.URLField(max_length=500)
    state = models.CharField(max_length=16, choices=FollowState, default=FollowState.PENDING)
    created_at = models.DateTimeField(default=now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["group", "actor"], name="follower_once_per_group"),
        ]

    def __str__(self) -> str:
        return f"{self.actor} follows {self.group} ({self.state})"


class Following(models.Model):
    """A remote group this instance follows, so its public gatherings show here."""

    actor = models.OneToOneField(RemoteActor, on_delete=models.CASCADE, related_name="following")
    follow_id = models.URLField(max_length=500, unique=True)
    state = models.CharField(max_length=16, choices=FollowState, default=FollowState.PENDING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=now)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Following {self.actor} ({self.state})"


class RemoteEvent(models.Model):
    """A public gathering of a followed remote group, shown here marked as remote."""

    uri = models.URLField(max_length=500, unique=True)
    actor = models.ForeignKey(RemoteActor, on_delete=models.CASCADE, related_name="events")
    name = models.CharField(max_length=300)
    summary = models.TextField(max_length=8000, blank=True)
    url = models.URLField(max_length=500, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    timezone = models.CharField(max_length=64, blank=True)
    is_online = models.BooleanField(default=False)
    place = models.CharField(max_length=300, blank=True)
    cancelled = models.BooleanField(default=False)
    received_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["starts_at"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return self.url or self.uri


class Published(models.Model):
    """One occurrence we shared, with a digest of what we sent, to send only what changed."""

    uri = models.URLField(max_length=500, unique=True)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    gathering = models.ForeignKey(
        Gathering, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    occurrence = models.ForeignKey(
        Occurrence, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    digest = models.CharField(max_length=64)
    sent_at = models.DateTimeField(default=now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["group", "withdrawn_at"])]

    def __str__(self) -> str:
        return self.uri


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENT = "sent", _("Sent")
    GAVE_UP = "gave_up", _("Gave up")


class Delivery(models.Model):
    """One activity to one inbox, retried with growing waits until it lands or we give up."""

    inbox = models.URLField(max_length=500)
    activity = models.JSONField()
    # The local actor that signs it: a group, or the instance (empty).
    signer = models.ForeignKey(
        Group, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    state = models.CharField(max_length=16, choices=DeliveryState, default=DeliveryState.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=now)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.activity.get('type')} to {self.inbox} ({self.state})"


class InboundActivity(models.Model):
    """An activity we received and verified: its id makes a repeated delivery harmless."""

    activity_id = models.URLField(max_length=500, unique=True)
    actor = models.ForeignKey(RemoteActor, on_delete=models.CASCADE, related_name="activities")
    activity_type = models.CharField(max_length=40)
    received_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.activity_type} {self.activity_id}"
