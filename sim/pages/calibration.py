"""calibration.html: each estimate of a calibration drawn against the data it came from.

Figures (also saved in `figures/` beside the page): arrivals per interval (each day, their mean
= the forecast, and its 95% CI), handle times (histogram and ECDF against the three fitted
families, the chosen one bold), patience (Kaplan-Meier with Greenwood's band, the written curve
with its exponential tail, and the exponential MLE), the segment mix, and the staffing seen per
interval against what the written roster puts on duty. Tables give the figures with CIs and
what could not be estimated. The page takes plain data (`sim.analysis.calibration_view`), which
`sim.calibrate` fills from its estimates: nothing here imports the estimator.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from sim.analysis.calibration_view import (
    CalibrationView,
    HandleEstimate,
    NeverAbandons,
    PatienceEstimate,
)
from sim.pages import kit
from sim.pages.figures import DPI, WIDTH_IN, _grid, _panels, _time_axis

CHOSEN_COLOUR = "#d62728"
FAMILY_STYLES = {"lognormal": "-", "gamma": "--", "exponential": ":"}
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


def render(cal: CalibrationView, folder: Path) -> Path:
    """Draw the figures into folder/figures/ and write folder/calibration.html."""
    kit.use_agg()
    drawn = [
        ("arrivals", arrivals_figure(cal), "Arrivals per interval", arrivals_caption(cal)),
        ("handle", handle_figure(cal), "Handle time against the fitted families", HANDLE_TEXT),
        (
            "patience",
            patience_figure(cal),
            "Patience: Kaplan-Meier and the written curve",
            PATIENCE_TEXT,
        ),
        ("segments", segments_figure(cal), "Segment mix per contact type", SEGMENTS_TEXT),
        (
            "staffing",
            staffing_figure(cal),
            "Staffing present and the roster written",
            staffing_caption(cal),
        ),
    ]
    shown = [
        kit.show(fig, folder, name, title, text)
        for name, fig, title, text in drawn
        if fig is not None
    ]
    page = kit.render(
        "calibration.html",
        cal=cal,
        file=Path(cal.source).name,
        busyness_ci=busyness_ci(cal),
        types=[type_row(h) for h in cal.handle],
        patience=[patience_row(p) for p in cal.patience],
        figures=shown,
    )
    return kit.write_page(folder / "calibration.html", page)


def arrivals_caption(cal: CalibrationView) -> str:
    return (
        f"Contacts per {cal.interval_s / 60:g}-minute interval on each of the {cal.n_days} "
        "chosen day(s) (grey), their mean (the forecast written, black) and its 95% CI (band)."
    )


def staffing_caption(cal: CalibrationView) -> str:
    return (
        f"Agents present per interval ({cal.staffing_method}), per pool of agents holding the "
        "same skills: each day (grey), the mean (black), and the agents on duty in the roster "
        "written (red steps), which the simulation starts from."
    )


# --- the tables ----------------------------------------------------------------------------------


def busyness_ci(cal: CalibrationView) -> str:
    if cal.busyness_lo is None or cal.busyness_hi is None:
        return "(no CI)"
    return f"[{cal.busyness_lo:.3f}, {cal.busyness_hi:.3f}]"


def mean_ci(h: HandleEstimate) -> str:
    if math.isnan(h.mean_lo):
        return f"{h.mean:.1f} (AHT given)"
    return f"{h.mean:.1f} [{h.mean_lo:.1f}, {h.mean_hi:.1f}]"


def aht_text(h: HandleEstimate) -> str:
    """Whether the AHT is written per interval, and the Kruskal-Wallis p across hours."""
    if not h.aht_varies:
        return "flat" if h.aht_p is None else f"flat (hours compared: p {h.aht_p:.2g})"
    if h.aht_p is None:
        return "per interval, as given"
    return f"per interval (hours differ: p {h.aht_p:.2g})"


def type_row(h: HandleEstimate) -> list[str]:
    """type, channel, per day, contained, mean handle [CI], CV, handle written, AHT over the day"""
    return [
        h.type,
        h.channel,
        f"{h.per_day:,.1f}",
        f"{h.contained:.1%}",
        mean_ci(h),
        f"{h.cv:.2f}",
        h.chosen,
        aht_text(h),
    ]


@dataclass(frozen=True)
class PatienceRow:
    type: str
    segment: str
    cells: list[
        str
    ]  # queued, abandoned, written, mean, exponential MLE [CI]; none: nobody abandoned


def patience_row(p: PatienceEstimate | NeverAbandons) -> PatienceRow:
    if isinstance(p, NeverAbandons):
        return PatienceRow(p.type, p.segment, [])
    written = (
        f"Kaplan-Meier to {p.cutoff_s:.0f} s, tail mean {p.tail_mean:.0f} s"
        if p.curve
        else "exponential (too few at risk for a curve)"
    )
    return PatienceRow(
        p.type,
        p.segment,
        [
            f"{p.n:,}",
            f"{p.abandons:,}",
            written,
            f"{p.mean:.0f}",
            f"{p.exponential_mean:.0f} [{p.exponential_lo:.0f}, {p.exponential_hi:.0f}]",
        ],
    )


# --- the figures ---------------------------------------------------------------------------------


def _hours(n: int, interval_s: float) -> np.ndarray:
    return (np.arange(n) + 0.5) * interval_s / 3600


def arrivals_figure(cal: CalibrationView) -> Figure:
    a = cal.arrivals
    fig, axes, _, _ = _panels(len(a.types), 2)
    lo, hi = a.lo, a.hi
    x = _hours(a.rates.shape[1], cal.interval_s)
    for i, (ax, name) in enumerate(zip(axes, a.types, strict=True)):
        for day in a.counts[:, i]:
            ax.plot(x, day, color="#bbbbbb", linewidth=0.6)
        if cal.n_days > 1:
            ax.fill_between(x, lo[i], hi[i], color="#1f77b4", alpha=0.25, linewidth=0)
        ax.plot(x, a.rates[i], color="black", linewidth=1.5)
        ax.set_title(f"{name}: {a.rates[i].sum():,.1f} a day")
        ax.set_ylabel("contacts per interval")
        _time_axis(ax, 24, 8)
        _grid(ax)
    return fig


def handle_figure(cal: CalibrationView) -> Figure | None:
    fits = [h for h in cal.handle if h.fits]
    if not fits:
        return None
    rows = len(fits)
    fig = Figure(figsize=(WIDTH_IN, 0.5 + 2.8 * rows), dpi=DPI, layout="constrained")
    axes = fig.subplots(rows, 2, squeeze=False)
    for fit, (left, right) in zip(fits, axes, strict=True):
        name = fit.type
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
            left.plot(grid, f.pdf(grid), **style)
            right.plot(grid, f.cdf(grid), **style)
        left.set_title(f"{name}: n {fit.n:,}, mean {fit.mean:.0f} s, written: {fit.chosen}")
        right.set_title(f"{name}: ECDF (black) and fitted CDFs")
        left.legend(fontsize=7)
        for ax in (left, right):
            ax.set_xlim(0, top)
            ax.set_xlabel("handle time (s)")
            _grid(ax)
    return fig


def patience_figure(cal: CalibrationView) -> Figure | None:
    fits = [f for f in cal.patience if isinstance(f, PatienceEstimate)]
    if not fits:
        return None
    fig, axes, _, _ = _panels(len(fits), 2, sharex=False)
    for ax, fit in zip(axes, fits, strict=True):
        times = fit.km_times
        top = float(max(fit.cutoff_s * 2, np.quantile(times, 0.99) if len(times) else 60))
        t = np.concatenate(([0.0], times))
        ax.fill_between(
            t,
            np.concatenate(([1.0], fit.km_lo)),
            np.concatenate(([1.0], fit.km_hi)),
            step="post",
            color="#bbbbbb",
            alpha=0.6,
            linewidth=0,
        )
        ax.step(
            t,
            np.concatenate(([1.0], fit.km_survival)),
            where="post",
            color="black",
            linewidth=1.2,
            label="Kaplan-Meier",
        )
        grid = np.linspace(0, top, 400)
        ax.plot(
            grid,
            fit.written(grid),
            color=CHOSEN_COLOUR,
            linewidth=1.5,
            label=f"written (mean {fit.mean:.0f} s)",
        )
        mean, lo, hi = fit.exponential_mean, fit.exponential_lo, fit.exponential_hi
        ax.plot(
            grid,
            np.exp(-grid / mean),
            color="#1f77b4",
            linestyle="--",
            label=f"exponential MLE (mean {mean:.0f} s [{lo:.0f}, {hi:.0f}])",
        )
        if fit.curve:
            ax.axvline(fit.cutoff_s, color="#555555", linestyle=":", linewidth=1)
        label = fit.type if fit.segment == "all" else f"{fit.type}, {fit.segment}"
        ax.set_title(f"{label}: {fit.abandons:,} abandoned of {fit.n:,} queued")
        ax.set_xlim(0, top)
        ax.set_ylim(0, 1.02)
        ax.set_xlabel("seconds waited")
        ax.set_ylabel("P(patience > t)")
        ax.legend(fontsize=7, loc="lower left")
        _grid(ax)
    return fig


def segments_figure(cal: CalibrationView) -> Figure:
    shares = cal.segment_shares
    fig = Figure(figsize=(WIDTH_IN, 1.0 + 0.45 * len(shares)), dpi=DPI, layout="constrained")
    ax = fig.subplots()
    names = list(shares)
    left = np.zeros(len(names))
    for segment in cal.segments:
        share = np.array([shares[t][segment] for t in names])
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
    fig.legend(loc="outside upper center", ncol=len(cal.segments), fontsize=8)
    return fig


def staffing_figure(cal: CalibrationView) -> Figure:
    fig, axes, _, _ = _panels(len(cal.staffing), 2)
    n = int(round(86400 / cal.interval_s))
    edges = np.arange(n + 1) * cal.interval_s / 3600
    x = _hours(n, cal.interval_s)
    for ax, pool in zip(axes, cal.staffing, strict=True):
        for day in pool.per_day:
            ax.plot(x, day, color="#bbbbbb", linewidth=0.6)
        ax.plot(x, pool.presence, color="black", linewidth=1.5)
        ax.stairs(pool.written, edges, color=CHOSEN_COLOUR, linewidth=1.2)
        ax.set_title(f"{pool.name} ({', '.join(pool.skills)})")
        ax.set_ylabel("agents present")
        _time_axis(ax, 24, 8)
        _grid(ax)
    return fig
