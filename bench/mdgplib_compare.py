"""Our maximally diverse grouping against reference values on MDGPLIB files.

Runs the function `microsolidarity group_matrix --mode diverse` runs, on every
`bench/mdgplib/*.txt` file (or the files given), with a fixed seed and a time limit
of n/10 seconds (at least 1, at most --cap), and prints a markdown table with the gap
to the value in bench/mdgplib/best_known.csv. Each result is checked: every item in
exactly one group, group sizes within the header's bounds, objective equal to the sum
recomputed from the groups.

python -m bench.mdgplib_compare
python -m bench.mdgplib_compare --seed 3 --cap 30 bench/mdgplib/RanInt_n120_ds_01.txt
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

from microsolidarity.matching.diverse import group_matrix, objective_value
from microsolidarity.matching.mdgplib import read_mdgplib

HERE = Path(__file__).resolve().parent / "mdgplib"


def best_known(path: Path = HERE / "best_known.csv") -> dict[str, tuple[float | None, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return {
            row["instance"]: (
                float(row["best_known"]) if row["best_known"] else None,
                row["source"],
            )
            for row in csv.DictReader(handle)
        }


def check(instance, groups, objective: float) -> None:
    """Raise if the grouping is not a feasible MDGP solution with the objective reported."""
    items = sorted(i for g in groups for i in g)
    if items != list(range(instance.n)):
        raise AssertionError("not every item is in exactly one group")
    for g, (lo, hi) in enumerate(zip(instance.lower, instance.upper, strict=True)):
        if not lo <= len(groups[g]) <= hi:
            raise AssertionError(f"group {g} has {len(groups[g])} members, outside [{lo}, {hi}]")
    if abs(objective_value(instance.matrix, groups) - objective) > 1e-6 * max(1.0, objective):
        raise AssertionError("objective differs from the sum recomputed from the groups")


def run(path: Path, seed: int, cap: float) -> dict:
    instance = read_mdgplib(path)
    limit = min(cap, max(1.0, instance.n / 10))
    start = time.perf_counter()
    grouping = group_matrix(instance, mode="diverse", seed=seed, time_limit=limit)
    elapsed = time.perf_counter() - start
    check(instance, grouping.groups, grouping.objective)
    return {
        "instance": path.name.removesuffix(".gz").removesuffix(".txt"),
        "n": instance.n,
        "G": len(instance.lower),
        "kind": instance.kind,
        "ours": grouping.objective,
        "limit": limit,
        "time": elapsed,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cap", type=float, default=30.0, help="longest time limit, seconds")
    args = parser.parse_args(argv)
    files = args.files or sorted(HERE.glob("*.txt*"))
    known = best_known()
    print(f"seed {args.seed}; time limit n/10 s, at least 1 s, at most {args.cap:g} s\n")
    print("| instance | n | G | ours | best known | gap % | time s | reference |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for path in files:
        row = run(path, args.seed, args.cap)
        value, source = known.get(row["instance"], (None, "none"))
        gap = "n/a"
        if value:
            percent = 100 * (value - row["ours"]) / value
            gap = f"{0.0 if abs(percent) < 5e-4 else percent:.3f}"
        shown = f"{value:.2f}" if value is not None else "n/a"
        print(
            f"| {row['instance']} | {row['n']} | {row['G']} | {row['ours']:.2f} | {shown} "
            f"| {gap} | {row['time']:.1f} | {source.split(':')[0]} |"
        )
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
