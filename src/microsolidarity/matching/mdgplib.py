"""The MDGPLIB instance format: `n G ss|ds LB_1 UB_1 ... LB_G UB_G`, then `i j d_ij` lines."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .csv_io import InputError


@dataclass(frozen=True, slots=True)
class MatrixInstance:
    """A symmetric distance matrix and per-group size bounds."""

    matrix: np.ndarray
    lower: tuple[int, ...]
    upper: tuple[int, ...]
    kind: str  # "ss" (same size) or "ds" (different sizes)

    @property
    def n(self) -> int:
        return len(self.matrix)


def read_mdgplib(path: str | Path) -> MatrixInstance:
    """Read an MDGPLIB file; errors name the file, line and column."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(path, 1, 1, f"cannot read the file ({error})") from None
    lines = text.splitlines()
    header_at = next((i for i, line in enumerate(lines) if line.strip()), None)
    if header_at is None:
        raise InputError(path, 1, 1, "the file is empty")
    tokens = lines[header_at].split()
    line_no = header_at + 1

    def number(token: str, column: int, what: str) -> int:
        try:
            return int(token)
        except ValueError:
            raise InputError(path, line_no, column, f"{what} should be a whole number") from None

    columns = _token_columns(lines[header_at])
    if len(tokens) < 3:
        raise InputError(path, line_no, 1, "the header should be 'n G ss|ds LB UB ...'")
    n = number(tokens[0], columns[0], "n")
    groups = number(tokens[1], columns[1], "G")
    kind = tokens[2].lower()
    if kind not in {"ss", "ds"}:
        raise InputError(path, line_no, columns[2], "the third field should be ss or ds")
    bounds = tokens[3:]
    if len(bounds) != 2 * groups:
        raise InputError(path, line_no, columns[-1], f"expected {2 * groups} size bounds")
    values = [number(t, columns[3 + i], "a size bound") for i, t in enumerate(bounds)]
    lower, upper = tuple(values[0::2]), tuple(values[1::2])
    if (
        sum(lower) > n
        or sum(upper) < n
        or any(lo > hi for lo, hi in zip(lower, upper, strict=True))
    ):
        raise InputError(path, line_no, columns[3], "the size bounds cannot hold n items")
    matrix = np.zeros((n, n))
    for index in range(header_at + 1, len(lines)):
        raw = lines[index]
        parts = raw.split()
        if not parts:
            continue
        cols = _token_columns(raw)
        line_no = index + 1
        if len(parts) != 3:
            raise InputError(path, line_no, 1, "expected 'i j d_ij'")
        i = number(parts[0], cols[0], "i")
        j = number(parts[1], cols[1], "j")
        try:
            d = float(parts[2])
        except ValueError:
            raise InputError(path, line_no, cols[2], "d_ij should be a number") from None
        for value, col in ((i, cols[0]), (j, cols[1])):
            if not 0 <= value < n:
                raise InputError(path, line_no, col, f"item {value} is outside 0..{n - 1}")
        matrix[i, j] = matrix[j, i] = d
    np.fill_diagonal(matrix, 0.0)
    return MatrixInstance(matrix, lower, upper, kind)


def write_mdgplib(path: str | Path, instance: MatrixInstance) -> None:
    bounds = " ".join(f"{lo} {hi}" for lo, hi in zip(instance.lower, instance.upper, strict=True))
    rows = [f"{instance.n} {len(instance.lower)} {instance.kind} {bounds}"]
    n = instance.n
    for i in range(n):
        for j in range(i + 1, n):
            rows.append(f"{i} {j} {instance.matrix[i, j]:g}")
    Path(path).write_text("\n".join(rows) + "\n", encoding="utf-8")


def _token_columns(line: str) -> list[int]:
    columns, inside = [], False
    for index, char in enumerate(line):
        if not char.isspace() and not inside:
            columns.append(index + 1)
        inside = not char.isspace()
    return columns or [1]
