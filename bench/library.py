"""The library's heavy paths on a scratch SQLite database: importing essays, searching them,
and building a book's EPUB and PDF.

python -m bench.library [--essays 200] [--book-sizes 5,50]

Essays are made-up text of about 600 words each. Prints a markdown table.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = [
    "crew",
    "congregation",
    "network",
    "dyad",
    "self",
    "host",
    "steward",
    "gathering",
    "belonging",
    "practice",
    "peers",
    "care",
    "trust",
    "rhythm",
    "circle",
    "listen",
    "speak",
    "rotate",
    "welcome",
    "season",
    "return",
    "story",
    "question",
    "support",
    "neighbour",
    "garden",
    "kitchen",
    "letter",
    "morning",
    "evening",
    "promise",
]


def machine() -> str:
    cpu = platform.machine()
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def _essay(rng: random.Random, number: int) -> str:
    paragraphs = []
    for _ in range(6):
        paragraphs.append(" ".join(rng.choice(WORDS) for _ in range(100)).capitalize() + ".")
    body = "\n\n## A part\n\n".join(paragraphs)
    return (
        f"---\ntitle: Essay {number}\nauthor: Bench Author\nlicence: CC-BY-SA-4.0\n---\n\n{body}\n"
    )


def _timed(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--essays", type=int, default=200)
    parser.add_argument("--book-sizes", default="5,50")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="ms-bench-library-"))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "microsolidarity.settings",
            "VAR_DIR": str(scratch),
            "TASK_BACKEND": "immediate",
            "LOG_LEVEL": "WARNING",
        }
    )
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from microsolidarity.library.books import book_build, book_create
    from microsolidarity.library.essays import essays_import
    from microsolidarity.library.models import Book, Essay
    from microsolidarity.library.search import essay_search
    from microsolidarity.people.services import person_create

    steward = person_create(email="bench@example.org", password=None, display_name="Bench")
    steward.is_staff = True
    steward.save(update_fields=["is_staff"])
    rng = random.Random(2026)
    folder = scratch / "essays"
    folder.mkdir()
    for number in range(args.essays):
        (folder / f"essay-{number:04d}.md").write_text(_essay(rng, number))

    rows = [
        (f"import {args.essays} essays", _timed(lambda: essays_import(directory=folder))),
        ("import again, unchanged", _timed(lambda: essays_import(directory=folder))),
    ]
    queries = [" ".join(rng.sample(WORDS, 2)) for _ in range(50)]
    times = []
    for query in queries:
        times.append(_timed(lambda q=query: essay_search(q)))
    rows.append((f"search, median of {len(queries)} two-word queries", statistics.median(times)))
    ids = list(Essay.objects.order_by("pk").values_list("pk", flat=True))
    for size in (int(value) for value in args.book_sizes.split(",")):
        book = book_create(by=steward, title=f"Book {size}", essay_ids=ids[:size])
        Book.objects.filter(pk=book.pk).update(content_version=99)
        rows.append(
            (
                f"build a book of {size} essays (EPUB + PDF)",
                _timed(lambda b=book.pk: book_build(book_id=b)),
            )
        )
        built = Book.objects.get(pk=book.pk)
        rows.append(
            (
                f"  its files: EPUB {built.epub.size // 1024} KB, PDF {built.pdf.size // 1024} KB",
                0.0,
            )
        )
    print(f"\nLibrary, SQLite, {machine()}\n")
    print("| what | seconds |\n|---|---|")
    for label, seconds in rows:
        print(f"| {label} | {seconds:.3f} |" if seconds else f"| {label} | |")


if __name__ == "__main__":
    main()
