"""Reads for pages, the API and other apps: slots and their places, what I can help with,
the shelf, the evidence of volunteering for the pathway, and copies of a book."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Max, Q
from django.utils import timezone

from microsolidarity.errors import DomainError
from microsolidarity.gatherings import queries as gathering_queries
from microsolidarity.gatherings.models import Gathering, Occurrence, OccurrenceStatus
from microsolidarity.groups import access as group_access
from microsolidarity.groups.models import Group, Membership, MembershipState
from microsolidarity.library.isbns import isbn_clean
from microsolidarity.matching.volunteering import VolunteerRecord, fair_rotation
from microsolidarity.participation import access
from microsolidarity.participation.ledger import LedgerSummary, ledger_summary
from microsolidarity.participation.models import (
    BuddyRequest,
    CampBudget,
    Copy,
    Direction,
    LedgerEntry,
    Loan,
    LoanState,
    Pledge,
    RoleSlot,
    SignupState,
    SlotSignup,
)

OCCURRENCES_ON_PAGE = 6
SUGGESTIONS = 5


# Volunteering ---------------------------------------------------------------------------


@dataclass
class Place:
    """One slot on one date: how many places, who took them, whether I did."""

    slot: RoleSlot
    occurrence: Occurrence
    people: list = field(default_factory=list)
    mine: bool = False

    @property
    def taken(self) -> int:
        return len(self.people)

    @property
    def free(self) -> int:
        return max(self.slot.count - self.taken, 0)


@dataclass
class DateSlots:
    occurrence: Occurrence
    places: list[Place]
    buddy_requests: list[BuddyRequest]
    my_buddy_request: BuddyRequest | None


def slots_for(person, gathering: Gathering, *, limit: int = OCCURRENCES_ON_PAGE) -> list[DateSlots]:
    """The coming dates of a gathering with each role's places; four queries whatever the size."""
    occurrences = list(
        gathering.occurrences.filter(
            ends_at__gte=timezone.now(), status=OccurrenceStatus.SCHEDULED
        ).order_by("starts_at", "pk")[:limit]
    )
    if not occurrences:
        return []
    slots = list(RoleSlot.objects.filter(gathering=gathering))
    signups = SlotSignup.objects.filter(
        slot__gathering=gathering, occurrence__in=occurrences, state=SignupState.SIGNED_UP
    ).select_related("person")
    taken = defaultdict(list)
    for signup in signups:
        taken[(signup.slot_id, signup.occurrence_id)].append(signup.person)
    requests = defaultdict(list)
    for request in BuddyRequest.objects.filter(occurrence__in=occurrences).select_related(
        "newcomer", "buddy"
    ):
        requests[request.occurrence_id].append(request)
    me = getattr(person, "pk", None)
    result = []
    for occurrence in occurrences:
        occurrence.gathering = gathering
        places = []
        for slot in slots:
            if slot.occurrence_id not in (None, occurrence.pk):
                continue
            people = taken[(slot.pk, occurrence.pk)]
            places.append(Place(slot, occurrence, people, mine=any(p.pk == me for p in people)))
        here = requests[occurrence.pk]
        result.append(
            DateSlots(
                occurrence,
                places,
                here,
                next((r for r in here if r.newcomer_id == me), None),
            )
        )
    return result


def rotations_for(
    gathering: Gathering, places: list[Place], *, limit: int = SUGGESTIONS
) -> dict[int, list]:
    """For each open place, members of the gathering's group to ask first: who did that role
    least (the engine decides the order; this only counts). Three queries for any number of
    places. Returns slot id -> [(person, times done)], least done first."""
    group = gathering.group
    members = Membership.objects.filter(group=group, state=MembershipState.ACTIVE)
    people = {m.person_id: m.person for m in members.select_related("person")}
    roles = {p.slot.role for p in places}
    done = defaultdict(dict)
    for row in (
        SlotSignup.objects.filter(
            person_id__in=people,
            state=SignupState.SIGNED_UP,
            slot__role__in=roles,
            slot__gathering__group=group,
            occurrence__ends_at__lt=timezone.now(),
        )
        .values("person_id", "slot__role")
        .annotate(times=Count("pk"), last=Max("occurrence__starts_at"))
    ):
        done[row["slot__role"]][row["person_id"]] = (row["times"], row["last"].date())
    signed = defaultdict(set)
    for slot_id, occurrence_id, person_id in SlotSignup.objects.filter(
        slot__in=[p.slot for p in places],
        occurrence__in={p.occurrence.pk for p in places},
        state=SignupState.SIGNED_UP,
    ).values_list("slot_id", "occurrence_id", "person_id"):
        signed[(slot_id, occurrence_id)].add(person_id)
    result = {}
    for place in places:
        counts = done[place.slot.role]
        records = [
            VolunteerRecord(pid, *counts[pid]) if pid in counts else VolunteerRecord(pid)
            for pid in people
        ]
        exclude = signed[(place.slot.pk, place.occurrence.pk)]
        ranked = fair_rotation(records, exclude=exclude, limit=limit)
        result[place.slot.pk] = [(people[s.person_id], s.times_done) for s in ranked]
    return result


@dataclass(frozen=True)
class VolunteeringRecord:
    """One role done, as the pathway shows it."""

    role: str
    role_label: str
    gathering: str
    gathering_slug: str
    date: date


def volunteering_evidence(person) -> list[VolunteeringRecord]:
    """The roles this person took at dates now past, newest first: evidence for the pathway."""
    signups = (
        SlotSignup.objects.filter(
            person=person, state=SignupState.SIGNED_UP, occurrence__ends_at__lt=timezone.now()
        )
        .select_related("slot", "occurrence__gathering")
        .order_by("-occurrence__starts_at", "-pk")
    )
    return [
        VolunteeringRecord(
            role=s.slot.role,
            role_label=s.slot.name,
            gathering=s.occurrence.gathering.title,
            gathering_slug=s.occurrence.gathering.slug,
            date=timezone.localtime(s.occurrence.starts_at).date(),
        )
        for s in signups
    ]


@dataclass
class Helping:
    signups: list[SlotSignup]
    open_places: list[Place]
    buddy_requests: list[BuddyRequest]
    loans: list[Loan]
    lent_out: list[Loan]


def helping_for(person, *, limit: int = 20) -> Helping:
    """'What I can help with': my roles, roles still open in my groups, newcomers waiting
    for a buddy, and books I borrowed or lent."""
    now = timezone.now()
    groups = Membership.objects.filter(person=person, state__in=Membership.MEMBER_STATES).values(
        "group"
    )
    mine = list(
        SlotSignup.objects.filter(
            person=person, state=SignupState.SIGNED_UP, occurrence__ends_at__gte=now
        )
        .select_related("slot", "occurrence__gathering")
        .order_by("occurrence__starts_at", "pk")[:limit]
    )
    visible = gathering_queries.gatherings_visible_to(person).filter(group__in=groups)
    occurrences = list(
        Occurrence.objects.filter(
            gathering__in=visible.values("pk"),
            ends_at__gte=now,
            status=OccurrenceStatus.SCHEDULED,
            gathering__role_slots__isnull=False,
        )
        .distinct()
        .select_related("gathering")
        .order_by("starts_at", "pk")[:limit]
    )
    slots = defaultdict(list)
    for slot in RoleSlot.objects.filter(gathering__in={o.gathering_id for o in occurrences}):
        slots[slot.gathering_id].append(slot)
    counts = {
        (row["slot_id"], row["occurrence_id"]): row["n"]
        for row in SlotSignup.objects.filter(
            occurrence__in=occurrences, state=SignupState.SIGNED_UP
        )
        .values("slot_id", "occurrence_id")
        .annotate(n=Count("pk"))
    }
    taken_by_me = {(s.slot_id, s.occurrence_id) for s in mine}
    open_places = []
    for occurrence in occurrences:
        for slot in slots[occurrence.gathering_id]:
            if slot.occurrence_id not in (None, occurrence.pk):
                continue
            key = (slot.pk, occurrence.pk)
            if key in taken_by_me:
                continue
            slot.gathering = occurrence.gathering
            place = Place(slot, occurrence, people=[None] * counts.get(key, 0))
            if place.free:
                open_places.append(place)
    buddies = list(
        BuddyRequest.objects.filter(
            occurrence__gathering__in=visible.values("pk"),
            occurrence__ends_at__gte=now,
            buddy__isnull=True,
        )
        .exclude(newcomer=person)
        .select_related("newcomer", "occurrence__gathering")
        .order_by("occurrence__starts_at", "pk")[:limit]
    )
    loans = list(
        Loan.objects.filter(borrower=person, state__in=(LoanState.WAITING, LoanState.LENT))
        .select_related("copy")
        .order_by("due_on", "queued_at")[:limit]
    )
    lent_out = list(
        Loan.objects.filter(copy__owner=person, state=LoanState.LENT)
        .select_related("copy", "borrower")
        .order_by("due_on")[:limit]
    )
    return Helping(mine, open_places[:limit], buddies, loans, lent_out)


# Contributions --------------------------------------------------------------------------


def listed_pledges(group: Group) -> list[Pledge]:
    return list(
        Pledge.objects.filter(group=group, ended_at__isnull=True, listed=True)
        .select_related("person")
        .order_by("created_at")
    )


def pledges_for_treasurer(group: Group) -> list[Pledge]:
    return list(
        Pledge.objects.filter(group=group, ended_at__isnull=True)
        .select_related("person")
        .order_by("person__display_name", "pk")
    )


def my_pledge(person, group: Group) -> Pledge | None:
    if person is None or not person.is_authenticated:
        return None
    return Pledge.objects.filter(group=group, person=person, ended_at__isnull=True).first()


def ledger_of(group: Group, currency: str | None = None) -> tuple[list[LedgerEntry], LedgerSummary]:
    entries = list(LedgerEntry.objects.filter(group=group).order_by("-occurred_at", "-pk"))
    return entries, ledger_summary(entries, currency)


@dataclass(frozen=True)
class CampLine:
    budget: CampBudget
    income: Decimal
    spending: Decimal

    @property
    def left(self) -> Decimal:
        """What the budget still needs (or, below zero, the surplus)."""
        return self.budget.amount.amount - self.income


def camp_lines(group: Group, entries: list[LedgerEntry]) -> list[CampLine]:
    budgets = CampBudget.objects.filter(gathering__group=group).select_related("gathering")
    lines = []
    for budget in budgets.order_by("gathering__starts_at"):
        currency = str(budget.amount.currency)
        tagged = [
            e
            for e in entries
            if budget.tag in (e.tags or []) and str(e.amount.currency) == currency
        ]
        income = sum(
            (e.amount.amount for e in tagged if e.direction == Direction.INCOME), Decimal(0)
        )
        spending = sum(
            (e.amount.amount for e in tagged if e.direction == Direction.SPENDING), Decimal(0)
        )
        lines.append(CampLine(budget, income, spending))
    return lines


# The bookshelf --------------------------------------------------------------------------


@dataclass(frozen=True)
class ShelfCopy:
    copy: Copy
    lent: bool
    waiting: int


def shelf_of(group: Group, *, search: str = "") -> list[ShelfCopy]:
    copies = (
        Copy.objects.filter(shelf=group, off_shelf_at__isnull=True)
        .select_related("owner")
        .annotate(
            lent_count=Count("loans", filter=Q(loans__state=LoanState.LENT)),
            waiting_count=Count("loans", filter=Q(loans__state=LoanState.WAITING)),
        )
    )
    search = search.strip()
    if search:
        digits = "".join(ch for ch in search if ch.isdigit() or ch in "xX")
        match = Q(title__icontains=search) | Q(author__icontains=search)
        if len(digits) >= 10:
            match |= Q(isbn__contains=digits[-12:])
        copies = copies.filter(match)
    return [ShelfCopy(c, bool(c.lent_count), c.waiting_count) for c in copies.order_by("title")]


def copies_of(isbn: str, *, person=None) -> list[Copy]:
    """Copies of a book on the shelves (for the library's reading lists); with `person`, only
    shelves that person may see. Accepts an ISBN-10 or -13, hyphens or not. Each copy carries
    `lent_count` and `waiting_count`; a few queries however many shelves hold it."""
    try:
        value = isbn_clean(isbn)
    except DomainError:
        return []
    if not value:
        return []
    copies = (
        Copy.objects.filter(isbn=value, off_shelf_at__isnull=True)
        .select_related("shelf", "owner")
        .annotate(
            lent_count=Count("loans", filter=Q(loans__state=LoanState.LENT)),
            waiting_count=Count("loans", filter=Q(loans__state=LoanState.WAITING)),
        )
        .order_by("shelf__name", "title", "pk")
    )
    if person is None:
        return list(copies)
    if not person.is_authenticated:
        return []
    copies = list(copies)
    # One read of the person's memberships in these shelves' groups, kept for the checks.
    memberships = list(
        Membership.objects.filter(person=person, group_id__in={c.shelf_id for c in copies})
    )
    member_of = {m.group_id for m in memberships}
    group_access.memberships_remember(person, memberships)
    return [
        c
        for c in copies
        # Without a membership only an operator may see a shelf: no query to learn that.
        if (c.shelf_id in member_of and access.can_view_shelf(person, c.shelf))
        or (c.shelf_id not in member_of and group_access.operates(person, c.shelf))
    ]


def loan_line(copy: Copy) -> tuple[Loan | None, list[Loan]]:
    """Who has it now, and who waits, in order."""
    loans = list(
        Loan.objects.filter(copy=copy, state__in=(LoanState.WAITING, LoanState.LENT))
        .select_related("borrower")
        .order_by("queued_at", "pk")
    )
    out = next((loan for loan in loans if loan.state == LoanState.LENT), None)
    return out, [loan for loan in loans if loan.state == LoanState.WAITING]
