"""Pairing programs, opt-ins, rounds, pairings, each person's outcome, and check-ins."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _


class Every(models.IntegerChoices):
    WEEK = 1, _("Every week")
    TWO_WEEKS = 2, _("Every two weeks")
    FOUR_WEEKS = 4, _("Every four weeks")


class PairingProgram(models.Model):
    """A group's rhythm of pairing rounds, turned on by one of its hosts."""

    group = models.OneToOneField(
        "groups.Group", on_delete=models.CASCADE, related_name="pairing_program"
    )
    every_weeks = models.PositiveSmallIntegerField(
        _("how often"), choices=Every, default=Every.TWO_WEEKS
    )
    prompts = models.TextField(
        _("conversation prompts"),
        max_length=4000,
        blank=True,
        help_text=_("One a line; each round uses the next one."),
    )
    active = models.BooleanField(_("pairing is on"), default=True)
    next_round_on = models.DateField(_("next round starts on"))
    # Rounds since the last reset of "who has met whom" (see docs/dyads.md).
    cycle = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["group__name"]

    def __str__(self) -> str:
        return f"Pairing in {self.group}"

    def get_absolute_url(self) -> str:
        return reverse("dyads_program", args=[self.group.slug])

    def prompt_list(self) -> list[str]:
        return [line.strip() for line in self.prompts.splitlines() if line.strip()]


class PairingOptIn(models.Model):
    """Someone who wants a partner in the program's rounds; opting out ends it (kept as history)."""

    program = models.ForeignKey(PairingProgram, on_delete=models.CASCADE, related_name="opt_ins")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pairing_opt_ins"
    )
    opted_in_at = models.DateTimeField(default=now)
    opted_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["opted_in_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["program", "person"], name="optin_once_per_program")
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.program}"

    @property
    def is_in(self) -> bool:
        return self.opted_out_at is None


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class PairingRound(models.Model):
    program = models.ForeignKey(PairingProgram, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveIntegerField()
    cycle = models.PositiveIntegerField(default=1)
    starts_on = models.DateField()
    ends_on = models.DateField()
    status = models.CharField(max_length=8, choices=RoundStatus, default=RoundStatus.OPEN)
    prompt = models.TextField(blank=True)
    # Who was opted in but could not be placed with someone new (see docs/dyads.md).
    sat_out = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="round_number_once"),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="round_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"Round {self.number} of {self.program}"

    def get_absolute_url(self) -> str:
        return reverse("dyads_program", args=[self.program.group.slug])


class Pairing(models.Model):
    """Two people (or, once per round with an odd count, three) in a dyad Group for a round."""

    round = models.ForeignKey(PairingRound, on_delete=models.CASCADE, related_name="pairings")
    group = models.OneToOneField("groups.Group", on_delete=models.PROTECT, related_name="pairing")
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.group} in round {self.round.number}"

    def get_absolute_url(self) -> str:
        return reverse("dyads_home")


class PairState(models.TextChoices):
    PAIRED = "paired", _("Paired")
    LEFT = "left", _("Opted out during the round")
    PARTNER_LEFT = "partner_left", _("Partner opted out")
    REPAIRED = "repaired", _("Moved to a new partner")


class Outcome(models.TextChoices):
    PENDING = "", _("Not said yet")
    MET = "met", _("We met")
    COULD_NOT = "could_not", _("We couldn't")


class PairingMember(models.Model):
    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="members")
    round = models.ForeignKey(PairingRound, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pairing_places"
    )
    state = models.CharField(max_length=16, choices=PairState, default=PairState.PAIRED)
    outcome = models.CharField(max_length=16, choices=Outcome, blank=True, default="")
    outcome_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["pairing", "person"], name="pairmember_once"),
            models.UniqueConstraint(
                fields=["round", "person"],
                condition=Q(state="paired"),
                name="pairmember_one_partner_per_round",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.pairing}"


class Balance(models.IntegerChoices):
    MOSTLY_ME = 1, _("Mostly me")
    MORE_ME = 2, _("More me")
    EVEN = 3, _("About even")
    MORE_THEM = 4, _("More my partner")
    MOSTLY_THEM = 5, _("Mostly my partner")


class Feeling(models.IntegerChoices):
    HARD = 1, _("Hard")
    UNEASY = 2, _("Uneasy")
    OKAY = 3, _("Okay")
    GOOD = 4, _("Good")
    WONDERFUL = 5, _("Wonderful")


class CheckIn(models.Model):
    """A short reflection on balance in a dyad; readable by the people in it and nobody else."""

    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="check_ins")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="check_ins"
    )
    spoke = models.PositiveSmallIntegerField(_("Who spoke more?"), choices=Balance)
    decided = models.PositiveSmallIntegerField(_("Who decided more?"), choices=Balance)
    carried = models.PositiveSmallIntegerField(_("Who carried the work?"), choices=Balance)
    felt = models.PositiveSmallIntegerField(_("How did it feel?"), choices=Feeling)
    note = models.TextField(_("A note for the two of us"), max_length=2000, blank=True)
    summary = models.TextField(
        _("A summary to share with the hosts (optional)"), max_length=1000, blank=True
    )
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(spoke__range=(1, 5))
                & Q(decided__range=(1, 5))
                & Q(carried__range=(1, 5))
                & Q(felt__range=(1, 5)),
                name="checkin_scales_one_to_five",
            )
        ]
        indexes = [models.Index(fields=["group", "created_at"])]

    def __str__(self) -> str:
        return f"Check-in {self.pk} in {self.group_id}"

    def get_absolute_url(self) -> str:
        return reverse("dyads_checkin", args=[self.group.slug])
