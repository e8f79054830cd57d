"""`python -m bench`: the matching engine against its baselines, printed as markdown tables.

python -m bench                 every size in the issue (100,000 people takes many minutes)
python -m bench --quick         small sizes only
python -m bench --sizes 150,2000 --no-rotations
python -m bench --only rotations,pairs,matrix
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FULL_SIZES = (12, 18, 24, 30, 150, 2000, 20000, 100000)
QUICK_SIZES = (12, 24, 150, 2000)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    src = str(ROOT / "src")
    env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def crews_table(sizes: list[int], families: list[str]) -> None:
    """Print one crew-formation row per method as each size finishes, then the CP-SAT table."""
    rows = [
        "| family | people | method | time (s) | CPU (s) | peak memory (MB) | hard violations "
        "| crews with time and language | placed | interest (cosine) / planted | interest "
        "(Jaccard) / planted | worst crew | worst crew / planted worst |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    exact_rows = [
        "| people | instance | engine total | engine time (s) | CP-SAT total | CP-SAT time (s) "
        "| proven optimal | engine / optimum |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for family, n in [(f, n) for n in sizes for f in families]:
        cmd = [sys.executable, "-m", "bench.crews_case", "--n", str(n), "--baselines"]
        cmd += ["--family", family]
        if n <= 30:
            cmd.append("--exact")
        done = subprocess.run(cmd, capture_output=True, text=True, env=_env(), cwd=ROOT)  # noqa: S603
        if done.returncode:
            rows.append(f"| {family} | {n} | failed: {done.stderr.strip().splitlines()[-1]} |")
            print("\n".join(rows), flush=True)
            rows.clear()
            continue
        out = json.loads(done.stdout.strip().splitlines()[-1])
        for name in ("engine", "greedy", "random", "cpsat", "planted"):
            if name not in out:
                continue
            q = out[name]
            seconds = out["seconds"] if name == "engine" else q.get("seconds")
            memory = f"{out['peak_mb']:.0f}" if name == "engine" else ""
            cpu = f"{out['cpu_seconds']:.2f}" if name == "engine" else ""
            planted_worst = out["planted"]["worst"]
            worst_ratio = q["worst"] / planted_worst if planted_worst else 1.0
            rows.append(
                f"| {family} | {n} | {name} | {'' if seconds is None else f'{seconds:.2f}'} "
                f"| {cpu} | {memory} | {q['violations']} | {q['crews_ok']:.0%} "
                f"| {q['placed']}/{n} | {q['interest_ratio']:.3f} | {q['jaccard_ratio']:.3f} "
                f"| {q['worst']:.3f} | {worst_ratio:.3f} |"
            )
        if "cpsat" in out:
            c = out["cpsat"]
            e = out["engine"]
            ratio = e["total"] / c["total"] if c["total"] else 1.0
            exact_rows.append(
                f"| {n} | {family} | {e['total']:.3f} | {out['seconds']:.2f} | {c['total']:.3f} "
                f"| {c['seconds']:.2f} | {c['optimal']} | {ratio:.4f} |"
            )
            loose = out["loose"]
            ratio = loose["engine_total"] / loose["cpsat_total"] if loose["cpsat_total"] else 1.0
            exact_rows.append(
                f"| {n} | no time/language rules | {loose['engine_total']:.3f} "
                f"| {loose['engine_seconds']:.2f} | {loose['cpsat_total']:.3f} "
                f"| {loose['cpsat_seconds']:.2f} | {loose['cpsat_optimal']} | {ratio:.4f} |"
            )
        print("\n".join(rows), flush=True)
        rows.clear()
    print("\n" + "\n".join(exact_rows), flush=True)


def rotations_table(time_limit: float) -> list[str]:
    from microsolidarity.matching.rotations import KNOWN_BEST, plan_rounds

    rows = [
        "| groups x size | people | known best (A107431) | counting bound | found | method "
        "| time (s) | met |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for (g, s), best in sorted(KNOWN_BEST.items()):
        started = time.perf_counter()
        plan = plan_rounds(g * s, s, best, time_limit=time_limit)
        seconds = time.perf_counter() - started
        rows.append(
            f"| {g} x {s} | {g * s} | {best} | {plan.bound} | {plan.found} | {plan.method} "
            f"| {seconds:.2f} | {'yes' if plan.found >= best else 'no'} |"
        )
    return rows


def pairs_table(sizes: list[int]) -> list[str]:
    from microsolidarity.matching import CrewRules, next_pairs
    from microsolidarity.matching.synthetic import planted_congregation

    rows = ["| people | time (s) | paired | exact |", "|---|---|---|---|"]
    for n in sizes:
        congregation = planted_congregation(n, seed=3)
        started = time.perf_counter()
        result = next_pairs(
            congregation.people, CrewRules(min_size=2, max_size=2, week=congregation.week)
        )
        seconds = time.perf_counter() - started
        rows.append(f"| {n} | {seconds:.2f} | {2 * len(result.pairs)}/{n} | {result.exact} |")
    return rows


def matrix_table(time_limit: float | None, folder: str | None) -> None:
    """MDGPLIB files (bench/mdgplib by default) against their reference values."""
    from bench import mdgplib_compare

    argv = sorted(str(p) for p in Path(folder).glob("*.txt*")) if folder else []
    if time_limit is not None:
        argv += ["--cap", f"{time_limit:g}"]
    mdgplib_compare.main(argv)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="small sizes only")
    parser.add_argument("--sizes", help="comma-separated crew sizes, e.g. 150,2000")
    parser.add_argument("--no-rotations", action="store_true")
    parser.add_argument(
        "--families", default="planted,narrow", help="planted congregation families to run"
    )
    parser.add_argument("--rotation-time", type=float, default=10.0)
    parser.add_argument("--mdgplib", help="folder of MDGPLIB .txt files (default bench/mdgplib)")
    parser.add_argument(
        "--only",
        help="comma-separated parts to run: crews, rotations, pairs, matrix (default all)",
    )
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    if args.sizes:
        sizes = [int(s) for s in args.sizes.split(",")]
    else:
        sizes = list(QUICK_SIZES if args.quick else FULL_SIZES)
    print(f"Machine: {machine()}\n")
    parts = set(args.only.split(",")) if args.only else {"crews", "rotations", "pairs", "matrix"}
    if args.no_rotations:
        parts -= {"rotations", "pairs", "matrix"}
    if "crews" in parts:
        print("## Crew formation (planted congregations, seed 1)\n")
        crews_table(sizes, args.families.split(","))
    if "rotations" in parts:
        limit = 2.0 if args.quick else args.rotation_time
        print(f"\n## Rotations (time limit {limit:g} s each)\n")
        print("\n".join(rotations_table(limit)))
    if "pairs" in parts:
        print("\n## Next round of pairs\n")
        print("\n".join(pairs_table([1000, 10000] if args.quick else [1000, 10000, 100000])))
    if "matrix" in parts:
        print("\n## Matrix grouping (maximally diverse, MDGPLIB)\n")
        matrix_table(2.0 if args.quick else None, args.mdgplib)
    return 0


if __name__ == "__main__":
    sys.exit(main())
