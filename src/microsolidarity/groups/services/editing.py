"""Changing a group's own settings: the hosts' edit page and the API's PATCH share it."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from microsolidarity.errors import NotAllowed, RuleBroken
from microsolidarity.groups.models import Group, Scale
from microsolidarity.groups.services.creation import visibility_check, visibility_check_children
from microsolidarity.people.models import Person
from microsolidarity.zones import zone_checked

# What no edit changes: where a group sits, what it is, and its history.
FIXED = frozenset({"id", "slug", "scale", "parent", "created_by", "created_at"})
# Only a congregation has crews to size and tiers to name.
CONGREGATION_ONLY = frozenset({"crew_warn_above", "crew_max", "congregation_warn_above", "tiers"})


@transaction.atomic
def group_update(*, by: Person, group: Group, changes: dict[str, Any]) -> Group:
    """Apply `changes` (field name to new value) to a group its host edits; return the group.

    A visibility is checked against the group it sits in and the groups inside it, so a
    change never leaves a hidden group inside a wider one. Refusals name their field.
    """
    unknown = set(changes) - ({field.name for field in Group._meta.concrete_fields} - FIXED)
    if unknown:
        raise ValueError(f"group_update cannot change {sorted(unknown)}")
    if not by.has_perm("groups.manage_group", group):
        raise NotAllowed(_("Only the hosts of %(name)s can change it.") % {"name": group.name})
    misplaced = sorted(CONGREGATION_ONLY & set(changes))
    if misplaced and group.scale != Scale.CONGREGATION:
        raise RuleBroken(_("Only a congregation has this setting."), field=misplaced[0])
    if "timezone" in changes:
        zone_checked(changes["timezone"])
    if "visibility" in changes:
        visibility_check(visibility=changes["visibility"], parent=group.parent)
        visibility_check_children(group=group, visibility=changes["visibility"])
    for name, value in changes.items():
        setattr(group, name, value)
    try:
        group.full_clean()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise RuleBroken(" ".join(messages), field=field) from error
    if changes:
        group.save(update_fields=sorted(changes))
    return group
