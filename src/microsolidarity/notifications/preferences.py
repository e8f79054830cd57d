"""How each person hears of each kind: their own choice, else the default."""

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction

from microsolidarity.notifications.models import (
    DEFAULT_DELIVERY,
    Delivery,
    Kind,
    NotificationPreference,
)


def person_language(person) -> str:
    """The first language of the person's profile that the site speaks, else the site's own."""
    spoken = {code for code, _name in settings.LANGUAGES}
    profile = getattr(person, "profile", None)
    for code in getattr(profile, "languages", None) or []:
        if code in spoken:
            return code
    return settings.LANGUAGE_CODE


def deliveries_for(*, person_ids: Iterable[int], kind: str) -> dict[int, str]:
    """How each person hears of `kind`: their choice, else the default (one query)."""
    ids = list(person_ids)
    chosen = dict(
        NotificationPreference.objects.filter(person_id__in=ids, kind=kind).values_list(
            "person_id", "delivery"
        )
    )
    return {pk: chosen.get(pk, DEFAULT_DELIVERY[Kind(kind)]) for pk in ids}


def preferences_get(person) -> dict[str, str]:
    """Every kind with how this person hears of it."""
    chosen = dict(
        NotificationPreference.objects.filter(person=person).values_list("kind", "delivery")
    )
    return {kind: chosen.get(kind, DEFAULT_DELIVERY[kind]) for kind in Kind}


@transaction.atomic
def preferences_set(*, person, choices: dict[str, str]) -> dict[str, str]:
    """Keep a row only where the choice differs from the default, so a better default later
    reaches everyone who never chose."""
    for kind, delivery in choices.items():
        kind, delivery = Kind(kind), Delivery(delivery)
        if delivery == DEFAULT_DELIVERY[kind]:
            NotificationPreference.objects.filter(person=person, kind=kind).delete()
        else:
            NotificationPreference.objects.update_or_create(
                person=person, kind=kind, defaults={"delivery": delivery}
            )
    return preferences_get(person)
