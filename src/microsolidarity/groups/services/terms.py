"""Hosting terms: when one starts, how long it runs, and its end."""

from datetime import date, timedelta

from microsolidarity.groups.models import (
    Group,
    HostTerm,
    Membership,
    Role,
    Scale,
)

DEFAULT_HOST_TERM_DAYS: dict[str, int] = {
    Scale.CREW: 28,
    Scale.CONGREGATION: 365,
    Scale.NETWORK: 365,
}


def _host_until(group: Group, start: date) -> date | None:
    days = group.host_term_days or DEFAULT_HOST_TERM_DAYS.get(group.scale)
    return start + timedelta(days=days) if days else None


def term_start(membership: Membership, role: str, today: date) -> None:
    membership.role = role
    membership.role_until = _host_until(membership.group, today)
    membership.save(update_fields=["role", "role_until"])
    HostTerm.objects.create(
        group=membership.group,
        person=membership.person,
        role=role,
        starts_on=today,
        ends_on=membership.role_until,
    )


def term_end(membership: Membership, today: date) -> None:
    HostTerm.objects.filter(
        group=membership.group, person=membership.person, ended_on__isnull=True
    ).update(ended_on=today)
    membership.role = Role.MEMBER
    membership.role_until = None
    membership.save(update_fields=["role", "role_until"])
