"""Time `ncpi-site serve` from the save of one letter to the moment its page is rewritten and the reload
signalled, on a corpus of benchmarks/corpus. `run.py` runs it as its "serve: save one letter to reload"
step; it prints one JSON object on stdout.

    python benchmarks/serve_save.py --site CORPUS --today 2026-11-22 --runs 3

It starts serve's own server object in this process: the first build (without the search index, which a
save never waits for), then serve's file watcher. Each run appends a sentence to the same letter's body
and waits until serve's build number moves on, which is what the page's reload script waits for. A first,
untimed save makes sure the watcher is listening. The search index is not refreshed in the background
here (that would compete for the CPU with the next save); in a real `serve` it starts 2 s after the last
save and never delays a page.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import sys
import threading
import time
from datetime import date
from pathlib import Path

from ncpi_site.commands.preview import PreviewServer
from ncpi_site.site.visibility import Preview


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--site", type=Path, required=True)
    parser.add_argument("--today", type=date.fromisoformat, required=True)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)

    today: date = args.today
    updates: list[float] = []

    def log(line: str) -> None:
        found = re.match(r"Updated \d+ file\(s\) in ([0-9.]+) s", line)
        if found:
            updates.append(float(found.group(1)))

    letter = sorted((args.site / "content" / "feedback").rglob("*.md"))[0]
    original = letter.read_bytes()
    page = letter.relative_to(args.site / "content").with_suffix("").as_posix() + "/index.html"
    server = PreviewServer(args.site, 0, Preview(drafts=True, future=True), lambda: today, log)
    started = time.perf_counter()
    try:
        first = server.live.rebuild(search=False, jobs=None)
        if not first.published:
            print("the first build failed", file=sys.stderr)
            return 1
        first_build = time.perf_counter() - started
        threading.Thread(target=server.watch, daemon=True).start()
        seconds: list[float] = []
        cpu: list[float] = []
        for run in range(args.runs + 1):  # run 0: untimed, until the watcher is listening
            sentence = f"\nThe benchmark added this sentence to the letter on save {run}.\n"
            before = server.state.build
            cpu_before = time.process_time()
            saved = time.perf_counter()
            letter.write_bytes(original + sentence.encode())
            with server.state.changed:
                while server.state.build == before:
                    if not server.state.changed.wait(timeout=5) and run == 0:
                        letter.write_bytes(original + sentence.encode())  # again, until it is seen
                    if time.perf_counter() - saved > 600:
                        print("no update within 600 s", file=sys.stderr)
                        return 1
            took = time.perf_counter() - saved
            _settle(server)
            if sentence.strip() not in (server.out / page).read_text(encoding="utf-8"):
                print(f"the page {page} does not show the save", file=sys.stderr)
                return 1
            if run > 0:
                seconds.append(took)
                cpu.append(time.process_time() - cpu_before)
    finally:
        letter.write_bytes(original)
        server.close()
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu_seconds": cpu,
                "update_seconds": updates[1:],  # serve's own timing of each save's update, watcher excluded
                "first_build_seconds": first_build,
                "max_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            }
        )
    )
    return 0


def _settle(server: PreviewServer) -> None:
    """Wait until no update has come for a second (a save may be reported as several changes)."""
    while True:
        seen = server.state.build
        time.sleep(1)
        if server.state.build == seen:
            return


if __name__ == "__main__":
    sys.exit(main())
