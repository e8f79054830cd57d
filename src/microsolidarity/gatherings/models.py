"""Gatherings and their occurrences, RSVPs with a waitlist, feeds, time polls and agendas.

Times are stored in UTC. A gathering also keeps its host's time zone, in which its
recurrence rule is read, so a monthly call stays at 19:30 Berlin time on both
sides of a daylight-saving change.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from microsolidarity.groups.models import Group
from microsolidarity.paths import path_for

DEFAULT_REMINDER_MINUTES = [24 * 60, 60]


def default_reminder_minutes() -> list[int]:
    """A day and an hour before; an empty list means no reminders at all."""
    return list(DEFAULT_REMINDER_MINUTES)


CAMP_QUESTIONS = [
    {"key": "dietary", "label": "Dietary needs", "required": False},
    {"key": "access", "label": "Access needs", "required": False},
    {"key": "arrival", "label": "When you expect to arrive", "required": True},
]


class Kind(models.TextChoices):
    CALL = "call", _("Call")
    GATHERING = "gathering", _("Gathering")
    CAMP = "camp", _("Camp")


class Mode(models.TextChoices):
    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In person")
    BOTH = "both", _("In person and online")


class Audience(models.TextChoices):
    PUBLIC = "public", _("Anyone who can see the group")
    MEMBERS = "members", _("Members of the group")


class CallLinkAudience(models.TextChoices):
    GOING = "going", _("People who said they're going")
    MEMBERS = "members", _("All members of the group")


class GatheringStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class Gathering(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="gatherings")
    title = models.CharField(_("title"), max_length=140)
    slug = models.SlugField(max_length=160, unique=True)
    description = models.TextField(_("description"), max_length=8000, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind, default=Kind.GATHERING)
    mode = models.CharField(_("where"), max_length=16, choices=Mode, default=Mode.ONLINE)
    call_link = models.URLField(_("call link"), max_length=500, blank=True)
    # Never anonymous visitors: a public call link is how strangers walk into a call.
    call_link_audience = models.CharField(
        _("who sees the call link"),
        max_length=16,
        choices=CallLinkAudience,
        default=CallLinkAudience.GOING,
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    town_name = models.CharField(_("town"), max_length=200, blank=True)
    town_latitude = models.FloatField(null=True, blank=True)
    town_longitude = models.FloatField(null=True, blank=True)
    timezone = models.CharField(_("time zone of the hosts"), max_length=64, default="UTC")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    # An RFC 5545 RRULE value without the "RRULE:" prefix, read in `timezone`; blank for one-off.
    recurrence = models.CharField(_("repeats"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(_("seats"), null=True, blank=True)
    rsvp_closes_before = models.DurationField(
        _("RSVPs close this long before the start"), null=True, blank=True
    )
    audience = models.CharField(
        _("who can see it"), max_length=16, choices=Audience, default=Audience.PUBLIC
    )
    hosts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="hosted_gatherings", verbose_name=_("hosts")
    )
    contribution_url = models.URLField(_("contribution link"), max_length=500, blank=True)
    contribution_note = models.CharField(
        _("contribution note"),
        max_length=300,
        blank=True,
        help_text=_("For example: if money is a barrier, write to the hosts."),
    )
    registration_questions = models.JSONField(_("registration questions"), default=list, blank=True)
    rooms = models.JSONField(_("rooms"), default=list, blank=True)
    reminder_minutes = models.JSONField(
        _("reminders, in minutes before the start"), default=default_reminder_minutes, blank=True
    )
    status = models.CharField(
        max_length=16, choices=GatheringStatus, default=GatheringStatus.SCHEDULED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=now)
    # Set by a host's "hide" moderation step: then only the hosts and operators see it, marked.
    hidden_at = models.DateTimeField(_("hidden by the hosts"), null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="gathering_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="gathering_capacity_positive",
            ),
        ]
        indexes = [models.Index(fields=["group", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return path_for("gathering_detail", self.slug)

    @property
    def is_recurring(self) -> bool:
        return bool(self.recurrence)


class OccurrenceStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class Occurrence(models.Model):
    """One time a gathering happens; a one-off gathering has exactly one."""

    gathering = models.ForeignKey(Gathering, on_delete=models.CASCADE, related_name="occurrences")
    # Where the rule put it; stays the same when this one occurrence is moved.
    original_starts_at = models.DateTimeField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(
        max_length=16, choices=OccurrenceStatus, default=OccurrenceStatus.SCHEDULED
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["gathering", "original_starts_at"], name="occurrence_once_per_instance"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="occurrence_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["starts_at"])]

    def __str__(self) -> str:
        return f"{self.gathering} at {self.starts_at:%Y-%m-%d %H:%M} UTC"

    def get_absolute_url(self) -> str:
        return path_for("occurrence_detail", self.gathering.slug, self.pk)

    @property
    def is_moved(self) -> bool:
        return self.starts_at != self.original_starts_at


class RsvpState(models.TextChoices):
    GOING = "going", _("Going")
    WAITLISTED = "waitlisted", _("Waitlisted")
    NOT_GOING = "not_going", _("Not going")


class Rsvp(models.Model):
    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="rsvps")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rsvps"
    )
    state = models.CharField(max_length=16, choices=RsvpState)
    answers = models.JSONField(default=dict, blank=True)
    # Waitlist order: the earliest `queued_at` is promoted first.
    queued_at = models.DateTimeField(default=now)
    from_series = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["queued_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["occurrence", "person"], name="rsvp_once_per_person"),
        ]
        indexes = [models.Index(fields=["occurrence", "state", "queued_at"])]

    def __str__(self) -> str:
        return f"{self.person}: {self.state} for {self.occurrence}"


class SeriesSubscription(models.Model):
    """'Whole series': an RSVP of going for every future occurrence, seats permitting."""

    gathering = models.ForeignKey(Gathering, on_delete=models.CASCADE, related_name="subscriptions")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="series_subscriptions"
    )
    created_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["gathering", "person"], name="subscription_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} follows {self.gathering}"


class ReminderSent(models.Model):
    """Makes reminders idempotent: one per person, occurrence and offset."""

    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    minutes_before = models.PositiveIntegerField()
    sent_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["occurrence", "person", "minutes_before"], name="reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"Reminder {self.minutes_before} min before {self.occurrence} to {self.person}"


class CalendarFeed(models.Model):
    """A person's secret feed address; only a hash of its key is stored."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Calendar feed of {self.person}"


class TimePoll(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="time_polls")
    title = models.CharField(_("what it is for"), max_length=140)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    timezone = models.CharField(_("time zone of the person asking"), max_length=64, default="UTC")
    duration = models.DurationField(_("how long"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=now)
    closes_at = models.DateTimeField(_("answers close"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    chosen_slot = models.ForeignKey(
        "PollSlot", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    gathering = models.OneToOneField(
        Gathering, on_delete=models.SET_NULL, null=True, blank=True, related_name="poll"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return path_for("poll_detail", self.pk)


class PollSlot(models.Model):
    poll = models.ForeignKey(TimePoll, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "starts_at"], name="slot_once_per_poll"),
        ]

    def __str__(self) -> str:
        return f"{self.poll}: {self.starts_at:%Y-%m-%d %H:%M} UTC"


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    IF_NEED_BE = "if_need_be", _("If need be")
    NO = "no", _("No")


class PollAnswer(models.Model):
    slot = models.ForeignKey(PollSlot, on_delete=models.CASCADE, related_name="answers")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="poll_answers"
    )
    answer = models.CharField(max_length=16, choices=Answer)
    answered_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["slot", "person"], name="poll_answer_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.answer}"


class AgendaSession(models.Model):
    """An open-space session proposed by a participant, placed by hosts in a slot and room."""

    occurrence = models.ForeignKey(
        Occurrence, on_delete=models.CASCADE, related_name="agenda_sessions"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=140)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    starts_at = models.DateTimeField(_("slot"), null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    room = models.CharField(_("room"), max_length=80, blank=True)
    interested = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="agenda_interests", blank=True
    )
    created_at = models.DateTimeField(default=now)
    # Set by a host's "hide" moderation step: then only the hosts and operators see it, marked.
    hidden_at = models.DateTimeField(_("hidden by the hosts"), null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "room", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["occurrence", "starts_at", "room"],
                condition=Q(starts_at__isnull=False) & ~Q(room=""),
                name="agenda_one_session_per_room_and_slot",
            )
        ]

    def __str__(self) -> str:
        return self.title
