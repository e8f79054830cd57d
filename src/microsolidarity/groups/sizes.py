"""Size guidance per scale: a dyad is two, a crew warns above 6 and stops at 8, and so on."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from microsolidarity.groups.models import Group, Scale


@dataclass(frozen=True)
class SizeRule:
    warn_above: int | None
    maximum: int | None


def size_rule(group: Group) -> SizeRule:
    """The rule for this group; congregations may set their own numbers for crews and themselves."""
    defaults = settings.GROUP_SIZE_DEFAULTS
    if group.scale == Scale.DYAD:
        return SizeRule(warn_above=None, maximum=2)
    if group.scale == Scale.CREW:
        congregation = group.parent
        warn = (congregation and congregation.crew_warn_above) or defaults["crew_warn_above"]
        maximum = (congregation and congregation.crew_max) or defaults["crew_max"]
        return SizeRule(warn_above=min(warn, maximum), maximum=maximum)
    if group.scale == Scale.CONGREGATION:
        warn = group.congregation_warn_above or defaults["congregation_warn_above"]
        return SizeRule(warn_above=warn, maximum=None)
    return SizeRule(warn_above=None, maximum=None)


def size_refusal(group: Group, new_size: int) -> str | None:
    rule = size_rule(group)
    if rule.maximum is not None and new_size > rule.maximum:
        if group.scale == Scale.DYAD:
            return _("A dyad is two people; start a crew for three or more.")
        return _(
            "%(name)s already has %(count)s places taken, and a %(scale)s holds at most "
            "%(max)s. Consider splitting into two."
        ) % {
            "name": group.name,
            "count": new_size - 1,
            "scale": group.get_scale_display().lower(),
            "max": rule.maximum,
        }
    return None


def size_warning(group: Group, new_size: int) -> str | None:
    rule = size_rule(group)
    if rule.warn_above is not None and new_size > rule.warn_above:
        return _(
            "%(name)s now has %(count)s people, more than the %(warn)s that tends to work "
            "for a %(scale)s."
        ) % {
            "name": group.name,
            "count": new_size,
            "warn": rule.warn_above,
            "scale": group.get_scale_display().lower(),
        }
    return None
