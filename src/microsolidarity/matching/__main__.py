"""`python -m microsolidarity.matching form_crews ...`: the engine's commands without Django."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
