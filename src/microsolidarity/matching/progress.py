"""A text progress bar for the command line, shown only when a run lasts over two seconds."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressBar:
    """Call with a fraction in [0, 1]; draws on stderr after `delay` seconds, 10 times a second."""

    def __init__(
        self, label: str, *, stream: TextIO | None = None, delay: float = 2.0, enabled: bool = True
    ):
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.delay = delay
        self.enabled = enabled
        self.started = time.monotonic()
        self.last_draw = 0.0
        self.fraction = 0.0
        self.shown = False

    def __call__(self, fraction: float) -> None:
        self.fraction = max(self.fraction, min(1.0, max(0.0, fraction)))
        now = time.monotonic()
        if not self.enabled or now - self.started < self.delay or now - self.last_draw < 0.1:
            return
        self.last_draw = now
        self.shown = True
        filled = int(self.fraction * 30)
        bar = "#" * filled + "." * (30 - filled)
        elapsed = now - self.started
        self.stream.write(f"\r{self.label} [{bar}] {self.fraction:4.0%} {elapsed:5.1f}s")
        self.stream.flush()

    def finish(self) -> None:
        if self.shown:
            self.last_draw = 0.0
            self.fraction = 1.0
            self.delay = 0.0
            self(1.0)
            self.stream.write("\n")
            self.stream.flush()
