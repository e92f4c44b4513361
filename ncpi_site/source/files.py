"""Finding the content files: discovery, file names, links out of the site, and reading one file."""

from __future__ import annotations

import functools
import os
import re
import stat
import unicodedata
from pathlib import Path

import yaml

from ncpi_site.diagnostics import Code, Problem, SetupError

try:  # the C parser is ten times faster; fall back to pure Python where libyaml is missing
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader
from ncpi_site.source.frontmatter import Loaded, parse_source

MAX_FILE_BYTES = 2 * 1024 * 1024  # a letter is about 10 KB; Markdown parsing is not linear in size
REGISTRY_FILE = "forces.yml"


def discover(content_dir: Path, site_dir: Path) -> tuple[list[Path], list[Problem]]:
    """Every `.md` file under content/, sorted.

    Hidden files and folders (a leading dot: editors' lock and backup files) are not content. Symbolic
    links that lead outside content/, or nowhere, are refused, and so is anything that is not a regular
    file (a named pipe would hang the reader). A name that is not a safe URL is reported (`file-name`);
    one that is not UTF-8 text or holds a control character is not even read.
    """
    found: list[Path] = []
    problems: list[Problem] = []
    leaving = links_leaving(content_dir, site_dir, Code.CONTENT)
    if leaving is not None:
        raise SetupError([leaving])
    _discover_in(content_dir, content_dir, site_dir, content_dir.resolve(), True, found, problems)
    return found, problems


def _discover_in(
    folder: Path,
    content_dir: Path,
    site_dir: Path,
    content_real: Path,
    plain_folder: bool,
    found: list[Path],
    problems: list[Problem],
) -> None:
    """One folder: its files in name order, then each sub-folder in name order (as `os.walk` goes).

    `os.scandir` says what each entry is from the folder listing itself, so a plain file costs no `lstat`
    (a warm check of 22,000 files spent a tenth of its time on them). `plain_folder`: every folder name
    from content/ down to this one is a slug, so a slug file name needs no closer look."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(
                (entry for entry in listing if not entry.name.startswith(".")), key=lambda entry: entry.name
            )
    except OSError:  # unreadable, or gone meanwhile: as os.walk, nothing is found in it
        return
    subfolders: list[os.DirEntry[str]] = []
    files: list[os.DirEntry[str]] = []
    for entry in entries:
        try:
            is_folder = entry.is_dir()  # through a link, so that a linked folder is reported below
        except OSError:
            is_folder = False
        (subfolders if is_folder else files).append(entry)
    walked = []
    for entry in subfolders:
        candidate = folder / entry.name
        if entry.is_symlink():
            problem = _link_problem(candidate, site_dir, content_real)
            if problem is not None:
                problems.append(problem)
        else:
            walked.append((candidate, plain_folder and _name_fault(entry.name, entry.name, False) is None))
    for entry in files:
        name = entry.name
        if not name.lower().endswith(".md"):
            continue
        candidate = folder / name
        naming = (
            None
            if plain_folder and _plain_name(name)
            else file_name_problem(candidate, content_dir, site_dir)
        )
        if naming is not None:
            problems.append(naming)
            if not _readable_name(candidate.relative_to(content_dir).as_posix()):
                continue
        if entry.is_file(follow_symlinks=False):
            found.append(candidate)  # the listing says it all for a plain file
            continue
        problem = _link_problem(candidate, site_dir, content_real) if candidate.is_symlink() else None
        if problem is None:
            problem = _not_a_file_problem(candidate, site_dir)
        if problem is not None:
            problems.append(problem)
            continue
        found.append(candidate)
    for subfolder, plain in walked:
        _discover_in(subfolder, content_dir, site_dir, content_real, plain, found, problems)


def _plain_name(name: str) -> bool:
    """A lower-case slug ending `.md` that Windows does not reserve: `file_name_problem` would pass it."""
    return name.endswith(".md") and _name_fault(name, name[:-3], True) is None


# A file's path under content/ is its id and its URL, so every folder and file name is a slug.
_SLUG_NAME = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")
_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)), *(f"lpt{n}" for n in range(1, 10))}
)
_URL_SPECIAL = {
    "#": "ends the URL's path",
    "?": "starts a query",
    "%": "starts an escape",
    "\\": "is a folder mark",
}


def file_name_problem(path: Path, content_dir: Path, site_dir: Path) -> Problem | None:
    """`file-name`: every name on the way from content/ to the file is a lower-case ASCII slug (the file
    ending `.md`), so that its id, its URL, the sitemap and open data agree on every platform."""
    parts = path.relative_to(content_dir).parts
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        stem = part[:-3] if last and part.lower().endswith(".md") else part
        reason = _name_fault(part, stem, last)
        if reason is None:
            continue
        suggestion = slugify(stem)
        hint = f", such as `{suggestion}{'.md' if last else ''}`" if suggestion else ""
        what = "file" if last else "folder"
        return Problem(
            Code.FILE_NAME,
            display_path(path, site_dir),
            1,
            1,
            f"the {what} name `{printable(part)}` {reason}; names under content/ become URLs, so they are "
            f"lower-case letters a-z, digits and `-` (and `.md`): rename it{hint}",
        )
    return None


@functools.cache  # a folder's name is judged once, not once per file in it
def _name_fault(part: str, stem: str, last: bool) -> str | None:
    if not _readable_name(part):
        return "is not UTF-8 text or holds a control character (a tab, a new line)"
    if last and not part.endswith(".md"):
        return "must end in `.md`, in lower case"
    for character, why in _URL_SPECIAL.items():
        if character in stem:
            return f"holds `{character}`, which {why} in a URL"
    if stem.lower() in _WINDOWS_RESERVED:
        return "is a name Windows reserves for a device, so the file cannot exist there"
    if not stem.isascii():
        return "has letters outside a-z"
    if " " in stem:
        return "has spaces"
    if stem != stem.lower():
        return "has capital letters"
    if stem.endswith("."):
        return "ends with a dot, which Windows drops"
    if "." in stem:
        return "has a dot (only the `.md` at the end may have one)"
    if not _SLUG_NAME.fullmatch(stem):
        return "has characters other than a-z, 0-9 and `-`, or starts or ends with `-`"
    return None


def _readable_name(name: str) -> bool:
    """Neither undecodable bytes (kept by Python as lone surrogates) nor control characters."""
    if name.isprintable():  # the usual case, at C speed: both kinds are unprintable
        return True
    return not any(unicodedata.category(c) in ("Cc", "Cs") for c in name)


def slugify(text: str) -> str:
    """The nearest slug to a name: accents dropped, lower case, anything else a `-`."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    return "" if slug in _WINDOWS_RESERVED else slug


def printable(text: str) -> str:
    """A name as it can be shown on one line of a terminal or a CI log: bytes that are not UTF-8 as `\\xff`,
    control and invisible characters as `\\u....` escapes."""
    if text.isprintable():  # nearly every name; lone surrogates and controls are not printable
        return text
    shown = []
    for character in text:
        if "\udc80" <= character <= "\udcff":
            shown.append(f"\\x{ord(character) - 0xDC00:02x}")
        elif character.isprintable() or character == " ":
            shown.append(character)
        else:
            shown.append(character.encode("unicode_escape").decode("ascii"))
    return "".join(shown)


def links_leaving(path: Path, site_dir: Path, what: Code) -> Problem | None:
    """A symbolic link (the path itself or a folder on the way) that leads out of the site folder: the
    builder never reads through it, so nothing from elsewhere on the machine is printed or published."""
    site = site_dir.resolve()
    try:
        target = path.resolve()
    except (OSError, RuntimeError):
        target = None
    if target is not None and target.is_relative_to(site):
        return None
    return Problem(
        what,
        display_path(path, site_dir),
        1,
        1,
        f"{display_path(path, site_dir)} leads through a symbolic link to a place outside the site folder; it is "
        "not read, so that nothing from elsewhere on the machine is published: copy it into the site instead",
    )


def links_out_of_folder(folder: Path, site_dir: Path, what: Code) -> list[Problem]:
    """Every symbolic link under `folder` (templates/) that leads out of it, or nowhere: a template or an
    asset is read, and published, only from inside its own folder."""
    problems: list[Problem] = []
    if not folder.exists() and not folder.is_symlink():
        return problems
    leaving = links_leaving(folder, site_dir, what)
    if leaving is not None:
        return [leaving]
    real = folder.resolve()
    for place, dirnames, filenames in os.walk(folder, followlinks=False):
        for name in sorted(dirnames + filenames):
            candidate = Path(place, name)
            if not candidate.is_symlink():
                continue
            try:
                inside = candidate.resolve(strict=True).is_relative_to(real)
            except (OSError, RuntimeError):
                inside = False
            if not inside:
                shown = display_path(candidate, site_dir)
                problems.append(
                    Problem(
                        what,
                        shown,
                        1,
                        1,
                        f"{shown} is a symbolic link that leads out of {display_path(folder, site_dir)}/ (or "
                        "nowhere); it is not read or published: copy the file in instead",
                    )
                )
    return problems


def _link_problem(link: Path, site_dir: Path, content_real: Path) -> Problem | None:
    shown = display_path(link, site_dir)
    try:
        target = link.resolve(strict=True)
    except (OSError, RuntimeError):
        return Problem(
            Code.FRONT_MATTER, shown, 1, 1, "this symbolic link leads nowhere (or round in a loop): remove it"
        )
    if target.is_relative_to(content_real):
        return None
    return Problem(
        Code.FRONT_MATTER,
        shown,
        1,
        1,
        "this is a symbolic link to a place outside content/; it is not read, so that nothing from "
        "elsewhere on the machine can be published. Copy the file into content/ instead.",
    )


def _not_a_file_problem(path: Path, site_dir: Path) -> Problem | None:
    shown = display_path(path, site_dir)
    try:
        mode = path.stat().st_mode
    except OSError as error:
        return Problem(Code.FRONT_MATTER, shown, 1, 1, f"cannot read the file: {error.strerror}")
    if stat.S_ISREG(mode):
        return None
    return Problem(
        Code.FRONT_MATTER, shown, 1, 1, "this is not a regular file (a pipe or a device?): remove it"
    )


def display_path(path: Path, site_dir: Path) -> str:
    """Relative to the site, with forward slashes, and printable: a name can never break a line of output."""
    try:
        return printable(path.relative_to(site_dir).as_posix())
    except ValueError:
        return printable(path.as_posix())


def _too_large(shown: str, size: int) -> Problem:
    return Problem(
        Code.FILE_TOO_LARGE,
        shown,
        1,
        1,
        f"the file is {size / 1024 / 1024:.1f} MB; a document may be at most {MAX_FILE_BYTES // 1024 // 1024} MB "
        "(a letter is about 10 KB): is it the right file?",
    )


def document_id(path: Path, content_dir: Path) -> str:
    return path.relative_to(content_dir).with_suffix("").as_posix()


def load_file(path: Path, content_dir: Path, site_dir: Path) -> Loaded:
    """Read and parse one content file. Pure apart from reading it: safe to run in a worker process."""
    shown = display_path(path, site_dir)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return Loaded(None, None, (_too_large(shown, size),))
        raw = path.read_bytes()
    except OSError as error:
        return Loaded(
            None, None, (Problem(Code.FRONT_MATTER, shown, 1, 1, f"cannot read the file: {error.strerror}"),)
        )
    return parse_source(raw, shown, document_id(path, content_dir))
