"""What the `personal-data` rule costs per 1,500-word letter (docs/inspectors/safeguarding.md, "Cost").

    python benchmarks/personal_data_cost.py [SITE]

takes the Kent letter of the example site (or of SITE), makes its body up to 1,500 words from the bodies of all
the site's feedback letters, and times the rule on it: its file name, every front-matter value and the body.
It prints the best of seven runs of 300, because other work on the machine only ever makes a run slower.
"""

from __future__ import annotations

import dataclasses
import sys
import timeit
from datetime import date
from pathlib import Path

from ncpi_site.checks import document_rules as rules
from ncpi_site.checks.validate import SitePaths, load_context
from ncpi_site.content.documents import read_document
from ncpi_site.source.files import load_file

LETTER = "content/feedback/kent/2018-09-07-post-inspection-visit.md"
WORDS = 1500


def main(root: Path) -> None:
    paths = SitePaths(root)
    ctx = load_context(paths, date(2026, 1, 1))
    bodies = [
        p.read_text(encoding="utf-8").split("---", 2)[2]
        for p in sorted((root / "content/feedback").rglob("*.md"))
    ]
    words = " ".join(bodies).split()
    body = " ".join((words * (WORDS // len(words) + 1))[:WORDS])
    doc, _ = read_document(load_file(root / LETTER, paths.content, paths.root))
    assert doc is not None, f"{LETTER} does not pass the field checks"
    doc = dataclasses.replace(doc, body=body)
    findings = list(rules.personal_data(doc, ctx))
    assert not findings, findings
    runs = 300
    best = min(timeit.repeat(lambda: list(rules.personal_data(doc, ctx)), number=runs, repeat=7)) / runs
    print(f"personal-data rule: {best * 1e3:.3f} ms per {WORDS:,}-word letter")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent)
