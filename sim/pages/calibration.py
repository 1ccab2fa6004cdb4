"""calibration.html: each estimate drawn against the data it came from.

Figures (also saved in `figures/` beside the page): arrivals per interval (each day, their mean
= the forecast, and its 95% CI), handle times (histogram and ECDF against the three fitted
families, the chosen one bold), patience (Kaplan-Meier with Greenwood's band, the written curve
with its exponential tail, and the exponential MLE), the segment mix, and the staffing seen per
interval against what the written roster puts on duty. Tables give the figures with CIs and
what could not be estimated.
"""

from __future__ import annotations

import base64
import html
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from sim.calibrate.calibration import Calibration
from sim.calibrate.handle import HandleFit
from sim.calibrate.staffing import presence_of_rows
from sim.pages.figures import DPI, WIDTH_IN, _grid, _panels, _time_axis

CHOSEN_COLOUR = "#d62728"
FAMILY_STYLES = {"lognormal": "-", "gamma": "--", "exponential": ":"}


def render(cal: Calibration, rows: list[dict[str, str]], folder: Path) -> Path:
    figures = folder / "figures"
    figures.mkdir(parents=True, exist_ok=True)
    made = {
        "arrivals": (arrivals_figure(cal), "Arrivals per interval", _arrivals_caption(cal)),
        "handle": (handle_figure(cal), "Handle time against the fitted families", HANDLE_TEXT),
        "patience": (
            patience_figure(cal),
            "Patience: Kaplan-Meier and the written curve",
            PATIENCE_TEXT,
        ),
        "segments": (segments_figure(cal), "Segment mix per contact type", SEGMENTS_TEXT),
        "staffing": (
            staffing_figure(cal, rows),
            "Staffing present and the roster written",
            _staffing_caption(cal),
        ),
    }
    parts = []
    for number, (name, (fig, title, text)) in enumerate(made.items(), start=1):
        if fig is None:
            continue
        path = figures / f"{name}.png"
        fig.savefig(path, dpi=DPI)
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        parts.append(
            f'<figure><img src="data:image/png;base64,{data}" alt="{_e(title)}">'
            f"<figcaption><b>Figure {number}. {_e(title)}.</b> {_e(text)} "
            f"(figures/{name}.png)</figcaption></figure>"
        )
    page = folder / "calibration.html"
    page.write_text(_html(cal, "\n".join(parts)), encoding="utf-8")
    return page


HANDLE_TEXT = (
    "Left: histogram of the handle times (per type) with the fitted densities; right: the "
    "empirical CDF against the fitted CDFs. Lognormal solid, gamma dashed, exponential dotted; "
    "the family written into the scenario is red (none when the sample itself is written)."
)
PATIENCE_TEXT = (
    "Kaplan-Meier survival of patience (abandoned: event at its wait; answered or still waiting: "
    "censored) with its 95% Greenwood band (grey), the curve written into the scenario (red: the "
    "Kaplan-Meier points up to the dotted line, where fewer than 50 were still waiting, then the "
    "exponential tail) and the exponential MLE (blue, dashed)."
)
SEGMENTS_TEXT = "Share of each segment among every contact of the type that arrived."


def _arrivals_caption(cal: Calibration) -> str:
    return (
        f"Contacts per {cal.interval_s / 60:g}-minute interval on each of the {cal.days.n} "
        "chosen day(s) (grey), their mean (the forecast written, black) and its 95% CI (band)."
    )


def _staffing_caption(cal: Calibration) -> str:
    return (
        f"Agents present per interval ({cal.staffing.method}), per pool of agents holding the "
        "same skills: each day (grey), the mean (black), and the agents on duty in the roster "
        "written (red steps), which the simulation starts from."
    )


def _hours(n: int, interval_s: float) -> np.ndarray:
    return (np.arange(n) + 0.5) * interval_s / 3600


def arrivals_figure(cal: Calibration) -> Figure:
    a = cal.arrivals
    fig, axes, _, _ = _panels(len(a.types), 2)
    lo, hi = a.rate_ci()
    x = _hours(a.rates.shape[1], a.interval_s)
    for i, (ax, name) in enumerate(zip(axes, a.types, strict=True)):
        for day in a.counts[:, i]:
            ax.plot(x, day, color="#bbbbbb", linewidth=0.6)
        if a.days > 1:
            ax.fill_between(x, lo[i], hi[i], color="#1f77b4", alpha=0.25, linewidth=0)
        ax.plot(x, a.rates[i], color="black", linewidth=1.5)
        ax.set_title(f"{name}: {a.rates[i].sum():,.1f} a day")
        ax.set_ylabel("contacts per interval")
        _time_axis(ax, 24, 8)
        _grid(ax)
    return fig


def handle_figure(cal: Calibration) -> Figure | None:
    fits = {t: f for t, f in cal.handle.items() if f.fits}
    if not fits:
        return None
    rows = len(fits)
    fig = Figure(figsize=(WIDTH_IN, 0.5 + 2.8 * rows), dpi=DPI, layout="constrained")
    axes = fig.subplots(rows, 2, squeeze=False)
    for (name, fit), (left, right) in zip(fits.items(), axes, strict=True):
        x = np.sort(fit.sample)
        top = float(np.quantile(x, 0.995))
        grid = np.linspace(0, top, 400)[1:]
        left.hist(x[x <= top], bins=60, density=True, color="#cccccc")
        right.plot(x, np.arange(1, len(x) + 1) / len(x), color="black", linewidth=1.5)
        for f in fit.fits:
            chosen = f.family == fit.chosen
            style = {
                "color": CHOSEN_COLOUR if chosen else "#555555",
                "linestyle": FAMILY_STYLES[f.family],
                "linewidth": 2 if chosen else 1,
                "label": f"{f.family} (AIC {f.aic:,.0f}, KS p {f.ks_p:.2g})",
            }
            left.plot(grid, f.frozen.pdf(grid), **style)  # type: ignore[attr-defined]
            right.plot(grid, f.frozen.cdf(grid), **style)  # type: ignore[attr-defined]
        left.set_title(f"{name}: n {fit.n:,}, mean {fit.mean:.0f} s, written: {fit.chosen}")
        right.set_title(f"{name}: ECDF (black) and fitted CDFs")
        left.legend(fontsize=7)
        for ax in (left, right):
            ax.set_xlim(0, top)
            ax.set_xlabel("handle time (s)")
            _grid(ax)
    return fig


def patience_figure(cal: Calibration) -> Figure | None:
    fits = [(t, s, f) for t, per in cal.patience.items() for s, f in per.items() if f is not None]
    if not fits:
        return None
    fig, axes, _, _ = _panels(len(fits), 2, sharex=False)
    for ax, (name, segment, fit) in zip(axes, fits, strict=True):
        km = fit.km
        top = float(max(fit.cutoff_s * 2, np.quantile(km.times, 0.99) if len(km.times) else 60))
        t = np.concatenate(([0.0], km.times))
        ax.fill_between(
            t,
            np.concatenate(([1.0], km.lo)),
            np.concatenate(([1.0], km.hi)),
            step="post",
            color="#bbbbbb",
            alpha=0.6,
            linewidth=0,
        )
        ax.step(
            t,
            np.concatenate(([1.0], km.survival)),
            where="post",
            color="black",
            linewidth=1.2,
            label="Kaplan-Meier",
        )
        grid = np.linspace(0, top, 400)
        ax.plot(
            grid,
            fit.written_survival(grid),
            color=CHOSEN_COLOUR,
            linewidth=1.5,
            label=f"written (mean {fit.mean:.0f} s)",
        )
        e = fit.exponential
        ax.plot(
            grid,
            np.exp(-grid / e.mean),
            color="#1f77b4",
            linestyle="--",
            label=f"exponential MLE (mean {e.mean:.0f} s [{e.lo:.0f}, {e.hi:.0f}])",
        )
        if fit.points:
            ax.axvline(fit.cutoff_s, color="#555555", linestyle=":", linewidth=1)
        label = name if segment == "all" else f"{name}, {segment}"
        ax.set_title(f"{label}: {fit.abandons:,} abandoned of {fit.n:,} queued")
        ax.set_xlim(0, top)
        ax.set_ylim(0, 1.02)
        ax.set_xlabel("seconds waited")
        ax.set_ylabel("P(patience > t)")
        ax.legend(fontsize=7, loc="lower left")
        _grid(ax)
    return fig


def segments_figure(cal: Calibration) -> Figure:
    mix = cal.segments
    fig = Figure(figsize=(WIDTH_IN, 1.0 + 0.45 * len(mix.shares)), dpi=DPI, layout="constrained")
    ax = fig.subplots()
    names = list(mix.shares)
    left = np.zeros(len(names))
    for segment in mix.segments:
        share = np.array([mix.shares[t][segment] for t in names])
        bars = ax.barh(names, share, left=left, label=segment)
        ax.bar_label(
            bars,
            labels=[f"{v:.1%}" if v >= 0.03 else "" for v in share],
            label_type="center",
            fontsize=8,
            color="white",
        )
        left += share
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of the type's contacts")
    fig.legend(loc="outside upper center", ncol=len(mix.segments), fontsize=8)
    return fig


def staffing_figure(cal: Calibration, rows: list[dict[str, str]]) -> Figure:
    staffing = cal.staffing
    written = presence_of_rows(rows, staffing.interval_s)
    fig, axes, _, _ = _panels(len(staffing.pools), 2)
    n = int(round(86400 / staffing.interval_s))
    edges = np.arange(n + 1) * staffing.interval_s / 3600
    x = _hours(n, staffing.interval_s)
    for ax, pool in zip(axes, staffing.pools, strict=True):
        for day in pool.per_day:
            ax.plot(x, day, color="#bbbbbb", linewidth=0.6)
        ax.plot(x, pool.presence, color="black", linewidth=1.5)
        roster = written.get(pool.name, np.zeros(n))
        ax.stairs(roster, edges, color=CHOSEN_COLOUR, linewidth=1.2)
        ax.set_title(f"{pool.name} ({', '.join(pool.skills)})")
        ax.set_ylabel("agents present")
        _time_axis(ax, 24, 8)
        _grid(ax)
    return fig


# --- the page ----------------------------------------------------------------------------------


def _e(text: object) -> str:
    return html.escape(str(text))


def _mean_ci(h: HandleFit) -> str:
    if np.isnan(h.mean_lo):
        return f"{h.mean:.1f} (AHT given)"
    return f"{h.mean:.1f} [{h.mean_lo:.1f}, {h.mean_hi:.1f}]"


def _aht_text(h: HandleFit) -> str:
    """Whether the AHT is written per interval, and the Kruskal-Wallis p across hours."""
    if h.aht is None:
        return "flat" if h.aht_p is None else f"flat (hours compared: p {h.aht_p:.2g})"
    if h.aht_p is None:
        return "per interval, as given"
    return f"per interval (hours differ: p {h.aht_p:.2g})"


def _html(cal: Calibration, figures: str) -> str:
    busy = cal.arrivals.busyness()
    ci = (
        f"[{busy.lo:.3f}, {busy.hi:.3f}]"
        if busy.lo is not None and busy.hi is not None
        else "(no CI)"
    )
    type_rows = []
    for i, t in enumerate(cal.types):
        h = cal.handle[t]
        type_rows.append(
            "<tr>"
            f"<td>{_e(t)}</td><td>{_e(cal.channels[t])}</td>"
            f"<td>{cal.arrivals.rates[i].sum():,.1f}</td><td>{cal.contained[t]:.1%}</td>"
            f"<td>{_mean_ci(h)}</td><td>{h.cv:.2f}</td>"
            f"<td>{_e(h.chosen)}</td><td>{_e(_aht_text(h))}</td>"
            "</tr>"
        )
    patience_rows = []
    for t, per in cal.patience.items():
        for s, f in per.items():
            if f is None:
                patience_rows.append(
                    f"<tr><td>{_e(t)}</td><td>{_e(s)}</td><td colspan=6>"
                    "nobody abandoned: never abandons</td></tr>"
                )
                continue
            e = f.exponential
            written = (
                f"Kaplan-Meier to {f.cutoff_s:.0f} s, tail mean {f.tail_mean:.0f} s"
                if f.points
                else "exponential (too few at risk for a curve)"
            )
            patience_rows.append(
                f"<tr><td>{_e(t)}</td><td>{_e(s)}</td><td>{f.n:,}</td><td>{f.abandons:,}</td>"
                f"<td>{_e(written)}</td><td>{f.mean:.0f}</td>"
                f"<td>{e.mean:.0f} [{e.lo:.0f}, {e.hi:.0f}]</td></tr>"
            )
    notes = "".join(f"<li>{_e(n)}</li>" for n in cal.notes)
    missing = "".join(f"<li>{_e(n)}</li>" for n in cal.not_estimated)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Calibration: {_e(cal.source)}</title>
<style>body{{font-family:sans-serif;max-width:1150px;margin:auto;padding:1em}}
table{{border-collapse:collapse;margin:0.5em 0}}td,th{{border:1px solid #ccc;padding:3px 8px;
text-align:right}}td:first-child,th:first-child{{text-align:left}}img{{max-width:100%}}
figcaption{{font-size:0.9em;color:#333}}</style></head><body>
<h1>Calibration from {_e(Path(cal.source).name)}</h1>
<p>{_e(cal.days.described)}: {cal.days.n} day(s) ({_e(", ".join(cal.days.labels[:10]))}
{"..." if cal.days.n > 10 else ""}); {cal.interval_s / 60:g}-minute intervals.
Day-to-day busyness (gamma CV, method of moments on the daily totals): <b>{busy.cv:.3f}</b>
{ci} over {busy.days} day(s); staffing: {_e(cal.staffing.method)}.</p>
{f"<ul>{notes}</ul>" if notes else ""}
<h2>Contact types</h2>
<table><tr><th>type</th><th>channel</th><th>per day</th><th>contained</th>
<th>mean handle s [95% CI]</th><th>CV</th><th>handle written</th><th>AHT over the day</th></tr>
{"".join(type_rows)}</table>
<h2>Patience</h2>
<table><tr><th>type</th><th>segment</th><th>queued</th><th>abandoned</th><th>written</th>
<th>mean s</th><th>exponential MLE mean s [95% CI]</th></tr>{"".join(patience_rows)}</table>
<h2>Not estimated</h2><ul>{missing}</ul>
<h2>Figures</h2>
{figures}
</body></html>
"""
