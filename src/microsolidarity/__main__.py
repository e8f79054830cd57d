"""The `microsolidarity` command: Django's manage.py, plus the engine's database-free commands."""

import os
import sys

MATCHING_COMMANDS = ("form_crews", "plan_rounds", "group_matrix")


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "microsolidarity.settings")
    # The matching commands run from CSV files alone, so they skip Django entirely.
    if len(sys.argv) > 1 and sys.argv[1] in MATCHING_COMMANDS:
        from microsolidarity.matching import cli as matching_cli

        sys.exit(matching_cli.main(sys.argv[1:]))

    # Only now, so the matching commands above never load Django.
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
