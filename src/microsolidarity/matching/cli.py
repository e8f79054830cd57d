"""Command-line entry points of the engine: form_crews, plan_rounds, group_matrix.

They read CSV or MDGPLIB files and need no database. Exit codes: 0 done, 2 bad
input (nothing written), 3 fewer rounds found than asked (best plan written).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

from .csv_io import InputError

EXIT_BAD_INPUT = 2
EXIT_FEWER_ROUNDS = 3


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(EXIT_BAD_INPUT)


def _monday(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-03-02") from None
    if day.weekday() != 0:
        raise argparse.ArgumentTypeError(f"{text} is not a Monday")
    return day


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _parser(command: str) -> _Parser:
    parser = _Parser(prog=f"microsolidarity {command}")
    if command == "form_crews":
        parser.add_argument("people", metavar="PEOPLE.csv")
        parser.add_argument("--out", required=True, metavar="CREWS.csv")
        parser.add_argument("--min", type=int, default=3, dest="min_size")
        parser.add_argument("--max", type=int, default=6, dest="max_size")
        parser.add_argument("--target", type=int, default=None, dest="target_size")
        parser.add_argument(
            "--history", action="extend", nargs="+", default=[], metavar="CREWS_BEFORE.csv"
        )
        parser.add_argument("--keep", metavar="KEEP.csv", help="crews to keep as they are")
        parser.add_argument("--week", type=_monday, default=None, metavar="YYYY-MM-DD")
        parser.add_argument("--min-common-minutes", type=int, default=60)
        parser.add_argument("--mode", choices=("similar", "diverse"), default="similar")
        parser.add_argument("--exact", action="store_true", help="OR-Tools CP-SAT (N <= 30)")
        parser.add_argument("--report", metavar="REPORT.json")
    elif command == "plan_rounds":
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--people", type=_positive, metavar="N")
        who.add_argument("--people-file", metavar="PEOPLE.csv")
        parser.add_argument("--size", type=_positive, required=True, metavar="S")
        parser.add_argument("--rounds", type=_positive, required=True, metavar="R")
        parser.add_argument("--out", required=True, metavar="ROUNDS.csv")
        parser.add_argument("--history", action="extend", nargs="+", default=[])
        parser.add_argument("--week", type=_monday, default=None, metavar="YYYY-MM-DD")
        parser.add_argument("--min-common-minutes", type=int, default=60)
    elif command == "group_matrix":
        parser.add_argument("matrix", metavar="MATRIX.txt")
        parser.add_argument("--mode", choices=("similar", "diverse"), required=True)
        parser.add_argument("--out", required=True, metavar="GROUPS.csv")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--time-limit", type=float, default=None, metavar="SECONDS")
    parser.add_argument("--quiet", action="store_true")
    return parser


def _say(args: argparse.Namespace, text: str) -> None:
    if not args.quiet:
        print(text)


def form_crews_command(argv: list[str]) -> int:
    from .crews import form_crews
    from .csv_io import crews_rows, read_crews, read_people, write_atomically
    from .model import CrewRules, coming_monday
    from .progress import ProgressBar
    from .reasons import describe_unplaced

    args = _parser("form_crews").parse_args(argv)
    people = read_people(args.people)
    known = {p.id for p in people}
    history = [crew for path in args.history for crew in read_crews(path)]
    keep = read_crews(args.keep, known) if args.keep else []
    try:
        rules = CrewRules(
            min_size=args.min_size,
            max_size=args.max_size,
            target_size=args.target_size,
            min_common_minutes=args.min_common_minutes,
            week=args.week or coming_monday(),
            history=tuple(history),
            keep=tuple(keep),
            mode=args.mode,
        )
    except ValueError as error:
        raise InputError("(options)", 1, 1, str(error)) from None
    bar = ProgressBar("form_crews", enabled=not args.quiet)
    plan = form_crews(
        people,
        rules,
        seed=args.seed,
        time_limit=args.time_limit,
        progress=bar,
        solver="exact" if args.exact else "auto",
    )
    bar.finish()
    write_atomically(args.out, crews_rows(plan))
    if args.report:
        report = plan.as_dict() | {"week": rules.week_monday.isoformat()}
        for row, person in zip(report["unplaced"], plan.unplaced, strict=True):
            row["reason"] = describe_unplaced(person)
        Path(args.report).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    for person in plan.unplaced:
        print(f"unplaced {person.id}: {describe_unplaced(person)}", file=sys.stderr)
    placed = sum(len(c.members) for c in plan.crews)
    _say(
        args,
        f"crews={len(plan.crews)} placed={placed} unplaced={len(plan.unplaced)} "
        f"worst={plan.worst:.4f} mean={plan.mean_score:.4f}",
    )
    _say(args, f"objective={plan.total:.6f}")
    return 0


def plan_rounds_command(argv: list[str]) -> int:
    from .csv_io import read_crews, read_people, rounds_rows, write_atomically
    from .model import CrewRules, coming_monday
    from .progress import ProgressBar
    from .rotations import plan_rounds

    args = _parser("plan_rounds").parse_args(argv)
    ids = None
    bar = ProgressBar("plan_rounds", enabled=not args.quiet)
    if args.people_file:
        people = read_people(args.people_file)
        ids = [p.id for p in people]
        count = len(people)
    else:
        count = args.people
        people = []
    if args.size == 2 and people:
        history = [crew for path in args.history for crew in read_crews(path)]
        rules = CrewRules(
            min_size=2,
            max_size=3,
            min_common_minutes=args.min_common_minutes,
            week=args.week or coming_monday(),
            history=tuple(history),
        )
        plan = next_pairs_rounds(people, rules, args.rounds, args.seed, bar)
    else:
        try:
            plan = plan_rounds(
                count,
                args.size,
                args.rounds,
                seed=args.seed,
                time_limit=args.time_limit,
                progress=bar,
            )
        except ValueError as error:
            raise InputError("(options)", 1, 1, str(error)) from None
    bar.finish()
    write_atomically(args.out, rounds_rows(plan, ids))
    best = f" known best {plan.known_best}," if plan.known_best else ""
    _say(
        args,
        f"rounds={plan.found} asked={plan.asked}{best} counting bound {plan.bound} ({plan.method})",
    )
    if plan.found < plan.asked:
        print(
            f"found only {plan.found} of {plan.asked} rounds without a repeated pair; "
            f"the plan written has {plan.found}",
            file=sys.stderr,
        )
        return EXIT_FEWER_ROUNDS
    return 0


def next_pairs_rounds(people, rules, rounds, seed, progress):
    """Pairs one round at a time (max-weight matching under availability and history)."""
    from .model import RotationPlan
    from .pairs import next_pairs
    from .rotations import counting_bound

    index = {p.id: i for i, p in enumerate(people)}
    found = []
    history = list(rules.history)
    for r in range(rounds):
        result = next_pairs(people, replace(rules, history=tuple(history)), seed=seed + r)
        if not result.pairs:
            break
        found.append(tuple(tuple(sorted(index[pid] for pid in pair)) for pair in result.pairs))
        history.extend(result.pairs)
        progress((r + 1) / rounds)
    return RotationPlan(
        rounds=tuple(found),
        people=len(people),
        size=2,
        asked=rounds,
        bound=counting_bound(len(people), 2),
        method="max-weight matching per round",
    )


def group_matrix_command(argv: list[str]) -> int:
    from .csv_io import groups_rows, write_atomically
    from .diverse import group_matrix
    from .mdgplib import read_mdgplib
    from .progress import ProgressBar

    args = _parser("group_matrix").parse_args(argv)
    instance = read_mdgplib(args.matrix)
    bar = ProgressBar("group_matrix", enabled=not args.quiet)
    grouping = group_matrix(
        instance, mode=args.mode, seed=args.seed, time_limit=args.time_limit, progress=bar
    )
    bar.finish()
    write_atomically(args.out, groups_rows(grouping))
    print(f"objective={grouping.objective:.6f}")
    return 0


COMMANDS: dict[str, Callable[[list[str]], int]] = {
    "form_crews": form_crews_command,
    "plan_rounds": plan_rounds_command,
    "group_matrix": group_matrix_command,
}


def main(argv: list[str]) -> int:
    """Run `argv[0]` with the rest of argv; returns the exit code."""
    if not argv or argv[0] not in COMMANDS:
        print(f"usage: microsolidarity {{{','.join(COMMANDS)}}} ...", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        return COMMANDS[argv[0]](argv[1:])
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except SystemExit as exit_:
        return int(exit_.code) if isinstance(exit_.code, int) else EXIT_BAD_INPUT
