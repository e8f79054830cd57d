"""Income and spending by month as an SVG bar chart drawn on the server: no script needed.

The page puts a table with the same numbers beside it, which is what screen readers read.
"""

from dataclasses import dataclass
from decimal import Decimal

from microsolidarity.participation.ledger import LedgerSummary

WIDTH, HEIGHT = 640, 240
LEFT, BOTTOM, TOP = 8, 28, 12
MONTHS_SHOWN = 24


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    kind: str  # "income" or "spending", the CSS class that colours it


@dataclass(frozen=True)
class Label:
    x: float
    text: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    baseline: float
    bars: list[Bar]
    labels: list[Label]
    peak: Decimal


def ledger_chart(summary: LedgerSummary) -> Chart | None:
    months = summary.months[-MONTHS_SHOWN:]
    if not months:
        return None
    peak = max(max(m.income, m.spending) for m in months) or Decimal(1)
    plot = HEIGHT - BOTTOM - TOP
    step = (WIDTH - 2 * LEFT) / len(months)
    bar = max(step * 0.38, 1.0)
    bars, labels = [], []
    label_every = 1 if len(months) <= 12 else 3
    for index, month in enumerate(months):
        x = LEFT + index * step + step * 0.1
        for offset, (kind, value) in enumerate(
            (("income", month.income), ("spending", month.spending))
        ):
            height = float(value / peak) * plot
            bars.append(
                Bar(
                    round(x + offset * bar, 1),
                    round(TOP + plot - height, 1),
                    round(bar, 1),
                    round(height, 1),
                    kind,
                )
            )
        if index % label_every == 0:
            labels.append(Label(round(x + bar, 1), month.month.strftime("%m/%y")))
    return Chart(WIDTH, HEIGHT, TOP + plot, bars, labels, peak)
