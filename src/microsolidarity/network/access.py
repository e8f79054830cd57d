"""Who may change how a congregation is listed, and who runs the federation: plain functions."""

from microsolidarity.groups import access as group_access
from microsolidarity.groups.models import Group, Scale


def can_manage_listing(person, group: Group | None) -> bool:
    """A congregation's hosts (and operators) decide how it shows in the directory."""
    return (
        group is not None
        and group.scale == Scale.CONGREGATION
        and group_access.can_manage(person, group)
    )


def can_operate_federation(person) -> bool:
    """Operators (staff) approve follows, follow remote groups and block servers."""
    return bool(getattr(person, "is_staff", False))
