"""The run report's figures: one small function per figure, each returning a matplotlib Figure.

Every function takes plain tables (the run directory's files, or frames `sim.report` derives
from them) and builds a `matplotlib.figure.Figure` directly, without pyplot, so nothing here
picks or needs a GUI backend and figures are freed as soon as they are dropped. Save them with
`fig.savefig(path, dpi=DPI)`.

Conventions shared by all figures:

- Time axes are hours from 00:00 of the first day, labelled as clock times ("08:00"); on
  horizons past 24 h the hours keep counting ("32:00" is 08:00 on day two), as in
  intervals.csv, the forecast and the roster.
- Interval measures are drawn at the interval's midpoint (the 08:00-08:30 interval at 08:15);
  staffing is drawn as steps covering the interval.
- Each channel has one colour in every figure: phone, chat and email fixed, others following
  from the tab10 palette (`channel_colours`).
- Width is always WIDTH_IN inches at DPI; height is ROW_HEIGHT_IN for one row of panels.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.colors import TABLEAU_COLORS, to_hex
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import (
    FixedLocator,
    FuncFormatter,
    MaxNLocator,
    MultipleLocator,
    PercentFormatter,
)

from sim.clock import format_clock

DPI = 100
WIDTH_IN = 11.0
ROW_HEIGHT_IN = 4.5

_TAB10 = [to_hex(c) for c in TABLEAU_COLORS.values()]  # the tab10 colours, in order
FIXED_CHANNEL_COLOURS = {"phone": _TAB10[0], "chat": _TAB10[1], "email": _TAB10[2]}
# Segments get colours no channel takes first (purple, brown, pink, grey, olive, cyan).
_SEGMENT_COLOURS = [_TAB10[i] for i in (4, 5, 6, 7, 8, 9)]
_QUEUE_STYLES = ["-", "--", ":", "-."]
_MEASURE_COLOURS = {
    "offered": "#222222",
    "answered": _TAB10[2],
    "abandoned": _TAB10[3],
    "unserved": _TAB10[6],
    "contained": _TAB10[4],
    "balked": _TAB10[5],
    "blocked": _TAB10[7],
    "callbacks_failed": _TAB10[8],
}
# The events figure: what happened besides answering, per interval.
EVENTS = {
    "blocked": (_TAB10[7], "blocked (busy signal)"),
    "balked": (_TAB10[5], "balked at the announced wait"),
    "callbacks_accepted": (_TAB10[0], "took a callback"),
    "retrials": (_TAB10[6], "retries"),
    "transfers": (_TAB10[9], "transfer legs"),
}
# The alerts figure: one colour per alert rule (none of the fixed channel colours first).
_RULE_COLOURS = [_TAB10[i] for i in (3, 4, 9, 8, 5, 6, 7, 0, 1, 2)]
_CALL_IN_COLOUR = _TAB10[0]
_MOVED_COLOUR = _TAB10[2]
_GAP_C = "#f4a6a6"  # short of Erlang C
_GAP_A = "#d62728"  # short of Erlang A as well


def channel_colours(channels: Iterable[str]) -> dict[str, str]:
    """A fixed colour per channel: phone, chat and email first, then the rest of tab10."""
    channels = list(dict.fromkeys(channels))
    spare = [c for c in _TAB10 if c not in FIXED_CHANNEL_COLOURS.values()]
    colours, k = {}, 0
    for name in channels:
        if name in FIXED_CHANNEL_COLOURS:
            colours[name] = FIXED_CHANNEL_COLOURS[name]
        else:
            colours[name] = spare[k % len(spare)]
            k += 1
    return colours


def figure_height(rows: int) -> float:
    """Figure height in inches for `rows` rows of panels (one row: ROW_HEIGHT_IN)."""
    return ROW_HEIGHT_IN if rows <= 1 else 1.0 + 3.3 * rows


# --- axes helpers -------------------------------------------------------------------------------


def clock_label(hours: float) -> str:
    """'HH:MM' for a time in hours from 00:00 of day one (hours past 24 keep counting)."""
    return format_clock(hours * 3600.0)


def _time_axis(ax, end_h: float, max_ticks: int, start_h: float = 0.0) -> None:
    span = max(end_h - start_h, 0.5)
    if span > 48:  # several days: a tick at each midnight, labelled by day
        step: float = 24 * math.ceil(span / 24 / max_ticks)
        ax.xaxis.set_major_locator(MultipleLocator(step))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: f"day {int(x // 24) + 1}"))
        ax.xaxis.set_minor_locator(MultipleLocator(6))
        ax.set_xlim(start_h, end_h)
        return
    steps = (0.5, 1, 2, 3, 4, 6, 8, 12, 24)
    step = next((s for s in steps if span / s <= max_ticks), 24)
    ax.xaxis.set_major_locator(MultipleLocator(step))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: clock_label(x)))
    if step >= 2:
        ax.xaxis.set_minor_locator(MultipleLocator(step / 2 if step <= 4 else step / 4))
    ax.set_xlim(start_h, end_h)


def _time_label(end_h: float) -> str:
    if end_h > 48:
        return "time (ticks at 00:00 of each day; minor ticks every 6 h)"
    return "time (HH:MM; hours past 24 are the next day)" if end_h > 24 else "time of day (HH:MM)"


def format_duration(seconds: float) -> str:
    """A short duration label: '0', '20 s', '5 min', '2 h', '1.5 d'."""
    if seconds <= 0:
        return "0"
    if seconds < 60:
        return f"{seconds:g} s"
    if seconds < 3600:
        return f"{seconds / 60:g} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:g} h"
    return f"{seconds / 86400:g} d"


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
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: format_duration(v)))
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


def _panels(n: int, max_cols: int, height: float | None = None, sharex: bool = True):
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
        # room between panels, so "24:00" and the next panel's "00:00" stay apart
        engine.set(wspace=0.06)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    return fig, list(axes.flat[:n]), rows, cols


def _free_corner(ax, entries: int) -> str:
    """The legend location (lower right, center right, upper left, lower left) covering the
    fewest plotted points, judged in axes coordinates once scales and limits are final.
    matplotlib's "best" is judged before constrained layout settles and can land on a curve."""
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


# --- 1. service level ----------------------------------------------------------------------------


def service_level(
    intervals: pd.DataFrame,
    target: float,
    interval_s: float,
    n_intervals: int,
    colours: Mapping[str, str],
    thresholds: Mapping[str, float] | None = None,
) -> Figure:
    """Interval service level per queue (coloured by channel) with its 95% CI band, against the
    target; intervals whose mean is below target are marked. Intervals with no contacts are
    left out (the line breaks there)."""
    fig, (ax,), _, _ = _panels(1, 1)
    end_h = n_intervals * interval_s / 3600
    pairs = _pairs(intervals, list(colours))
    per_channel: dict[str, int] = {}
    x = _mid_hours(range(n_intervals), interval_s)
    handles = []
    for channel, queue in pairs:
        rows = intervals[intervals["channel"].eq(channel) & intervals["queue"].eq(queue)]
        rows = rows[rows["offered"] > 0].set_index("interval")
        style = _QUEUE_STYLES[per_channel.get(channel, 0) % len(_QUEUE_STYLES)]
        per_channel[channel] = per_channel.get(channel, 0) + 1
        colour = colours.get(channel, "#444444")
        mean = _full(rows["service_level"], n_intervals)
        low = np.clip(_full(rows["service_level_lo"], n_intervals), 0, 1)
        high = np.clip(_full(rows["service_level_hi"], n_intervals), 0, 1)
        ax.fill_between(x, low, high, color=colour, alpha=0.15, linewidth=0)
        label = _queue_label(channel, queue)
        if thresholds and channel in thresholds:
            label += f" ({format_duration(thresholds[channel])})"
        (line,) = ax.plot(x, mean, style, color=colour, linewidth=1.8, label=label)
        handles.append(line)
        _mark_short(ax, x[mean < target], mean[mean < target], colour)
        _log_service_level(ax, rows, x, n_intervals, colour)
    ax.axhline(target, color="black", linestyle="--", linewidth=1.2)
    handles += [
        Line2D([], [], color="black", linestyle="--", label=f"target {target:.0%}"),
        Line2D(
            [],
            [],
            marker="v",
            color="#bbbbbb",
            markeredgecolor="black",
            linestyle="none",
            label="mean below target",
        ),
    ]
    if "service_level_lo" in intervals and intervals["service_level_lo"].notna().any():
        handles.append(Patch(color="#888888", alpha=0.3, label="95% CI (clipped to 0-100%)"))
    if "log_service_level" in intervals:
        handles.append(
            Line2D(
                [],
                [],
                color="#444444",
                marker="o",
                markersize=4,
                linestyle=":",
                label="the replayed log",
            )
        )
    if not pairs or intervals["offered"].le(0).all():
        _no_data(ax, "no contacts offered")
    ax.set_ylim(-0.02, 1.04)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    _time_axis(ax, end_h, max_ticks=13)
    _grid(ax)
    ax.set_xlabel(_time_label(end_h))
    ax.set_ylabel("service level (% within threshold)")
    ax.set_title("Service level per interval against the target (mean of replications)")
    fig.legend(handles=handles, loc="outside right upper", fontsize=9, title="queue (threshold)")
    return fig


def _log_service_level(ax, rows: pd.DataFrame, x: np.ndarray, n: int, colour: str) -> None:
    """A replay's figure: the replayed log's own interval service level, dotted with dots."""
    if "log_service_level" not in rows:
        return
    logged = _full(rows["log_service_level"], n)
    ax.plot(x, logged, ":", color=colour, marker="o", markersize=3, linewidth=1.2)


# --- 2. volumes ----------------------------------------------------------------------------------


def volumes(
    intervals: pd.DataFrame, interval_s: float, n_intervals: int, colours: Mapping[str, str]
) -> Figure:
    """Offered, answered, abandoned and contained contacts per interval, one panel per channel
    (the channel's queues summed); unserved, balked, blocked and failed callbacks too when
    there were any."""
    channels = [c for c in colours if c in set(intervals["channel"])]
    measures = ["offered", "answered", "abandoned", "contained"]
    for extra in ("unserved", "balked", "blocked", "callbacks_failed"):
        if extra in intervals and intervals[extra].gt(0).any():
            measures.insert(3, extra)
    fig, axes, rows, cols = _panels(max(len(channels), 1), 3)
    end_h = n_intervals * interval_s / 3600
    x = _mid_hours(range(n_intervals), interval_s)
    for i, (ax, channel) in enumerate(zip(axes, channels, strict=False)):
        sums = intervals[intervals["channel"].eq(channel)].groupby("interval")[measures].sum()
        for measure in measures:
            ax.plot(
                x,
                _full(sums[measure], n_intervals),
                color=_MEASURE_COLOURS[measure],
                linewidth=2.0 if measure == "offered" else 1.5,
                linestyle=":" if measure == "contained" else "-",
                drawstyle="steps-mid",
                label=measure,
            )
        _dress_count_panel(ax, i, rows, cols, channel, colours[channel], end_h)
    if not channels:
        _no_data(axes[0], "no contacts")
    fig.suptitle(
        f"Contacts per {interval_s / 60:g}-minute interval by outcome (mean of replications)"
    )
    fig.legend(
        handles=[
            Line2D([], [], color=_MEASURE_COLOURS[m], linestyle=":" if m == "contained" else "-")
            for m in measures
        ],
        labels=measures,
        loc="outside right upper",
        fontsize=9,
    )
    return fig


def _dress_count_panel(ax, i: int, rows: int, cols: int, channel: str, colour: str, end_h: float):
    """Title, axes and labels of panel `i` in a grid of per-channel counts over the day."""
    ax.set_title(channel, color=colour, fontweight="bold")
    ax.set_ylim(0, max(ax.get_ylim()[1], 1.0))
    _time_axis(ax, end_h, max_ticks=13 // cols + 1)
    _grid(ax)
    if i % cols == 0:
        ax.set_ylabel("contacts per interval")
    if i // cols == rows - 1:
        ax.set_xlabel(_time_label(end_h))


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
    fig, axes, rows, cols = _panels(max(len(channels), 1), 3)
    end_h = n_intervals * interval_s / 3600
    x = _mid_hours(range(n_intervals), interval_s)
    for i, (ax, channel) in enumerate(zip(axes, channels, strict=False)):
        sums = intervals[intervals["channel"].eq(channel)].groupby("interval")[present].sum()
        for event in present:
            ax.plot(
                x, _full(sums[event], n_intervals), color=EVENTS[event][0], drawstyle="steps-mid"
            )
        _dress_count_panel(ax, i, rows, cols, channel, colours[channel], end_h)
    if not channels:
        _no_data(axes[0], "no busy signals, balks, callbacks, retries or transfers")
    fig.suptitle(f"Events per {interval_s / 60:g}-minute interval (mean of replications)")
    fig.legend(
        handles=[Line2D([], [], color=EVENTS[e][0]) for e in present],
        labels=[EVENTS[e][1] for e in present],
        loc="outside right upper",
        fontsize=9,
    )
    return fig


def alerts(
    raised: pd.DataFrame,
    labels: Mapping[str, str],
    activity: pd.DataFrame | None,
    interval_s: float,
    n_intervals: int,
    replications: int,
    activity_labels: Mapping[str, str] | None = None,
) -> Figure:
    """When the monitor's alert rules were raised over the day, and what that set off.

    Top: per rule, the share of replications in which it was raised, averaged over each
    interval (a step line on 0-100%). Bottom, when there were any: on-call agents arriving per
    interval (bars) and agents moved onto another queue (the mean number at a time; a line).

    `raised`: one column per rule, indexed by interval 0..n-1. `labels`: legend text per rule.
    `activity`: indexed by interval, columns `call_ins` and `moved` (means of replications);
    None or all zero leaves the bottom panel out. `activity_labels`: their legend text."""
    end_h = n_intervals * interval_s / 3600
    lower = activity is not None and bool(np.nan_to_num(activity.to_numpy(dtype=float)).any())
    fig = Figure(
        figsize=(WIDTH_IN, figure_height(2) if lower else ROW_HEIGHT_IN),
        dpi=DPI,
        layout="constrained",
    )
    axes = fig.subplots(
        2 if lower else 1,
        1,
        squeeze=False,
        sharex=True,
        gridspec_kw={"height_ratios": [3, 2]} if lower else None,
    )[:, 0]
    edges = np.arange(n_intervals + 1) * interval_s / 3600
    minutes = f"{interval_s / 60:g}-min"
    top = axes[0]
    for k, rule in enumerate(raised.columns):
        values = np.nan_to_num(_full(raised[rule], n_intervals))
        top.step(
            edges,
            np.append(values, values[-1]),
            where="post",
            color=_RULE_COLOURS[k % len(_RULE_COLOURS)],
            linewidth=2.0,
            label=labels.get(rule, str(rule)),
        )
    if raised.columns.empty:
        _no_data(top, "no alert rules")
    top.set_ylim(-0.02, 1.04)
    top.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    top.set_ylabel("alert raised\n(% of replications)")
    top.set_title(f"Alerts raised: share of replications, averaged per {minutes} interval")
    top.legend(
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize=9,
        title="alert rule",
        title_fontsize=9,
        alignment="left",
        labelspacing=0.9,
    )
    if lower and activity is not None:
        names = {
            "call_ins": "on-call agents arriving\n(per interval)",
            "moved": "agents moved onto another\nqueue (mean at a time)",
            **(activity_labels or {}),
        }
        bottom = axes[1]
        calls = np.nan_to_num(_full(activity["call_ins"], n_intervals))
        moved = np.nan_to_num(_full(activity["moved"], n_intervals))
        handles = []
        if calls.sum() > 0:
            handles.append(
                bottom.bar(
                    _mid_hours(range(n_intervals), interval_s),
                    calls,
                    width=interval_s / 3600 * 0.8,
                    color=_CALL_IN_COLOUR,
                    alpha=0.75,
                    label=names["call_ins"],
                )
            )
        if moved.sum() > 0:
            (line,) = bottom.step(
                edges,
                np.append(moved, moved[-1]),
                where="post",
                color=_MOVED_COLOUR,
                linewidth=2.0,
                label=names["moved"],
            )
            handles.append(line)
        bottom.set_ylim(0, max(bottom.get_ylim()[1], 1.0))
        bottom.set_ylabel("agents\n(mean of replications)")
        bottom.set_title("What the alerts set off: on-call agents called in, agents moved")
        bottom.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            fontsize=9,
            labelspacing=0.9,
        )
    for ax in axes:
        _time_axis(ax, end_h, max_ticks=13)
        _grid(ax)
    axes[-1].set_xlabel(_time_label(end_h))
    fig.suptitle(f"Alerts over the day (mean of {replications} replications)")
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
    """Left: mean number of contacts waiting (time average per interval). Right: the longest
    wait of contacts arriving in each interval. One line per channel.

    `waiting` and `longest`: one column per channel, indexed by interval (mean of
    replications)."""
    fig, (left, right), _, _ = _panels(2, 2, sharex=False)
    end_h = n_intervals * interval_s / 3600
    x = _mid_hours(range(n_intervals), interval_s)
    for channel, colour in colours.items():
        if channel in waiting:
            left.plot(
                x,
                _full(waiting[channel], n_intervals),
                color=colour,
                linewidth=1.8,
                drawstyle="steps-mid",
                label=channel,
            )
        if channel in longest:
            right.plot(
                x,
                _full(longest[channel], n_intervals),
                "o-",
                color=colour,
                markersize=3,
                linewidth=1.5,
                label=channel,
            )
    left.set_ylim(0, max(left.get_ylim()[1], 1.0))
    left.set_ylabel("contacts waiting (time average)")
    left.set_title("Mean queue length")
    values = longest.to_numpy(dtype=float)
    values = values[np.isfinite(values) & (values > 0)]
    if len(values):
        low, high = float(values.min()), float(values.max())
        if high / max(low, 1e-9) > 30:
            right.set_yscale("log")
            right.set_ylim(max(low / 1.5, 0.5), high * 1.5)
            _log_duration_ticks(right.yaxis, max(low / 1.5, 0.5), high * 1.5, with_zero=False)
        else:
            right.set_ylim(0, high * 1.1)
            _linear_duration_ticks(right.yaxis, high * 1.1)
        for channel, threshold in (thresholds or {}).items():
            if channel in longest and threshold <= high * 1.5:
                right.axhline(threshold, color=colours.get(channel), linestyle="--", linewidth=1)
    else:
        _no_data(right, "nobody waited")
    right.set_ylabel("longest wait (s, min, h)")
    right.set_title("Longest wait of contacts arriving in the interval")
    for ax in (left, right):
        _time_axis(ax, end_h, max_ticks=7)
        _grid(ax)
        ax.set_xlabel(_time_label(end_h))
    handles = [Line2D([], [], color=c, linewidth=2) for c in colours.values()]
    labels = list(colours)
    if thresholds:
        handles.append(Line2D([], [], color="#555555", linestyle="--"))
        labels.append("channel threshold")
    fig.legend(handles, labels, loc="outside right upper", fontsize=9, title="channel")
    fig.suptitle("Queues over the day (mean of replications)")
    return fig


# --- 4. wait CDF ---------------------------------------------------------------------------------


def _ecdf(values: np.ndarray, points: int = 2001) -> tuple[np.ndarray, np.ndarray]:
    values = np.sort(values)
    if len(values) <= points:
        return np.repeat(values, 2)[1:], np.repeat(np.arange(1, len(values) + 1), 2)[:-1] / len(
            values
        )
    p = np.linspace(0, 1, points)
    return np.quantile(values, p, method="inverted_cdf"), p


def wait_cdf(
    waits: pd.DataFrame,
    thresholds: Mapping[str, float],
    colours: Mapping[str, str],
    segments: Sequence[str] | None = None,
) -> Figure:
    """Empirical CDF of the waits of contacts that reached a queue (all replications pooled):
    left per channel, right per segment, with each channel's threshold marked.

    `waits`: columns channel, segment, wait_s."""
    fig, (left, right), _, _ = _panels(2, 2, sharex=True)
    wait = waits["wait_s"].to_numpy(dtype=float)
    positive = wait[wait > 0]
    spread = len(positive) > 0 and positive.max() / max(np.median(positive), 1e-9) > 30
    high = float(wait.max()) if len(wait) else 1.0
    for ax, column, names, palette in (
        (left, "channel", list(colours), colours),
        (
            right,
            "segment",
            segments or list(dict.fromkeys(waits["segment"])),
            None,
        ),
    ):
        k = 0
        for name in names:
            mine = waits.loc[waits[column].eq(name), "wait_s"].to_numpy(dtype=float)
            if len(mine) == 0:
                continue
            colour = palette[name] if palette else _SEGMENT_COLOURS[k % len(_SEGMENT_COLOURS)]
            k += 1
            xs, ys = _ecdf(mine)
            label = f"{name} (n={len(mine):,})"
            if column == "channel" and name in thresholds:
                within = float(np.mean(mine <= thresholds[name]))
                label += f": {within:.0%} ≤ {format_duration(thresholds[name])}"
            ax.plot(xs, ys, color=colour, linewidth=1.8, label=label)
        if k == 0:
            _no_data(ax, "no contact reached a queue")
        for channel, threshold in thresholds.items():
            if channel in colours and (threshold <= high * 1.2 or not len(wait)):
                ax.axvline(threshold, color=colours[channel], linestyle="--", linewidth=1)
        ax.set_ylim(0, 1.01)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        _grid(ax)
        ax.set_xlabel("wait (symlog scale)" if spread else "wait")
    left.set_ylabel("share of contacts waiting at most x")
    left.set_title("Wait distribution by channel")
    right.set_title("Wait distribution by segment")
    if spread:
        left.set_xscale("symlog", linthresh=1.0, linscale=0.4)
        left.set_xlim(0, high * 1.3)
        _log_duration_ticks(left.xaxis, 1.0, high * 1.3, with_zero=True)
    else:
        top = max(high, *(t for t in thresholds.values() if t <= 2 * high), 1.0) * 1.05
        left.set_xlim(0, top)
        _linear_duration_ticks(left.xaxis, top)
    for ax, title in ((left, "per channel"), (right, "per segment (all channels)")):
        entries = len(ax.get_legend_handles_labels()[0])
        if entries:
            ax.legend(
                loc=_free_corner(ax, entries),
                fontsize=8.5,
                title=title,
                title_fontsize=9,
            )
    fig.suptitle(
        "Waits of contacts that reached a queue (all replications pooled); "
        "dashed: channel thresholds"
    )
    return fig


# --- 5. staffing ---------------------------------------------------------------------------------


def staffing(
    intervals: pd.DataFrame,
    interval_s: float,
    n_intervals: int,
    colours: Mapping[str, str],
    target: float,
) -> Figure:
    """Agents scheduled against the Erlang C and Erlang A requirement per interval, one panel
    per queue, with the gap shaded where fewer are scheduled than required."""
    pairs = _pairs(intervals, list(colours))
    fig, axes, rows, cols = _panels(max(len(pairs), 1), 2)
    end_h = n_intervals * interval_s / 3600
    edges = np.arange(n_intervals + 1) * interval_s / 3600
    for i, (ax, (channel, queue_name)) in enumerate(zip(axes, pairs, strict=False)):
        rows_q = intervals[intervals["channel"].eq(channel) & intervals["queue"].eq(queue_name)]
        rows_q = rows_q.set_index("interval")

        def stepped(column: str, rows_q=rows_q) -> np.ndarray:
            values = np.nan_to_num(_full(rows_q[column], n_intervals))
            return np.append(values, values[-1])

        scheduled = stepped("agents_scheduled")
        need_c = stepped("erlang_c_required")
        need_a = stepped("erlang_a_required")
        ax.fill_between(
            edges, scheduled, need_c, where=need_c > scheduled, step="post", color=_GAP_C, lw=0
        )
        ax.fill_between(
            edges,
            scheduled,
            np.minimum(need_a, need_c),
            where=need_a > scheduled,
            step="post",
            color=_GAP_A,
            alpha=0.6,
            lw=0,
        )
        # Scheduled first and thick, the requirements over it: equal lines stay visible.
        ax.step(edges, scheduled, where="post", color=colours.get(channel), linewidth=2.6)
        ax.step(edges, need_c, where="post", color="black", linestyle="--", linewidth=1.3)
        ax.step(edges, need_a, where="post", color="#666666", linestyle=":", linewidth=1.6)
        ax.set_title(_queue_label(channel, queue_name), color=colours.get(channel))
        top = max(np.nanmax(scheduled), np.nanmax(need_c), np.nanmax(need_a), 1.0)
        ax.set_ylim(0, top * 1.12)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        _time_axis(ax, end_h, max_ticks=13 // cols + 1)
        _grid(ax)
        if i % cols == 0:
            ax.set_ylabel("agents")
        if i // cols == rows - 1:
            ax.set_xlabel(_time_label(end_h))
    if not pairs:
        _no_data(axes[0], "no queues")
    fig.legend(
        handles=[
            Line2D([], [], color="#333333", linewidth=2.6),
            Line2D([], [], color="black", linestyle="--"),
            Line2D([], [], color="#666666", linestyle=":", linewidth=1.6),
            Patch(color=_GAP_C),
            Patch(color=_GAP_A, alpha=0.6),
        ],
        labels=[
            "scheduled (channel colour)",
            "Erlang C required",
            "Erlang A required",
            "short of Erlang C",
            "short of Erlang A too",
        ],
        loc="outside lower center",
        ncols=5,
        fontsize=9,
    )
    fig.suptitle(
        f"Staffing gap: agents scheduled vs required for a {target:.0%} service level, per queue"
    )
    return fig


# --- 6. occupancy --------------------------------------------------------------------------------


def occupancy(
    table: pd.DataFrame, interval_s: float, n_intervals: int, agents: Mapping[str, int] | None
) -> Figure:
    """Heatmap of occupancy (busy / available) by agent group x interval, 0 to 100%; blank
    where nobody of the group was logged in.

    `table`: one row per group, columns the intervals 0..n-1 (mean of replications)."""
    groups = list(table.index)
    height = max(ROW_HEIGHT_IN, 1.6 + 0.4 * len(groups))
    fig, (ax,), _, _ = _panels(1, 1, height=height)
    end_h = n_intervals * interval_s / 3600
    edges_x = np.arange(n_intervals + 1) * interval_s / 3600
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
    ax.set_yticklabels([f"{g} ({agents[g]})" if agents and g in agents else str(g) for g in groups])
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
    ax.set_xlabel(_time_label(end_h))
    ax.set_ylabel("agent group (agents)")
    ax.set_title("Occupancy by agent group and interval (mean of replications; blank: nobody on)")
    bar = fig.colorbar(mesh, ax=ax, fraction=0.04, pad=0.02)
    bar.set_label("occupancy (busy / available)")
    bar.ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    if not groups:
        _no_data(ax, "no agents logged in")
    return fig


# --- the sweep page ------------------------------------------------------------------------------


def sweep_kpis(
    table: pd.DataFrame, series_keys: Sequence[str], target: float, cost: str = "paid_hours"
) -> Figure:
    """Service level, ASA and abandonment of each sweep variant against its cost (the `cost`
    column: `paid_hours`, planned paid agent-hours, or `cost`, money at the roster's rates),
    with 95% CI bars; one line per combination of the non-staffing keys."""
    ok = table[table["status"] == "ok"].sort_values(cost)
    fig, axes, _, _ = _panels(3, 3, sharex=False)
    # Labels are tuples of the series keys' values (or "" when there are none).
    groups: Iterable[tuple[Any, pd.DataFrame]] = (
        ok.groupby(list(series_keys), sort=False, dropna=False) if series_keys else [("", ok)]
    )
    panels = [
        ("service_level", "service level", True),
        ("asa_s", "ASA (s)", False),
        ("abandon_rate", "abandon rate", True),
    ]
    for k, (label, rows) in enumerate(groups):
        colour = _TAB10[k % len(_TAB10)]
        name = ", ".join(
            f"{key}={value}" for key, value in zip(series_keys, np.atleast_1d(label), strict=False)
        )
        for ax, (metric, ylabel, share) in zip(axes, panels, strict=True):
            low = (rows[metric] - rows[f"{metric}_lo"]).clip(lower=0)
            high = (rows[f"{metric}_hi"] - rows[metric]).clip(lower=0)
            ax.errorbar(
                rows[cost],
                rows[metric],
                yerr=[low, high],
                color=colour,
                marker="o",
                capsize=3,
                label=name or "variants",
            )
            ax.set_ylabel(ylabel)
            if share:
                ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    axes[0].axhline(
        target, color="black", linestyle="--", linewidth=1, label=f"target {target:.0%}"
    )
    for ax in axes:
        ax.set_xlabel(
            "cost (at the roster's rates)" if cost == "cost" else "paid agent-hours (cost)"
        )
        _grid(ax)
    axes[0].legend(fontsize=8, loc="lower right")
    fig.suptitle("Sweep variants against cost (mean and 95% CI over replications)")
    return fig


def paired_differences(table: pd.DataFrame, reference_job: int, keys: Sequence[str]) -> Figure:
    """The service-level difference of each variant from the reference, with the paired CI
    (common random numbers) beside the unpaired one: the paired bar is the narrower."""
    rows = table[(table["status"] == "ok") & (table["job"] != reference_job)]
    fig = Figure(figsize=(WIDTH_IN, ROW_HEIGHT_IN), dpi=DPI, layout="constrained")
    ax = fig.subplots()
    y = np.arange(len(rows))
    for offset, kind, colour in ((-0.15, "paired", _TAB10[0]), (0.15, "unpaired", _TAB10[7])):
        low = (rows["sl_diff"] - rows[f"{kind}_lo"]).clip(lower=0)
        high = (rows[f"{kind}_hi"] - rows["sl_diff"]).clip(lower=0)
        ax.errorbar(
            rows["sl_diff"],
            y + offset,
            xerr=[low, high],
            fmt="o",
            color=colour,
            capsize=3,
            label=f"{kind} 95% CI",
        )
    ax.axvline(0, color="black", linewidth=1)
    labels = [
        ", ".join(f"{k}={r[k]}" for k in keys) or f"job {r['job']}" for _, r in rows.iterrows()
    ]
    ax.set_yticks(y, labels)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=1))
    reference = table[table["job"] == reference_job].iloc[0]
    name = ", ".join(f"{k}={reference[k]}" for k in keys) or f"job {reference_job}"
    ax.set_xlabel(f"service level minus that of the reference ({name}), percentage points")
    ax.legend(fontsize=9)
    _grid(ax)
    ax.set_title("Difference from the reference variant: paired (same customers) vs unpaired CI")
    return fig


# --- staffing search: before and after -----------------------------------------------------------

BEFORE_COLOUR = "#8c8c8c"


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
    the target; `short_after` marks the recommendation's intervals counted as short. Bottom:
    agents scheduled before and after as steps, and the `erlang_required` column as a dashed
    step. `before` and `after` are interval tables (`sim.metrics.interval_table`) of this
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
                label="short after (allowed misses)",
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
    top.set_title("Service level per interval (mean of replications)", fontsize=11)
    _grid(top)
    top.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9)

    def stepped(rows: pd.DataFrame, column: str) -> np.ndarray:
        values = _full(rows[column], n_intervals) if column in rows else np.full(n_intervals, 0.0)
        return np.append(values, values[-1])

    agents_before = stepped(tables["before"], "agents_scheduled")
    agents_after = stepped(tables["after"], "agents_scheduled")
    need = stepped(tables["after"], "erlang_required")
    # After first and thick, before thinner over it: where they agree both stay visible.
    bottom.step(edges, agents_after, where="post", color=colour, linewidth=2.8)
    bottom.step(edges, agents_before, where="post", color=BEFORE_COLOUR, linewidth=1.6)
    bottom.step(edges, need, where="post", color="black", linestyle="--", linewidth=1.3)
    top_value = np.nanmax(np.concatenate([agents_before, agents_after, need, [1.0]]))
    bottom.set_ylim(0, top_value * 1.12)
    bottom.yaxis.set_major_locator(MaxNLocator(integer=True))
    bottom.set_ylabel("agents on duty")
    bottom.set_title("Agents scheduled (on duty, off break) against the requirement", fontsize=11)
    bottom.legend(
        handles=[
            Line2D([], [], color=BEFORE_COLOUR, linewidth=1.6),
            Line2D([], [], color=colour, linewidth=2.8),
            Line2D([], [], color="black", linestyle="--", linewidth=1.3),
        ],
        labels=["before", "after", requirement],
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
