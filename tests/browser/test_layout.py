"""Visual checks in Chromium: every page kind at 320 and 1280 CSS pixels, screenshotted, with nothing
wider than the screen and nothing drawn over anything else.

The screenshots are written to `$SCREENSHOT_DIR` (default `tests/browser/screenshots/`, git-ignored) and
the folder is printed in the test summary, so CI keeps them as artefacts and a person can look at them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import ServedSite
from tests.conftest import measure

SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR") or Path(__file__).parent / "screenshots").resolve()
WIDTHS = (320, 1280)
# One page of each kind of the example site (search with a query, so results are on screen).
PAGE_KINDS = {
    "home": "/",
    "forces": "/forces/",
    "force": "/forces/north-yorkshire/",
    "letter": "/feedback/north-yorkshire/2024-10-10-post-inspection-visit/",
    "letter-welsh": "/feedback/dyfed-powys/2025-03-20-post-inspection-visit-cy/",
    "inspection": "/inspections/north-yorkshire/2022-04-26/",
    "update": "/updates/north-yorkshire/2022-06-01-action-plan/",
    "publications": "/publications/",
    "national-picture": "/progress/",
    "national-picture-welsh": "/progress/cy/",
    "about": "/about/",
    "search": "/search/?q=recommendation",
    "not-found": "/404.html",
}

# Every element's box against the viewport and against every other box. An element inside a
# scrollable region that has its own label (role=region, tabindex, aria-labelledby) may be wider:
# that is a table a keyboard user scrolls on purpose. Overlap is judged between "leaves": elements
# that draw text of their own, controls, images and charts, each by its line boxes, so two words on
# one line never count, and a parent never overlaps its own child.
LAYOUT_PROBLEMS = r"""
() => {
  const width = document.documentElement.clientWidth;
  const scrollable = e => e.closest('[role=region][tabindex][aria-labelledby], [role=region][tabindex][aria-label]');
  const visible = e => {
    if (e.closest('details:not([open]) > :not(summary)')) return false;  // folded away: not drawn
    const s = getComputedStyle(e);
    if (s.position === 'absolute' && (s.clip.startsWith('rect') || s.clipPath.startsWith('inset'))) {
      return false;  // clipped away for screen readers only, as .visually-hidden is
    }
    return s.display !== 'none' && s.visibility !== 'hidden' && e.getClientRects().length > 0;
  };
  const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
    (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : '');
  const problems = [];
  const all = [...document.body.querySelectorAll('*')].filter(e => !e.closest('svg') || e.tagName === 'svg');
  for (const e of all) {
    if (!visible(e) || e.closest('.visually-hidden') || scrollable(e)) continue;
    const r = e.getBoundingClientRect();
    if (r.width > 0 && (r.right > width + 0.5 || r.left < -0.5)) {
      problems.push(`overflow: ${name(e)} spans ${Math.round(r.left)}..${Math.round(r.right)} of ${width}`);
    }
  }
  if (document.documentElement.scrollWidth > width) {
    problems.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`);
  }
  const ownText = e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
  const leaves = all.filter(e => visible(e) && !e.closest('.visually-hidden, .skip-link') &&
    (ownText(e) || e.matches('a, button, input, select, textarea, img, svg, summary')));
  const boxes = [];
  for (const e of leaves) {
    for (const r of e.getClientRects()) {
      if (r.width > 1 && r.height > 1) boxes.push([e, r]);
    }
  }
  for (let i = 0; i < boxes.length; i++) {
    const [a, ra] = boxes[i];
    for (let j = i + 1; j < boxes.length; j++) {
      const [b, rb] = boxes[j];
      if (a === b || a.contains(b) || b.contains(a)) continue;
      const x = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
      const y = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
      if (x > 2 && y > 2) {
        problems.push(`overlap: ${name(a)} "${a.textContent.trim().slice(0, 30)}" and ${name(b)} "${b.textContent.trim().slice(0, 30)}"`);
      }
    }
  }
  return problems;
}
"""


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_kind_fits_the_screen_without_overlaps_and_is_screenshotted(
    example_site: ServedSite, browser: Any, width: int
) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    problems = []
    for kind, path in PAGE_KINDS.items():
        page.goto(example_site.base_url + path)
        if kind == "search":
            page.locator(".pagefind-ui__result-link").first.wait_for(timeout=10_000)
            page.wait_for_load_state("networkidle")  # every result's fragment loaded: no shifting
        problems += [f"{path} at {width}px: {p}" for p in page.evaluate(LAYOUT_PROBLEMS)]
        page.screenshot(path=str(SCREENSHOTS / f"{kind}-{width}.png"), full_page=True)
    context.close()
    measure(f"screenshots of {len(PAGE_KINDS)} page kinds at {width}px: {SCREENSHOTS}")
    assert problems == []
    assert all((SCREENSHOTS / f"{kind}-{width}.png").stat().st_size > 5000 for kind in PAGE_KINDS)


def test_the_layout_check_sees_overflow_and_overlap(example_site: ServedSite, browser: Any) -> None:
    """The check above can fail: a too-wide box and a box drawn over another are both reported."""
    context = browser.new_context(viewport={"width": 320, "height": 900})
    page = context.new_page()
    page.goto(example_site.base_url + "/")
    page.evaluate(
        "() => { const m = document.querySelector('main');"
        " const wide = document.createElement('p'); wide.textContent = 'wide'; wide.style.width = '600px';"
        " const over = document.createElement('p'); over.textContent = 'over the heading';"
        " over.style.cssText = 'position:absolute;top:0;left:0';"
        " m.prepend(wide); document.querySelector('.site-header__title').append(over); }"
    )
    problems = page.evaluate(LAYOUT_PROBLEMS)
    context.close()
    assert any(p.startswith("overflow: p") for p in problems)
    assert any(p.startswith("overlap:") and "over the heading" in p for p in problems)
