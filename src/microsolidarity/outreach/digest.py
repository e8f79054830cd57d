"""The digest: what is coming in a person's groups, weekly or monthly, opt-in, in their own
time zone and language.

Each kind of news is one source function: (person, window) -> a section or None. The
sources read through the owning apps' own visibility rules (`gatherings_visible_to`,
`open_calls` with `can_view_call`, `cohorts_visible_to`), so a digest shows a person exactly
what the site would show them, and nothing the hosts hid. One more kind of news is one more
function in `SOURCES`.
"""

import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from functools import partial

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from microsolidarity.crewing import access as crewing_access
from microsolidarity.crewing.queries import open_calls
from microsolidarity.errors import RuleBroken
from microsolidarity.gatherings.models import GatheringStatus, Kind, Occurrence, OccurrenceStatus
from microsolidarity.gatherings.queries import gatherings_visible_to
from microsolidarity.groups.models import Group, Membership, Scale
from microsolidarity.mail import email_build
from microsolidarity.outreach.models import DigestFrequency, DigestPreference, DigestSent
from microsolidarity.programs.queries import cohorts_visible_to
from microsolidarity.site import absolute_url
from microsolidarity.zones import person_zone

SEND_AT = time(7, 0)
ITEMS_PER_SECTION = 30
UNSUBSCRIBE_SALT = "outreach.digest.off"


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime
    zone: zoneinfo.ZoneInfo


@dataclass(frozen=True)
class Item:
    title: str
    when: str
    group: str
    url: str
    note: str = ""


@dataclass
class Section:
    key: str
    title: str
    items: list[Item] = field(default_factory=list)


@dataclass
class Digest:
    person_id: int
    period: str
    window: Window
    sections: list[Section]

    @property
    def item_count(self) -> int:
        return sum(len(section.items) for section in self.sections)


def person_language(person) -> str:
    """The first of the person's languages the site speaks; else the site's own."""
    spoken = {code for code, _name in settings.LANGUAGES}
    for code in getattr(getattr(person, "profile", None), "languages", None) or []:
        if str(code).lower() in spoken:
            return str(code).lower()
    return settings.LANGUAGE_CODE


def _member_groups(person):
    return Membership.objects.filter(person=person, state__in=Membership.MEMBER_STATES).values(
        "group"
    )


def _when(moment: datetime, zone: zoneinfo.ZoneInfo) -> str:
    local = moment.astimezone(zone)
    return f"{local:%a %d %b, %H:%M}"


def _occurrences(person, window: Window, *, calls: bool):
    gatherings = (
        gatherings_visible_to(person)
        .filter(group__in=_member_groups(person), status=GatheringStatus.SCHEDULED)
        .values("pk")
    )
    kinds = Occurrence.objects.filter(gathering__in=gatherings)
    kinds = (
        kinds.filter(gathering__kind=Kind.CALL)
        if calls
        else kinds.exclude(gathering__kind=Kind.CALL)
    )
    return (
        kinds.filter(
            status=OccurrenceStatus.SCHEDULED,
            starts_at__gte=window.start,
            starts_at__lt=window.end,
        )
        .select_related("gathering", "gathering__group")
        .order_by("starts_at", "pk")[:ITEMS_PER_SECTION]
    )


def _occurrence_items(occurrences, window: Window) -> list[Item]:
    return [
        Item(
            title=o.gathering.title,
            when=_when(o.starts_at, window.zone),
            group=o.gathering.group.name,
            url=absolute_url(o.get_absolute_url()),
            note=o.note,
        )
        for o in occurrences
    ]


def gatherings_section(person, window: Window, preference: DigestPreference) -> Section | None:
    if not preference.include_gatherings:
        return None
    items = _occurrence_items(_occurrences(person, window, calls=False), window)
    return Section("gatherings", _("Gatherings"), items) if items else None


def calls_section(person, window: Window, preference: DigestPreference) -> Section | None:
    if not preference.include_calls:
        return None
    items = _occurrence_items(_occurrences(person, window, calls=True), window)
    return Section("calls", _("Calls"), items) if items else None


def crew_calls_section(person, window: Window, preference: DigestPreference) -> Section | None:
    """Open crew calls in the person's congregations, as the crewing page shows them."""
    if not preference.include_crew_calls:
        return None
    congregations = Group.objects.filter(
        pk__in=_member_groups(person), scale=Scale.CONGREGATION
    ).order_by("name")
    items = []
    for congregation in congregations:
        for call in open_calls(congregation, person).exclude(caller=person):
            if not crewing_access.can_view_call(person, call):
                continue
            items.append(
                Item(
                    title=call.intention,
                    when=call.get_rhythm_display(),
                    group=congregation.name,
                    url=absolute_url(call.get_absolute_url()),
                )
            )
            if len(items) >= ITEMS_PER_SECTION:
                break
    return Section("crew_calls", _("Open crew calls"), items) if items else None


def cohorts_section(person, window: Window, preference: DigestPreference) -> Section | None:
    """Cohorts of programs in the person's groups whose first session falls in the window.

    A cohort runs as a series of gatherings, so it rides on the gatherings choice; the
    sessions of a cohort the person has a place in are in that section already.
    """
    if not preference.include_gatherings:
        return None
    cohorts = (
        cohorts_visible_to(person)
        .filter(
            program__owner__in=_member_groups(person),
            series__status=GatheringStatus.SCHEDULED,
            series__starts_at__gte=window.start,
            series__starts_at__lt=window.end,
        )
        .exclude(seats__person=person)
    )
    items = [
        Item(
            title=cohort.title,
            when=_when(cohort.series.starts_at, window.zone),
            group=cohort.program.owner.name,
            url=absolute_url(cohort.get_absolute_url()),
            note=_("%(places)s places") % {"places": cohort.capacity},
        )
        for cohort in cohorts[:ITEMS_PER_SECTION]
    ]
    return Section("cohorts", _("Cohorts starting"), items) if items else None


SOURCES: list[Callable[..., Section | None]] = [
    gatherings_section,
    calls_section,
    crew_calls_section,
    cohorts_section,
]


def period_of(
    frequency: str, moment: datetime, zone: zoneinfo.ZoneInfo
) -> tuple[str, Window] | None:
    """The period due at this moment in the person's zone (Monday or the first, from 07:00),
    and the window it covers; None when no digest is due now."""
    local = moment.astimezone(zone)
    if frequency == DigestFrequency.WEEKLY:
        start_day = local.date() - timedelta(days=local.weekday())
        year, week, _day = start_day.isocalendar()
        key, end_day = f"{year}-W{week:02d}", start_day + timedelta(days=7)
    elif frequency == DigestFrequency.MONTHLY:
        start_day = local.date().replace(day=1)
        key = f"{start_day:%Y-%m}"
        end_day = (start_day + timedelta(days=32)).replace(day=1)
    else:
        return None
    opens = datetime.combine(start_day, SEND_AT, tzinfo=zone)
    if local < opens:
        return None
    end = datetime.combine(end_day, SEND_AT, tzinfo=zone)
    return key, Window(start=max(moment, opens), end=end, zone=zone)


def digest_for(person, preference: DigestPreference, period: str, window: Window) -> Digest:
    sections = [s for source in SOURCES if (s := source(person, window, preference)) is not None]
    return Digest(person_id=person.pk, period=period, window=window, sections=sections)


def digest_preview(*, person, now: datetime | None = None) -> Digest:
    """What this person's next digest would hold if it went out now (for their settings page)."""
    preference = DigestPreference.objects.filter(person=person).first() or DigestPreference(
        person=person, frequency=DigestFrequency.WEEKLY
    )
    zone = person_zone(person)
    now = now or timezone.now()
    length = timedelta(days=31 if preference.frequency == DigestFrequency.MONTHLY else 7)
    return digest_for(person, preference, "preview", Window(now, now + length, zone))


def off_token(person_id: int) -> str:
    return signing.dumps(person_id, salt=UNSUBSCRIBE_SALT)


def off_token_person(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=UNSUBSCRIBE_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None


@transaction.atomic
def digest_set(*, person, frequency: str, gatherings=True, calls=True, crew_calls=True):
    if frequency not in DigestFrequency.values:
        raise RuleBroken(_("Choose how often from the list."), field="frequency")
    preference, _created = DigestPreference.objects.update_or_create(
        person=person,
        defaults={
            "frequency": frequency,
            "include_gatherings": bool(gatherings),
            "include_calls": bool(calls),
            "include_crew_calls": bool(crew_calls),
        },
    )
    return preference


def digest_turn_off(*, person_id: int) -> bool:
    return bool(
        DigestPreference.objects.filter(person_id=person_id)
        .exclude(frequency=DigestFrequency.OFF)
        .update(frequency=DigestFrequency.OFF)
    )


def digest_email(person, digest: Digest) -> EmailMultiAlternatives:
    off_url = absolute_url(reverse("digest_off", args=[off_token(person.pk)]))
    context = {
        "person": person,
        "digest": digest,
        "settings_url": absolute_url(reverse("digest_settings")),
        "off_url": off_url,
        "zone": digest.window.zone.key,
    }
    return email_build(
        to=[person.email],
        subject=_("What is coming in your groups"),
        body=render_to_string("outreach/digest_email.txt", context),
        html=render_to_string("outreach/digest_email.html", context),
        headers={
            "List-Unsubscribe": f"<{off_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def _send(person, digest: Digest) -> None:
    with translation.override(person_language(person)):
        digest_email(person, digest).send()


def digests_send_due(*, now: datetime | None = None) -> int:
    """Send every digest due now and not sent for its period; an empty digest is not sent."""
    now = now or timezone.now()
    preferences = (
        DigestPreference.objects.exclude(frequency=DigestFrequency.OFF)
        .filter(person__is_active=True)
        .select_related("person", "person__profile")
    )
    sent = 0
    for preference in preferences.iterator(chunk_size=200):
        person = preference.person
        zone = person_zone(person)
        due = period_of(preference.frequency, now, zone)
        if due is None:
            continue
        period, window = due
        if DigestSent.objects.filter(person=person, period=period).exists():
            continue
        with translation.override(person_language(person)):
            digest = digest_for(person, preference, period, window)
        try:
            with transaction.atomic():
                # The claim comes first: a second runner finds it and sends nothing.
                DigestSent.objects.create(person=person, period=period, items=digest.item_count)
                if digest.item_count:
                    transaction.on_commit(partial(_send, person, digest))
        except IntegrityError:
            continue
        sent += 1 if digest.item_count else 0
    return sent
