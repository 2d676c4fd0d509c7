"""Moscow, 1956 — the one entry point. See README.md, or run `python main.py --help`."""

import sys

from game.cli import main

if __name__ == "__main__":
    sys.exit(main())
