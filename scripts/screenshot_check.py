"""Make the quick start's terminal screenshot: a real `ncpi-site check` of a broken copy of the example site.

It runs in a real terminal (a detached tmux session, so colours and the layout are what an inspector
sees), captures the pane with its colours (`tmux capture-pane -e -p`), and turns the ANSI colours into
an HTML snippet with ansi2html (a docs-only dependency). The snippet is committed as
docs/inspectors/check-screenshot.html and included by docs/inspectors/quick-start.md.

    .venv/bin/pip install ansi2html && .venv/bin/python scripts/screenshot_check.py

Needs tmux (Debian: apt-get install tmux).
"""

from __future__ import annotations

import html
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ansi2html import Ansi2HTMLConverter

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "docs/inspectors/check-screenshot.html"
LETTER = "content/feedback/north-yorkshire/2024-10-10-post-inspection-visit.md"
OTHER = "content/feedback/essex/2019-10-10-post-inspection-visit.md"
COMMAND = "ncpi-site check --today 2026-12-02"


def break_site(root: Path) -> None:
    """The mistakes of the quick start: a day-month-year date, a typo in the force, raw HTML, and in
    another file a title with an unquoted colon."""
    letter = root / LETTER
    text = letter.read_text(encoding="utf-8")
    text = text.replace("sent_on: 2024-10-10", "sent_on: 10/10/2024", 1)
    text = text.replace("force: north-yorkshire", "force: north-yorks", 1)
    letter.write_text(text + "\nWe met the team on <b>24 September</b>.\n", encoding="utf-8")
    other = root / OTHER
    text = other.read_text(encoding="utf-8")
    text = text.replace('title: "Essex Police: post-inspection visit feedback, October 2019"',
                        "title: Essex Police: post-inspection visit feedback, October 2019", 1)  # fmt: skip
    other.write_text(text, encoding="utf-8")


def capture(root: Path) -> str:
    session = f"ncpi-screenshot-{int(time.time())}"
    binary = Path(sys.executable).parent / "ncpi-site"
    shell = f"cd {root} && PS1='$ ' && clear && echo '$ {COMMAND}' && {binary} {COMMAND.removeprefix('ncpi-site ')}; sleep 30"
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "112", "-y", "60", "env", "-u", "NO_COLOR",
         "TERM=xterm-256color", "bash", "--norc", "-c", shell],
        check=True,
    )  # fmt: skip
    try:
        for _ in range(100):
            time.sleep(0.2)
            pane = subprocess.run(
                ["tmux", "capture-pane", "-e", "-p", "-J", "-t", session],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            if " in 55 files" in pane:
                return pane.rstrip() + "\n"
        raise SystemExit("the check did not finish in 20 s")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], check=False)


def to_html(ansi: str) -> str:
    body = Ansi2HTMLConverter(inline=True, dark_bg=True, scheme="dracula").convert(ansi, full=False)
    label = html.escape(
        f"A terminal after running {COMMAND} on a copy of the example site with four mistakes"
    )
    return f'<pre class="terminal-screenshot" role="img" aria-label="{label}">\n{body}</pre>\n'


def main() -> None:
    if shutil.which("tmux") is None:
        raise SystemExit("tmux is needed: apt-get install tmux")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "site"
        root.mkdir()
        for name in ("content", "templates"):
            shutil.copytree(REPO / name, root / name)
        shutil.copy(REPO / "site_config.yml", root / "site_config.yml")
        break_site(root)
        OUT.write_text(to_html(capture(root)), encoding="utf-8")
    print(f"wrote {OUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
