"""The grouping engine: pure Python and numpy, no Django, so it runs from a CSV as well as the site.

The stable API (see docs/matching.md):

- `form_crews(people, rules, seed=, time_limit=, progress=, solver=)` -> `CrewPlan`
- `check_crews(people, crews, rules)` -> list of `Violation` (empty when every rule holds)
- `plan_rounds(people, size, rounds, seed=, time_limit=, progress=)` -> `RotationPlan`
- `next_pairs(people, rules, seed=)` -> `PairRound` (one round of dyads)
- `group_matrix(instance, mode=, seed=, time_limit=, progress=)` -> `Grouping`
- `read_mdgplib(path)`, `parse_availability(text)`, `format_availability(windows)`

Inputs are plain dataclasses (`Person`, `CrewRules`, `Window`, `MatrixInstance`);
`progress` is any callable taking a fraction in [0, 1].
"""

import importlib
from typing import TYPE_CHECKING

# Names are loaded on first use, so `microsolidarity.matching.cli` (which the
# `microsolidarity` command imports on every run) stays cheap to import.
_HOMES = {
    "AvailabilityError": "availability",
    "Window": "availability",
    "format_availability": "availability",
    "parse_availability": "availability",
    "form_crews": "crews",
    "group_matrix": "diverse",
    "check_crews": "explain",
    "describe_unplaced": "reasons",
    "MatrixInstance": "mdgplib",
    "read_mdgplib": "mdgplib",
    "Change": "model",
    "Crew": "model",
    "CrewPlan": "model",
    "CrewRules": "model",
    "Explanation": "model",
    "Grouping": "model",
    "Person": "model",
    "Progress": "model",
    "RotationPlan": "model",
    "Unplaced": "model",
    "Violation": "model",
    "Weights": "model",
    "PairRound": "pairs",
    "next_pairs": "pairs",
    "counting_bound": "rotations",
    "plan_rounds": "rotations",
}

if TYPE_CHECKING:
    from .availability import AvailabilityError, Window, format_availability, parse_availability
    from .crews import form_crews
    from .diverse import group_matrix
    from .explain import check_crews
    from .mdgplib import MatrixInstance, read_mdgplib
    from .model import (
        Change,
        Crew,
        CrewPlan,
        CrewRules,
        Explanation,
        Grouping,
        Person,
        Progress,
        RotationPlan,
        Unplaced,
        Violation,
        Weights,
    )
    from .pairs import PairRound, next_pairs
    from .reasons import describe_unplaced
    from .rotations import counting_bound, plan_rounds


def __getattr__(name: str):
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "AvailabilityError",
    "Change",
    "Crew",
    "CrewPlan",
    "CrewRules",
    "Explanation",
    "Grouping",
    "MatrixInstance",
    "PairRound",
    "Person",
    "Progress",
    "RotationPlan",
    "Unplaced",
    "Violation",
    "Weights",
    "Window",
    "check_crews",
    "counting_bound",
    "describe_unplaced",
    "form_crews",
    "format_availability",
    "group_matrix",
    "next_pairs",
    "parse_availability",
    "plan_rounds",
    "read_mdgplib",
]
