"""Programs (templates of modules), cohorts (one run of a program), seats, and the pathway."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from microsolidarity.gatherings.models import GatheringStatus


class Program(models.Model):
    """A course template, owned by a congregation or a network: modules in order."""

    owner = models.ForeignKey(
        "groups.Group", on_delete=models.CASCADE, related_name="programs", verbose_name=_("owner")
    )
    title = models.CharField(_("title"), max_length=140)
    slug = models.SlugField(max_length=160, unique=True)
    summary = models.CharField(_("in one line"), max_length=300, blank=True)
    weeks = models.PositiveSmallIntegerField(_("how many weeks"), default=2)
    # RFC 5545 BYDAY values ("MO,WE,FR"): the days a cohort meets unless its hosts choose others.
    session_days = models.CharField(_("days sessions usually fall on"), max_length=40, default="TU")
    session_minutes = models.PositiveSmallIntegerField(_("how long each session"), default=90)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weeks__gte=1) & Q(weeks__lte=52), name="program_weeks_in_range"
            ),
            models.CheckConstraint(
                condition=Q(session_minutes__gte=15) & Q(session_minutes__lte=480),
                name="program_session_minutes_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("program_detail", args=[self.slug])


class Module(models.Model):
    """One step of a program: a text, timed practices, readings and a reflection prompt."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="modules")
    number = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=140)
    text = models.TextField(_("text (Markdown)"), max_length=8000, blank=True)
    # Timed steps in crewing's meeting-format shape: {"minutes", "title", "who", "guide"}.
    practices = models.JSONField(_("practices"), default=list, blank=True)
    # Links for now: {"title", "url"}.
    readings = models.JSONField(_("readings"), default=list, blank=True)
    reflection_prompt = models.CharField(_("reflection prompt"), max_length=500, blank=True)

    class Meta:
        ordering = ["program", "number"]
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="module_number_once"),
            models.CheckConstraint(condition=Q(number__gte=1), name="module_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.program}: {self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("program_detail", args=[self.program.slug]) + f"#module-{self.number}"


class Cohort(models.Model):
    """One run of a program: its own group, a session series, seats, breakouts, then crews."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="cohorts")
    # The cohort's people meet as a congregation-scale group of their own: the sessions,
    # the breakout pairs and, at the end, the crews all sit in it (decision 0014-a).
    group = models.OneToOneField("groups.Group", on_delete=models.PROTECT, related_name="cohort")
    series = models.OneToOneField(
        "gatherings.Gathering", on_delete=models.PROTECT, related_name="cohort"
    )
    title = models.CharField(_("title"), max_length=140)
    slug = models.SlugField(max_length=160, unique=True)
    capacity = models.PositiveIntegerField(_("places"))
    application_question = models.CharField(
        _("application question"),
        max_length=500,
        blank=True,
        help_text=_("Leave empty for open sign-up: the first to sign up get the places."),
    )
    contribution_url = models.URLField(_("contribution link"), max_length=500, blank=True)
    contribution_note = models.CharField(
        _("sliding-scale note"),
        max_length=300,
        blank=True,
        help_text=_("For example: pay what you can; write to us if money is a barrier."),
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="cohorts_facilitated", verbose_name=_("facilitators")
    )
    formation_round = models.OneToOneField(
        "crewing.FormationRound",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cohort",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="cohort_capacity_positive")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cohort_detail", args=[self.slug])

    @property
    def is_called_off(self) -> bool:
        """Facilitators call a cohort off by cancelling its session series (gatherings)."""
        return self.series.status == GatheringStatus.CANCELLED


class SeatState(models.TextChoices):
    APPLIED = "applied", _("Applied")
    GOING = "going", _("In the cohort")
    WAITLISTED = "waitlisted", _("On the waiting list")
    DECLINED = "declined", _("Not this time")
    LEFT = "left", _("Left")


class Seat(models.Model):
    """A person's place in a cohort, claimed under the cohort's lock (docs/programs.md)."""

    TAKING = (SeatState.GOING,)
    WAITING = (SeatState.APPLIED, SeatState.WAITLISTED)

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="seats")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cohort_seats"
    )
    state = models.CharField(max_length=16, choices=SeatState)
    answer = models.TextField(_("your answer"), max_length=2000, blank=True)
    # Waiting-list order: the earliest is given the next free place.
    queued_at = models.DateTimeField(default=now)
    joined_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["queued_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "person"], name="seat_once_per_cohort"),
        ]
        indexes = [models.Index(fields=["cohort", "state", "queued_at"])]

    def __str__(self) -> str:
        return f"{self.person}: {self.state} in {self.cohort}"


class PathwayRating(models.Model):
    """One line of a person's private self-assessment; nobody else reads it."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pathway_ratings"
    )
    skill = models.CharField(max_length=40)
    level = models.PositiveSmallIntegerField()
    updated_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["person", "skill"]
        constraints = [
            models.UniqueConstraint(fields=["person", "skill"], name="pathway_rating_once"),
            models.CheckConstraint(condition=Q(level__lte=4), name="pathway_level_zero_to_four"),
        ]

    def __str__(self) -> str:
        return f"Pathway rating {self.pk}"


class PathwayNote(models.Model):
    """A private note beside the self-assessment: where I am, what I want to grow next."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pathway_note"
    )
    text = models.TextField(_("a note to myself"), max_length=4000, blank=True)
    updated_at = models.DateTimeField(default=now)

    def __str__(self) -> str:
        return f"Pathway note {self.pk}"
