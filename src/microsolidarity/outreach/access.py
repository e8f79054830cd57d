"""Who may subscribe, write a newsletter, and manage a group's chat rules and webhooks."""

from microsolidarity.groups import access as group_access
from microsolidarity.groups.models import Group, Scale

NEWSLETTER_SCALES = (Scale.CONGREGATION, Scale.NETWORK)


def has_newsletter(group: Group) -> bool:
    return group.scale in NEWSLETTER_SCALES


def can_subscribe(person, group: Group) -> bool:
    """Anyone who can see a congregation or network may subscribe to its newsletter."""
    return has_newsletter(group) and group_access.group_visible(person, group)


def can_write_issues(person, group: Group) -> bool:
    return has_newsletter(group) and group_access.can_manage(person, group)


def can_manage_chat(person, group: Group) -> bool:
    return group_access.can_manage(person, group)


def can_manage_webhooks(person, group: Group | None) -> bool:
    """A group's hosts manage its endpoints; endpoints for the whole site are the operators'."""
    if group is None:
        return getattr(person, "is_staff", False)
    return group_access.can_manage(person, group)
