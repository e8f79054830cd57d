"""Contributions, volunteer slots and the bookshelf: reading them, pledging, signing up for a
role and joining the line for a book."""

from datetime import date, datetime
from decimal import Decimal

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from pydantic import BaseModel

from microsolidarity.api.auth import ANYONE, PERSON
from microsolidarity.api.schemas import DbId, ErrorOut, Slug
from microsolidarity.gatherings import access as gathering_access
from microsolidarity.gatherings.models import Gathering, Occurrence
from microsolidarity.groups.models import Group
from microsolidarity.participation import access, bookshelf, contributions, queries, volunteering
from microsolidarity.participation.models import Copy, Rhythm, RoleSlot
from microsolidarity.ratelimits import ActionThrottle

router = Router(tags=["participation"])

READ_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {400: ErrorOut, 409: ErrorOut, **READ_ERRORS}
LEDGER_LIMIT = 500


class MoneyOut(Schema):
    amount: Decimal
    currency: str


def _money(value) -> dict:
    return {"amount": value.amount, "currency": str(value.currency)}


class LinkOut(Schema):
    label: str
    url: str


class TierOut(Schema):
    name: str
    amount: MoneyOut
    rhythm: Rhythm
    description: str


class ListedPledgeOut(Schema):
    name: str
    amount: MoneyOut
    rhythm: Rhythm


class ContributeOut(Schema):
    group: str
    intro: str
    links: list[LinkOut]
    sliding_scale: str
    currency: str
    tiers: list[TierOut]
    listed_pledges: list[ListedPledgeOut] = Field(
        description="Pledges their members chose to list; for the group's members only."
    )


class PledgeIn(BaseModel):
    amount: Decimal = Field(gt=0, lt=1_000_000, max_digits=12, decimal_places=2)
    rhythm: Rhythm = Rhythm.MONTHLY
    listed: bool = Field(False, description="List my name and amount for the group's members.")


class PledgeOut(Schema):
    id: int
    name: str
    amount: MoneyOut
    rhythm: Rhythm
    listed: bool
    created_at: datetime


class MonthOut(Schema):
    month: date
    income: Decimal
    spending: Decimal


class LedgerEntryOut(Schema):
    transaction_id: str
    occurred_at: datetime
    direction: str
    kind: str
    amount: MoneyOut
    description: str
    counterparty: str
    tags: list[str]


class LedgerOut(Schema):
    currency: str
    income: Decimal
    spending: Decimal
    months: list[MonthOut]
    entries: list[LedgerEntryOut] = Field(description="Newest first, at most 500.")


class VolunteerPlaceOut(Schema):
    slot_id: int
    role: str
    name: str
    description: str
    count: int
    taken: int
    recurs: bool
    mine: bool


class VolunteerDateOut(Schema):
    occurrence: int
    starts_at: datetime
    places: list[VolunteerPlaceOut]


class SignupIn(BaseModel):
    occurrence: DbId = Field(description="The occurrence (date) of the gathering.")


class SignupOut(Schema):
    slot_id: int
    occurrence: int
    role: str
    name: str
    gathering: str
    starts_at: datetime


class LoanOut(Schema):
    copy_id: int
    title: str
    state: str
    position: int | None
    due_on: date | None


class CopyOut(Schema):
    id: int
    title: str
    author: str
    isbn: str
    terms: str
    owner: str
    lent: bool
    waiting: int


class HelpingOut(Schema):
    roles: list[SignupOut]
    loans: list[LoanOut]


def _group(person, slug: str) -> Group:
    group = Group.objects.filter(slug=slug).first()
    if group is None or not access.can_view_contributions(person, group):
        raise Http404(_("There is no group here that you can see."))
    return group


def _loan_out(loan) -> dict:
    return {
        "copy_id": loan.copy_id,
        "title": loan.copy.title,
        "state": loan.state,
        "position": bookshelf.loan_position(loan),
        "due_on": loan.due_on,
    }


@router.get(
    "/groups/{slug}/contribute",
    response={200: ContributeOut, **READ_ERRORS},
    auth=ANYONE,
    summary="The group's contribute page: links, sliding scale, tiers",
)
def contribute(request, slug: Slug):
    group = _group(request.auth, slug)
    page = contributions.page_of(group)
    listed = (
        queries.listed_pledges(group) if access.can_see_listed_pledges(request.auth, group) else []
    )
    return {
        "group": group.slug,
        "intro": page.intro if page else "",
        "links": page.links if page else [],
        "sliding_scale": page.sliding_scale if page else "",
        "currency": page.currency if page else "EUR",
        "tiers": [
            {
                "name": t.name,
                "amount": _money(t.amount),
                "rhythm": t.rhythm,
                "description": t.description,
            }
            for t in (page.tiers.all() if page else [])
        ],
        "listed_pledges": [
            {"name": str(p.person), "amount": _money(p.amount), "rhythm": p.rhythm} for p in listed
        ],
    }


def _pledge_out(pledge) -> dict:
    return {
        "id": pledge.pk,
        "name": str(pledge.person),
        "amount": _money(pledge.amount),
        "rhythm": pledge.rhythm,
        "listed": pledge.listed,
        "created_at": pledge.created_at,
    }


@router.put(
    "/groups/{slug}/pledge",
    response={200: PledgeOut, **WRITE_ERRORS},
    auth=PERSON,
    throttle=[ActionThrottle("rsvp")],
    summary="Make or change my pledge (private to the treasurers unless listed)",
)
def pledge_put(request, slug: Slug, payload: PledgeIn):
    group = _group(request.auth, slug)
    pledge = contributions.pledge_set(
        person=request.auth,
        group=group,
        amount=payload.amount,
        rhythm=payload.rhythm,
        listed=payload.listed,
    )
    return _pledge_out(pledge)


@router.delete(
    "/groups/{slug}/pledge",
    response={200: dict, **WRITE_ERRORS},
    auth=PERSON,
    summary="End my pledge",
)
def pledge_delete(request, slug: Slug):
    group = _group(request.auth, slug)
    return {"ended": contributions.pledge_end(person=request.auth, group=group)}


@router.get(
    "/groups/{slug}/pledges",
    response={200: list[PledgeOut], **READ_ERRORS},
    auth=PERSON,
    summary="Every open pledge (the group's treasurers only)",
)
def pledge_list(request, slug: Slug):
    group = _group(request.auth, slug)
    if not access.is_treasurer(request.auth, group):
        raise HttpError(403, _("Only the group's treasurers see its pledges."))
    return [_pledge_out(p) for p in queries.pledges_for_treasurer(group)]


@router.get(
    "/groups/{slug}/ledger",
    response={200: LedgerOut, **READ_ERRORS},
    auth=ANYONE,
    summary="The public ledger: totals by month and the transactions",
)
def ledger(request, slug: Slug):
    group = _group(request.auth, slug)
    page = contributions.page_of(group)
    entries, summary = queries.ledger_of(group, page.currency if page else None)
    return {
        "currency": summary.currency,
        "income": summary.income,
        "spending": summary.spending,
        "months": summary.months,
        "entries": [
            {
                "transaction_id": e.transaction_id,
                "occurred_at": e.occurred_at,
                "direction": e.direction,
                "kind": e.kind,
                "amount": _money(e.amount),
                "description": e.description,
                "counterparty": e.counterparty,
                "tags": e.tags,
            }
            for e in entries[:LEDGER_LIMIT]
        ],
    }


def _visible_gathering(person, gathering_id: int):

    gathering = Gathering.objects.select_related("group").filter(pk=gathering_id).first()
    if gathering is None or not gathering_access.gathering_visible(person, gathering):
        raise Http404(_("There is no gathering here that you can see."))
    return gathering


@router.get(
    "/gatherings/{gathering_id}/slots",
    response={200: list[VolunteerDateOut], **READ_ERRORS},
    auth=ANYONE,
    summary="The volunteer roles of the coming dates, with the places taken",
)
def slot_list(request, gathering_id: DbId):
    gathering = _visible_gathering(request.auth, gathering_id)
    return [
        {
            "occurrence": d.occurrence.pk,
            "starts_at": d.occurrence.starts_at,
            "places": [
                {
                    "slot_id": p.slot.pk,
                    "role": p.slot.role,
                    "name": p.slot.name,
                    "description": p.slot.description,
                    "count": p.slot.count,
                    "taken": p.taken,
                    "recurs": p.slot.recurs,
                    "mine": p.mine,
                }
                for p in d.places
            ],
        }
        for d in queries.slots_for(request.auth, gathering)
    ]


def _slot_and_date(person, slot_id: int, occurrence_id: int):
    slot = RoleSlot.objects.select_related("gathering__group").filter(pk=slot_id).first()
    if slot is None or not gathering_access.gathering_visible(person, slot.gathering):
        raise Http404(_("There is no volunteer role here that you can see."))
    occurrence = get_object_or_404(Occurrence, pk=occurrence_id, gathering=slot.gathering)
    occurrence.gathering = slot.gathering
    return slot, occurrence


def _signup_out(signup, slot, occurrence) -> dict:
    return {
        "slot_id": slot.pk,
        "occurrence": occurrence.pk,
        "role": slot.role,
        "name": slot.name,
        "gathering": slot.gathering.title,
        "starts_at": occurrence.starts_at,
    }


@router.post(
    "/slots/{slot_id}/signup",
    response={200: SignupOut, **WRITE_ERRORS},
    auth=PERSON,
    throttle=[ActionThrottle("rsvp")],
    summary="Take a place in a role on one date (409 when all are taken)",
)
def slot_signup(request, slot_id: DbId, payload: SignupIn):
    slot, occurrence = _slot_and_date(request.auth, slot_id, payload.occurrence)
    signup = volunteering.slot_signup(person=request.auth, slot=slot, occurrence=occurrence)
    return _signup_out(signup, slot, occurrence)


@router.delete(
    "/slots/{slot_id}/signup",
    response={200: dict, **WRITE_ERRORS},
    auth=PERSON,
    summary="Give a role back on one date",
)
def slot_withdraw(request, slot_id: DbId, payload: SignupIn):
    slot, occurrence = _slot_and_date(request.auth, slot_id, payload.occurrence)
    freed = volunteering.slot_withdraw(person=request.auth, slot=slot, occurrence=occurrence)
    return {"withdrawn": bool(freed)}


@router.get(
    "/me/helping",
    response={200: HelpingOut, **READ_ERRORS},
    auth=PERSON,
    summary="My coming roles and my books",
)
def helping(request):
    mine = queries.helping_for(request.auth)
    return {
        "roles": [_signup_out(s, s.slot, s.occurrence) for s in mine.signups],
        "loans": [_loan_out(loan) for loan in mine.loans],
    }


@router.get(
    "/groups/{slug}/shelf",
    response={200: list[CopyOut], **READ_ERRORS},
    auth=PERSON,
    summary="The copies on the group's shelf (members only)",
)
def shelf(request, slug: Slug):
    group = Group.objects.filter(slug=slug).first()
    if group is None or not access.can_view_shelf(request.auth, group):
        raise Http404(_("There is no shelf here that you can see."))
    return [
        {
            "id": item.copy.pk,
            "title": item.copy.title,
            "author": item.copy.author,
            "isbn": item.copy.isbn,
            "terms": item.copy.terms,
            "owner": str(item.copy.owner or group.name),
            "lent": item.lent,
            "waiting": item.waiting,
        }
        for item in queries.shelf_of(group)
    ]


def _copy(person, copy_id: int) -> Copy:
    copy = Copy.objects.select_related("shelf").filter(pk=copy_id).first()
    if copy is None or not access.can_view_shelf(person, copy.shelf):
        raise Http404(_("There is no copy here that you can see."))
    return copy


@router.post(
    "/copies/{copy_id}/request",
    response={200: LoanOut, **WRITE_ERRORS},
    auth=PERSON,
    throttle=[ActionThrottle("rsvp")],
    summary="Join the line for a copy (first come, first served)",
)
def copy_request(request, copy_id: DbId):
    result = bookshelf.loan_request(person=request.auth, copy=_copy(request.auth, copy_id))
    return _loan_out(result.loan)


@router.delete(
    "/copies/{copy_id}/request",
    response={200: dict, **WRITE_ERRORS},
    auth=PERSON,
    summary="Leave the line for a copy",
)
def copy_withdraw(request, copy_id: DbId):
    left = bookshelf.loan_withdraw(person=request.auth, copy=_copy(request.auth, copy_id))
    return {"withdrawn": left}
