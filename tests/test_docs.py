"""The docs: every quoted figure has a producer that re-measures it, and every link resolves.

`python -m docs.examples --check` is what runs here (no simulation); the figures themselves
are re-measured by `python -m docs.examples`, never by the tests."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from docs import examples

ROOT = Path(__file__).resolve().parent.parent
PAGES = examples.pages(ROOT)
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def test_the_pages_exist():
    assert all(page.is_file() for page in PAGES)
    assert (ROOT / "docs/architecture.md") in PAGES


def test_every_marker_has_a_producer_and_every_producer_a_marker():
    assert examples.problems(PAGES) == []
    assert examples.main(["--check"]) == 0


def test_the_check_finds_what_is_wrong(tmp_path: Path):
    page = tmp_path / "page.md"
    page.write_text(
        "A figure <!-- figure: no.such.producer -->1<!-- /figure --> and\n"
        "<!-- figure: holiday_peak.email_oldest -->8.9 h<!-- /figure --> at a line's start,\n"
        "a block inline <!-- figure: holiday_peak.table -->x<!-- /figure -->, and one left open\n"
        "<!-- figure: holiday_peak.cost -->\n",
        encoding="utf-8",
    )
    found = "\n".join(examples.problems([page]))
    assert "no.such.producer: no producer" in found
    assert "holiday_peak.email_oldest: an inline figure must not start a line" in found
    assert "holiday_peak.table: a block figure's markers must stand on lines" in found
    assert "<!-- figure: holiday_peak.cost --> is not closed" in found
    assert "producer holiday_peak.console is used by no page" in found


def test_rewriting_replaces_only_the_named_figures():
    text = (
        "cost <!-- figure: holiday_peak.cost -->old<!-- /figure -->, "
        "left <!-- figure: holiday_peak.email_left -->kept<!-- /figure -->\n\n"
        "<!-- figure: holiday_peak.table -->\n<!-- /figure -->\n"
    )
    new = examples.rewrite(text, {"holiday_peak.cost": "16,961 CNY", "holiday_peak.table": "| a |"})
    assert "<!-- figure: holiday_peak.cost -->16,961 CNY<!-- /figure -->" in new
    assert "<!-- figure: holiday_peak.email_left -->kept<!-- /figure -->" in new
    assert "<!-- figure: holiday_peak.table -->\n\n| a |\n\n<!-- /figure -->" in new
    assert examples.rewrite(new, {"holiday_peak.table": "| a |"}) == new  # stable


def links(page: Path) -> list[str]:
    """Relative link targets of a Markdown page, code blocks left out."""
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    targets = [m.group(1) for m in LINK.finditer(text)]
    return [t for t in targets if not re.match(r"[a-z]+:", t) and not t.startswith("#")]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_points_to_a_file(page: Path):
    missing = [t for t in links(page) if not (page.parent / t.split("#")[0]).exists()]
    assert missing == []


def test_the_readme_keeps_the_test_command_and_stays_a_guide():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert "pytest -n 2" in quick_start  # CI runs the README's test command
    assert len(readme) < 15_000
    for page in sorted((ROOT / "docs").glob("*.md")):
        assert f"(docs/{page.name})" in readme, page.name
