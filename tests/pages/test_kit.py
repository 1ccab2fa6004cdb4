"""The page kit (`sim.pages.kit`): templates escape every value, figures are embedded as data
URIs, files are written whole or not at all, and the templates ship with the package."""

from __future__ import annotations

import base64
import tomllib

from matplotlib.figure import Figure as Drawing

from sim.pages import kit
from sim.paths import PROJECT_ROOT


def test_templates_escape_every_value():
    """A scenario or queue name with markup stays text: autoescape is on for every page."""
    shown = kit.render(
        "macros.html"  # a template that renders to nothing by itself
    )
    assert shown.strip() == ""
    page = kit.environment().from_string(
        '{% import "macros.html" as m %}{{ m.facts([("Roster", name)]) }}'
    )
    text = page.render(name='<script>alert("x")</script>')
    assert "<script>" not in text and "&lt;script&gt;" in text


def test_every_page_extends_the_one_stylesheet():
    css = (kit.TEMPLATES / "style.css").read_text()
    for page in ("run.html", "sweep.html", "staffing.html", "calibration.html"):
        source = (kit.TEMPLATES / page).read_text()
        assert '{% extends "base.html" %}' in source, page
        assert "<style" not in source, page  # no page brings its own styles
    assert '{% include "style.css" %}' in (kit.TEMPLATES / "base.html").read_text()
    assert ":root" in css


def test_figures_are_saved_whole_and_embedded(tmp_path):
    fig = Drawing(figsize=(2, 1), dpi=50)
    fig.subplots().plot([0, 1], [1, 0])
    shown = kit.show(fig, tmp_path, "line", "A line", "How to read it.")
    png = (tmp_path / "figures" / "line.png").read_bytes()
    assert png.startswith(b"\x89PNG") and shown.file == "figures/line.png"
    assert shown.uri == "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    assert not list(tmp_path.rglob("*.part"))
    again = kit.save_figure(fig, tmp_path / "again.png")
    assert again.read_bytes() == png  # no timestamp: a rebuilt figure is the same file


def test_pages_are_written_through_a_temporary_name(tmp_path):
    path = kit.write_page(tmp_path / "page.html", "<p>one</p>")
    assert path.read_text() == "<p>one</p>" and [p.name for p in tmp_path.iterdir()] == [
        "page.html"
    ]


def test_the_templates_ship_with_the_package():
    """`pip install .` carries templates/ (package data), not only an editable checkout."""
    config = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["sim.pages"]
    files = {p.relative_to(kit.TEMPLATES) for p in kit.TEMPLATES.rglob("*") if p.is_file()}
    for name in files:
        assert any(name.match(p.removeprefix("templates/")) for p in patterns), name
    dependencies = config["project"]["dependencies"]
    assert any(d.startswith("jinja2") for d in dependencies)
