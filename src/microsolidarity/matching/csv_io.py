"""CSV files of the command line: people, earlier crews, and the plans written back.

Every reading error names the file, the line and the column (both 1-based), so a
host can fix the spreadsheet cell. Writers go through a temporary file, so a
failed run never leaves a half-written output behind.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .availability import AvailabilityError, parse_availability
from .model import CrewPlan, Grouping, Person, RotationPlan

PEOPLE_COLUMNS = (
    "id",
    "name",
    "timezone",
    "languages",
    "interests",
    "availability",
    "together",
    "apart",
)


class InputError(ValueError):
    """Bad input, located: `path:line:column: message`."""

    def __init__(self, path: str | Path, line: int, column: int, message: str) -> None:
        super().__init__(f"{path}:{line}:{column}: {message}")
        self.path = str(path)
        self.line = line
        self.column = column
        self.message = message


def _field_columns(raw: str) -> list[int]:
    """1-based start column of each field of one physical CSV line (quotes respected)."""
    starts = [1]
    quoted = False
    for index, char in enumerate(raw):
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            starts.append(index + 2)
    return starts


def _unclosed_quote(text: str) -> tuple[int, int] | None:
    """Line and column (1-based) of a quoted field that never closes, if there is one.

    Python's reader takes such a field up to the end of the file without a word, so a
    missing quote on the last line would swallow it silently.
    """
    line, column = 1, 0
    opened: tuple[int, int] | None = None
    at_field_start, index = True, 0
    while index < len(text):
        char = text[index]
        column += 1
        if opened is not None:
            if char == '"' and text[index + 1 : index + 2] == '"':
                index, column = index + 1, column + 1
            elif char == '"':
                opened = None
        elif char == '"' and at_field_start:
            opened = (line, column)
        at_field_start = opened is None and char in ",\n"
        if char == "\n":
            line, column = line + 1, 0
        index += 1
    return opened


def _read_rows(path: str | Path) -> tuple[list[str], list[tuple[int, list[str], list[int]]]]:
    """Header and rows, each row with its line number and the column where each field starts."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(path, 1, 1, "file not found") from None
    except UnicodeDecodeError as error:
        line = Path(path).read_bytes()[: error.start].count(b"\n") + 1
        raise InputError(path, line, 1, "not UTF-8 text") from None
    except OSError as error:
        raise InputError(path, 1, 1, f"cannot read the file ({error.strerror})") from None
    unclosed = _unclosed_quote(text)
    if unclosed is not None:
        raise InputError(path, *unclosed, "this quote is never closed: add the closing quote")
    physical = text.splitlines()
    reader = csv.reader(io.StringIO(text))
    rows: list[tuple[int, list[str], list[int]]] = []
    header: list[str] | None = None
    start_line = 1
    try:
        for record in reader:
            line = start_line
            start_line = reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue
            columns = _field_columns(physical[line - 1]) if line - 1 < len(physical) else []
            while len(columns) < len(record):
                columns.append(columns[-1] if columns else 1)
            if header is None:
                header = [cell.strip().lower() for cell in record]
                continue
            rows.append((line, record, columns))
    except csv.Error as error:
        raise InputError(path, reader.line_num, 1, f"not valid CSV ({error})") from None
    if header is None:
        raise InputError(path, 1, 1, "the file is empty; it needs a header line")
    return header, rows


def _split_list(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


def read_people(path: str | Path) -> list[Person]:
    """People from a CSV with the columns of `PEOPLE_COLUMNS` (others are ignored)."""
    header, rows = _read_rows(path)
    if "id" not in header:
        raise InputError(path, 1, 1, "the header needs an 'id' column")
    at = {name: header.index(name) for name in PEOPLE_COLUMNS if name in header}
    people: list[Person] = []
    seen: dict[str, int] = {}
    references: list[tuple[int, int, str, str]] = []
    zones: dict[str, bool] = {}
    for line, record, columns in rows:

        def cell(name: str, record=record) -> str:
            index = at.get(name)
            return record[index].strip() if index is not None and index < len(record) else ""

        def column(name: str, columns=columns) -> int:
            index = at.get(name, 0)
            return columns[index] if index < len(columns) else 1

        pid = cell("id")
        if not pid:
            raise InputError(path, line, column("id"), "the id is empty")
        if pid in seen:
            raise InputError(
                path, line, column("id"), f"duplicate id {pid!r} (first on line {seen[pid]})"
            )
        seen[pid] = line
        zone = cell("timezone") or "UTC"
        if zone not in zones:
            try:
                ZoneInfo(zone)
                zones[zone] = True
            except (ZoneInfoNotFoundError, ValueError):
                zones[zone] = False
        if not zones[zone]:
            raise InputError(
                path,
                line,
                column("timezone"),
                f"unknown timezone {zone!r}; use an IANA name such as Europe/Berlin",
            )
        raw_availability = (
            record[at["availability"]]
            if "availability" in at and at["availability"] < len(record)
            else ""
        )
        try:
            windows = parse_availability(raw_availability)
        except AvailabilityError as error:
            start = column("availability")
            quote = 1 if record and _starts_quoted(path, line, start) else 0
            raise InputError(path, line, start + quote + error.column - 1, error.message) from None
        for name in ("together", "apart"):
            for other in _split_list(cell(name)):
                references.append((line, column(name), name, other))
        people.append(
            Person(
                id=pid,
                name=cell("name"),
                timezone=zone,
                languages=frozenset(lang.lower() for lang in _split_list(cell("languages"))),
                interests=frozenset(tag.lower() for tag in _split_list(cell("interests"))),
                availability=windows,
                together=frozenset(_split_list(cell("together"))),
                apart=frozenset(_split_list(cell("apart"))),
            )
        )
    for line, col, name, other in references:
        if other not in seen:
            raise InputError(path, line, col, f"unknown id {other!r} in {name}")
    return people


def _starts_quoted(path: str | Path, line: int, column: int) -> bool:
    try:
        raw = Path(path).read_text(encoding="utf-8-sig").splitlines()[line - 1]
    except (OSError, IndexError):
        return False
    return raw[column - 1 : column] == '"'


def read_crews(path: str | Path, known: set[str] | None = None) -> list[tuple[str, ...]]:
    """Crews from a `crew,id` CSV (earlier crews, or crews to keep)."""
    header, rows = _read_rows(path)
    for name in ("crew", "id"):
        if name not in header:
            raise InputError(path, 1, 1, f"the header needs a {name!r} column (crew,id)")
    crew_at, id_at = header.index("crew"), header.index("id")
    crews: dict[str, list[str]] = {}
    for line, record, columns in rows:
        if max(crew_at, id_at) >= len(record):
            raise InputError(path, line, 1, "the line needs both a crew and an id")
        crew, pid = record[crew_at].strip(), record[id_at].strip()
        if not pid:
            raise InputError(path, line, columns[id_at], "the id is empty")
        if known is not None and pid not in known:
            raise InputError(path, line, columns[id_at], f"unknown id {pid!r}")
        crews.setdefault(crew, []).append(pid)
    return [tuple(members) for members in crews.values()]


def write_atomically(path: str | Path, rows: Iterable[Sequence[object]]) -> None:
    """Write CSV rows to `path` through a temporary file in the same folder."""
    target = Path(path)
    handle, temporary = tempfile.mkstemp(dir=target.parent or ".", prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "w", newline="", encoding="utf-8") as out:
            csv.writer(out, lineterminator="\n").writerows(rows)
        os.chmod(temporary, 0o644)  # mkstemp makes 0600; an output file is meant to be shared
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def crews_rows(plan: CrewPlan) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = [("crew", "id")]
    rows.extend((crew.number, pid) for crew in plan.crews for pid in crew.members)
    return rows


def rounds_rows(plan: RotationPlan, ids: Sequence[str] | None = None) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = [("round", "group", "person")]
    for r, groups in enumerate(plan.rounds, start=1):
        for g, group in enumerate(groups, start=1):
            rows.extend((r, g, ids[p] if ids is not None else p) for p in group)
    return rows


def groups_rows(grouping: Grouping) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = [("group", "item")]
    rows.extend((g, item) for g, group in enumerate(grouping.groups) for item in group)
    return rows
