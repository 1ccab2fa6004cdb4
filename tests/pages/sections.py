"""Helpers of the page tests: a section's template rendered alone, rows found in a page."""

from __future__ import annotations

import re

from sim.pages import kit


def render_section(source: str, **context: object) -> str:
    """A template snippet (importing the page's macros or including a section) rendered with
    the kit's environment, so escaping and formatting are the pages' own."""
    return kit.environment().from_string(source).render(**context)


def row(page: str, attribute: str, key: str) -> str:
    """The cells of the table row `<tr attribute="key">`."""
    found = re.search(rf'<tr {attribute}="{re.escape(key)}">(.*?)</tr>', page, re.DOTALL)
    assert found, f"no row {attribute}={key}"
    return found.group(1)
