"""A deterministic synthetic corpus for the benchmark: a complete, valid ncpi-site site of any size.

    python benchmarks/corpus --letters 1000 --out /tmp/corpus-1000 [shape options]

writes `site_config.yml`, `content/forces.yml` and `templates/` (copied from the repository), an about page
and the accessibility statement, and N feedback letters (1,200 to 1,800 words each) with their inspections
(about one per four letters, both methodologies) and progress updates (every kind), spread over the 43
forces, with Welsh pairs for some letters to Welsh forces. Everything follows SPEC section 3, so
`ncpi-site check --today 2026-11-22` reports no finding at all on the result.

The shape options (`shape.py`: letters per inspection, letter length, tables, Welsh share) vary the archive
at a given size; their defaults write exactly the corpus every earlier result was measured on.

Modules: `text` (the words), `registry` (forces and policing bodies), `plan` (every document's ids, dates and
statuses), `writers` (the files), `shape`, `cli`.

The output depends only on `--letters`, `--seed` and the shape: no clock, no network, no hash randomisation (each
document draws from its own `random.Random` seeded with a string, which Python hashes with SHA-512).
The generator is fictional through and through: names come from short lists, and no text mentions a
child's age, a phone number, an e-mail address or a postcode.
"""

from __future__ import annotations

from .shape import DEFAULT_SHAPE, Shape
from .writers import write_site

__all__ = ["DEFAULT_SHAPE", "Shape", "write_site"]
