"""Where each front-matter value is: kept with every document, compactly, and exactly."""

from __future__ import annotations

import pickle

from hypothesis import given
from hypothesis import strategies as st

from ncpi_site.source.frontmatter import Positions

KEYS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_[]0123456789.", min_size=1, max_size=30)
PLACES = st.tuples(st.integers(1, 2**32 - 1), st.integers(1, 2**32 - 1))


@given(st.dictionaries(KEYS, PLACES, max_size=80))
def test_positions_read_back_exactly_what_was_recorded(places: dict[str, tuple[int, int]]) -> None:
    positions = Positions(places)
    assert dict(positions) == places
    assert list(positions) == list(places), "in the order the front matter gave them"
    assert positions == places
    assert positions.get("no such key", (1, 1)) == (1, 1)
    again = pickle.loads(pickle.dumps(positions))  # results cross processes and go into the cache
    assert isinstance(again, Positions) and dict(again) == places


def test_documents_with_the_same_keys_share_one_index_but_not_their_places() -> None:
    first = Positions({"title": (2, 8), "to[0].name": (9, 13)})
    second = Positions({"title": (3, 8), "to[0].name": (12, 13)})
    assert first["to[0].name"] == (9, 13) and second["to[0].name"] == (12, 13)
    assert first != second
