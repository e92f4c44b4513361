"""`python -m benchmarks.corpus` (from the repository root) or `python benchmarks/corpus`."""

from __future__ import annotations

import sys

if not __package__:  # run as `python benchmarks/corpus`: make the package importable
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from benchmarks.corpus.cli import main

sys.exit(main())
