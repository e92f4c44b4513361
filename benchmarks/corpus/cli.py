"""The command line: `python benchmarks/corpus --letters N --out DIR [shape options]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __doc__ as package_doc
from .plan import DEFAULT_SEED
from .shape import DEFAULT_SHAPE, Shape
from .writers import write_site


def _range(text: str) -> tuple[int, int]:
    low, _, high = text.partition("-")
    try:
        return int(low), int(high or low)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not MIN-MAX, such as 1230-1740") from None


def add_shape_options(parser: argparse.ArgumentParser) -> None:
    """The options that vary the archive's shape (benchmarks/run.py offers the same ones)."""
    default = DEFAULT_SHAPE
    group = parser.add_argument_group("shape of the archive (the defaults are the benchmark's usual corpus)")
    group.add_argument(
        "--letters-per-inspection",
        type=float,
        default=default.letters_per_inspection,
        help=f"feedback letters per inspection (default {default.letters_per_inspection:g})",
    )
    group.add_argument(
        "--words",
        type=_range,
        default=default.words,
        metavar="MIN-MAX",
        help="length of each letter, in words; its fixed sections alone take 700 to 1,000, so a lower figure "
        f"gives no other findings (default {default.words[0]}-{default.words[1]})",
    )
    group.add_argument(
        "--tables",
        type=int,
        default=default.tables,
        help="tables in each letter: 0, 1 (progress), 2 (and the case audit), more adds audit tables "
        f"(default {default.tables})",
    )
    group.add_argument(
        "--welsh-pairs",
        type=float,
        default=default.welsh_pairs,
        help="chance that a later letter to a Welsh force has a Welsh translation; 0 for none at all "
        f"(default {default.welsh_pairs:g})",
    )
    group.add_argument(
        "--welsh-forces",
        type=float,
        default=None,
        help="share of inspections that are of the Welsh forces (default: as often as any force, 4 in 43)",
    )


def shape_of(args: argparse.Namespace) -> Shape:
    return Shape(
        letters_per_inspection=args.letters_per_inspection,
        words=args.words,
        tables=args.tables,
        welsh_pairs=args.welsh_pairs,
        welsh_forces=args.welsh_forces,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=package_doc.split("\n\n")[0] if package_doc else None)
    parser.add_argument(
        "--letters", type=int, required=True, help="number of feedback letters (Welsh ones included)"
    )
    parser.add_argument("--out", type=Path, required=True, help="the site folder to write (new or empty)")
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})"
    )
    add_shape_options(parser)
    args = parser.parse_args(argv)
    if args.letters < 1:
        parser.error("--letters must be at least 1")
    try:
        shape = shape_of(args)
    except ValueError as error:
        parser.error(str(error))
    counts = write_site(args.out, args.letters, args.seed, shape)
    total = sum(counts.values())
    print(
        f"wrote {total} documents: {counts['feedback']} letters, {counts['inspection']} inspections, "
        f"{counts['progress-update']} updates, {counts['page']} pages",
        file=sys.stderr,
    )
    return 0
