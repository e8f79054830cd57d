"""Commands that start together and stop together: the web server, the task worker and the
periodic loops under one Ctrl-C, with no process left behind.

Every child runs in one process group of its own (the first child leads it), so stopping is
one signal to the group, and it reaches what the children started themselves (runserver's
reloader starts the real server as its own child). A terminal's Ctrl-C reaches only this
process, which stops the group: a child never sees half of a Ctrl-C.
"""

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from typing import TextIO

# How long the children have to finish what they are doing (a task, a request) once asked.
STOP_GRACE_SECONDS = 10.0
# How often the supervisor looks whether a child ended by itself.
WATCH_SECONDS = 0.5
_PR_SET_PDEATHSIG = 1


def command_line(arguments: Sequence[str]) -> list[str]:
    """A `microsolidarity` command run by this same Python (the same virtualenv)."""
    return [sys.executable, "-m", "microsolidarity", *arguments]


def _stop_with_parent() -> None:
    """Runs in the child before it starts: on Linux, the child is ended if this process dies
    without having stopped it (killed with SIGKILL), so no loop keeps sending emails alone."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _group_signal(group: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # the group has already ended
        os.killpg(group, signum)


def run_together(commands: Sequence[Sequence[str]], *, env: Mapping[str, str], out: TextIO) -> int:
    """Start every command and wait; on SIGINT or SIGTERM, or when one of them ends by itself,
    stop them all and return (0 when asked to stop, else the exit code of the one that ended).
    """
    stop = threading.Event()
    previous = {
        signum: signal.signal(signum, lambda *_: stop.set())
        for signum in (signal.SIGINT, signal.SIGTERM)
    }
    children: list[tuple[str, subprocess.Popen]] = []
    group = 0
    ended_by_itself: int | None = None
    try:
        for arguments in commands:
            child = subprocess.Popen(  # noqa: S603 (our own command, no shell)
                command_line(arguments),
                env=dict(env),
                stdin=subprocess.DEVNULL,
                process_group=group,
                preexec_fn=_stop_with_parent,  # runs before exec; no threads yet
            )
            group = group or child.pid
            children.append((arguments[0], child))
            out.write(f"Started {arguments[0]} (pid {child.pid}, process group {group})\n")
            out.flush()
        while not stop.is_set():
            for name, child in children:
                code = child.poll()
                if code is not None:
                    out.write(f"{name} ended (exit code {code}): stopping the others\n")
                    out.flush()
                    ended_by_itself = code or 1
                    stop.set()
                    break
            stop.wait(WATCH_SECONDS)
    finally:
        if group:
            _stop_all(group, children)
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    out.write("Stopped.\n")
    out.flush()
    return ended_by_itself or 0


def _stop_all(group: int, children: list[tuple[str, subprocess.Popen]]) -> None:
    """SIGTERM to the group (the worker finishes its task, the loops end quietly); what is
    still running after the grace period is killed."""
    _group_signal(group, signal.SIGTERM)
    for _name, child in children:
        try:
            child.wait(timeout=STOP_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            _group_signal(group, signal.SIGKILL)
            child.wait()
    # The grandchildren (runserver's server under its reloader) are in the same group.
    _group_signal(group, signal.SIGKILL)
