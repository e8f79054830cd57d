"""The emails of notifications: one for a notification (those who hear each time) and one
digest a day (those who chose it), each in the reader's language and time zone."""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from microsolidarity.mail import email_send
from microsolidarity.notifications.models import Delivery, DigestSent, Notification
from microsolidarity.notifications.preferences import person_language, preferences_get
from microsolidarity.people.models import Person
from microsolidarity.periodic import each_survives
from microsolidarity.site import absolute_url
from microsolidarity.zones import moment_for, person_zone

# A digest goes once a day, from this hour of the reader's own morning.
DIGEST_HOUR = 8
# What waited longer than this (the digest was off, the worker stopped) is left in the list.
DIGEST_WINDOW = timedelta(days=7)


def _open_url(notification: Notification) -> str:
    return absolute_url(reverse("notification_open", args=[notification.pk]))


def _settings_lines() -> list[str]:
    return [
        "",
        _("To change how you hear of this: %(url)s")
        % {"url": absolute_url(reverse("notification_settings"))},
    ]


def notification_email_send(*, notification_id: int) -> int:
    """The email of one notification, once (a second run sends nothing); how many went."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("person", "person__profile")
            .filter(pk=notification_id, emailed_at__isnull=True)
            .first()
        )
        if notification is None or not notification.person.is_active:
            return 0
        person = notification.person
        with translation.override(person_language(person)):
            lines = [_("Hello %(name)s,") % {"name": person}, "", notification.text]
            if notification.link:
                lines += ["", _open_url(notification)]
            lines += _settings_lines()
            sent = email_send(to=[person.email], subject=notification.text, lines=lines)
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return sent


def _digest_kinds(person) -> list[str]:
    return [
        kind for kind, delivery in preferences_get(person).items() if delivery == Delivery.DIGEST
    ]


def digest_send(*, person, now: datetime) -> int:
    """This person's digest for their day, if it is morning there and none went today."""
    local = now.astimezone(person_zone(person))
    if local.hour < DIGEST_HOUR:
        return 0
    if DigestSent.objects.filter(person=person, day=local.date()).exists():
        return 0
    kinds = _digest_kinds(person)
    waiting = list(
        Notification.objects.filter(
            person=person,
            kind__in=kinds,
            emailed_at__isnull=True,
            created_at__gte=now - DIGEST_WINDOW,
        ).order_by("created_at", "pk")
    )
    if not waiting:
        return 0
    try:
        with transaction.atomic():
            DigestSent.objects.create(person=person, day=local.date(), sent_at=now)
            with translation.override(person_language(person)):
                lines = [_("Hello %(name)s,") % {"name": person}, "", _("Since the last digest:")]
                for notification in waiting:
                    lines += [
                        "",
                        f"- {notification.text}",
                        f"  {moment_for(notification.created_at, person)}",
                    ]
                    if notification.link:
                        lines.append(f"  {_open_url(notification)}")
                lines += [
                    "",
                    _("All of them: %(url)s") % {"url": absolute_url(reverse("notification_list"))},
                ]
                lines += _settings_lines()
                sent = email_send(
                    to=[person.email],
                    subject=_("What happened on Microsolidarity today"),
                    lines=lines,
                )
            Notification.objects.filter(pk__in=[n.pk for n in waiting]).update(emailed_at=now)
    except IntegrityError:
        # Another runner claimed today's digest first.
        return 0
    return sent


def digests_send(*, now: datetime | None = None) -> int:
    """Every due digest; one person's failure leaves the others' to go."""
    now = now or timezone.now()
    waiting_people = (
        Person.objects.filter(
            is_active=True,
            notifications__emailed_at__isnull=True,
            notifications__created_at__gte=now - DIGEST_WINDOW,
        )
        .distinct()
        .select_related("profile")
    )
    return each_survives(
        waiting_people, lambda person: digest_send(person=person, now=now), what="Digest for"
    )
