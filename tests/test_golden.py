"""Golden files: one rendered page of each kind, compared byte for byte with tests/golden/.

When a template change is intended, regenerate them and review the diff before committing:

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import copy_fixture_site

GOLDEN = Path(__file__).parent / "golden"
PAGES = {
    "feedback.html": "feedback/kent/2022-07-20-post-inspection-visit/index.html",
    "inspection.html": "inspections/north-yorkshire/2024-07-02/index.html",
    "progress-update.html": "updates/kent/2022-04-20-action-plan/index.html",
    "page.html": "about/index.html",
    "force.html": "forces/kent/index.html",
    "forces.html": "forces/index.html",
    "publications.html": "publications/index.html",
    "home.html": "index.html",
    "search.html": "search/index.html",
    "progress.html": "progress/index.html",
    "404.html": "404.html",
    "feed.xml": "feed.xml",
    "sitemap.xml": "sitemap.xml",
    "robots.txt": "robots.txt",
    "publications.json": "data/publications.json",
    "publications.csv": "data/publications.csv",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = copy_fixture_site(tmp_path_factory.mktemp("golden"))
    site.build()
    return site.root / "_site"


@pytest.mark.parametrize("name", PAGES)
def test_page_matches_its_golden_file(built: Path, name: str) -> None:
    actual = (built / PAGES[name]).read_bytes()
    golden = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_bytes(actual)
    assert golden.exists(), f"no golden file {golden.name}: run UPDATE_GOLDEN=1 pytest tests/test_golden.py"
    assert actual.decode() == golden.read_bytes().decode()
