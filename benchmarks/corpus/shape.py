"""The shape of an archive: what varies between two archives of the same number of letters.

Issue 13 measured a cold build at 6.3x Hugo on another corpus of 3,200 documents where this one gave 4.2x:
the ratio depends on the shape, so the benchmark can vary it. The default is the shape every earlier
result was measured on, and generates the same bytes as before the options existed.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Shape:
    letters_per_inspection: float = 4.0  # feedback letters per inspection (Welsh ones included)
    words: tuple[int, int] = (1230, 1740)  # each letter's length in words (its fixed sections take 700-1,000)
    tables: int = 2  # tables in each letter: 0, 1 (progress), 2 (progress, case audit), more (extra data)
    welsh_pairs: float = 0.5  # chance a later letter to a Welsh force has a Welsh pair (the first always has)
    welsh_forces: float | None = None  # share of inspections of the 4 Welsh forces (None: 4 of every 43)

    def __post_init__(self) -> None:
        if self.letters_per_inspection < 1:
            raise ValueError("letters per inspection must be at least 1")
        if not 50 <= self.words[0] <= self.words[1]:
            raise ValueError("the words of a letter are a range MIN-MAX with 50 <= MIN <= MAX")
        if self.tables < 0:
            raise ValueError("tables must be 0 or more")
        if not 0 <= self.welsh_pairs <= 1 or not 0 <= (self.welsh_forces or 0) <= 1:
            raise ValueError("shares are between 0 and 1")

    @property
    def is_default(self) -> bool:
        return self == DEFAULT_SHAPE

    def label(self) -> str:
        """A short name for file and folder names: empty for the default shape."""
        if self.is_default:
            return ""
        parts = [
            f"lpi{self.letters_per_inspection:g}",
            f"w{self.words[0]}-{self.words[1]}",
            f"t{self.tables}",
            f"cy{self.welsh_pairs:g}",
        ]
        if self.welsh_forces is not None:
            parts.append(f"wf{self.welsh_forces:g}")
        return "-".join(parts)

    def arguments(self) -> list[str]:
        """The command-line options that give this shape to benchmarks/corpus."""
        if self.is_default:
            return []
        options = [
            "--letters-per-inspection",
            f"{self.letters_per_inspection:g}",
            "--words",
            f"{self.words[0]}-{self.words[1]}",
            "--tables",
            str(self.tables),
            "--welsh-pairs",
            f"{self.welsh_pairs:g}",
        ]
        if self.welsh_forces is not None:
            options += ["--welsh-forces", f"{self.welsh_forces:g}"]
        return options


DEFAULT_SHAPE = Shape()
