"""The Markdown of document bodies: one configured parser, and a fast scan for what validation needs.

Validation has to find raw HTML and internal links in every body, thousands of times per check, and
a full CommonMark parse costs about 2 ms per letter. So the scan first looks with regular
expressions; only when something that looks like HTML or a link sits in a body that also has code
(where the same characters are harmless) does it ask markdown-it-py to decide.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict


@cache
def parser(html: bool = False) -> MarkdownIt:
    """CommonMark with GFM tables. Raw HTML is off for rendering: an inspector's `<b>` shows as text."""
    md = MarkdownIt("commonmark", {"html": html, "typographer": False})
    md.enable("table")
    md.add_render_rule("table_open", _render_table_open)
    md.add_render_rule("table_close", _render_table_close)
    md.add_render_rule("caption_source", _render_nothing)
    return md


@dataclass(frozen=True, slots=True)
class Spot:
    """Something found in a body: where (offset into the body) and what."""

    offset: int
    text: str


@dataclass(frozen=True, slots=True)
class BodyScan:
    raw_html: tuple[Spot, ...]
    links: tuple[Spot, ...]  # link destinations as written (`/inspections/kent/2024-03-12/`)


# Raw HTML as CommonMark recognises it: open and closing tags, comments, declarations, instructions.
# Every scan over a body is linear in its length: a tag cannot span a `<` (so each tag's scan ends at
# the next one), and the closers of comments, declarations and instructions are each searched for once
# per position they are found at (a body of 200 KB of `<!--` is read once, not once per `<!--`).
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_DECLARATION = re.compile(r"<![A-Za-z]")
_CLOSED_BY = (("<!--", "-->"), ("<?", "?>"))


def _raw_html(body: str) -> list[Spot]:
    spots: list[Spot] = []
    next_closer: dict[str, int] = {}  # closer -> where it next occurs after the last search (-1: nowhere)

    def find(closer: str, start: int) -> int:
        known = next_closer.get(closer)
        if known is not None and (known < 0 or known >= start):
            return known
        next_closer[closer] = body.find(closer, start)
        return next_closer[closer]

    position = body.find("<")
    while position >= 0:
        end = -1
        for opener, closer in _CLOSED_BY:
            if body.startswith(opener, position):
                found = find(closer, position + len(opener))
                end = found + len(closer) if found >= 0 else -1
                break
        else:
            if _DECLARATION.match(body, position):
                found = find(">", position + 2)
                end = found + 1 if found >= 0 else -1
            else:
                tag = _TAG.match(body, position)
                end = tag.end() if tag else -1
        if end < 0:
            position = body.find("<", position + 1)
        else:
            spots.append(Spot(position, body[position:end]))
            position = body.find("<", end)
    return spots


_INLINE_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)")
_REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*<?([^\s>]+)", re.MULTILINE)
_CODE = re.compile(r"`|^(?: {4}|\t)", re.MULTILINE)


@lru_cache(maxsize=16)  # the per-file rules scan the same body one after another
def scan(body: str) -> BodyScan:
    html = _raw_html(body) if "<" in body else []
    links: list[Spot] = []
    if "](" in body:
        links.extend(Spot(m.start(1), m.group(1)) for m in _INLINE_LINK.finditer(body))
    if "]:" in body:
        links.extend(Spot(m.start(1), m.group(1)) for m in _REFERENCE_DEFINITION.finditer(body))
    if (html or links) and _CODE.search(body):
        return _scan_with_parser(body)
    return BodyScan(tuple(html), tuple(sorted(links, key=lambda s: s.offset)))


@cache
def _scan_parser(links: bool) -> MarkdownIt:
    """The parser as the scan needs it. Emphasis never decides what is HTML or a link, and without a `](`
    or a `]:` in the body no link or image can exist: those rules are off, because markdown-it-py spends
    about 30 microseconds on each `[` (6 s on 200 KB of `![`), linear but slow."""
    md = MarkdownIt("commonmark", {"html": True, "typographer": False})
    md.disable(["emphasis"] if links else ["emphasis", "link", "image"])
    return md


def _scan_with_parser(body: str) -> BodyScan:
    """The exact answer, for bodies with code in them."""
    line_starts = [0]  # markdown-it's lines are "\n"-separated, whatever other breaks the text holds
    for line in body.split("\n"):
        line_starts.append(line_starts[-1] + len(line) + 1)
    html: list[Spot] = []
    links: list[Spot] = []

    def block_start(token: Token) -> int:
        return line_starts[token.map[0]] if token.map else 0

    for token in _scan_parser(links="](" in body or "]:" in body).parse(body):
        if token.type == "html_block":
            start = block_start(token)
            html.append(Spot(start + _leading_spaces(body, start), token.content.strip()))
        elif token.type == "inline" and token.children:
            start = block_start(token)
            end = line_starts[token.map[1]] if token.map else len(body)
            cursor = start
            for child in token.children:
                if child.type == "html_inline":
                    found = body.find(child.content, cursor, end)
                    cursor = found + 1 if found >= 0 else cursor
                    html.append(Spot(found if found >= 0 else start, child.content))
                elif child.type == "link_open":
                    href = str(child.attrGet("href") or "")
                    found = body.find(href, cursor, end)
                    cursor = found + 1 if found >= 0 else cursor
                    links.append(Spot(found if found >= 0 else start, href))
    return BodyScan(tuple(html), tuple(links))


def _leading_spaces(text: str, start: int) -> int:
    return len(text[start:]) - len(text[start:].lstrip(" "))


def body_links(body: str, body_line: int) -> tuple[tuple[int, int, str], ...]:
    """Each link of a body as (line, column in the file, destination as written): kept with the document,
    so that the site rules can point at a link without keeping the body."""
    return tuple((*position(body, body_line, spot.offset), spot.text) for spot in scan(body).links)


def position(body: str, body_line: int, offset: int) -> tuple[int, int]:
    """Line and column in the file of an offset into the body."""
    line = body_line + body.count("\n", 0, offset)
    column = offset - (body.rfind("\n", 0, offset) + 1) + 1
    return line, column


# ---------------------------------------------------------------------------------------- rendering


@dataclass(frozen=True, slots=True)
class RenderedBody:
    html: str
    headings: tuple[tuple[int, str, str], ...]  # (level, id, text), for a contents list
    internal_links: tuple[str, ...]  # root-relative targets, so the writer can prove none is broken


LinkResolver = Callable[[str], str | None]
"""Maps a root-relative href (`/inspections/kent/2024-03-12/`) to the href to write, or None to unlink."""

_CAPTION = re.compile(r"^Table:\s*(.+)$")


def slug(text: str) -> str:
    words = re.sub(r"[^\w\s-]", "", text.casefold()).split()
    return "-".join(words) or "section"


def render_body(body: str, resolve: LinkResolver, reserved: frozenset[str] = frozenset()) -> RenderedBody:
    """Body HTML for a page: headings with ids (never an h1), captioned keyboard-scrollable tables,
    and internal links rewritten by `resolve` (relative to the page, or plain text when not published).
    Heading ids never repeat, nor take one of the `reserved` ids the page's template uses.
    """
    md = parser()
    tokens = md.parse(body)
    headings: list[tuple[int, str, str]] = []
    used_ids: dict[str, int] = dict.fromkeys(reserved, 1)
    internal: list[str] = []
    last_heading = ""
    tables = 0
    for index, token in enumerate(tokens):
        if token.type in ("heading_open", "heading_close"):
            level = max(int(token.tag[1]), 2)
            token.tag = f"h{level}"
            if token.type == "heading_open":
                text = tokens[index + 1].content
                anchor = _unique(slug(text), used_ids)
                token.attrSet("id", anchor)
                headings.append((level, anchor, text))
                last_heading = text
        elif token.type == "table_open":
            tables += 1
            caption, hidden = _table_caption(tokens, index, last_heading, tables)
            token.meta = {"caption": caption, "caption_hidden": hidden, "number": tables}
        elif token.type == "th_open":
            token.attrSet("scope", "col")
        elif token.type == "inline" and token.children:
            token.children = _resolve_links(token.children, resolve, internal)
    html = md.renderer.render(tokens, md.options, {})
    return RenderedBody(html, tuple(headings), tuple(internal))


# Ids the body's own tables take (`table-1-caption`): a heading never takes one of those either.
_TABLE_CAPTION_ID = re.compile(r"table-[0-9]+-caption")


def _unique(base: str, used: dict[str, int]) -> str:
    """`base`, or `base-2`, `base-3`... whichever is free; the count per base keeps this linear."""
    anchor = base
    while anchor in used or _TABLE_CAPTION_ID.fullmatch(anchor):
        used[base] = used.get(base, 1) + 1
        anchor = f"{base}-{used[base]}"
    used[anchor] = 1
    return anchor


def _table_caption(tokens: list[Token], index: int, last_heading: str, number: int) -> tuple[str, bool]:
    """A `Table: ...` paragraph just before the table is its caption; else the section's heading, for screen readers."""
    if (
        index >= 3
        and tokens[index - 3].type == "paragraph_open"
        and tokens[index - 1].type == "paragraph_close"
    ):
        match = _CAPTION.match(tokens[index - 2].content)
        if match:
            for hidden in tokens[index - 3 : index]:
                hidden.hidden = True
                hidden.type = "caption_source"
                hidden.children = []
            return match.group(1).strip(), False
    return (last_heading or f"Table {number}"), True


def _resolve_links(children: list[Token], resolve: LinkResolver, internal: list[str]) -> list[Token]:
    kept: list[Token] = []
    dropping = 0
    for child in children:
        if child.type == "link_open":
            href = str(child.attrGet("href") or "")
            if href.startswith("/") and not href.startswith("//"):
                written = resolve(href)
                if written is None:
                    dropping += 1
                    continue
                internal.append(href.split("#", 1)[0])
                child.attrSet("href", written)
        elif child.type == "link_close" and dropping:
            dropping -= 1
            continue
        kept.append(child)
    return kept


def _render_table_open(
    _renderer: object, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    meta = tokens[idx].meta
    caption_id = f"table-{meta['number']}-caption"
    caption_class = "table__caption visually-hidden" if meta["caption_hidden"] else "table__caption"
    return (
        f'<div class="table-wrapper" role="region" aria-labelledby="{caption_id}" tabindex="0">\n'
        f'<table class="table">\n<caption id="{caption_id}" class="{caption_class}">'
        f"{escapeHtml(meta['caption'])}</caption>\n"
    )


def _render_table_close(
    _renderer: object, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return "</table>\n</div>\n"


def _render_nothing(
    _renderer: object, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return ""
