"""The run report's figures: one small function per figure, each returning a matplotlib Figure.

Every function takes plain tables (the run directory's files, or frames `sim.pages.run` derives
from them) and builds a `matplotlib.figure.Figure` directly, without pyplot, so nothing here
picks or needs a GUI backend and figures are freed as soon as they are dropped. Save them with
`fig.savefig(path, dpi=DPI)`.

Conventions shared by all figures:

- Time axes are hours from 00:00 of the first day. Up to 48 h they are labelled as clock
  times ("08:00"; "32:00" is 08:00 on day two, as in intervals.csv, the forecast and the
  roster); longer horizons are labelled "day 1", "day 2"... at each day's middle, with a grid
  line at every midnight.
- Interval measures are drawn as steps covering their interval (one value per interval, never
  per contact), except where a line through the interval midpoints reads better (service
  level, with its CI band).
- Horizons past 24 h draw each channel (or queue) in its own full-width row: a week squeezed
  into one of two or three columns cannot be read.
- Panels split where scales differ: channels whose peaks differ by more than SCALE_RATIO
  (email's backlog of 80 beside a phone queue of 3) never share a linear axis (`scale_groups`).
- Colours: each channel has one colour in every figure (`channel_colours`), and that colour is
  used for nothing else; every other colour (outcomes, events, shortfalls, references) means
  one thing wherever it appears (`ROLE_COLOURS`). Alert rules take the colour of the channel
  they watch, told apart by line style.
- Layout is fixed in inches (margins sized from the legend's and labels' text), not computed
  by a layout engine: that saves a full extra drawing pass per figure, which was most of the
  report's time. Width is always WIDTH_IN inches at DPI; height is ROW_HEIGHT_IN for one row of
  panels.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.textpath import text_to_path
from matplotlib.ticker import (
    FixedLocator,
    FuncFormatter,
    MaxNLocator,
    MultipleLocator,
    NullFormatter,
    NullLocator,
    PercentFormatter,
)

from sim.clock import format_clock
from sim.pages.format import duration

DPI = 100
WIDTH_IN = 11.0
ROW_HEIGHT_IN = 4.5
WEEK_ROW_IN = 2.7  # height of one full-width row on horizons past 24 h
SCALE_RATIO = 10.0  # channels whose peaks differ by more than this get separate panels
LEGEND_SIZE = 9.0

# Sweep variants (one line per combination of the non-staffing keys): colours of their own, never
# a channel's or a role's (the sweep's panels are per channel), and a marker each as well.
VARIANT_COLOURS = ["#5e3c99", "#8c510a", "#01665e", "#c51b7d", "#35978f", "#b2abd2", "#dfc27d"]
VARIANT_MARKERS = ["o", "s", "^", "D", "v", "P", "X"]

# --- colours: one meaning each ----------------------------------------------------------------

FIXED_CHANNEL_COLOURS = {"phone": "#1f77b4", "chat": "#ff7f0e", "email": "#2ca02c"}
# Channels beyond phone, chat and email (blue, orange, green): cyan and olive; after those the
# channel colours repeat, the only reuse, for a centre with more than five channels.
EXTRA_CHANNEL_COLOURS = ("#17becf", "#bcbd22")
# Everything that is not a channel (largely Kelly's colours of maximum contrast, without the
# blues, oranges and greens the channels hold).
ROLE_COLOURS = {
    "offered": "#222222",
    "answered": "#875692",
    "contained": "#848482",
    "abandoned": "#be0032",
    "unserved": "#f99379",
    "balked": "#e68fac",
    "blocked": "#c2b280",
    "callbacks_failed": "#882d17",
    "callbacks_accepted": "#f3c300",
    "retrials": "#604e97",
    "transfers": "#b3446c",
    "call_ins": "#2b3d26",
    "moved": "#dcd300",
    "target": "#000000",
    "erlang_c": "#4d4d4d",
    "erlang_a": "#9a9a9a",
    "short_c": "#f6b6a8",
    "short_a": "#a50f15",
    "segment": "#3a3a3a",
    "ci_band": "#bdbdbd",
    "before": "#b0b0b0",
    "unknown_channel": "#6e6e6e",
}
BEFORE_COLOUR = ROLE_COLOURS["before"]
_LINE_STYLES = ["-", "--", ":", "-."]  # queues of one channel, segments, rules on one channel

# Plain words for each measure drawn per interval (legends).
MEASURE_LABELS = {
    "offered": "offered (every attempt)",
    "answered": "answered by an agent",
    "abandoned": "gave up waiting",
    "unserved": "still waiting at the end",
    "balked": "hung up on hearing the wait",
    "blocked": "busy signal (all lines taken)",
    "callbacks_failed": "callback missed",
    "contained": "resolved by IVR or bot",
}
# The events figure: what happened besides answering, per interval.
EVENTS = {
    "blocked": "busy signal (all lines taken)",
    "balked": "hung up on hearing the wait",
    "callbacks_accepted": "took a callback",
    "retrials": "tried again (retries)",
    "transfers": "passed to a second agent",
}


def channel_colours(channels: Iterable[str]) -> dict[str, str]:
    """A fixed colour per channel: phone, chat and email their own, then cyan and olive."""
    channels = list(dict.fromkeys(channels))
    colours, k = {}, 0
    for name in channels:
        if name in FIXED_CHANNEL_COLOURS:
            colours[name] = FIXED_CHANNEL_COLOURS[name]
        else:
            colours[name] = EXTRA_CHANNEL_COLOURS[k % len(EXTRA_CHANNEL_COLOURS)]
            k += 1
    return colours


def figure_height(rows: int) -> float:
    """Figure height in inches for `rows` rows of panels (one row: ROW_HEIGHT_IN)."""
    return ROW_HEIGHT_IN if rows <= 1 else 1.0 + 3.3 * rows


def _rows_height(rows: int, multi_day: bool) -> float:
    return 1.3 + WEEK_ROW_IN * rows if multi_day and rows > 1 else figure_height(rows)


def scale_groups(peaks: Mapping[str, float], ratio: float = SCALE_RATIO) -> list[list[str]]:
    """Channels that can share a linear axis: each group's largest peak is at most `ratio`
    times its smallest (peaks below 1 count as 1, so near-empty queues join the small ones).
    Groups in the order of their first channel, channels in the given order."""
    floor = {c: max(float(np.nan_to_num(p)), 1.0) for c, p in peaks.items()}
    groups: list[list[str]] = []
    for channel in sorted(floor, key=lambda c: -floor[c]):
        if groups and floor[groups[-1][0]] <= ratio * floor[channel]:
            groups[-1].append(channel)
        else:
            groups.append([channel])
    order = {c: i for i, c in enumerate(peaks)}
    groups = [sorted(g, key=order.__getitem__) for g in groups]
    return sorted(groups, key=lambda g: order[g[0]])


# --- layout -------------------------------------------------------------------------------------


def _text_width_in(text: str, size: float = LEGEND_SIZE) -> float:
    """Width in inches of `text` (its longest line) at `size` points, from the font's metrics
    (no drawing)."""
    prop = FontProperties(size=size)
    widths = [
        text_to_path.get_text_width_height_descent(line, prop, ismath=False)[0]
        for line in str(text).split("\n")
    ]
    return max(widths, default=0.0) / 72.0


def _legend_width_in(labels: Sequence[str], title: str = "", size: float = LEGEND_SIZE) -> float:
    """Room a legend of `labels` takes beside the axes: text, handle and padding."""
    text = max((_text_width_in(label, size) for label in labels), default=0.0)
    return max(text + 2.8 * size / 72, _text_width_in(title, size)) + 0.45


@dataclass
class _Margins:
    """Fixed margins and gaps, in inches."""

    left: float = 0.85
    right: float = 0.3
    top: float = 0.72  # the figure title and panel titles; 0.5 without panel titles
    bottom: float = 0.62
    wgap: float = 0.7
    hgap: float = 0.45


def _grid_figure(
    rows: int,
    cols: int,
    height: float,
    margins: _Margins,
    sharex: Any = True,
    height_ratios: Sequence[float] | None = None,
):
    """A figure with a rows x cols grid of axes placed by fixed margins; inner x tick labels are
    hidden when the x axis is shared."""
    fig = Figure(figsize=(WIDTH_IN, height), dpi=DPI)
    plot_w = WIDTH_IN - margins.left - margins.right
    plot_h = height - margins.top - margins.bottom
    ax_w = (plot_w - margins.wgap * (cols - 1)) / cols
    ax_h = (plot_h - margins.hgap * (rows - 1)) / rows
    gridspec: dict[str, Any] = {
        "left": margins.left / WIDTH_IN,
        "right": 1 - margins.right / WIDTH_IN,
        "bottom": margins.bottom / height,
        "top": 1 - margins.top / height,
        "wspace": margins.wgap / ax_w if cols > 1 else 0.0,
        "hspace": margins.hgap / ax_h if rows > 1 else 0.0,
    }
    if height_ratios is not None:
        gridspec["height_ratios"] = list(height_ratios)
    axes = fig.subplots(rows, cols, squeeze=False, sharex=sharex, gridspec_kw=gridspec)
    return fig, axes


def _titles(fig: Figure, title: str, xlabel: str | None, margins: _Margins) -> None:
    """The figure's title at the top and one x label under the whole grid (never one per
    column, which overlap)."""
    height = fig.get_figheight()
    fig.suptitle(title, y=1 - 0.1 / height, va="top", fontsize=12)
    if xlabel:
        centre = (margins.left + (WIDTH_IN - margins.right)) / 2 / WIDTH_IN
        fig.text(centre, 0.05 / height, xlabel, ha="center", va="bottom")


def _legend_right(fig: Figure, handles, labels, margins: _Margins, title: str | None = None):
    """A legend in the right margin, level with the top of the axes."""
    height = fig.get_figheight()
    return fig.legend(
        handles,
        labels,
        loc="upper left",
        bbox_to_anchor=(1 - (margins.right - 0.1) / WIDTH_IN, 1 - margins.top / height),
        fontsize=LEGEND_SIZE,
        title=title,
        title_fontsize=LEGEND_SIZE,
        alignment="left",
        borderaxespad=0.0,
    )


# --- axes helpers -------------------------------------------------------------------------------


def clock_label(hours: float) -> str:
    """'HH:MM' for a time in hours from 00:00 of day one (hours past 24 keep counting)."""
    return format_clock(hours * 3600.0)


def _time_axis(ax, end_h: float, max_ticks: int, start_h: float = 0.0) -> None:
    span = max(end_h - start_h, 0.5)
    if span > 48:  # several days: grid at each midnight, "day N" at each day's middle
        days = math.ceil(end_h / 24)
        every = max(1, math.ceil((span / 24) / max_ticks))
        ax.xaxis.set_major_locator(MultipleLocator(24))
        ax.xaxis.set_major_formatter(NullFormatter())
        ax.xaxis.set_minor_locator(FixedLocator([24 * d + 12 for d in range(0, days, every)]))
        ax.xaxis.set_minor_formatter(FuncFormatter(lambda x, _pos: f"day {int(x // 24) + 1}"))
        ax.tick_params(axis="x", which="minor", length=0)
        ax.set_xlim(start_h, end_h)
        return
    steps = (0.5, 1, 2, 3, 4, 6, 8, 12, 24)
    step = next((s for s in steps if span / s <= max_ticks), 24)
    ax.xaxis.set_major_locator(MultipleLocator(step))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: clock_label(x)))
    ax.xaxis.set_minor_locator(NullLocator())  # unlabelled ticks cost drawing time, tell little
    ax.set_xlim(start_h, end_h)


def _time_label(end_h: float) -> str:
    if end_h > 48:
        return "time (days; grid lines at midnight)"
    return "time (HH:MM; hours past 24 are the next day)" if end_h > 24 else "time of day (HH:MM)"


_LOG_DURATIONS = [1, 10, 60, 600, 3600, 36000, 86400, 864000]
_FINE_DURATIONS = [1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400]
_FINE_DURATIONS += [28800, 43200, 86400, 172800, 345600, 604800]
# Linear duration axes: the unit follows the axis' top, steps are round in that unit.
_LINEAR_UNITS = [
    (300, "s", 1.0, (1, 2, 5, 10, 15, 20, 30, 60)),
    (3 * 3600, "min", 60.0, (1, 2, 5, 10, 15, 20, 30, 60)),
    (math.inf, "h", 3600.0, (1, 2, 3, 4, 6, 12, 24, 48, 168)),
]


def _log_duration_ticks(axis, low: float, high: float, with_zero: bool) -> None:
    """Round duration ticks (1 s, 10 s, 1 min, 10 min, 1 h...) on a log or symlog axis."""
    ticks: list[float] = [t for t in _LOG_DURATIONS if low <= t <= high]
    if len(ticks) < 3:
        ticks = [t for t in _FINE_DURATIONS if low <= t <= high]
        while len(ticks) > 7:
            ticks = ticks[::-2][::-1]
    if with_zero:
        ticks = [0.0, *ticks]
    axis.set_major_locator(FixedLocator(ticks))
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: duration(v)))
    axis.set_minor_locator(FixedLocator([]))


def _linear_duration_ticks(axis, high: float, max_ticks: int = 8) -> None:
    """Round duration ticks in one unit (s, min or h, picked by the axis' top) on a linear axis."""
    _, unit, scale, steps = next(u for u in _LINEAR_UNITS if high < u[0])
    span = max(high / scale, 1e-9)
    step = next(
        (s for s in steps if span / s <= max_ticks),
        steps[-1] * math.ceil(span / max_ticks / steps[-1]),
    )
    axis.set_major_locator(MultipleLocator(step * scale))
    axis.set_major_formatter(
        FuncFormatter(lambda v, _pos: "0" if abs(v) < 1e-9 else f"{v / scale:g} {unit}")
    )


def _grid(ax) -> None:
    ax.grid(True, which="major", color="#dddddd", linewidth=0.8)
    ax.set_axisbelow(True)


def _mid_hours(intervals: Sequence[int], interval_s: float) -> np.ndarray:
    return (np.asarray(intervals, dtype=float) + 0.5) * interval_s / 3600.0


def _edges(n_intervals: int, interval_s: float) -> np.ndarray:
    return np.arange(n_intervals + 1) * interval_s / 3600.0


def _panels(n: int, max_cols: int, height: float | None = None, sharex: bool = True):
    """A grid under constrained layout (the sweep page's figures; the run report's use fixed
    margins, `_grid_figure`)."""
    cols = max(1, min(n, max_cols))
    rows = max(1, math.ceil(n / cols))
    fig = Figure(
        figsize=(WIDTH_IN, height if height is not None else figure_height(rows)),
        dpi=DPI,
        layout="constrained",
    )
    axes = fig.subplots(rows, cols, squeeze=False, sharex=sharex)
    engine = fig.get_layout_engine()
    if cols > 1 and isinstance(engine, ConstrainedLayoutEngine):
        engine.set(wspace=0.06)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    return fig, list(axes.flat[:n]), rows, cols


def _free_corner(ax, entries: int) -> str:
    """The legend location (lower right, center right, upper left, lower left) covering the
    fewest plotted points, judged in axes coordinates once scales and limits are final."""
    height = 0.12 + 0.075 * entries
    boxes = {
        "lower right": (0.45, 0.0, 1.0, height),
        "center right": (0.45, 0.5 - height / 2, 1.0, 0.5 + height / 2),
        "upper left": (0.0, 1.0 - height, 0.55, 1.0),
        "lower left": (0.0, 0.0, 0.55, height),
    }
    to_axes = ax.transData + ax.transAxes.inverted()
    parts = [np.empty((0, 2))]
    for line in ax.get_lines():
        if len(line.get_xdata()) <= 2:  # threshold and target lines (axes coordinates in y)
            continue
        xy = to_axes.transform(np.column_stack(line.get_data()).astype(float))
        xy = xy[np.isfinite(xy).all(axis=1)]
        if len(xy) < 2:
            continue
        # Resample along the curve so long straight segments count too.
        along = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(xy, axis=0).T))])
        at = np.linspace(0.0, along[-1], 400)
        parts += [
            xy,
            np.column_stack([np.interp(at, along, xy[:, 0]), np.interp(at, along, xy[:, 1])]),
        ]
    points = np.concatenate(parts)

    def covered(box: tuple[float, float, float, float]) -> int:
        x0, y0, x1, y1 = box
        inside = (points[:, 0] >= x0) & (points[:, 0] <= x1)
        return int((inside & (points[:, 1] >= y0) & (points[:, 1] <= y1)).sum())

    return min(boxes, key=lambda name: covered(boxes[name]))


def _no_data(ax, message: str) -> None:
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color="#777777")


def _queue_label(channel: str, queue: str) -> str:
    return channel if channel == queue else f"{channel}: {queue}"


def _pairs(intervals: pd.DataFrame, channel_order: Sequence[str]) -> list[tuple[str, str]]:
    pairs = list(dict.fromkeys(zip(intervals["channel"], intervals["queue"], strict=True)))
    rank = {c: i for i, c in enumerate(channel_order)}
    return sorted(pairs, key=lambda p: rank.get(p[0], len(rank)))


def _full(series: pd.Series, n: int) -> np.ndarray:
    """Values indexed by interval as an array over 0..n-1 (missing intervals NaN)."""
    return series.reindex(range(n)).to_numpy(dtype=float)


def _by_queue(intervals: pd.DataFrame) -> dict[tuple[str, str], pd.DataFrame]:
    """The interval table split once per (channel, queue), indexed by interval."""
    return {
        (str(c), str(q)): rows.set_index("interval")
        for (c, q), rows in intervals.groupby(["channel", "queue"], sort=False, observed=True)
    }


def _panel_title(ax, text: str, colour: str | None) -> None:
    # y given: matplotlib then skips measuring the axes to place the title (a costly pass)
    ax.set_title(text, color=colour or "black", fontweight="bold", fontsize=10.5, loc="left", y=1.0)


def _ylabel_rows(axes: Sequence, cols: int, label: str) -> None:
    for i, ax in enumerate(axes):
        if i % cols == 0:
            ax.set_ylabel(label)


def _hide_unused(axes: np.ndarray, used: int) -> list:
    """Hide the grid's spare axes; the panel above each keeps its time labels."""
    flat = list(axes.flat)
    cols = axes.shape[1]
    for k in range(used, len(flat)):
        flat[k].set_visible(False)
        if k - cols >= 0:
            flat[k - cols].xaxis.set_tick_params(labelbottom=True)
    return flat[:used]


def _panel_grid(n: int, max_cols: int, multi_day: bool) -> tuple[int, int]:
    """(rows, cols) for n panels: one full-width column on horizons past 24 h."""
    cols = 1 if multi_day else max(1, min(n, max_cols))
    return max(1, math.ceil(n / cols)), cols


# --- 1. service level ----------------------------------------------------------------------------


def service_level(
    intervals: pd.DataFrame,
    target: float,
    interval_s: float,
    n_intervals: int,
    colours: Mapping[str, str],
    thresholds: Mapping[str, float] | None = None,
    deferrable: Collection[str] = (),
) -> Figure:
    """Interval service level per queue (coloured by channel, queues of a channel by line
    style and band: the first's filled, the next ones' hatched) with its 95% CI band, against
    the target; intervals whose mean is below target are marked. Intervals with no contacts
    are left out (the line breaks there). A deferrable channel (email) is left out: a day's
    items all answered within a 24 h deadline read 100% however long the backlog grows; the
    queue figure shows its backlog and its deadline instead. Up to 24 h one panel; past 24 h
    one full-width row per channel."""
    end_h = n_intervals * interval_s / 3600
    multi_day = end_h > 24
    pairs = [p for p in _pairs(intervals, list(colours)) if p[0] not in deferrable]
    channels = list(dict.fromkeys(c for c, _ in pairs)) or [""]
    panels = channels if multi_day else [""]
    labels, styles = [], {}
    per_channel: dict[str, int] = {}
    for channel, queue in pairs:
        styles[(channel, queue)] = _LINE_STYLES[per_channel.get(channel, 0) % len(_LINE_STYLES)]
        per_channel[channel] = per_channel.get(channel, 0) + 1
        label = _queue_label(channel, queue)
        if thresholds and channel in thresholds:
            label += f" (within {duration(thresholds[channel])})"
        labels.append(label)
    extra = [f"target {target:.0%}", "mean below target", "95% CI over replications"]
    left_out = [c for c in colours if c in deferrable]
    if left_out:
        extra.append(
            f"{', '.join(left_out)}: deferrable, backlog\nand deadline in the queue figure"
        )
    replayed = "log_service_level" in intervals
    if replayed:
        extra.append("the replayed log (dotted)")
    margins = _Margins(
        right=_legend_width_in(labels + extra, "queue (threshold)") + 0.15,
        top=0.72 if multi_day else 0.5,
    )
    rows = len(panels)
    fig, axes = _grid_figure(rows, 1, _rows_height(rows, multi_day), margins)
    by_queue = _by_queue(intervals)
    x = _mid_hours(range(n_intervals), interval_s)
    handles = []
    for channel, queue in pairs:
        ax = axes[panels.index(channel) if multi_day else 0, 0]
        rows_q = by_queue[(channel, queue)]
        rows_q = rows_q[rows_q["offered"] > 0]
        colour = colours.get(channel, ROLE_COLOURS["unknown_channel"])
        mean = _full(rows_q["service_level"], n_intervals)
        if "service_level_lo" in rows_q:
            low = np.clip(_full(rows_q["service_level_lo"], n_intervals), 0, 1)
            high = np.clip(_full(rows_q["service_level_hi"], n_intervals), 0, 1)
            if styles[(channel, queue)] == _LINE_STYLES[0]:
                ax.fill_between(x, low, high, color=colour, alpha=0.15, linewidth=0)
            else:  # a channel's further queues: hatched, so overlapping bands stay apart
                ax.fill_between(
                    x, low, high, facecolor="none", edgecolor=colour, alpha=0.45,
                    hatch="///", linewidth=0,
                )  # fmt: skip
        (line,) = ax.plot(x, mean, styles[(channel, queue)], color=colour, linewidth=1.8)
        handles.append(line)
        _mark_short(ax, x[mean < target], mean[mean < target], colour)
        _log_service_level(ax, rows_q, x, n_intervals, colour)
    for k, ax in enumerate(axes[:, 0]):
        ax.axhline(target, color=ROLE_COLOURS["target"], linestyle="--", linewidth=1.2)
        ax.set_ylim(-0.02, 1.04)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        if multi_day:
            ax.yaxis.set_major_locator(FixedLocator([0, 0.5, target, 1.0]))
            _panel_title(ax, panels[k], colours.get(panels[k]))
        _time_axis(ax, end_h, max_ticks=14 if multi_day else 13)
        _grid(ax)
    axes[0, 0].set_ylabel("service level (% within threshold)")
    if multi_day:
        fig.text(
            0.12 / WIDTH_IN, 0.5, "service level (% within threshold)", rotation=90, va="center"
        )
        for ax in axes[:, 0]:
            ax.set_ylabel("")
    if not pairs or intervals["offered"].le(0).all():
        _no_data(axes[0, 0], "no contacts offered")
    handles += [
        Line2D([], [], color=ROLE_COLOURS["target"], linestyle="--"),
        Line2D([], [], marker="v", color="#bbbbbb", markeredgecolor="black", linestyle="none"),
        Patch(color=ROLE_COLOURS["ci_band"]),
    ]
    if left_out:
        handles.append(Line2D([], [], linestyle="none"))
    if replayed:
        handles.append(Line2D([], [], color="#444444", marker="o", markersize=4, linestyle=":"))
    _legend_right(fig, handles, labels + extra, margins, title="queue (threshold)")
    _titles(
        fig,
        "Service level per interval against the target (mean of replications)",
        _time_label(end_h),
        margins,
    )
    return fig


def _log_service_level(ax, rows: pd.DataFrame, x: np.ndarray, n: int, colour: str) -> None:
    """A replay's figure: the replayed log's own interval service level, dotted with dots."""
    if "log_service_level" not in rows:
        return
    logged = _full(rows["log_service_level"], n)
    ax.plot(x, logged, ":", color=colour, marker="o", markersize=3, linewidth=1.2)


# --- 2. volumes ----------------------------------------------------------------------------------


def _count_panels(
    names: Sequence[str], n_intervals: int, interval_s: float, legend_labels: Sequence[str]
):
    """The grid of per-channel count panels (volumes, events): up to three columns in a day,
    one full-width row per channel past 24 h."""
    end_h = n_intervals * interval_s / 3600
    multi_day = end_h > 24
    rows, cols = _panel_grid(max(len(names), 1), 3, multi_day)
    margins = _Margins(right=_legend_width_in(legend_labels) + 0.15, wgap=0.7)
    fig, axes = _grid_figure(rows, cols, _rows_height(rows, multi_day), margins)
    return fig, _hide_unused(axes, max(len(names), 1)), rows, cols, margins, end_h, multi_day


def _stairs(ax, values: np.ndarray, edges: np.ndarray, **style) -> Any:
    """One step per interval (NaN intervals left blank; a value between two NaNs still draws
    its step). A Line2D, not `Axes.stairs`: a patch's data limits are found curve by curve,
    which made the step patches the slowest thing to build."""
    values = np.asarray(values, dtype=float)
    (line,) = ax.plot(edges, np.append(values, values[-1:]), drawstyle="steps-post", **style)
    return line


def volumes(
    intervals: pd.DataFrame, interval_s: float, n_intervals: int, colours: Mapping[str, str]
) -> Figure:
    """Offered, answered, abandoned and contained contacts per interval, one panel per channel
    (the channel's queues summed; each panel its own scale); unserved, balked, blocked and
    missed callbacks too when there were any."""
    channels = [c for c in colours if c in set(intervals["channel"])]
    measures = ["offered", "answered", "abandoned", "contained"]
    for extra in ("unserved", "balked", "blocked", "callbacks_failed"):
        if extra in intervals and intervals[extra].gt(0).any():
            measures.insert(3, extra)
    labels = [MEASURE_LABELS[m] for m in measures]
    fig, axes, rows, cols, margins, end_h, multi_day = _count_panels(
        channels, n_intervals, interval_s, labels
    )
    edges = _edges(n_intervals, interval_s)
    sums = intervals.groupby(["channel", "interval"], observed=True)[measures].sum()
    for ax, channel in zip(axes, channels, strict=False):
        mine = sums.loc[channel]
        for measure in measures:
            _stairs(
                ax,
                _full(mine[measure], n_intervals),
                edges,
                color=ROLE_COLOURS[measure],
                linewidth=2.0 if measure == "offered" else 1.5,
                linestyle=":" if measure == "contained" else "-",
            )
        _dress_count_panel(ax, channel, colours[channel], end_h, multi_day)
    _ylabel_rows(axes, cols, "contacts per interval")
    if not channels:
        _no_data(axes[0], "no contacts")
    handles = [
        Line2D([], [], color=ROLE_COLOURS[m], linestyle=":" if m == "contained" else "-")
        for m in measures
    ]
    _legend_right(fig, handles, labels, margins)
    _titles(
        fig,
        f"Contacts per {interval_s / 60:g}-minute interval by outcome (mean of replications)",
        _time_label(end_h),
        margins,
    )
    return fig


def _dress_count_panel(ax, channel: str, colour: str, end_h: float, multi_day: bool) -> None:
    """Title, axes and grid of one per-channel count panel."""
    _panel_title(ax, channel, colour)
    ax.set_ylim(0, max(ax.get_ylim()[1], 1.0))
    ax.yaxis.set_major_locator(MaxNLocator(4 if multi_day else 6))
    _time_axis(ax, end_h, max_ticks=14 if multi_day else 5)
    _grid(ax)


def events(
    intervals: pd.DataFrame, interval_s: float, n_intervals: int, colours: Mapping[str, str]
) -> Figure:
    """Busy signals (blocked calls), balks, callbacks taken, retries and transfers per interval,
    one panel per channel with any: the front end's and the customers' reactions to the queue
    over the day."""
    present = [e for e in EVENTS if e in intervals and intervals[e].gt(0).any()]
    busy = (
        intervals.groupby("channel", observed=True)[present].sum().sum(axis=1) if present else None
    )
    channels = [c for c in colours if busy is not None and busy.get(c, 0) > 0]
    labels = [EVENTS[e] for e in present]
    fig, axes, rows, cols, margins, end_h, multi_day = _count_panels(
        channels, n_intervals, interval_s, labels
    )
    edges = _edges(n_intervals, interval_s)
    if present:
        sums = intervals.groupby(["channel", "interval"], observed=True)[present].sum()
    for ax, channel in zip(axes, channels, strict=False):
        mine = sums.loc[channel]
        for event in present:
            _stairs(ax, _full(mine[event], n_intervals), edges, color=ROLE_COLOURS[event], lw=1.5)
        _dress_count_panel(ax, channel, colours[channel], end_h, multi_day)
    _ylabel_rows(axes, cols, "contacts per interval")
    if not channels:
        _no_data(axes[0], "no busy signals, balks, callbacks, retries or transfers")
    _legend_right(fig, [Line2D([], [], color=ROLE_COLOURS[e]) for e in present], labels, margins)
    _titles(
        fig,
        f"Busy signals, balks, callbacks, retries and transfers per {interval_s / 60:g}-minute "
        "interval (mean of replications)",
        _time_label(end_h),
        margins,
    )
    return fig


def rule_styles(
    rules: Sequence[str], rule_channel: Mapping[str, str], colours: Mapping[str, str]
) -> dict[str, tuple[str, str]]:
    """(colour, line style) per alert rule: the colour of the channel it watches (grey when
    unknown), rules on the same channel told apart by line style."""
    used: dict[str, int] = {}
    out = {}
    for rule in rules:
        colour = colours.get(rule_channel.get(rule, ""), ROLE_COLOURS["unknown_channel"])
        out[rule] = (colour, _LINE_STYLES[used.get(colour, 0) % len(_LINE_STYLES)])
        used[colour] = used.get(colour, 0) + 1
    return out


def alerts(
    raised: pd.DataFrame,
    labels: Mapping[str, str],
    activity: pd.DataFrame | None,
    interval_s: float,
    n_intervals: int,
    replications: int,
    activity_labels: Mapping[str, str] | None = None,
    rule_channel: Mapping[str, str] | None = None,
    colours: Mapping[str, str] | None = None,
) -> Figure:
    """When the monitor's alert rules were raised over the day, and what that set off.

    Top: per rule, the share of replications in which it was raised, averaged over each
    interval (a step line on 0-100%), in the colour of the channel the rule watches
    (`rule_channel`: rule -> channel; `colours`: channel colours). Bottom, when there were any:
    on-call agents arriving per interval (bars) and agents moved onto another queue (the mean
    number at a time; a line).

    `raised`: one column per rule, indexed by interval 0..n-1. `labels`: legend text per rule.
    `activity`: indexed by interval, columns `call_ins` and `moved` (means of replications);
    None or all zero leaves the bottom panel out. `activity_labels`: their legend text."""
    end_h = n_intervals * interval_s / 3600
    lower = activity is not None and bool(np.nan_to_num(activity.to_numpy(dtype=float)).any())
    names = {
        "call_ins": "on-call agents arriving\n(per interval)",
        "moved": "agents moved onto another\nqueue (mean at a time)",
        **(activity_labels or {}),
    }
    rule_labels = [labels.get(rule, str(rule)) for rule in raised.columns]
    width = _legend_width_in(rule_labels + [names["call_ins"], names["moved"]], "alert rule")
    margins = _Margins(right=width + 0.15, left=1.0, hgap=0.5)
    fig, axes = _grid_figure(
        2 if lower else 1,
        1,
        figure_height(2) if lower else ROW_HEIGHT_IN,
        margins,
        height_ratios=[3, 2] if lower else None,
    )
    axes = axes[:, 0]
    edges = _edges(n_intervals, interval_s)
    minutes = f"{interval_s / 60:g}-min"
    top = axes[0]
    styles = rule_styles(list(raised.columns), rule_channel or {}, colours or {})
    handles = []
    for rule in raised.columns:
        colour, style = styles[rule]
        values = np.nan_to_num(_full(raised[rule], n_intervals))
        line_style: Any = style
        _stairs(top, values, edges, color=colour, linestyle=line_style, linewidth=2.0)
        handles.append(Line2D([], [], color=colour, linestyle=line_style, linewidth=2.0))
    if raised.columns.empty:
        _no_data(top, "no alert rules")
    top.set_ylim(-0.02, 1.04)
    top.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    top.set_ylabel("alert raised\n(% of replications)")
    _panel_title(
        top, f"Alerts raised: share of replications, averaged per {minutes} interval", None
    )
    height = fig.get_figheight()
    legend_x = 1 - (margins.right - 0.1) / WIDTH_IN
    fig.legend(
        handles,
        rule_labels,
        loc="upper left",
        bbox_to_anchor=(legend_x, 1 - margins.top / height),
        fontsize=LEGEND_SIZE,
        title="alert rule (colour: channel watched)",
        title_fontsize=LEGEND_SIZE,
        alignment="left",
        labelspacing=0.9,
        borderaxespad=0.0,
    )
    if lower and activity is not None:
        bottom = axes[1]
        calls = np.nan_to_num(_full(activity["call_ins"], n_intervals))
        moved = np.nan_to_num(_full(activity["moved"], n_intervals))
        legend: list[tuple[Any, str]] = []
        if calls.sum() > 0:
            bottom.bar(
                _mid_hours(range(n_intervals), interval_s),
                calls,
                width=interval_s / 3600 * 0.8,
                color=ROLE_COLOURS["call_ins"],
                alpha=0.8,
            )
            legend.append((Patch(color=ROLE_COLOURS["call_ins"], alpha=0.8), names["call_ins"]))
        if moved.sum() > 0:
            _stairs(bottom, moved, edges, color=ROLE_COLOURS["moved"], linewidth=2.4)
            legend.append((Line2D([], [], color=ROLE_COLOURS["moved"], lw=2.4), names["moved"]))
        bottom.set_ylim(0, max(bottom.get_ylim()[1], 1.0))
        bottom.set_ylabel("agents\n(mean of replications)")
        _panel_title(
            bottom, "What the alerts set off: on-call agents called in, agents moved", None
        )
        fig.legend(
            [h for h, _ in legend],
            [t for _, t in legend],
            loc="upper left",
            bbox_to_anchor=(legend_x, bottom.get_position().y1),
            fontsize=LEGEND_SIZE,
            alignment="left",
            labelspacing=0.9,
            borderaxespad=0.0,
        )
    for ax in axes:
        _time_axis(ax, end_h, max_ticks=14 if end_h > 48 else 13)
        _grid(ax)
    _titles(
        fig,
        f"Alerts over the day (mean of {replications} replications)",
        _time_label(end_h),
        margins,
    )
    return fig


# --- 3. queue ------------------------------------------------------------------------------------


def queue(
    waiting: pd.DataFrame,
    longest: pd.DataFrame,
    interval_s: float,
    n_intervals: int,
    colours: Mapping[str, str],
    thresholds: Mapping[str, float] | None = None,
) -> Figure:
    """Mean number of contacts waiting (time average per interval) and the longest wait of the
    contacts arriving in each interval, one row of panels per group of channels whose queue
    lengths are on a like scale (`scale_groups`): email's backlog never flattens the phone
    queue. Up to 24 h each row is queue length (left) beside longest wait (right); past 24 h
    each is a full-width row of its own.

    `waiting` and `longest`: one column per channel, indexed by interval (mean of
    replications)."""
    end_h = n_intervals * interval_s / 3600
    multi_day = end_h > 24
    channels = [c for c in colours if c in waiting or c in longest]
    peaks = {
        c: float(np.nanmax(waiting[c], initial=0.0)) if c in waiting else 0.0 for c in channels
    }
    groups = scale_groups(peaks) if channels else [[]]
    labels = list(channels)
    if thresholds:
        labels.append("channel threshold (dashed)")
    margins = _Margins(
        right=_legend_width_in(labels, "channel") + 0.15, left=1.05, wgap=1.0, hgap=0.5
    )
    rows, cols = (2 * len(groups), 1) if multi_day else (len(groups), 2)
    fig, axes = _grid_figure(rows, cols, _rows_height(rows, multi_day), margins, sharex="all")
    edges = _edges(n_intervals, interval_s)
    for g, group in enumerate(groups):
        left, right = (axes[2 * g, 0], axes[2 * g + 1, 0]) if multi_day else axes[g]
        for channel in group:
            if channel in waiting:
                values = _full(waiting[channel], n_intervals)
                _stairs(left, values, edges, color=colours[channel], linewidth=1.8)
        left.set_ylim(0, max(left.get_ylim()[1], 1.0))
        left.set_ylabel("contacts waiting\n(time average)")
        _panel_title(left, f"Queue length: {', '.join(group)}", None)
        _longest_wait_panel(right, longest, group, n_intervals, edges, colours, thresholds)
    for ax in axes.flat:
        _time_axis(ax, end_h, max_ticks=14 if multi_day else 7)
        _grid(ax)
    handles: list[Any] = [Line2D([], [], color=colours[c], linewidth=2) for c in channels]
    if thresholds:
        handles.append(Line2D([], [], color=ROLE_COLOURS["unknown_channel"], linestyle="--"))
    _legend_right(fig, handles, labels, margins, title="channel")
    _titles(
        fig,
        "Queues over the day (mean of replications); channels on unlike scales in separate rows",
        _time_label(end_h),
        margins,
    )
    return fig


def _longest_wait_panel(
    ax,
    longest: pd.DataFrame,
    group: Sequence[str],
    n_intervals: int,
    edges: np.ndarray,
    colours: Mapping[str, str],
    thresholds: Mapping[str, float] | None,
) -> None:
    """Longest wait per arrival interval of the channels in `group`, one step per interval;
    logarithmic when the waits span more than 30x (then intervals where nobody waited are
    left blank)."""
    shown = [c for c in group if c in longest]
    values = longest[shown].to_numpy(dtype=float) if shown else np.empty((0, 0))
    positive = values[np.isfinite(values) & (values > 0)]
    _panel_title(ax, f"Longest wait: {', '.join(group)}", None)
    ax.set_ylabel("longest wait")
    if not len(positive):
        _no_data(ax, "nobody waited")
        return
    low, high = float(positive.min()), float(positive.max())
    log = high / max(low, 1e-9) > 30
    for channel in shown:
        waits = _full(longest[channel], n_intervals)
        if log:
            waits = np.where(waits > 0, waits, np.nan)
        _stairs(ax, waits, edges, color=colours[channel], linewidth=1.6)
    if log:
        ax.set_yscale("log")
        ax.set_ylim(max(low / 1.5, 0.5), high * 1.5)
        _log_duration_ticks(ax.yaxis, max(low / 1.5, 0.5), high * 1.5, with_zero=False)
    else:
        ax.set_ylim(0, high * 1.1)
        _linear_duration_ticks(ax.yaxis, high * 1.1, max_ticks=5)
    for channel in shown:
        threshold = (thresholds or {}).get(channel)
        if threshold is not None and threshold <= high * 1.5:
            ax.axhline(threshold, color=colours[channel], linestyle="--", linewidth=1)


# --- 4. wait CDF ---------------------------------------------------------------------------------


def _ecdf(values: np.ndarray, points: int = 401) -> tuple[np.ndarray, np.ndarray]:
    """The empirical CDF as a step curve: every value when there are few, else the values at
    `points` evenly spaced shares (a fixed grid, so drawing cost does not grow with contacts)."""
    values = np.sort(values)
    if len(values) <= points:
        return np.repeat(values, 2)[1:], np.repeat(np.arange(1, len(values) + 1), 2)[:-1] / len(
            values
        )
    p = np.linspace(0, 1, points)
    return np.quantile(values, p, method="inverted_cdf"), p


def _split_waits(waits: pd.DataFrame, column: str) -> dict[str, np.ndarray]:
    """wait_s per value of `column`, split in one pass."""
    return {
        str(name): rows.to_numpy(dtype=float)
        for name, rows in waits.groupby(column, observed=True)["wait_s"]
    }


def wait_cdf(
    waits: pd.DataFrame,
    thresholds: Mapping[str, float],
    colours: Mapping[str, str],
    segments: Sequence[str] | None = None,
) -> Figure:
    """Empirical CDF of the waits of contacts that reached a queue (all replications pooled):
    left per channel (channel colours), right per segment (one neutral colour, told apart by
    line style), with each channel's threshold marked.

    `waits`: columns channel, segment, wait_s."""
    margins = _Margins(right=0.3, wgap=0.8, bottom=0.75)
    fig, axes = _grid_figure(1, 2, ROW_HEIGHT_IN, margins, sharex="all")
    left, right = axes[0]
    wait = waits["wait_s"].to_numpy(dtype=float)
    positive = wait[wait > 0]
    spread = len(positive) > 0 and positive.max() / max(np.median(positive), 1e-9) > 30
    high = float(wait.max()) if len(wait) else 1.0
    by_channel = _split_waits(waits, "channel")
    by_segment = _split_waits(waits, "segment")
    for ax, names, groups, palette in (
        (left, list(colours), by_channel, colours),
        (right, segments or list(by_segment), by_segment, None),
    ):
        k = 0
        for name in names:
            mine = groups.get(name, np.empty(0))
            if len(mine) == 0:
                continue
            colour = palette[name] if palette else ROLE_COLOURS["segment"]
            style = "-" if palette else _LINE_STYLES[k % len(_LINE_STYLES)]
            k += 1
            xs, ys = _ecdf(mine)
            label = f"{name} (n={len(mine):,})"
            if palette is not None and name in thresholds:
                within = float(np.mean(mine <= thresholds[name]))
                label += f": {within:.0%} ≤ {duration(thresholds[name])}"
            ax.plot(xs, ys, style, color=colour, linewidth=1.8, label=label)
        if k == 0:
            _no_data(ax, "no contact reached a queue")
        for channel, threshold in thresholds.items():
            if channel in colours and (threshold <= high * 1.2 or not len(wait)):
                ax.axvline(threshold, color=colours[channel], linestyle="--", linewidth=1)
        ax.set_ylim(0, 1.01)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        _grid(ax)
    left.set_ylabel("share of contacts waiting at most x")
    _panel_title(left, "Wait distribution by channel", None)
    _panel_title(right, "Wait distribution by segment (all channels)", None)
    if spread:
        left.set_xscale("symlog", linthresh=1.0, linscale=0.4)
        left.set_xlim(0, high * 1.3)
        _log_duration_ticks(left.xaxis, 1.0, high * 1.3, with_zero=True)
    else:
        top = max(high, *(t for t in thresholds.values() if t <= 2 * high), 1.0) * 1.05
        left.set_xlim(0, top)
        _linear_duration_ticks(left.xaxis, top, max_ticks=6)
    right.tick_params(axis="x", labelbottom=True)
    for ax, title in ((left, "per channel"), (right, "per segment")):
        entries = len(ax.get_legend_handles_labels()[0])
        if entries:
            ax.legend(
                loc=_free_corner(ax, entries),
                fontsize=8.5,
                title=title,
                title_fontsize=9,
            )
    _titles(
        fig,
        "Waits of contacts that reached a queue (all replications pooled); "
        "dashed: channel thresholds",
        "wait (symlog scale: linear below 1 s)" if spread else "wait",
        margins,
    )
    return fig


# --- 5. staffing ---------------------------------------------------------------------------------


def staffing(
    intervals: pd.DataFrame,
    interval_s: float,
    n_intervals: int,
    colours: Mapping[str, str],
    target: float,
    deferrable: Iterable[str] = (),
    open_intervals: Mapping[str, np.ndarray] | None = None,
) -> Figure:
    """Agents scheduled against the Erlang C and Erlang A requirement per interval, one panel
    per queue, with the gap shaded where fewer are scheduled than required: only for real-time
    channels and only in intervals the channel is open (`open_intervals`: channel -> bool per
    interval; all open when not given). A deferrable channel (email) gets no shortfall: its
    backlog waits for free agents by design and is judged by its deadline, not by Erlang."""
    pairs = _pairs(intervals, list(colours))
    deferrable = set(deferrable)
    end_h = n_intervals * interval_s / 3600
    multi_day = end_h > 24
    rows, cols = _panel_grid(max(len(pairs), 1), 2, multi_day)
    labels = [
        "scheduled (channel colour)",
        "Erlang C required",
        "Erlang A required",
        "short of Erlang C\n(real-time queues, open hours)",
        "short of Erlang A too",
    ]
    margins = _Margins(right=_legend_width_in(labels) + 0.15, wgap=0.8)
    fig, axes = _grid_figure(rows, cols, _rows_height(rows, multi_day), margins)
    axes = _hide_unused(axes, max(len(pairs), 1))
    edges = _edges(n_intervals, interval_s)
    by_queue = _by_queue(intervals)
    for ax, (channel, queue_name) in zip(axes, pairs, strict=False):
        rows_q = by_queue[(channel, queue_name)]
        scheduled, need_c, need_a = (
            np.nan_to_num(_full(rows_q[column], n_intervals))
            for column in ("agents_scheduled", "erlang_c_required", "erlang_a_required")
        )
        short_c, short_a = shortfalls(
            scheduled,
            need_c,
            need_a,
            channel not in deferrable,
            None if open_intervals is None else open_intervals.get(channel),
        )
        post = dict(step="post", linewidth=0)
        ax.fill_between(
            edges,
            _post(scheduled),
            _post(need_c),
            where=_post(short_c),
            color=ROLE_COLOURS["short_c"],
            **post,
        )
        ax.fill_between(
            edges,
            _post(scheduled),
            _post(np.minimum(need_a, need_c)),
            where=_post(short_a),
            color=ROLE_COLOURS["short_a"],
            alpha=0.75,
            **post,
        )
        # Scheduled first and thick, the requirements over it: equal lines stay visible.
        _stairs(ax, scheduled, edges, color=colours.get(channel), linewidth=2.6)
        _stairs(ax, need_c, edges, color=ROLE_COLOURS["erlang_c"], linestyle="--", linewidth=1.3)
        _stairs(ax, need_a, edges, color=ROLE_COLOURS["erlang_a"], linestyle=":", linewidth=1.6)
        title = _queue_label(channel, queue_name)
        if channel in deferrable:
            title += " (deferrable: no shortfall marked)"
        _panel_title(ax, title, colours.get(channel))
        top = max(scheduled.max(initial=0), need_c.max(initial=0), need_a.max(initial=0), 1.0)
        ax.set_ylim(0, top * 1.12)
        ax.yaxis.set_major_locator(MaxNLocator(5, integer=True))
        _time_axis(ax, end_h, max_ticks=14 if multi_day else 7)
        _grid(ax)
    _ylabel_rows(axes, cols, "agents")
    if not pairs:
        _no_data(axes[0], "no queues")
    handles = [
        Line2D([], [], color="#333333", linewidth=2.6),
        Line2D([], [], color=ROLE_COLOURS["erlang_c"], linestyle="--"),
        Line2D([], [], color=ROLE_COLOURS["erlang_a"], linestyle=":", linewidth=1.6),
        Patch(color=ROLE_COLOURS["short_c"]),
        Patch(color=ROLE_COLOURS["short_a"], alpha=0.75),
    ]
    _legend_right(fig, handles, labels, margins)
    _titles(
        fig,
        f"Staffing gap: agents scheduled vs required for a service level of {target:.0%}, per queue",
        _time_label(end_h),
        margins,
    )
    return fig


def shortfalls(
    scheduled: np.ndarray,
    need_c: np.ndarray,
    need_a: np.ndarray,
    real_time: bool,
    open_mask: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(short of Erlang C, short of Erlang A too) per interval: never for a deferrable queue,
    never while the channel is closed."""
    allowed = np.full(len(scheduled), real_time)
    if open_mask is not None:
        allowed &= np.asarray(open_mask, dtype=bool)[: len(scheduled)]
    short_c = allowed & (need_c > scheduled)
    return short_c, short_c & (need_a > scheduled)


def _post(values: np.ndarray) -> np.ndarray:
    """Per-interval values on the interval edges, for step='post' fills."""
    return np.append(values, values[-1:])


# --- 6. occupancy --------------------------------------------------------------------------------


def occupancy(
    table: pd.DataFrame, interval_s: float, n_intervals: int, agents: Mapping[str, int] | None
) -> Figure:
    """Heatmap of occupancy (busy / available) by agent group x interval, 0 to 100%; blank
    where nobody of the group was logged in.

    `table`: one row per group, columns the intervals 0..n-1 (mean of replications)."""
    groups = list(table.index)
    names = [f"{g} ({agents[g]})" if agents and g in agents else str(g) for g in groups]
    height = max(ROW_HEIGHT_IN, 1.6 + 0.4 * len(groups))
    margins = _Margins(
        left=max((_text_width_in(n, 10) for n in names), default=0.5) + 0.55, right=1.35, top=0.5
    )
    fig, axes = _grid_figure(1, 1, height, margins)
    ax = axes[0, 0]
    end_h = n_intervals * interval_s / 3600
    edges_x = _edges(n_intervals, interval_s)
    values = table.reindex(columns=range(n_intervals)).to_numpy(dtype=float)
    cmap = colormaps["viridis"].with_extremes(bad="white")
    mesh = ax.pcolormesh(
        edges_x,
        np.arange(len(groups) + 1),
        np.ma.masked_invalid(values),
        cmap=cmap,
        vmin=0,
        vmax=1,
        edgecolors="white",
        linewidth=0.3 if n_intervals <= 60 else 0.0,  # cell borders would stripe long horizons
    )
    ax.set_yticks(np.arange(len(groups)) + 0.5)
    ax.set_yticklabels(names)
    ax.set_ylim(len(groups), 0)
    if n_intervals <= 24:  # cells wide enough to print the value
        centres = (edges_x[:-1] + edges_x[1:]) / 2
        for row, col in zip(*np.nonzero(np.isfinite(values)), strict=True):
            value = values[row, col]
            ax.text(
                centres[col],
                row + 0.5,
                f"{value:.0%}",
                ha="center",
                va="center",
                fontsize=8,
                color="white" if value < 0.6 else "black",
            )
    _time_axis(ax, end_h, max_ticks=13)
    ax.set_ylabel("agent group (agents)")
    box = ax.get_position()
    bar_ax = fig.add_axes((1 - 1.15 / WIDTH_IN, box.y0, 0.18 / WIDTH_IN, box.height))
    bar = fig.colorbar(mesh, cax=bar_ax)
    bar.set_label("occupancy (busy / available)")
    bar.ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    if not groups:
        _no_data(ax, "no agents logged in")
    _titles(
        fig,
        "Occupancy by agent group and interval (mean of replications; blank: nobody on)",
        _time_label(end_h),
        margins,
    )
    return fig


# --- the sweep page ------------------------------------------------------------------------------


def sweep_kpis(
    table: pd.DataFrame,
    series_keys: Sequence[str],
    target: float,
    cost: str = "paid_hours",
    channels: Sequence[str] = (),
) -> Figure:
    """Each channel's service level (`sl_<channel>` with `_lo`, `_hi`) for every sweep variant
    against its cost (the `cost` column: `paid_hours`, planned paid agent-hours, or `cost`,
    money at the roster's rates), with 95% CI bars; one panel per channel (a blend of
    channels with different thresholds would judge nothing), one line per combination of the
    non-staffing keys."""
    ok = table[table["status"] == "ok"].sort_values(cost)
    channels = [c for c in channels if f"sl_{c}" in ok] or ["service_level"]
    fig, axes, _, _ = _panels(len(channels), 3, sharex=False)
    # Labels are tuples of the series keys' values (or "" when there are none).
    groups: Iterable[tuple[Any, pd.DataFrame]] = (
        ok.groupby(list(series_keys), sort=False, dropna=False) if series_keys else [("", ok)]
    )
    for k, (label, rows) in enumerate(groups):
        colour = VARIANT_COLOURS[k % len(VARIANT_COLOURS)]
        marker = VARIANT_MARKERS[k % len(VARIANT_MARKERS)]
        name = ", ".join(
            f"{key}={value}" for key, value in zip(series_keys, np.atleast_1d(label), strict=False)
        )
        for ax, channel in zip(axes, channels, strict=True):
            metric = channel if channel == "service_level" else f"sl_{channel}"
            values = rows[metric].astype(float)
            low = (values - rows.get(f"{metric}_lo", values).astype(float)).clip(lower=0)
            high = (rows.get(f"{metric}_hi", values).astype(float) - values).clip(lower=0)
            ax.errorbar(
                rows[cost],
                values,
                yerr=[low.fillna(0), high.fillna(0)],
                color=colour,
                marker=marker,
                capsize=3,
                label=name or "variants",
            )
    for ax, channel in zip(axes, channels, strict=True):
        ax.axhline(target, color="black", linestyle="--", linewidth=1, label=f"target {target:.0%}")
        ax.set_title(channel if channel != "service_level" else "all channels")
        ax.set_ylabel("service level over the run")
        ax.yaxis.set_major_formatter(exact_percent(ax.yaxis))
        ax.set_xlabel(
            "cost (at the roster's rates)" if cost == "cost" else "paid agent-hours (cost)"
        )
        _grid(ax)
    axes[0].legend(fontsize=8, loc="lower right")
    fig.suptitle("Service level per channel against cost (mean and 95% CI over replications)")
    return fig


def exact_percent(axis) -> FuncFormatter:
    """Percent tick labels with as many decimals as the ticks need to read exactly (82.5%, not
    82%), the same for every tick of the axis."""

    def label(x: float, _pos: int | None = None) -> str:
        ticks = [t * 100 for t in axis.get_majorticklocs()] or [x * 100]
        digits = next((d for d in range(4) if all(abs(t - round(t, d)) < 1e-6 for t in ticks)), 3)
        return f"{x * 100:.{digits}f}%".replace("-", "\N{MINUS SIGN}")

    return FuncFormatter(label)


LEVEL_LABELS = ("holds", "at risk", "breaks")  # sim.analysis.judgement.Level, best first


def sweep_frontier(table: pd.DataFrame, channels: Sequence[str]) -> Figure:
    """Each variant's judgement (`level`, and `level_<channel>` per channel) against its cost,
    one panel for the overall level and one per channel; the variants on the frontier
    (`pareto`) filled, the dominated hollow; each point numbered by its job (the sweep table
    names them). Variants at one level are spread a little up and down, in cost order, so
    their numbers do not overwrite each other."""
    ok = table[(table["status"] == "ok") & table["cost"].notna()].sort_values("cost")
    columns = [("overall", "level")] + [(c, f"level_{c}") for c in channels if f"level_{c}" in ok]
    rows = math.ceil(len(columns) / 4)
    fig, axes, _, _ = _panels(len(columns), 4, height=ROW_HEIGHT_IN * 0.8 * rows, sharex=False)
    spread = 0.5 / max(1, len(ok) - 1)
    for ax, (title, column) in zip(axes, columns, strict=False):
        y = ok[column].map({label: k for k, label in enumerate(LEVEL_LABELS)}).astype(float)
        y = y + (np.arange(len(ok)) - (len(ok) - 1) / 2) * spread
        efficient = ok["pareto"].astype(bool).to_numpy()
        xerr = [
            (ok["cost"] - ok["cost_lo"]).clip(lower=0).fillna(0).to_numpy(),
            (ok["cost_hi"] - ok["cost"]).clip(lower=0).fillna(0).to_numpy(),
        ]
        for mask, style in (
            (efficient, {"color": ROLE_COLOURS["offered"], "label": "on the frontier"}),
            (~efficient, {"color": ROLE_COLOURS["erlang_a"], "mfc": "white", "label": "dominated"}),
        ):
            ax.errorbar(
                ok["cost"].to_numpy()[mask], y.to_numpy()[mask],
                xerr=[xerr[0][mask], xerr[1][mask]], fmt="o", capsize=2, **style,
            )  # fmt: skip
        for (_, row), level_y, on in zip(ok.iterrows(), y, efficient, strict=True):
            ax.annotate(
                str(int(row["job"])), (row["cost"], level_y), textcoords="offset points",
                xytext=(5, 2), fontsize=9 if on else 8, fontweight="bold" if on else "normal",
                color=ROLE_COLOURS["offered"] if on else ROLE_COLOURS["erlang_c"],
            )  # fmt: skip
        ax.set_yticks(range(len(LEVEL_LABELS)), LEVEL_LABELS)
        ax.set_ylim(len(LEVEL_LABELS) - 0.5, -0.5)  # holds at the top
        ax.set_title(title)
        ax.set_xlabel("cost at the roster's rates")
        _grid(ax)
    handles, names = axes[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="outside lower right", ncols=2, fontsize=8)
    fig.suptitle("The judgement against cost (mean cost with its 95% CI over replications)")
    return fig


def paired_differences(
    table: pd.DataFrame, reference_job: int, keys: Sequence[str], channels: Sequence[str]
) -> Figure:
    """Each channel's service-level difference of each variant from the baseline (`diff_<c>`;
    `reference_job`, the first in ranking order), the paired CI (common random numbers) beside
    the unpaired one: the paired bar is the narrower. One panel per channel, variants down the
    side in the table's order (the ranking's)."""
    rows = table[(table["status"] == "ok") & (table["job"] != reference_job)]
    if "rank" in rows:
        rows = rows.sort_values("rank", ascending=False)  # the first row at the top
    fig, axes, _, _ = _panels(
        len(channels), 3, height=max(2.5, 0.4 * len(rows) + 1.4), sharex=False
    )
    y = np.arange(len(rows))
    styles = (
        ("paired", -0.15, ROLE_COLOURS["offered"]),
        ("unpaired", 0.15, ROLE_COLOURS["erlang_a"]),
    )
    for ax, channel in zip(axes, channels, strict=False):
        diff = rows[f"diff_{channel}"].astype(float)
        for kind, offset, colour in styles:
            low = (diff - rows[f"{kind}_lo_{channel}"].astype(float)).clip(lower=0)
            high = (rows[f"{kind}_hi_{channel}"].astype(float) - diff).clip(lower=0)
            ax.errorbar(
                diff, y + offset, xerr=[low.fillna(0), high.fillna(0)], fmt="o",
                color=colour, capsize=3, label=f"{kind} 95% CI",
            )  # fmt: skip
        ax.axvline(0, color=ROLE_COLOURS["target"], linewidth=1)
        ax.xaxis.set_major_locator(MaxNLocator(5))
        ax.xaxis.set_major_formatter(exact_percent(ax.xaxis))
        ax.set_title(channel)
        _grid(ax)
    fig.supxlabel("service level minus the baseline's (percentage points)", fontsize=10)
    labels = [
        ", ".join(f"{k}={r[k]}" for k in keys) or f"job {r['job']}" for _, r in rows.iterrows()
    ]
    for k, ax in enumerate(axes):
        ax.set_yticks(y, labels if k % 3 == 0 else [""] * len(labels))
    handles, names = axes[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="outside lower right", ncols=2, fontsize=8)
    reference = table[table["job"] == reference_job].iloc[0]
    name = ", ".join(f"{k}={reference[k]}" for k in keys) or f"job {reference_job}"
    fig.suptitle(
        f"Difference from the baseline, job {reference_job} ({name}), per channel: "
        "paired vs unpaired CI"
    )
    return fig


# --- staffing search: before and after -----------------------------------------------------------


def staffing_change(
    before: pd.DataFrame,
    after: pd.DataFrame,
    channel: str,
    queue: str,
    target: float,
    interval_s: float,
    n_intervals: int,
    colour: str,
    requirement: str = "Erlang requirement",
    short_after: Sequence[int] = (),
) -> Figure:
    """One queue of a staffing search (`staffing.html`). Top: service level per interval of the
    roster before (grey) and the recommendation (`colour`), each with its 95% CI band, against
    the target; `short_after` marks the recommendation's intervals that still miss. Bottom:
    agents before and after by their time on the queue (`agents_on_queue`, so a multi-skilled
    agent is not counted in full in every queue it holds; `agents_scheduled` in tables without
    it), agents holding the skill after as a dotted step, and the `erlang_required` column as
    a dashed step. `before` and `after` are interval tables (`sim.analysis.intervals.interval_table`) of this
    (channel, queue); intervals with no contacts offered are left out of the top panel."""
    fig = Figure(figsize=(WIDTH_IN, 7.6), dpi=DPI, layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 2]})
    end_h = n_intervals * interval_s / 3600
    x = _mid_hours(range(n_intervals), interval_s)
    edges = np.arange(n_intervals + 1) * interval_s / 3600
    tables = {"before": before.set_index("interval"), "after": after.set_index("interval")}
    styles = {"before": (BEFORE_COLOUR, 1.6, 0.22), "after": (colour, 2.0, 0.2)}
    handles = []
    for name, rows in tables.items():
        line_colour, width, alpha = styles[name]
        offered = rows[rows["offered"] > 0] if "offered" in rows else rows
        mean = _full(offered["service_level"], n_intervals)
        if "service_level_lo" in offered:
            low = np.clip(_full(offered["service_level_lo"], n_intervals), 0, 1)
            high = np.clip(_full(offered["service_level_hi"], n_intervals), 0, 1)
            top.fill_between(x, low, high, color=line_colour, alpha=alpha, linewidth=0)
        (line,) = top.plot(x, mean, color=line_colour, linewidth=width, label=name)
        handles.append(line)
    short = [k for k in short_after if 0 <= k < n_intervals]
    if short:
        after_mean = _full(tables["after"]["service_level"], n_intervals)
        _mark_short(top, x[short], after_mean[short], colour)
    top.axhline(target, color="black", linestyle="--", linewidth=1.2)
    handles.append(Line2D([], [], color="black", linestyle="--", label=f"target {target:.0%}"))
    if short:
        handles.append(
            Line2D(
                [],
                [],
                marker="v",
                color=colour,
                markeredgecolor="black",
                linestyle="none",
                label="still below target after",
            )
        )
    handles.append(Patch(color="#888888", alpha=0.3, label="95% CI (clipped to 0-100%)"))
    # Zoomed on the data and the target (not 0-100%): the before-after gap is the point.
    low_values = [target]
    for rows in tables.values():
        column = "service_level_lo" if "service_level_lo" in rows else "service_level"
        shown = rows[rows["offered"] > 0] if "offered" in rows else rows
        values = shown[column].to_numpy(dtype=float)
        low_values += list(values[np.isfinite(values)])
    floor = max(0.0, math.floor((min(low_values) - 0.03) * 10) / 10)
    top.set_ylim(floor - 0.01, 1.02)
    top.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    top.set_ylabel("service level")
    top.set_title("Service level per interval (pooled over replications)", fontsize=11)
    _grid(top)
    top.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9)

    def stepped(rows: pd.DataFrame, column: str) -> np.ndarray:
        values = _full(rows[column], n_intervals) if column in rows else np.full(n_intervals, 0.0)
        return np.append(values, values[-1])

    # Agents by their time on this queue (`agents_on_queue`: a multi-skilled agent counts once
    # over its queues); tables from before it had that column show agents holding the skill.
    measure = "agents_on_queue" if "agents_on_queue" in tables["after"] else "agents_scheduled"
    agents_before = stepped(tables["before"], measure)
    agents_after = stepped(tables["after"], measure)
    holding = stepped(tables["after"], "agents_scheduled")
    need = stepped(tables["after"], "erlang_required")
    # After first and thick, before thinner over it: where they agree both stay visible.
    bottom.step(edges, agents_after, where="post", color=colour, linewidth=2.8)
    bottom.step(edges, agents_before, where="post", color=BEFORE_COLOUR, linewidth=1.6)
    bottom.step(edges, need, where="post", color="black", linestyle="--", linewidth=1.3)
    handles = [
        Line2D([], [], color=BEFORE_COLOUR, linewidth=1.6),
        Line2D([], [], color=colour, linewidth=2.8),
        Line2D([], [], color="black", linestyle="--", linewidth=1.3),
    ]
    labels = ["before", "after", requirement]
    if measure == "agents_on_queue":
        bottom.step(edges, holding, where="post", color=colour, linestyle=":", linewidth=1.2)
        handles.append(Line2D([], [], color=colour, linestyle=":", linewidth=1.2))
        labels.append("after: agents holding the skill\n(each in every queue it holds)")
    top_value = np.nanmax(np.concatenate([agents_before, agents_after, need, holding, [1.0]]))
    bottom.set_ylim(0, top_value * 1.12)
    bottom.yaxis.set_major_locator(MaxNLocator(integer=True))
    if measure == "agents_on_queue":
        bottom.set_ylabel("agents on this queue")
        bottom.set_title("Agents by their time on this queue, against the requirement", fontsize=11)
    else:
        bottom.set_ylabel("agents on duty")
        bottom.set_title(
            "Agents scheduled (on duty, off break) against the requirement", fontsize=11
        )
    bottom.legend(
        handles=handles,
        labels=labels,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize=9,
    )
    # The hours with contacts or agents, an hour either side: not a mostly empty day.
    busy = np.flatnonzero(
        np.nan_to_num(agents_before[:-1])
        + np.nan_to_num(agents_after[:-1])
        + np.nan_to_num(need[:-1])
        + np.nan_to_num(_full(tables["after"].get("offered", pd.Series(dtype=float)), n_intervals))
        > 0
    )
    start_h, stop_h = 0.0, end_h
    if len(busy):
        start_h = max(0.0, math.floor(edges[busy[0]] - 1))
        stop_h = min(end_h, math.ceil(edges[busy[-1] + 1] + 1))
    _time_axis(bottom, stop_h, max_ticks=13, start_h=start_h)
    _grid(bottom)
    bottom.set_xlabel(_time_label(end_h))
    fig.suptitle(
        f"{_queue_label(channel, queue)}: before and after the staffing search",
        color=colour,
        fontweight="bold",
    )
    return fig


def _mark_short(ax, x, y, colour) -> None:
    """Triangles on the intervals below target (one marker style for every figure)."""
    ax.plot(
        x, y, "v", color=colour, markeredgecolor="black", markersize=7, linestyle="none", zorder=5
    )
