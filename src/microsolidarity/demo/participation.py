"""Demo participation: contribute pages with tiers, pledges, a year of ledger read from an
Open Collective-style export, a camp budget, volunteer roles with sign-ups and a buddy
request, and a shelf of books with loans in every state."""

import csv
import io
import random
import uuid
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from stdnum import ean

from microsolidarity.gatherings.models import Gathering, Kind, OccurrenceStatus
from microsolidarity.groups.models import Group, MembershipState, Role, Scale
from microsolidarity.participation.bookshelf import copy_add, loan_hand_over, loan_request
from microsolidarity.participation.contributions import (
    TierInput,
    camp_budget_set,
    contribution_page_save,
    pledge_set,
    treasurer_appoint,
)
from microsolidarity.participation.ledger import ledger_import
from microsolidarity.participation.models import Loan, Terms, VolunteerRole
from microsolidarity.participation.volunteering import (
    buddy_ask,
    slot_create,
    slot_signup,
    slot_signup_series,
)

# Invented books, so the demo quotes nobody.
BOOKS = [
    ("Small Circles, Long Roads", "Ada Brennan"),
    ("The Host Who Stepped Back", "Tomás Reyes"),
    ("Listening in Threes", "Noor Haddad"),
    ("Kitchen Table Economics", "Priya Lal"),
    ("A Field Guide to Rotating Roles", "Jonas Weber"),
    ("Camp Fires and Agendas", "Maren Holt"),
    ("Slow Trust", "Kofi Mensah"),
    ("The Congregation Handbook", "Lea Dubois"),
    ("Peer Coaching for Beginners", "Sam Okafor"),
    ("When the Crew Ends", "Ines Moreau"),
]
# The book the library's demo reading list points to: its copy on the shelf has this ISBN.
SHELF_BOOK_TITLE = "Slow Trust"
SHELF_BOOK_ISBN = "9781915418005"
HEADER = [
    "datetime", "id", "shortId", "description", "type", "kind", "amount", "netAmount",
    "currency", "oppositeAccountName", "expenseTags",
]  # fmt: skip


def _isbn(rng: random.Random) -> str:
    body = "978" + "".join(str(rng.randint(0, 9)) for _ in range(9))
    return body + ean.calc_check_digit(body)


def _members(group: Group) -> list:
    return [
        m.person
        for m in group.memberships.filter(state=MembershipState.ACTIVE)
        .select_related("person")
        .order_by("started_at", "pk")
    ]


def _host_of(group: Group):
    return group.memberships.filter(role__in=[Role.HOST, Role.STEWARD]).first().person


def _export(rng: random.Random, camp: Gathering | None, names: list[str]) -> str:
    """A year of a small group's money, in the columns Open Collective exports."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    now = timezone.now()
    for month in range(12, 0, -1):
        day = now - timedelta(days=30 * month)
        for _ in range(rng.randint(4, 9)):
            amount = Decimal(rng.choice([5, 10, 10, 20, 25, 50]))
            when = day + timedelta(days=rng.randint(0, 27), hours=rng.randint(8, 20))
            tid = str(uuid.UUID(int=rng.getrandbits(128)))
            writer.writerow([
                when.strftime("%Y-%m-%dT%H:%M:%S.000Z"), tid, tid[:8],
                "Financial contribution", "CREDIT", "CONTRIBUTION", f"{amount:.2f}",
                f"{amount:.2f}", "EUR", rng.choice(names), "",
            ])  # fmt: skip
        rent = Decimal(rng.choice([60, 60, 80]))
        tid = str(uuid.UUID(int=rng.getrandbits(128)))
        writer.writerow([
            (day + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%S.000Z"), tid, tid[:8],
            "Room rent for the monthly gathering", "DEBIT", "EXPENSE", f"-{rent:.2f}",
            f"-{rent:.2f}", "EUR", "Community hall", "rent",
        ])  # fmt: skip
    if camp is not None:
        for what, amount, kind in (
            ("Camp contribution", "120.00", "CREDIT"),
            ("Camp contribution", "80.00", "CREDIT"),
            ("Campground deposit", "-250.00", "DEBIT"),
            ("Camp kitchen: food", "-140.00", "DEBIT"),
        ):
            tid = str(uuid.UUID(int=rng.getrandbits(128)))
            when = now - timedelta(days=rng.randint(3, 20))
            writer.writerow([
                when.strftime("%Y-%m-%dT%H:%M:%S.000Z"), tid, tid[:8], what, kind,
                "CONTRIBUTION" if kind == "CREDIT" else "EXPENSE", amount, amount, "EUR",
                rng.choice(names), camp.slug,
            ])  # fmt: skip
    return out.getvalue()


def _money(rng, group: Group, members: list, camp: Gathering | None) -> None:
    host = _host_of(group)
    contribution_page_save(
        by=host,
        group=group,
        intro=f"{group.name} runs on what its members give: the room, the tea, the camp.",
        links=[
            {"label": "Open Collective", "url": f"https://opencollective.example.org/{group.slug}"},
            {"label": "Bank transfer (write to the treasurer)", "url": "https://example.org/bank"},
        ],
        sliding_scale="Give what feels right. If money is tight, your time counts as much.",
        currency="EUR",
        tiers=[
            TierInput("Friend", Decimal("5"), "monthly", "Keeps the lights on."),
            TierInput("Partner", Decimal("20"), "monthly", "Covers a month of room rent."),
            TierInput("Camp angel", Decimal("100"), "once", "Pays a place at camp for someone."),
        ],
    )
    treasurer_appoint(by=host, group=group, person=host)
    for person in members[1:12]:
        pledge_set(
            person=person,
            group=group,
            amount=Decimal(rng.choice([5, 10, 15, 20])),
            rhythm=rng.choice(["monthly", "monthly", "yearly"]),
            listed=rng.random() < 0.4,
        )
    ledger_import(by=host, group=group, text=_export(rng, camp, [str(p) for p in members]))
    if camp is not None:
        camp_budget_set(by=host, gathering=camp, amount=Decimal("1200"), tag=camp.slug)


def _roles(rng, group: Group, members: list) -> None:
    host = _host_of(group)
    gatherings = list(
        Gathering.objects.filter(group=group).exclude(status="cancelled").order_by("starts_at")
    )
    for gathering in gatherings[:3]:
        occurrences = list(
            gathering.occurrences.filter(
                status=OccurrenceStatus.SCHEDULED, ends_at__gt=timezone.now()
            )[:4]
        )
        if not occurrences or host.pk not in {h.pk for h in gathering.hosts.all()}:
            continue
        welcomer = slot_create(
            by=host,
            gathering=gathering,
            role=VolunteerRole.WELCOMER,
            count=2,
            description="Greet people at the door (or in the call's lobby) and learn names.",
        )
        notes = slot_create(
            by=host,
            gathering=gathering,
            role=VolunteerRole.NOTE_TAKER,
            description="Write down decisions and who offered what; share within a day.",
        )
        if gathering.kind == Kind.CAMP:
            slot_create(
                by=host,
                gathering=gathering,
                role=VolunteerRole.KITCHEN,
                count=4,
                description="Cook one meal with three others; recipes are in the kitchen box.",
            )
        slot_signup(person=members[1], slot=welcomer, occurrence=occurrences[0])
        slot_signup(person=members[2], slot=notes, occurrence=occurrences[0])
        if gathering.is_recurring:
            slot_signup_series(person=members[3], slot=welcomer)
        newcomer = members[-1]
        buddy_ask(person=newcomer, occurrence=occurrences[0], note="My first time; a bit shy.")


def _shelf(rng, group: Group, members: list) -> None:
    host = _host_of(group)
    copies = []
    for index, (title, author) in enumerate(BOOKS):
        owner = members[1 + index % 5]
        # Drawn for every book, so the other ISBNs stay as they were.
        isbn = _isbn(rng)
        copies.append(
            copy_add(
                by=host if index < 2 else owner,
                shelf=group,
                title=title,
                author=author,
                isbn=SHELF_BOOK_ISBN if title == SHELF_BOOK_TITLE else isbn,
                terms=Terms.GIVE if index == 9 else Terms.LEND,
                group_owned=index < 2,
            )
        )
    borrowers = members[6:12]
    # Out now, one with two people waiting; one came back; one overdue.
    for copy, borrower in zip(copies[:4], borrowers, strict=False):
        loan_request(person=borrower, copy=copy)
        loan_hand_over(by=host if copy.owner is None else copy.owner, copy=copy)
    for waiting in borrowers[4:6]:
        loan_request(person=waiting, copy=copies[0])
    overdue = Loan.objects.filter(copy=copies[3], state="lent").first()
    if overdue is not None:
        overdue.due_on = timezone.localdate() - timedelta(days=3)
        overdue.lent_at = timezone.now() - timedelta(days=31)
        overdue.save(update_fields=["due_on", "lent_at"])


def demo_participation_load(rng: random.Random, network: Group) -> None:
    congregations = list(
        Group.objects.filter(parent=network, scale=Scale.CONGREGATION).order_by("pk")
    )
    camp = Gathering.objects.filter(group__in=congregations, kind=Kind.CAMP).first()
    # The first congregation (where the demo accounts are) and the one holding the camp.
    chosen = congregations[:1] + [c for c in congregations[1:] if camp and c.pk == camp.group_id]
    for index, group in enumerate(chosen):
        members = _members(group)
        if len(members) < 12:
            continue
        _money(rng, group, members, camp if camp and camp.group_id == group.pk else None)
        _roles(rng, group, members)
        if index == 0:
            _shelf(rng, group, members)
    network_members = _members(network)
    if network_members:
        _money(rng, network, network_members, None)
