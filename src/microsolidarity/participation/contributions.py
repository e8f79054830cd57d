"""Contribute pages, tiers, treasurers and pledges: the writes."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from djmoney.money import Money
from djmoney.settings import CURRENCY_CHOICES

from microsolidarity.errors import NotAllowed, RuleBroken
from microsolidarity.gatherings.models import Gathering, Kind
from microsolidarity.groups.models import Group
from microsolidarity.participation import access
from microsolidarity.participation.models import (
    CampBudget,
    ContributionPage,
    ContributionTier,
    Pledge,
    Rhythm,
    Treasurer,
)
from microsolidarity.people.models import Person

MAX_LINKS = 10
MAX_TIERS = 12
MAX_AMOUNT = Decimal("1000000")


@dataclass(frozen=True)
class TierInput:
    name: str
    amount: Decimal
    rhythm: str = Rhythm.MONTHLY
    description: str = ""


def _money(amount: Decimal, currency: str) -> Any:
    """A Money for a MoneyField; typed Any because django-stubs reads the field as a decimal."""
    return Money(amount, currency)


def _currency_check(currency: str) -> str:
    code = (currency or "").strip().upper()
    if code not in {c for c, _label in CURRENCY_CHOICES or ()}:
        raise RuleBroken(
            _("%(code)s is not a currency code we know; use three letters such as EUR or USD.")
            % {"code": code or "?"},
            field="currency",
        )
    return code


def _amount_check(amount: Decimal, field: str) -> Decimal:
    if amount is None or amount <= 0:
        raise RuleBroken(_("An amount is more than zero."), field=field)
    if amount >= MAX_AMOUNT:
        raise RuleBroken(_("That amount is too large for one line."), field=field)
    return amount.quantize(Decimal("0.01"))


def page_of(group: Group) -> ContributionPage | None:
    return ContributionPage.objects.filter(group=group).first()


@transaction.atomic
def contribution_page_save(
    *,
    by: Person,
    group: Group,
    intro: str = "",
    links: list[dict] | None = None,
    sliding_scale: str = "",
    currency: str = "EUR",
    tiers: list[TierInput] | None = None,
) -> ContributionPage:
    """Write the whole page at once; tiers given replace the tiers there were."""
    if not access.can_edit_contributions(by, group):
        raise NotAllowed(_("Only the group's hosts can change its contribute page."))
    links = links or []
    tiers = tiers or []
    if len(links) > MAX_LINKS:
        raise RuleBroken(_("Ten links at most; pick the ones people use."), field="links")
    if len(tiers) > MAX_TIERS:
        raise RuleBroken(_("Twelve tiers at most."), field="tiers")
    for link in links:
        if not str(link.get("url", "")).startswith(("https://", "http://")):
            raise RuleBroken(
                _("Each link starts with https:// (%(label)s does not).")
                % {"label": link.get("label") or link.get("url")},
                field="links",
            )
    currency = _currency_check(currency)
    page, _made = ContributionPage.objects.update_or_create(
        group=group,
        defaults={
            "intro": intro.strip(),
            "links": [
                {"label": (link.get("label") or link["url"])[:80], "url": link["url"][:500]}
                for link in links
            ],
            "sliding_scale": sliding_scale.strip(),
            "currency": currency,
        },
    )
    page.tiers.all().delete()
    ContributionTier.objects.bulk_create(
        ContributionTier(
            page=page,
            name=tier.name.strip()[:80],
            amount=_money(_amount_check(tier.amount, "tiers"), currency),
            rhythm=Rhythm(tier.rhythm),
            description=tier.description.strip()[:300],
            position=position,
        )
        for position, tier in enumerate(tiers)
    )
    return page


@transaction.atomic
def treasurer_appoint(*, by: Person, group: Group, person: Person) -> Treasurer:
    if not access.can_edit_contributions(by, group):
        raise NotAllowed(_("Only the group's hosts appoint its treasurers."))
    if not access.can_pledge(person, group):
        raise RuleBroken(_("A treasurer is a member of the group."), field="email")
    treasurer, _made = Treasurer.objects.get_or_create(
        group=group, person=person, defaults={"appointed_by": by}
    )
    return treasurer


@transaction.atomic
def treasurer_remove(*, by: Person, group: Group, person: Person) -> bool:
    if not (access.can_edit_contributions(by, group) or by.pk == person.pk):
        raise NotAllowed(_("Only the group's hosts, or the treasurer themselves, can do this."))
    deleted, _detail = Treasurer.objects.filter(group=group, person=person).delete()
    return bool(deleted)


@transaction.atomic
def pledge_set(
    *,
    person: Person,
    group: Group,
    amount: Decimal,
    currency: str | None = None,
    rhythm: str = Rhythm.MONTHLY,
    listed: bool = False,
) -> Pledge:
    """Make or change my pledge; one open pledge per member and group."""
    if not access.can_pledge(person, group):
        raise NotAllowed(_("Members of the group can pledge to it; join it first."))
    if rhythm not in Rhythm.values:
        raise RuleBroken(_("Choose once, every month or every year."), field="rhythm")
    page = page_of(group)
    currency = _currency_check(currency or (page.currency if page else "EUR"))
    money = _money(_amount_check(amount, "amount"), currency)
    pledge = (
        Pledge.objects.select_for_update()
        .filter(group=group, person=person, ended_at__isnull=True)
        .first()
    )
    if pledge is None:
        return Pledge.objects.create(
            group=group, person=person, amount=money, rhythm=rhythm, listed=listed
        )
    pledge.amount = money
    pledge.rhythm = rhythm
    pledge.listed = listed
    pledge.save(update_fields=["amount", "amount_currency", "rhythm", "listed", "updated_at"])
    return pledge


@transaction.atomic
def pledge_end(*, person: Person, group: Group) -> bool:
    ended = Pledge.objects.filter(group=group, person=person, ended_at__isnull=True).update(
        ended_at=timezone.now()
    )
    return bool(ended)


@transaction.atomic
def camp_budget_set(
    *,
    by: Person,
    gathering: Gathering,
    amount: Decimal,
    currency: str = "EUR",
    tag: str,
    note: str = "",
):
    """Give a camp its budget; ledger entries tagged `tag` are set against it."""
    if not access.can_set_camp_budget(by, gathering):
        raise NotAllowed(_("The camp's hosts and the group's treasurers set its budget."))
    if gathering.kind != Kind.CAMP:
        raise RuleBroken(_("Budgets are for camps; this gathering is not one."))
    if amount is None or amount < 0 or amount >= MAX_AMOUNT:
        raise RuleBroken(_("A budget is zero or more, and not absurdly large."), field="amount")
    tag = slugify(tag or gathering.slug)[:60]
    if not tag:
        raise RuleBroken(_("Give the tag its ledger entries carry."), field="tag")
    budget, _made = CampBudget.objects.update_or_create(
        gathering=gathering,
        defaults={
            "amount": _money(amount.quantize(Decimal("0.01")), _currency_check(currency)),
            "tag": tag,
            "note": note.strip()[:300],
        },
    )
    return budget
