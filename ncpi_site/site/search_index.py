"""Pagefind's output made reproducible: its filter index, in a stable order.

Pagefind writes the values of each search filter, and the list of filters, in hash-map order, which
changes from run to run (upstream issue 638; the rest of its output is stable). Two builds of the same
site must be byte-identical, and a cached build must equal a clean one, so after every run the filter
files and the metadata that names them are decoded (CBOR behind a fixed signature, gzipped), sorted,
written again and renamed by their content, and the entry file is pointed at the new metadata.
Nothing else in the index is touched; the result is what Pagefind would write if it sorted.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

import cbor2

SIGNATURE = b"pagefind_dcd"
ENTRY = "pagefind-entry.json"


def _read(path: Path) -> Any:
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise ValueError(f"{path.name} is not a Pagefind index file")
    return cbor2.loads(raw[len(SIGNATURE) :])


def _write(folder: Path, stem: str, suffix: str, data: Any, digits: int) -> str:
    """Write `data` under a name made from its content; returns the name without the suffix."""
    payload = SIGNATURE + cbor2.dumps(data)
    name = f"{stem}{hashlib.sha256(payload).hexdigest()[:digits]}"
    (folder / f"{name}{suffix}").write_bytes(gzip.compress(payload, compresslevel=9, mtime=0))
    return name


def make_reproducible(bundle: Path) -> None:
    """Sort the filter index of every language of the Pagefind bundle in `bundle`, in place."""
    entry_file = bundle / ENTRY
    entry = json.loads(entry_file.read_text(encoding="utf-8"))
    for language in entry.get("languages", {}).values():
        old_meta = bundle / f"pagefind.{language['hash']}.pf_meta"
        meta = _read(old_meta)
        filters = []
        for name, file_name in meta[3]:
            old_filter = bundle / "filter" / f"{file_name}.pf_filter"
            filter_name, values = _read(old_filter)
            old_filter.unlink()
            prefix = file_name.split("_", 1)[0] + "_"
            new_name = _write(bundle / "filter", prefix, ".pf_filter", [filter_name, sorted(values)], 7)
            filters.append([name, new_name])
        meta[3] = sorted(filters)
        old_meta.unlink()
        prefix = language["hash"].split("_", 1)[0] + "_"
        language["hash"] = _write(bundle, "pagefind." + prefix, ".pf_meta", meta, 10).removeprefix(
            "pagefind."
        )
    entry_file.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
