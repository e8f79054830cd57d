"""How long a crew meeting may last: one rule for calls, cycles and formation rounds."""

from django.utils.translation import gettext as _

from microsolidarity.errors import RuleBroken

SHORTEST_MEETING = 15
LONGEST_MEETING = 6 * 60


def meeting_length_check(minutes) -> int:
    """The length in whole minutes, or a refusal that says the range."""
    try:
        value = int(minutes)
    except (TypeError, ValueError):
        value = -1
    if not SHORTEST_MEETING <= value <= LONGEST_MEETING:
        raise RuleBroken(
            _("A meeting can last from 15 minutes to 6 hours."), field="meeting_minutes"
        )
    return value
