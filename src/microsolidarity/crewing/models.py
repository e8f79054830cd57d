"""The crewing loop: calls and formation rounds make crews; cycles of meetings; retrospectives.

A crew is a `groups.Group` of scale crew. Its meetings are occurrences of a
`gatherings.Gathering` in the crew (so calendars, feeds and the call link come for
free); `CrewMeeting` adds what peer coaching needs: the focus person and the host.
Who met whom is read from crew memberships (alumni included), never forgotten.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from microsolidarity.crewing.round_reasons import change_words, reason_words
from microsolidarity.gatherings.models import Gathering, Occurrence
from microsolidarity.groups.models import Group

CONFIDENTIALITY = _(
    "What is shared in the crew stays in the crew. We each speak for ourselves, "
    "listen without fixing, and may pass."
)


class CallsBy(models.TextChoices):
    MEMBERS = "members", _("Any member may call a crew")
    HOSTS = "hosts", _("Only hosts call crews")


class CrewingSettings(models.Model):
    """A congregation's crewing choices; absent means the defaults."""

    congregation = models.OneToOneField(
        Group, on_delete=models.CASCADE, primary_key=True, related_name="crewing_settings"
    )
    calls_by = models.CharField(max_length=16, choices=CallsBy, default=CallsBy.MEMBERS)
    check_in_every_days = models.PositiveSmallIntegerField(
        _("remind active crews to check in every (days)"), default=90
    )

    def __str__(self) -> str:
        return f"Crewing settings of {self.congregation}"


class MeetingTemplate(models.Model):
    """A meeting format as timed steps with roles; Case Clinic ships, hosts add their own."""

    congregation = models.ForeignKey(
        Group, on_delete=models.CASCADE, null=True, blank=True, related_name="meeting_templates"
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    # [{"title": str, "minutes": int, "who": str, "guide": str}, ...]
    steps = models.JSONField(_("steps"), default=list)
    journal_prompt = models.CharField(_("journal prompt afterwards"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def total_minutes(self) -> int:
        return sum(int(step.get("minutes", 0)) for step in self.steps)


class Rhythm(models.TextChoices):
    WEEKLY = "weekly", _("Every week")
    FORTNIGHTLY = "fortnightly", _("Every two weeks")
    MONTHLY = "monthly", _("Every month")


class CallStatus(models.TextChoices):
    OPEN = "open", _("Open")
    FORMED = "formed", _("Crew formed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class CrewCall(models.Model):
    """An invitation to form a crew, posted in a congregation. Calling is never assigning."""

    congregation = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="crew_calls")
    caller = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="crew_calls"
    )
    intention = models.CharField(_("intention"), max_length=200)
    description = models.TextField(_("more about it"), max_length=4000, blank=True)
    rhythm = models.CharField(_("how often"), max_length=16, choices=Rhythm, default=Rhythm.WEEKLY)
    meeting_minutes = models.PositiveSmallIntegerField(_("how long each meeting"), default=75)
    # Weekly windows in the caller's own time zone, like availability.
    preferred_times = models.CharField(_("preferred times"), max_length=500, blank=True)
    timezone = models.CharField(_("time zone of the caller"), max_length=64, default="UTC")
    cycle_ends_on = models.DateField(_("cycle ends on"), null=True, blank=True)
    size_min = models.PositiveSmallIntegerField(_("smallest crew"), default=3)
    size_max = models.PositiveSmallIntegerField(_("largest crew"), default=5)
    agreements = models.TextField(_("agreements"), max_length=2000, default=CONFIDENTIALITY)
    template = models.ForeignKey(
        MeetingTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=16, choices=CallStatus, default=CallStatus.OPEN)
    crew = models.OneToOneField(
        Group, on_delete=models.SET_NULL, null=True, blank=True, related_name="crew_call"
    )
    created_at = models.DateTimeField(default=now)
    # Set by a host's "hide" moderation step: then only the hosts and operators see it, marked.
    hidden_at = models.DateTimeField(_("hidden by the hosts"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(size_min__gte=2) & Q(size_max__gte=models.F("size_min")),
                name="crewcall_sizes_make_sense",
            )
        ]

    def __str__(self) -> str:
        return self.intention

    def get_absolute_url(self) -> str:
        return reverse("crew_call_detail", args=[self.pk])


class InterestState(models.TextChoices):
    INTERESTED = "interested", _("Interested")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class CallInterest(models.Model):
    """Someone's interest in a call. Declines and withdrawals are never shown to others."""

    call = models.ForeignKey(CrewCall, on_delete=models.CASCADE, related_name="interests")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="crew_call_interests"
    )
    message = models.TextField(_("a few words to the caller"), max_length=1000, blank=True)
    state = models.CharField(max_length=16, choices=InterestState, default=InterestState.INTERESTED)
    created_at = models.DateTimeField(default=now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["call", "person"], name="call_interest_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.call}: {self.state}"


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Open for sign-ups")
    RUNNING = "running", _("Forming crews")
    PREVIEW = "preview", _("Proposal ready for the hosts")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")
    FAILED = "failed", _("Failed")


class FormationRound(models.Model):
    """A host gathers everyone who wants a crew, the engine proposes, the host publishes."""

    congregation = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="formation_rounds"
    )
    title = models.CharField(_("title"), max_length=140)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    deadline = models.DateTimeField(_("sign-ups close"))
    size_min = models.PositiveSmallIntegerField(_("smallest crew"), default=3)
    size_max = models.PositiveSmallIntegerField(_("largest crew"), default=4)
    min_common_minutes = models.PositiveSmallIntegerField(
        _("shared weekly time needed (minutes)"), default=60
    )
    meeting_minutes = models.PositiveSmallIntegerField(_("how long each meeting"), default=75)
    first_meeting_after = models.DateField(_("first meetings from"), null=True, blank=True)
    template = models.ForeignKey(
        MeetingTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    seed = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=16, choices=RoundStatus, default=RoundStatus.OPEN)
    # Background formation: a task id, a fraction done and a line for people to read.
    task_id = models.CharField(max_length=64, blank=True)
    progress = models.FloatField(default=0.0)
    progress_note = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    # Bumped on every change of the proposal; publishing names the version it saw.
    proposal_version = models.PositiveIntegerField(default=0)
    total_score = models.FloatField(null=True, blank=True)
    worst_score = models.FloatField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(size_min__gte=2) & Q(size_max__gte=models.F("size_min")),
                name="round_sizes_make_sense",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("round_detail", args=[self.pk])


class RoundEntry(models.Model):
    """Someone in the round, with what they confirmed for it (a snapshot of their profile)."""

    round = models.ForeignKey(FormationRound, on_delete=models.CASCADE, related_name="entries")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="round_entries"
    )
    timezone = models.CharField(max_length=64)
    languages = models.JSONField(default=list)
    interests = models.JSONField(default=list)
    availability = models.TextField(max_length=2000)
    show_to_hosts = models.BooleanField(
        _("hosts may see my name among people looking for a crew"), default=False
    )
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="round_entry_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.round}"


class PinKind(models.TextChoices):
    TOGETHER = "together", _("Together")
    APART = "apart", _("Apart")


class RoundPin(models.Model):
    """A host's pin: these two together, or apart."""

    round = models.ForeignKey(FormationRound, on_delete=models.CASCADE, related_name="pins")
    kind = models.CharField(max_length=16, choices=PinKind)
    first = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "first", "second"], name="round_pin_once"),
            models.CheckConstraint(condition=~Q(first=models.F("second")), name="pin_two_people"),
        ]

    def __str__(self) -> str:
        return f"{self.first} {self.kind} {self.second}"


class ProposedCrew(models.Model):
    round = models.ForeignKey(
        FormationRound, on_delete=models.CASCADE, related_name="proposed_crews"
    )
    number = models.PositiveSmallIntegerField()
    score = models.FloatField(default=0.0)
    is_worst = models.BooleanField(default=False)
    # The engine's "why this crew": shared times (UTC and each member's own), languages, interests.
    explanation = models.JSONField(default=dict)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="ProposedMember", related_name="+"
    )

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="proposed_crew_number"),
        ]

    def __str__(self) -> str:
        return f"Proposed crew {self.number} of {self.round}"


class ProposedMember(models.Model):
    crew = models.ForeignKey(ProposedCrew, on_delete=models.CASCADE, related_name="placements")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    moved_by_host = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["crew", "person"], name="proposed_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.crew}"


class RoundUnplaced(models.Model):
    round = models.ForeignKey(FormationRound, on_delete=models.CASCADE, related_name="unplaced")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=300)
    # The engine's reason code and its data (matching.Unplaced.as_dict()), so the page
    # writes the words in the reader's language; `taken_out` when a host took them out
    # (empty on rows from before that code).
    code = models.CharField(max_length=40, blank=True, default="")
    detail = models.JSONField(blank=True, default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="round_unplaced_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.reason}"

    @property
    def reason_text(self) -> str:
        return (reason_words(self.code, self.detail) if self.code else "") or self.reason

    @property
    def change_text(self) -> str:
        return change_words(self.detail) if self.code else ""


class CycleStatus(models.TextChoices):
    RUNNING = "running", _("Meeting")
    RETROSPECTIVE = "retrospective", _("In retrospective")
    CLOSED = "closed", _("Closed")


class CrewCycle(models.Model):
    """A time-bounded sequence of meetings, one per member as focus, then a retrospective."""

    crew = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="crew_cycles")
    number = models.PositiveSmallIntegerField(default=1)
    template = models.ForeignKey(
        MeetingTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    series = models.OneToOneField(
        Gathering, on_delete=models.SET_NULL, null=True, blank=True, related_name="crew_cycle"
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    status = models.CharField(max_length=16, choices=CycleStatus, default=CycleStatus.RUNNING)
    agreements = models.TextField(max_length=2000, blank=True)
    formation_round = models.ForeignKey(
        FormationRound, on_delete=models.SET_NULL, null=True, blank=True, related_name="cycles"
    )
    call = models.ForeignKey(
        CrewCall, on_delete=models.SET_NULL, null=True, blank=True, related_name="cycles"
    )
    outcome = models.JSONField(default=dict, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["crew", "number"]
        constraints = [
            models.UniqueConstraint(fields=["crew", "number"], name="cycle_number_per_crew"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="cycle_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.crew}, cycle {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("cycle_detail", args=[self.crew.slug, self.number])


class CrewMeeting(models.Model):
    """One meeting of a cycle: an occurrence of the crew's series, with a focus and a host."""

    cycle = models.ForeignKey(CrewCycle, on_delete=models.CASCADE, related_name="meetings")
    occurrence = models.OneToOneField(
        Occurrence, on_delete=models.CASCADE, related_name="crew_meeting"
    )
    number = models.PositiveSmallIntegerField()
    focus = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["cycle", "number"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "number"], name="meeting_number_per_cycle"),
        ]

    def __str__(self) -> str:
        return f"Meeting {self.number} of {self.cycle}"

    def get_absolute_url(self) -> str:
        return reverse(
            "meeting_detail", args=[self.cycle.crew.slug, self.cycle.number, self.number]
        )


class Attendance(models.Model):
    """Who came to a meeting: for the crew's members only."""

    meeting = models.ForeignKey(CrewMeeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    present = models.BooleanField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {'came to' if self.present else 'missed'} {self.meeting}"


class Choice(models.TextChoices):
    CONTINUE = "continue", _("Continue together")
    SPLIT = "split", _("Split: end this crew")
    REFORM = "reform", _("Re-form: I'd like a new crew")
    PAUSE = "pause", _("Pause")


class Retrospective(models.Model):
    """One member's look back at a cycle, and their choice. The crew sees them together."""

    cycle = models.ForeignKey(CrewCycle, on_delete=models.CASCADE, related_name="retrospectives")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="retrospectives"
    )
    worked = models.TextField(_("what worked"), max_length=3000, blank=True)
    did_not = models.TextField(_("what did not"), max_length=3000, blank=True)
    choice = models.CharField(_("what next for me"), max_length=16, choices=Choice)
    share_with_hosts = models.BooleanField(
        _("the congregation's hosts may read this"), default=False
    )
    submitted_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "person"], name="retrospective_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} on {self.cycle}: {self.choice}"


class CrewNudge(models.Model):
    """When a crew was last reminded to check in, so nudges are sent once per period."""

    crew = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="crew_nudge")
    sent_at = models.DateTimeField(default=now)

    def __str__(self) -> str:
        return f"Check-in reminder to {self.crew} at {self.sent_at:%Y-%m-%d}"
