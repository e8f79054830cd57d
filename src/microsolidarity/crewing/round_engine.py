"""The engine adapter: a round's sign-ups, pins and history as the engine's plain data, and a
host's change to the proposal re-explained and re-checked by the engine's own rules."""

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from microsolidarity.crewing.history import met_groups
from microsolidarity.crewing.models import (
    FormationRound,
    PinKind,
    ProposedCrew,
    ProposedMember,
    RoundEntry,
    RoundPin,
)
from microsolidarity.matching import (
    AvailabilityError,
    CrewRules,
    Person,
    check_crews,
    form_crews,
    parse_availability,
)
from microsolidarity.matching.explain import explain_crew
from microsolidarity.matching.model import coming_monday


def week_of(round_: FormationRound) -> date:
    """The Monday whose dates turn everyone's local windows into UTC for this round."""
    return coming_monday(round_.first_meeting_after or timezone.localdate())


def engine_rules(round_: FormationRound, history: tuple[tuple[str, ...], ...] = ()) -> CrewRules:
    return CrewRules(
        min_size=round_.size_min,
        max_size=round_.size_max,
        min_common_minutes=round_.min_common_minutes,
        week=week_of(round_),
        history=history,
    )


@dataclass(frozen=True)
class EngineInput:
    people: list[Person]
    rules: CrewRules
    names: dict[str, str]


def engine_input(round_: FormationRound) -> EngineInput:
    """Entries, pins and history as the engine's plain data."""
    entries = list(RoundEntry.objects.filter(round=round_).select_related("person"))
    ids = {str(entry.person_id) for entry in entries}
    together: dict[str, set[str]] = {key: set() for key in ids}
    apart: dict[str, set[str]] = {key: set() for key in ids}
    for kind, first_id, second_id in RoundPin.objects.filter(round=round_).values_list(
        "kind", "first_id", "second_id"
    ):
        a, b = str(first_id), str(second_id)
        if a not in ids or b not in ids:
            continue
        target = together if kind == PinKind.TOGETHER else apart
        target[a].add(b)
        target[b].add(a)
    people = []
    for entry in entries:
        key = str(entry.person_id)
        try:
            windows = parse_availability(entry.availability)
        except AvailabilityError:
            windows = ()
        people.append(
            Person(
                id=key,
                name=str(entry.person),
                timezone=entry.timezone,
                languages=frozenset(entry.languages),
                interests=frozenset(entry.interests),
                availability=windows,
                together=frozenset(together[key]),
                apart=frozenset(apart[key]),
            )
        )
    history = tuple(met_groups(round_.congregation, ids))
    return EngineInput(
        people=people,
        rules=engine_rules(round_, history),
        names={str(entry.person_id): str(entry.person) for entry in entries},
    )


def _warnings(violations, names: dict[str, str], rules: CrewRules) -> list[str]:
    def name(key: str) -> str:
        return names.get(key, key)

    out: list[str] = []
    for violation in violations:
        words = violation.detail.split()
        if violation.rule == "size":
            out.append(
                _("%(detail)s: crews here have %(min)s to %(max)s people.")
                % {"detail": violation.detail, "min": rules.min_size, "max": rules.max_size}
            )
        elif violation.rule == "together" and len(words) == 3:
            out.append(
                _("%(a)s is pinned together with %(b)s, who is not in this crew.")
                % {"a": name(words[0]), "b": name(words[2])}
            )
        elif violation.rule == "apart" and len(words) == 3:
            if words[0] < words[2]:
                out.append(
                    _("%(a)s and %(b)s are pinned apart.")
                    % {"a": name(words[0]), "b": name(words[2])}
                )
        elif violation.rule == "history" and len(words) >= 3:
            out.append(
                _("%(a)s and %(b)s have been in a crew together before.")
                % {"a": name(words[0]), "b": name(words[2])}
            )
        elif violation.rule == "time":
            out.append(
                _("They share no %(min)s minutes in a row each week (the longest is %(run)s).")
                % {"min": rules.min_common_minutes, "run": words[-2] if words else "0"}
            )
        elif violation.rule == "language":
            out.append(_("There is no language everyone in this crew speaks."))
        else:
            out.append(f"{violation.rule}: {violation.detail}")
    return out


def _crew_score(members: list[Person], rules: CrewRules, fallback: float) -> float:
    """The engine's score for a given crew: form exactly one crew of these people, no rules."""
    if len(members) < 2:
        return 0.0
    loose = [replace(p, together=frozenset(), apart=frozenset()) for p in members]
    solo = CrewRules(
        min_size=len(loose),
        max_size=len(loose),
        min_common_minutes=0,
        week=rules.week,
        require_shared_language=False,
    )
    try:
        plan = form_crews(loose, solo, seed=0)
    except ValueError:
        return fallback
    return plan.crews[0].score if len(plan.crews) == 1 else fallback


def proposal_refresh(round_: FormationRound, crews: list[ProposedCrew]) -> None:
    """Re-explain the crews a change touched, record broken rules as warnings, bump the version."""
    data = engine_input(round_)
    by_id = {p.id: p for p in data.people}
    crew_of = _crew_of(round_)
    crews_by_number: dict[int, list[str]] = {}
    for key, number in crew_of.items():
        crews_by_number.setdefault(number, []).append(key)
    ordered = sorted(crews_by_number)
    # Pins are checked against the whole proposal: a partner may sit in another crew.
    violations = check_crews(
        [by_id[key] for key in crew_of if key in by_id],
        [crews_by_number[n] for n in ordered],
        data.rules,
    )
    for crew in crews:
        member_ids = [
            str(pid)
            for pid in ProposedMember.objects.filter(crew=crew)
            .order_by("person_id")
            .values_list("person_id", flat=True)
        ]
        if not member_ids:
            crew.delete()
            continue
        members = [by_id[key] for key in member_ids if key in by_id]
        index = ordered.index(crew.number)
        crew.explanation = {
            **explain_crew(members, data.rules.week_monday).as_dict(),
            "warnings": _warnings(
                [v for v in violations if v.crew == index], data.names, data.rules
            ),
        }
        crew.score = _crew_score(members, data.rules, crew.score)
        crew.save(update_fields=["explanation", "score"])
    remaining = list(ProposedCrew.objects.filter(round=round_))
    # A pin partner's crew elsewhere gains (or loses) a warning too.
    touched = {crew.pk for crew in crews}
    for crew in remaining:
        if crew.pk in touched or crew.number not in crews_by_number:
            continue
        index = ordered.index(crew.number)
        warnings = _warnings([v for v in violations if v.crew == index], data.names, data.rules)
        if warnings != (crew.explanation or {}).get("warnings", []):
            crew.explanation = {**(crew.explanation or {}), "warnings": warnings}
            crew.save(update_fields=["explanation"])
    worst_crew_mark(round_, remaining)
    sizes = Counter(
        ProposedMember.objects.filter(crew__round=round_).values_list("crew_id", flat=True)
    )
    round_.total_score = sum(crew.score * sizes[crew.pk] for crew in remaining)
    round_.worst_score = min((crew.score for crew in remaining), default=None)
    round_.proposal_version += 1
    round_.save(update_fields=["total_score", "worst_score", "proposal_version"])


def _crew_of(round_: FormationRound) -> dict[str, int]:
    return {
        str(person_id): number
        for person_id, number in ProposedMember.objects.filter(crew__round=round_).values_list(
            "person_id", "crew__number"
        )
    }


def worst_crew_mark(round_: FormationRound, crews: list[ProposedCrew]) -> None:
    """The lowest-scoring crew is highlighted for the host, when there is a choice of crews."""
    ProposedCrew.objects.filter(round=round_).update(is_worst=False)
    scored = [crew for crew in crews if crew.pk is not None]
    if len(scored) < 2:
        return
    worst = min(scored, key=lambda crew: (crew.score, crew.number))
    ProposedCrew.objects.filter(pk=worst.pk).update(is_worst=True)
