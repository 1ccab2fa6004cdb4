"""The page kit every ccsim page is built on: templates, one stylesheet, figures, writing.

- Templates are Jinja2 (`templates/` in this package), autoescaped: every value placed in a
  page is escaped unless a template marks it safe, so a scenario, queue or rule name can never
  break the HTML. Each page's template extends `base.html` (head, the stylesheet `style.css`,
  the footer) and takes its macros (a figure with its caption, a value with its CI, a card)
  from `macros.html`; values are formatted beforehand by `sim.pages.format`.
- Figures are drawn by `sim.pages.figures` (matplotlib without pyplot), saved as PNG beside
  the page (`save_figure`) and embedded as data URIs (`Shown`), so the page is one
  self-contained file that opens from disk and can be forwarded.
- Every file is written to a temporary name and renamed (`write_page`, `save_figure`), so no
  reader ever sees half a page or half a figure.
"""

from __future__ import annotations

import base64
import functools
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

if TYPE_CHECKING:
    from matplotlib.figure import Figure as Drawing

TEMPLATES = Path(__file__).parent / "templates"


@functools.cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default=True),
        undefined=jinja2.StrictUndefined,  # a misspelt name is an error, not an empty string
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


def render(template: str, **context: Any) -> str:
    """The page `template` (a file in templates/) filled with `context`."""
    return environment().get_template(template).render(**context)


def write_page(path: Path, text: str) -> Path:
    """Write `text` to `path` through a temporary name, so it is never seen half-written."""
    partial = path.with_name(f".{path.name}.part")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)
    return path


def use_agg() -> None:
    """Draw without a display: the Agg backend, unless an interactive session chose one."""
    import matplotlib

    if "matplotlib.pyplot" not in sys.modules:
        matplotlib.use("Agg")


def save_figure(fig: Drawing, path: Path) -> Path:
    """`fig` as a PNG at `path` (through a temporary name). Straight onto an Agg canvas: one
    drawing pass, no metadata (a rebuilt figure is byte-identical), and compression level 3 of
    9: a fifth of the default's encoding time for files a few percent larger."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.part")
    FigureCanvasAgg(fig).print_png(
        partial, metadata={"Software": None}, pil_kwargs={"compress_level": 3}
    )
    os.replace(partial, path)
    return path


def data_uri(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


@dataclass(frozen=True)
class Shown:
    """A figure as a page shows it: embedded, numbered, with its title and how to read it."""

    name: str  # the figure's name (figures/<name>.png; data-figure and id="fig-<name>")
    title: str
    caption: str
    path: Path

    @property
    def uri(self) -> str:
        return data_uri(self.path)

    @property
    def file(self) -> str:
        return f"figures/{self.path.name}"


def show(fig: Drawing, folder: Path, name: str, title: str, caption: str) -> Shown:
    """Save `fig` as folder/figures/<name>.png and return it ready for a page."""
    return Shown(name, title, caption, save_figure(fig, folder / "figures" / f"{name}.png"))
