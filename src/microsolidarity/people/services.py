"""Writes about people: profiles and API tokens."""

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from microsolidarity.errors import NotAllowed, RuleBroken
from microsolidarity.people.models import ApiToken, Person, Profile
from microsolidarity.people.tokens import token_digest, token_digests_accepted
from microsolidarity.people.towns import Town

TOKEN_PREFIX = "ms_"  # noqa: S105 - a marker, not a secret
TOKEN_NAME_MAX: int = ApiToken._meta.get_field("name").max_length or 0


def profile_get(person: Person) -> Profile:
    profile, _created = Profile.objects.get_or_create(person=person)
    return profile


def person_create(*, email: str, password: str | None, display_name: str = "") -> Person:
    with transaction.atomic():
        person = Person.objects.create_user(email, password, display_name=display_name)
        Profile.objects.create(person=person)
    return person


def profile_town_set(*, profile: Profile, town: Town | None) -> None:
    """Store only the town and its centroid: never anything finer."""
    if town is None:
        profile.town_geonameid = None
        profile.town_name = ""
        profile.town_latitude = None
        profile.town_longitude = None
    else:
        profile.town_geonameid = town.geonameid
        profile.town_name = town.label
        profile.town_latitude = town.latitude
        profile.town_longitude = town.longitude


# What profile_update never takes from `changes`: whose it is, its clock, and the town, which
# comes as a Town so that nothing finer than a town is ever stored.
PROFILE_FIXED = frozenset(
    {"person", "updated_at", "town_geonameid", "town_name", "town_latitude", "town_longitude"}
)


@transaction.atomic
def profile_update(
    *,
    person: Person,
    changes: dict[str, object],
    display_name: str | None = None,
    town: Town | None = None,
    town_changed: bool = False,
) -> Profile:
    """Save what a person changed on their own profile (and their name); return the profile.

    `town_changed` with `town=None` clears the town; without it the stored town stays.
    """
    editable = {field.name for field in Profile._meta.concrete_fields} - PROFILE_FIXED
    unknown = set(changes) - editable
    if unknown:
        raise ValueError(f"profile_update cannot change {sorted(unknown)}")
    profile = profile_get(person)
    for name, value in changes.items():
        setattr(profile, name, value)
    fields = set(changes) | {"updated_at"}
    if town_changed:
        profile_town_set(profile=profile, town=town)
        fields |= {"town_geonameid", "town_name", "town_latitude", "town_longitude"}
    profile.save(update_fields=sorted(fields))
    if display_name is not None and display_name != person.display_name:
        person.display_name = display_name
        person.save(update_fields=["display_name"])
    return profile


def token_create(*, person: Person, name: str) -> tuple[ApiToken, str]:
    """Make a token; the plain text is returned once and never stored."""
    name = name.strip() or "token"
    if len(name) > TOKEN_NAME_MAX:
        raise RuleBroken(
            _("Give the token a name of up to %(n)s characters, like 'my script'.")
            % {"n": TOKEN_NAME_MAX},
            field="name",
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        person=person, name=name, prefix=raw[:10], key_hash=token_digest(raw)
    )
    return token, raw


def token_revoke(*, person: Person, token_id: int) -> ApiToken:
    token = ApiToken.objects.filter(person=person, pk=token_id).first()
    if token is None:
        raise NotAllowed("That token is not one of yours.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_authenticate(raw: str) -> Person | None:
    """The active person behind a token, or None for an unknown or revoked one."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    digests = token_digests_accepted(raw)
    token = (
        ApiToken.objects.select_related("person")
        .filter(key_hash__in=digests, revoked_at__isnull=True, person__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    changes: dict[str, object] = {}
    # Writing on every request would make each API call a write; once a minute is enough.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        changes["last_used_at"] = now
    # Made under a retired SECRET_KEY: stored again under the current one.
    if token.key_hash != digests[0]:
        changes["key_hash"] = digests[0]
    if changes:
        ApiToken.objects.filter(pk=token.pk).update(**changes)
    return token.person
