"""Command-line entry points of the engine (filled in by the matching engine issue)."""

COMMANDS: dict[str, object] = {}


def main(argv: list[str]) -> int:
    raise SystemExit(f"unknown matching command: {argv[0]}")
