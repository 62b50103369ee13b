"""``python -m skinmarkets``: the same as the ``skinmarkets`` console script."""

from __future__ import annotations

import sys

from skinmarkets.cli import main

if __name__ == "__main__":
    sys.exit(main())
