"""Contributions (pages, pledges, the ledger, camp budgets), volunteer role slots with
buddies, and the lending bookshelf.

Amounts are django-money fields: an amount and its currency side by side, never a bare
number whose currency someone has to guess.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField

from microsolidarity.gatherings.models import Gathering, Occurrence
from microsolidarity.groups.models import Group

DEFAULT_CURRENCY = "EUR"
MONEY = {"max_digits": 12, "decimal_places": 2, "default_currency": DEFAULT_CURRENCY}


# Contributions ------------------------------------------------------------------------


class ContributionPage(models.Model):
    """What a congregation (or the network) asks for, and where to give it."""

    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="contribution_page")
    intro = models.TextField(_("why we ask"), max_length=4000, blank=True)
    # [{"label": "Open Collective", "url": "https://..."}]: any platform, not only one.
    links = models.JSONField(_("where to give"), default=list, blank=True)
    sliding_scale = models.TextField(
        _("sliding-scale note"),
        max_length=2000,
        blank=True,
        help_text=_("For example: give what you can; if money is tight, your time counts too."),
    )
    currency = models.CharField(_("currency"), max_length=3, default=DEFAULT_CURRENCY)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Contributions to {self.group}"

    def get_absolute_url(self) -> str:
        return reverse("contribute", args=[self.group.slug])


class Rhythm(models.TextChoices):
    ONCE = "once", _("Once")
    MONTHLY = "monthly", _("Every month")
    YEARLY = "yearly", _("Every year")


class ContributionTier(models.Model):
    page = models.ForeignKey(ContributionPage, on_delete=models.CASCADE, related_name="tiers")
    name = models.CharField(_("name"), max_length=80)
    amount = MoneyField(_("amount"), **MONEY)
    rhythm = models.CharField(_("rhythm"), max_length=16, choices=Rhythm, default=Rhythm.MONTHLY)
    description = models.CharField(_("description"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "amount", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="tier_amount_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class Treasurer(models.Model):
    """Who keeps a group's money: sees every pledge and imports the ledger."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="treasurers")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="treasurer_of"
    )
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    appointed_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "person"], name="treasurer_once_per_group")
        ]

    def __str__(self) -> str:
        return f"{self.person} keeps the money of {self.group}"


class Pledge(models.Model):
    """A member's promise to give: private to the treasurers unless the member lists it."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="pledges")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pledges"
    )
    amount = MoneyField(_("amount"), **MONEY)
    rhythm = models.CharField(_("rhythm"), max_length=16, choices=Rhythm, default=Rhythm.MONTHLY)
    listed = models.BooleanField(_("list my name and amount on the contribute page"), default=False)
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(auto_now=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="pledge_amount_positive"),
            models.UniqueConstraint(
                fields=["group", "person"],
                condition=Q(ended_at__isnull=True),
                name="pledge_one_open_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} pledges {self.amount} {self.rhythm} to {self.group}"


class Direction(models.TextChoices):
    INCOME = "income", _("Income")
    SPENDING = "spending", _("Spending")


class LedgerEntry(models.Model):
    """One transaction of the group's public ledger, imported from Open Collective."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="ledger_entries")
    # The platform's own id: importing the same export twice finds the same rows.
    transaction_id = models.CharField(max_length=80)
    occurred_at = models.DateTimeField(_("when"))
    direction = models.CharField(_("income or spending"), max_length=16, choices=Direction)
    kind = models.CharField(_("kind"), max_length=40, blank=True)
    amount = MoneyField(_("amount"), **MONEY)
    description = models.CharField(_("description"), max_length=500, blank=True)
    counterparty = models.CharField(_("from or to"), max_length=200, blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    imported_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "transaction_id"], name="ledger_transaction_once"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="ledger_amount_not_negative"),
        ]
        indexes = [models.Index(fields=["group", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.direction} {self.amount} ({self.transaction_id})"


class CampBudget(models.Model):
    """What a camp costs, set against the ledger entries tagged for it."""

    gathering = models.OneToOneField(Gathering, on_delete=models.CASCADE, related_name="budget")
    amount = MoneyField(_("budget"), **MONEY)
    # Entries carrying this tag (Open Collective's expense tags) count for this camp.
    tag = models.SlugField(_("ledger tag"), max_length=60)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"Budget of {self.gathering}"


# Volunteering -------------------------------------------------------------------------


class VolunteerRole(models.TextChoices):
    WELCOMER = "welcomer", _("Welcomer")
    CALL_HOST = "call_host", _("Call host")
    NOTE_TAKER = "note_taker", _("Note taker")
    KITCHEN = "kitchen", _("Kitchen")
    SETUP = "setup", _("Setting up and clearing away")
    OTHER = "other", _("Other")


class RoleSlot(models.Model):
    """A volunteer role a gathering needs filled: on one occurrence, or on every occurrence
    of its series (a recurring slot)."""

    gathering = models.ForeignKey(Gathering, on_delete=models.CASCADE, related_name="role_slots")
    # Blank: the slot recurs on every occurrence of the series.
    occurrence = models.ForeignKey(
        Occurrence, on_delete=models.CASCADE, null=True, blank=True, related_name="role_slots"
    )
    role = models.CharField(_("role"), max_length=16, choices=VolunteerRole)
    title = models.CharField(
        _("name"), max_length=80, blank=True, help_text=_("Leave blank to use the role's name.")
    )
    count = models.PositiveSmallIntegerField(_("how many people"), default=1)
    description = models.CharField(_("what it involves"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["role", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(count__gte=1) & Q(count__lte=50), name="slot_count_in_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.title or str(VolunteerRole(self.role).label)

    @property
    def recurs(self) -> bool:
        return self.occurrence_id is None


class SignupState(models.TextChoices):
    SIGNED_UP = "signed_up", _("Signed up")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class SlotSignup(models.Model):
    slot = models.ForeignKey(RoleSlot, on_delete=models.CASCADE, related_name="signups")
    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="slot_signups"
    )
    state = models.CharField(max_length=16, choices=SignupState, default=SignupState.SIGNED_UP)
    # Signed up through a recurring slot's "every time" (follows the series).
    from_series = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "occurrence", "person"], name="signup_once_per_occurrence"
            ),
        ]
        indexes = [models.Index(fields=["slot", "occurrence", "state"])]

    def __str__(self) -> str:
        return f"{self.person}: {self.slot} on {self.occurrence_id}"


class BuddyRequest(models.Model):
    """A newcomer asks for someone to welcome them at a gathering; one buddy each."""

    occurrence = models.ForeignKey(
        Occurrence, on_delete=models.CASCADE, related_name="buddy_requests"
    )
    newcomer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="buddy_requests"
    )
    note = models.CharField(_("anything a buddy should know"), max_length=300, blank=True)
    buddy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="buddy_of",
    )
    created_at = models.DateTimeField(default=now)
    matched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["occurrence", "newcomer"], name="buddy_request_once"),
        ]

    def __str__(self) -> str:
        return f"{self.newcomer} asks for a buddy at {self.occurrence_id}"


# Bookshelf ----------------------------------------------------------------------------


class Terms(models.TextChoices):
    LEND = "lend", _("To lend")
    GIVE = "give", _("To give away")


class Copy(models.Model):
    """A book on a congregation's shelf, owned by a member or by the congregation itself."""

    shelf = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="shelf_copies")
    # Blank: the congregation owns it, and its hosts hand it over.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="shelf_copies",
    )
    isbn = models.CharField(_("ISBN"), max_length=13, blank=True, db_index=True)
    title = models.CharField(_("title"), max_length=300)
    author = models.CharField(_("author"), max_length=200, blank=True)
    terms = models.CharField(_("lend or give"), max_length=8, choices=Terms, default=Terms.LEND)
    loan_days = models.PositiveSmallIntegerField(_("lent for how many days"), default=28)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=now)
    # Set when a copy to give away was handed over, or its owner took it off the shelf.
    off_shelf_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["title", "pk"]
        verbose_name_plural = "copies"
        constraints = [
            models.CheckConstraint(
                condition=Q(loan_days__gte=1) & Q(loan_days__lte=365), name="copy_loan_days_range"
            ),
        ]
        indexes = [models.Index(fields=["shelf", "off_shelf_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("copy_detail", args=[self.pk])


class LoanState(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    LENT = "lent", _("Lent")
    RETURNED = "returned", _("Returned")
    GIVEN = "given", _("Given")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Loan(models.Model):
    """A request for a copy: it waits in line, is handed over, and comes back."""

    copy = models.ForeignKey(Copy, on_delete=models.CASCADE, related_name="loans")
    borrower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="loans"
    )
    state = models.CharField(max_length=16, choices=LoanState, default=LoanState.WAITING)
    # Waitlist order, as for RSVPs: the earliest `queued_at` is next.
    queued_at = models.DateTimeField(default=now)
    lent_at = models.DateTimeField(null=True, blank=True)
    due_on = models.DateField(_("due back"), null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["queued_at", "pk"]
        constraints = [
            # The database itself refuses a second open loan of one copy.
            models.UniqueConstraint(
                fields=["copy"], condition=Q(state="lent"), name="loan_one_at_a_time"
            ),
            models.UniqueConstraint(
                fields=["copy", "borrower"],
                condition=Q(state__in=["waiting", "lent"]),
                name="loan_one_open_request_per_person",
            ),
            models.CheckConstraint(
                condition=~Q(state="lent") | Q(due_on__isnull=False), name="loan_lent_has_due"
            ),
        ]
        indexes = [models.Index(fields=["copy", "state", "queued_at"])]

    def __str__(self) -> str:
        return f"{self.borrower}: {self.copy} ({self.state})"


class LoanReminder(models.Model):
    """Makes loan reminders idempotent: one of each kind per loan and day it is about."""

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=16)
    about_day = models.DateField()
    sent_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["loan", "kind", "about_day"], name="loan_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder for loan {self.loan_id}"
