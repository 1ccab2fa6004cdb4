"""`python -m bench.layout PAGE.html ...`: does each page lay out without overflow in a browser?

Opens every page in headless Chromium at a laptop's width (1280 px by default) and checks,
after the page's own layout, that nothing runs off the page: the document is no wider than the
window, no table or figure is wider than its container (unless it sits in a box that scrolls
sideways on purpose), and no table cell is squeezed narrower than a word. The check is a
script injected into a copy of the page; Chromium's `--dump-dom` prints the page after it ran,
so no browser driver is needed. Exit 1 when a page overflows, with what and by how much; a
screenshot of each page is written beside the copy (`--shots DIR`) to look at.

Needs Debian's `chromium` (`apt-get install chromium`); `.ci/run` does not install it, so the
test that uses this (tests/pages/test_layout.py) is skipped where Chromium is missing.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]
MARK = "ccsim-layout-check"

# Run after layout: every element wider than its parent's content box, unless some ancestor
# scrolls sideways (a table in an overflow-x box is fine), and cells narrower than 40 px.
CHECK = f"""
<script>
window.addEventListener("load", () => {{
  const out = {{width: window.innerWidth, page: document.documentElement.scrollWidth, over: [], squeezed: []}};
  const scrolls = (el) => {{
    for (let p = el.parentElement; p; p = p.parentElement) {{
      const s = getComputedStyle(p).overflowX;
      if (s === "auto" || s === "scroll") return true;
    }}
    return false;
  }};
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (el.className && typeof el.className === "string" ? "." + el.className.split(" ").join(".") : "");
  for (const el of document.querySelectorAll("body *")) {{
    const parent = el.parentElement;
    if (!parent || scrolls(el)) continue;
    const style = getComputedStyle(parent);
    const inner = parent.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const w = el.getBoundingClientRect().width;
    if (inner > 0 && w > inner + 1 && getComputedStyle(el).position !== "absolute")
      out.over.push({{el: name(el), width: Math.round(w), room: Math.round(inner)}});
  }}
  for (const cell of document.querySelectorAll("td, th")) {{
    const w = cell.getBoundingClientRect().width;
    if (cell.textContent.trim().length > 3 && w < 40)
      out.squeezed.push({{el: name(cell), width: Math.round(w), text: cell.textContent.trim().slice(0, 30)}});
  }}
  const pre = document.createElement("pre");
  pre.id = "{MARK}";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
}});
</script>
"""


@dataclass(frozen=True)
class Layout:
    page: str
    width: int  # the window's
    page_width: int  # the document's scroll width
    over: list[dict]  # elements wider than their container
    squeezed: list[dict]  # table cells narrower than a word

    @property
    def ok(self) -> bool:
        return self.page_width <= self.width and not self.over and not self.squeezed

    def problems(self) -> list[str]:
        out = []
        if self.page_width > self.width:
            out.append(f"the page is {self.page_width} px wide in a {self.width} px window")
        out += [f"{o['el']} is {o['width']} px wide in {o['room']} px" for o in self.over[:10]]
        out += [f"{s['el']} squeezed to {s['width']} px: {s['text']!r}" for s in self.squeezed[:10]]
        return out


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def check_page(page: Path, width: int = 1280, shots: Path | None = None) -> Layout:
    """Lay `page` out in headless Chromium `width` px wide and report what overflows."""
    browser = chromium()
    if browser is None:
        raise FileNotFoundError("chromium is not installed (apt-get install chromium)")
    html = page.read_text(encoding="utf-8")
    checked = re.sub(r"</body>", CHECK + "</body>", html, count=1, flags=re.IGNORECASE)
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / page.name
        copy.write_text(checked, encoding="utf-8")
        flags = [*CHROMIUM_FLAGS, f"--user-data-dir={tmp}/profile", f"--window-size={width},900"]
        done = subprocess.run(
            [browser, *flags, "--virtual-time-budget=5000", "--dump-dom", copy.as_uri()],
            capture_output=True,
            text=True,
            timeout=120,
        )
        if shots is not None:
            shots.mkdir(parents=True, exist_ok=True)
            shot = shots / f"{page.parent.name}_{page.stem}.png"
            subprocess.run(
                [browser, *flags[:-1], f"--window-size={width},4000", f"--screenshot={shot}",
                 page.resolve().as_uri()],
                capture_output=True,
                timeout=120,
            )  # fmt: skip
    found = re.search(rf'<pre id="{MARK}">(.*?)</pre>', done.stdout, re.S)
    if found is None:
        raise RuntimeError(f"{page}: the layout check did not run: {done.stderr[-500:]}")
    data = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    return Layout(str(page), data["width"], data["page"], data["over"], data["squeezed"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="+", type=Path)
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--shots", type=Path, help="write a screenshot of each page here")
    args = parser.parse_args()
    failed = 0
    for page in args.pages:
        layout = check_page(page, args.width, args.shots)
        print(f"{page}: {'ok' if layout.ok else 'OVERFLOWS'}")
        for problem in layout.problems():
            print(f"  {problem}")
        failed += not layout.ok
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
