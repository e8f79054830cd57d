"""What a closed retrospective decides, and the words that tell the crew (see retrospectives)."""

from collections import Counter

from django.utils.translation import gettext as _

from microsolidarity.crewing.models import Choice

ENDED, PAUSED, CONTINUED = "ended", "paused", "continued"


def outcome_decide(choices: dict[int, str], members: list[int]) -> dict:
    """The rule (see the module's docstring), on plain ids: who continues, leaves, pauses."""
    counts = Counter(choices.values())
    answered = len(choices)
    base = {"counts": dict(counts), "answered": answered, "members": len(members)}
    if counts[Choice.SPLIT]:
        return {**base, "result": ENDED, "why": "split", "leaving": members}
    if answered and counts[Choice.PAUSE] * 2 > answered:
        return {**base, "result": PAUSED, "why": "pause", "pausing": members}
    if counts[Choice.CONTINUE] < 2:
        return {**base, "result": ENDED, "why": "too_few_continue", "leaving": members}
    continuing = [pk for pk in members if choices.get(pk) == Choice.CONTINUE]
    leaving = [pk for pk in members if choices.get(pk) == Choice.REFORM]
    pausing = [pk for pk in members if pk not in continuing and pk not in leaving]
    return {
        **base,
        "result": CONTINUED,
        "continuing": continuing,
        "leaving": leaving,
        "pausing": pausing,
    }


def outcome_text(outcome: dict) -> str:
    result = outcome.get("result")
    if result == ENDED:
        if outcome.get("why") == "split":
            return _("Someone chose to split, so the crew ends here. Thank you all.")
        return _("Fewer than two chose to continue, so the crew ends here. Thank you all.")
    if result == PAUSED:
        return _("Most of you chose to pause: the crew rests until you start a new cycle.")
    if result == CONTINUED:
        return _("Those who continue begin cycle %(number)s; the others are back in the pool.") % {
            "number": outcome.get("next_cycle", "")
        }
    return ""
