"""The run report: one self-contained HTML page built from a run directory's saved files alone.

`render_run_report(run_dir)` reads `intervals.csv`, `contacts.parquet`, `agents.parquet`,
`summary.json` (or the summary passed in, since the app writes summary.json last) and, when
present, `alerts.csv` and `.hydra/config.yaml`; it writes the figures to `run_dir/figures/<name>.png` and
`run_dir/report.html`, a single page with the figures embedded as data URIs, so it opens from
disk and can be forwarded as one file. No simulation, no model object.

    python -m sim.report RUN_DIR      # (re)build the report of an existing run; prints its path

The figures themselves are in `sim.figures`; this module derives the tables they need (queue
length, longest wait, occupancy by agent group and interval) with the helpers of `sim.metrics`.
"""

from __future__ import annotations

import argparse
import base64
import html
import json
import math
import os
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd

from sim import labour, replay
from sim.clock import format_clock, parse_clock
from sim.metrics import busy_and_available, occupancy, time_in_bins

if TYPE_CHECKING:  # matplotlib is imported only when figures are drawn
    from matplotlib.figure import Figure

REQUIRED_FILES = ("intervals.csv", "contacts.parquet", "agents.parquet")
REACHED = ("answered", "abandoned", "unserved")
ALERT_COLUMNS = ["replication", "time_s", "rule", "measure", "value", "state"]
FIGURE_NAMES = ("service_level", "volumes", "queue", "wait_cdf", "staffing", "occupancy")
EVENT_FIGURE = "events"  # drawn only when something was blocked, balked, called back, retried
# or transferred
ALERT_FIGURE = "alerts"  # drawn only when alerts.csv has rows (a monitor raised something)

# The KPI table: (metric, heading, kind, explanation); kind picks the formatting.
KPI_COLUMNS = [
    ("offered", "Offered", "count", "contacts that arrived"),
    ("answered", "Answered", "count", "taken by an agent"),
    ("abandoned", "Abandoned", "count", "gave up waiting"),
    ("unserved", "Unserved", "count", "still waiting when the run stopped"),
    ("service_level", "Service level", "percent", "answered within threshold / reached queue"),
    ("abandon_rate", "Abandon rate", "percent", "abandoned / reached queue"),
    ("asa_s", "ASA", "duration", "mean wait of answered contacts"),
    ("mean_wait_s", "Mean wait", "duration", "mean wait of all that reached a queue"),
    ("p90_wait_s", "P90 wait", "duration", "90th percentile of waits"),
    ("aht_s", "AHT", "duration", "mean handle + wrap-up of answered contacts"),
    ("occupancy", "Occupancy", "percent", "busy / available time of the agents behind it"),
]
# The customers' side: the front end, callbacks, retries and transfers (shown when used).
JOURNEY_COLUMNS = [
    ("contained", "Contained", "count", "resolved by the IVR or bot"),
    ("balked", "Balked", "count", "left on hearing the announced wait"),
    ("blocked", "Blocked", "count", "found every line taken (busy signal)"),
    ("block_rate", "Block rate", "percent", "blocked / offered"),
    ("callbacks_accepted", "Callbacks", "count", "took a callback instead of waiting"),
    ("callbacks_completed", "Called back", "count", "callbacks that reached the customer"),
    ("callbacks_failed", "Missed", "count", "callbacks that did not reach the customer"),
    ("retrials", "Retries", "count", "attempts that were retries"),
    ("customers", "Customers", "count", "distinct customers behind the attempts"),
    (
        "customer_service_level",
        "Customer SL",
        "percent",
        "customers with an attempt answered in time",
    ),
    ("transfers", "Transfers", "count", "second legs after a transfer or misroute"),
    ("announce_error_s", "Announce error", "duration", "mean |announced - actual| wait"),
    ("chats_held", "Chats held", "number", "mean chats an agent held once it took a chat"),
]


class RunDirError(Exception):
    """The directory is not a finished ccsim run (missing or unreadable files)."""


# --- loading --------------------------------------------------------------------------------------


@dataclass
class Run:
    """A run directory's files, read once."""

    run_dir: Path
    summary: dict
    config: dict
    intervals: pd.DataFrame
    contacts: pd.DataFrame
    agents: pd.DataFrame
    interval_s: float
    n_intervals: int
    channels: list[str] = field(default_factory=list)
    alerts: pd.DataFrame | None = None  # alerts.csv; None when the run had no monitor
    label: str | None = None  # the run directory's name when the files are read from staging

    @property
    def name(self) -> str:
        return self.label or self.run_dir.name

    @property
    def replications(self) -> int:
        return int(self.summary.get("replications") or self.contacts["replication"].max() + 1)

    @property
    def target(self) -> float:
        return float(self.summary.get("service_level", {}).get("target", 0.8))

    @property
    def thresholds(self) -> dict[str, float]:
        sl = self.summary.get("service_level", {})
        by_channel = dict(sl.get("threshold_s_by_channel") or {})
        default = float(sl.get("threshold_s", 20))
        return {c: float(by_channel.get(c, default)) for c in self.channels}

    @property
    def horizon_s(self) -> float:
        return self.n_intervals * self.interval_s

    @property
    def edges(self) -> np.ndarray:
        return np.arange(self.n_intervals + 1) * self.interval_s


def load_run(run_dir: Path, summary: dict | None = None) -> Run:
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise RunDirError(f"{run_dir}: no such directory")
    needed = list(REQUIRED_FILES) + ([] if summary is not None else ["summary.json"])
    missing = [name for name in needed if not (run_dir / name).is_file()]
    if missing:
        raise RunDirError(
            f"{run_dir}: not a finished ccsim run directory: missing {', '.join(missing)}"
        )
    try:
        if summary is None:
            summary = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
        intervals = pd.read_csv(run_dir / "intervals.csv", dtype={"start": str})
        contacts = pd.read_parquet(run_dir / "contacts.parquet")
        agents = pd.read_parquet(run_dir / "agents.parquet")
        alerts = _read_alerts(run_dir / "alerts.csv")
    except (OSError, ValueError) as err:  # JSONDecodeError, parquet and CSV errors are ValueErrors
        raise RunDirError(f"{run_dir}: cannot read the run files: {err}") from None
    for frame in (intervals, contacts):
        for column in ("channel", "queue", "segment", "outcome"):
            if column in frame:
                frame[column] = frame[column].astype(str)
    absent = {"interval", "start", "channel", "queue", "offered"} - set(intervals.columns)
    if absent:
        raise RunDirError(f"{run_dir}: intervals.csv lacks the columns {', '.join(sorted(absent))}")
    config = _read_config(run_dir)
    channels = list(summary.get("service_level", {}).get("threshold_s_by_channel") or {})
    channels += [c for c in dict.fromkeys(intervals["channel"]) if c not in channels]
    n_intervals = int(intervals["interval"].max()) + 1 if len(intervals) else 1
    return Run(
        run_dir=run_dir,
        summary=summary,
        config=config,
        intervals=intervals,
        contacts=contacts,
        agents=agents,
        interval_s=_interval_seconds(intervals, config),
        n_intervals=n_intervals,
        channels=channels,
        alerts=alerts,
    )


def _read_alerts(path: Path) -> pd.DataFrame | None:
    """alerts.csv (one row per alert crossing per replication), or None if there is none."""
    if not path.is_file():
        return None
    try:
        alerts = pd.read_csv(path, dtype={"rule": str, "measure": str, "state": str})
    except pd.errors.EmptyDataError:  # not even a header: nothing was recorded
        return None
    absent = {"replication", "time_s", "rule", "state"} - set(alerts.columns)
    if absent:
        raise ValueError(f"alerts.csv lacks the columns {', '.join(sorted(absent))}")
    return alerts


def _read_config(run_dir: Path) -> dict:
    """The run's composed config (.hydra/config.yaml), resolved where possible; {} if absent."""
    path = run_dir / ".hydra" / "config.yaml"
    if not path.is_file():
        return {}
    from omegaconf import OmegaConf

    try:
        cfg = OmegaConf.load(path)
    except Exception:  # a damaged config only costs the report its description
        return {}
    try:
        container = OmegaConf.to_container(cfg, resolve=True)
    except Exception:
        container = OmegaConf.to_container(cfg, resolve=False)
    return container if isinstance(container, dict) else {}  # a list or scalar is no config


def _interval_seconds(intervals: pd.DataFrame, config: dict) -> float:
    """Interval length: the step between consecutive interval starts in intervals.csv, else the
    config's scenario.interval_min, else 30 minutes."""
    starts = intervals.drop_duplicates("interval").sort_values("interval")
    if len(starts) >= 2:
        try:
            seconds = np.array([parse_clock(s) for s in starts["start"]])
            steps = np.diff(seconds) / np.diff(starts["interval"].to_numpy())
            if np.all(steps > 0):
                return float(np.median(steps))
        except ValueError:
            pass
    minutes = (config.get("scenario") or {}).get("interval_min")
    return float(minutes) * 60 if isinstance(minutes, int | float) and minutes > 0 else 1800.0


# --- derived tables -----------------------------------------------------------------------------


def _reached(contacts: pd.DataFrame) -> pd.DataFrame:
    return contacts[contacts["outcome"].isin(REACHED)]


def mean_waiting(run: Run) -> pd.DataFrame:
    """Time-average number of contacts waiting per interval (rows) and channel (columns), mean
    over replications. Each contact that reached a queue waited [arrival, arrival + wait]."""
    reached = _reached(run.contacts)
    out = {}
    for channel in run.channels:
        mine = reached[reached["channel"].eq(channel)]
        per_rep = np.zeros((run.replications, run.n_intervals))
        for key, group in mine.groupby("replication"):
            rep = cast(int, key)  # replication numbers are whole
            if 0 <= rep < run.replications:
                per_rep[rep] = time_in_bins(
                    group["arrival_s"], group["arrival_s"] + group["wait_s"], run.edges
                )
        out[channel] = per_rep.mean(axis=0) / run.interval_s
    return pd.DataFrame(out, index=pd.RangeIndex(run.n_intervals, name="interval"))


def longest_wait(run: Run) -> pd.DataFrame:
    """Longest wait of the contacts that arrived in each interval (rows) per channel (columns):
    the maximum per replication, averaged over the replications that had any."""
    reached = _reached(run.contacts)
    per_rep = reached.groupby(["channel", "interval", "replication"])["wait_s"].max()
    table = per_rep.groupby(["channel", "interval"]).mean().unstack("channel")
    columns = [c for c in run.channels if c in table.columns]
    return table.reindex(index=range(run.n_intervals), columns=columns)


def group_occupancy(run: Run) -> pd.DataFrame:
    """Occupancy per agent group (rows) and interval (columns): busy / available per replication,
    averaged over the replications in which anyone of the group was available."""
    rows = {}
    for group in sorted(run.agents["group"].unique()):
        names = set(run.agents.loc[run.agents["group"].eq(group), "agent"])
        busy, available = busy_and_available(
            run.contacts, run.agents, names, run.edges, run.replications
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns: nobody on
            rows[group] = np.nanmean(occupancy(busy, available), axis=0)
    return pd.DataFrame.from_dict(rows, orient="index", columns=range(run.n_intervals))


def failing_spans(run: Run) -> list[dict]:
    """Runs of consecutive intervals whose mean service level is below target, per queue."""
    t = run.intervals
    if "service_level" not in t:
        return []
    below = t[(t["offered"] > 0) & (t["service_level"] < run.target)]
    spans: list[dict[str, Any]] = []
    rank = {c: i for i, c in enumerate(run.channels)}
    for (channel, queue), rows in below.groupby(["channel", "queue"], sort=False):
        rows = rows.sort_values("interval")
        k = rows["interval"].to_numpy()
        breaks = np.flatnonzero(np.diff(k) != 1) + 1
        for part in np.split(np.arange(len(rows)), breaks):
            span = rows.iloc[part]
            worst = span.iloc[span["service_level"].argmin()]
            spans.append(
                {
                    "channel": channel,
                    "queue": queue,
                    "first": int(span["interval"].iloc[0]),
                    "from": format_clock(span["interval"].iloc[0] * run.interval_s),
                    "to": format_clock((span["interval"].iloc[-1] + 1) * run.interval_s),
                    "intervals": len(span),
                    "offered": float(span["offered"].sum()),
                    "worst_sl": float(worst["service_level"]),
                    "worst_lo": _get(worst, "service_level_lo"),
                    "worst_hi": _get(worst, "service_level_hi"),
                    "worst_at": format_clock(worst["interval"] * run.interval_s),
                    "clearly": _count_below(span, "service_level_hi", run.target),
                    "scheduled": _get(worst, "agents_scheduled"),
                    "erlang_c": _get(worst, "erlang_c_required"),
                    "erlang_a": _get(worst, "erlang_a_required"),
                }
            )
    spans.sort(key=lambda s: (rank.get(s["channel"], len(rank)), s["queue"], s["first"]))
    return spans


def _count_below(rows: pd.DataFrame, column: str, target: float) -> int | None:
    """Intervals whose `column` is below target; None when it is unknown (one replication)."""
    if column not in rows or rows[column].isna().all():
        return None
    return int((rows[column] < target).sum())


def _get(row: pd.Series, column: str) -> float:
    value = row.get(column, np.nan)
    return float(value) if value is not None and pd.notna(value) else math.nan


def alert_rules(run: Run) -> list[str]:
    """The alert rules: the summary's (in the config's order), then any others in alerts.csv."""
    rules = list((run.summary.get("workforce") or {}).get("alerts") or {})
    if run.alerts is not None:
        rules += [r for r in dict.fromkeys(run.alerts["rule"]) if r not in rules]
    return rules


def alert_spans(run: Run, rule: str) -> tuple[np.ndarray, np.ndarray]:
    """The (start, end) times in seconds of every spell the rule was raised, all replications
    together: from a `raised` row to the next `cleared` row of its replication, or to the end
    of the horizon."""
    frame = run.alerts if run.alerts is not None else pd.DataFrame(columns=ALERT_COLUMNS)
    mine = frame[frame["rule"].eq(rule)].sort_values(["replication", "time_s"], kind="stable")
    starts, ends = [], []
    for _, rows in mine.groupby("replication"):
        since = None
        for time, state in zip(rows["time_s"], rows["state"], strict=True):
            if state == "raised" and since is None:
                since = float(time)
            elif state == "cleared" and since is not None:
                starts.append(since)
                ends.append(float(time))
                since = None
        if since is not None:
            starts.append(since)
            ends.append(run.horizon_s)
    return np.array(starts, dtype=float), np.array(ends, dtype=float)


def alert_raised(run: Run) -> pd.DataFrame:
    """Per interval (rows) and alert rule (columns): the share of replications in which the
    rule was raised, averaged over the interval (0.5: raised half the time, or in half of the
    replications all the time)."""
    out = {}
    for rule in alert_rules(run):
        starts, ends = alert_spans(run, rule)
        out[rule] = time_in_bins(starts, ends, run.edges) / (run.replications * run.interval_s)
    return pd.DataFrame(out, index=pd.RangeIndex(run.n_intervals, name="interval"))


def workforce_activity(run: Run) -> pd.DataFrame:
    """Per interval, means over the replications: `call_ins`, on-call agents arriving (call_in
    rows by the interval of their end) and `moved`, agents moved onto another queue (move rows,
    the mean number at a time over the interval)."""
    agents = run.agents
    kind = agents["kind"] if "kind" in agents else pd.Series("", index=agents.index)
    arrived = agents.loc[kind.eq("call_in"), "end_s"].to_numpy(dtype=float)
    k = np.floor(arrived / run.interval_s).astype(int)
    k = k[(k >= 0) & (k < run.n_intervals)]
    call_ins = np.bincount(k, minlength=run.n_intervals) / run.replications
    moves = agents[kind.eq("move")]
    moved = time_in_bins(moves["start_s"], moves["end_s"], run.edges) / (
        run.replications * run.interval_s
    )
    return pd.DataFrame(
        {"call_ins": call_ins, "moved": moved},
        index=pd.RangeIndex(run.n_intervals, name="interval"),
    )


_MEASURES = {
    "queue_length": "queue length",
    "oldest_wait_s": "oldest wait",
    "service_level": "service level",
    "occupancy": "occupancy",
}


def alert_conditions(run: Run) -> dict[str, str]:
    """Per alert rule, when it is raised, e.g. "chat oldest wait > 1.5 min", from the run's
    config (workforce.monitor.alerts); without one, only the measure (from alerts.csv)."""
    monitor = ((run.config.get("workforce") or {}).get("monitor")) or {}
    defined = monitor.get("alerts") or {}
    out = {}
    for rule in alert_rules(run):
        body = defined.get(rule)
        if not isinstance(body, dict):
            measure = ""
            if run.alerts is not None and "measure" in run.alerts:
                found = run.alerts.loc[run.alerts["rule"].eq(rule), "measure"]
                if len(found):
                    name = str(found.iloc[0])
                    measure = f"{_MEASURES.get(name, name)} past its threshold"
            out[rule] = measure
            continue
        measure = str(body.get("measure", ""))
        where = body.get("queue") or body.get("channel") or ""
        op, limit = (">", body["above"]) if "above" in body else ("<", body.get("below"))
        if not isinstance(limit, int | float):
            value = str(limit)
        elif measure in ("service_level", "occupancy"):
            value = f"{limit:.0%}"
        elif measure.endswith("_s"):
            value = _short_duration(limit)
        else:
            value = f"{limit:g}"
        text = f"{where} {_MEASURES.get(measure, measure)} {op} {value}".strip()
        if body.get("window_min") and measure in ("service_level", "occupancy"):
            text += f" (last {body['window_min']:g} min)"
        out[rule] = text
    return out


def alert_actions(run: Run) -> dict[str, str]:
    """Per alert rule, what it sets off (on-call pools called in, moves), from the config."""
    monitor = ((run.config.get("workforce") or {}).get("monitor")) or {}
    out: dict[str, list[str]] = {rule: [] for rule in alert_rules(run)}

    def when(body: object) -> list[str]:
        rules = body.get("when") if isinstance(body, dict) else None
        return [rules] if isinstance(rules, str) else list(rules or [])

    for name, pool in (monitor.get("on_call") or {}).items():
        for rule in when(pool):
            out.setdefault(rule, []).append(f"calls in on-call {name}")
    for move in monitor.get("moves") or []:
        for rule in when(move):
            out.setdefault(rule, []).append(
                f"moves {move.get('from')} agents onto {move.get('to')}"
            )
    return {rule: "; ".join(actions) for rule, actions in out.items()}


def _has_alerts(run: Run) -> bool:
    return run.alerts is not None and len(run.alerts) > 0


# --- figures --------------------------------------------------------------------------------------


def render_figures(run: Run) -> dict[str, Path]:
    """Every figure of the report as run_dir/figures/<name>.png; returns name -> path."""
    import matplotlib

    if "matplotlib.pyplot" not in sys.modules:  # leave an interactive session's backend alone
        matplotlib.use("Agg")
    from sim import figures

    colours = figures.channel_colours(run.channels)
    thresholds = run.thresholds
    n, step = run.n_intervals, run.interval_s
    reached = _reached(run.contacts)
    segments = [g.split("=", 1)[1] for g in run.summary.get("kpis", {}) if g.startswith("segment=")]
    agents = {
        g.split("=", 1)[1]: int(v.get("agents", 0))
        for g, v in (run.summary.get("agents") or {}).items()
        if g.startswith("group=")  # not the total, `all`
    }
    builders: dict[str, Callable[[], Figure]] = {
        "service_level": lambda: figures.service_level(
            run.intervals, run.target, step, n, colours, thresholds
        ),
        "volumes": lambda: figures.volumes(run.intervals, step, n, colours),
        "queue": lambda: figures.queue(
            mean_waiting(run), longest_wait(run), step, n, colours, thresholds
        ),
        "wait_cdf": lambda: figures.wait_cdf(
            reached[["channel", "segment", "wait_s"]], thresholds, colours, segments or None
        ),
        "staffing": lambda: figures.staffing(run.intervals, step, n, colours, run.target),
        "occupancy": lambda: figures.occupancy(group_occupancy(run), step, n, agents),
        "events": lambda: figures.events(run.intervals, step, n, colours),
        "alerts": lambda: figures.alerts(
            alert_raised(run),
            _alert_labels(run),
            workforce_activity(run),
            step,
            n,
            run.replications,
            _activity_labels(run),
        ),
    }
    out_dir = run.run_dir / "figures"
    out_dir.mkdir(exist_ok=True)
    paths = {}
    names = FIGURE_NAMES + ((EVENT_FIGURE,) if _has_events(run) else ())
    names += (ALERT_FIGURE,) if _has_alerts(run) else ()
    for name in names:
        fig = builders[name]()
        path = out_dir / f"{name}.png"
        partial = out_dir / f".{name}.png.part"  # never a half-written figure under its name
        fig.savefig(partial, format="png", dpi=figures.DPI, metadata={"Software": None})
        os.replace(partial, path)
        paths[name] = path
    return paths


def _alert_labels(run: Run) -> dict[str, str]:
    """Legend text per alert rule: its name and how often it was raised a day (from the
    summary), then when it is raised."""
    rules = (run.summary.get("workforce") or {}).get("alerts") or {}
    days = _days(run)
    labels = {}
    for rule, condition in alert_conditions(run).items():
        label = rule
        times = ((rules.get(rule) or {}).get("raised") or {}).get("mean")
        if isinstance(times, int | float):
            label += f": raised {_number(times / days)}× a day"
        labels[rule] = f"{label}\nwhen {condition}" if condition else label
    return labels


def _activity_labels(run: Run) -> dict[str, str]:
    """Legend text of the call-ins and moves, naming the pools and queues the config gives."""
    monitor = ((run.config.get("workforce") or {}).get("monitor")) or {}
    out = {}
    pools = list(monitor.get("on_call") or {})
    if pools:
        out["call_ins"] = f"on-call agents arriving\n({', '.join(pools)}; per interval)"
    moves = [m for m in monitor.get("moves") or [] if isinstance(m, dict)]
    if moves:
        what = ", ".join(f"{m.get('from')} → {m.get('to')}" for m in moves)
        out["moved"] = f"agents moved ({what};\nmean number at a time)"
    return out


def _days(run: Run) -> float:
    """Simulated days per replication, for figures per day: 1 for a horizon up to 24 h."""
    return run.horizon_s / 86400 if run.horizon_s > 86400 else 1.0


def _has_events(run: Run) -> bool:
    columns = [
        c
        for c in ("blocked", "balked", "callbacks_accepted", "retrials", "transfers")
        if c in run.intervals
    ]
    return bool(columns) and bool(run.intervals[columns].gt(0).any().any())


def _captions(run: Run) -> dict[str, tuple[str, str]]:
    """(title, how to read it) per figure."""
    minutes = f"{run.interval_s / 60:g}-minute"
    reps = run.replications
    target = f"{run.target:.0%}"
    return {
        "service_level": (
            "Service level per interval",
            f"One line per queue, coloured by channel, plotted at the middle of each {minutes} "
            f"interval; the shaded band is the 95% confidence interval over the {reps} "
            f"replications (clipped to 0-100%). Triangles mark intervals whose mean is below the "
            f"{target} target (dashed line). Contacts count in the interval they arrived in; "
            "intervals with no contacts are left out, so lines break while a channel is closed. "
            "A band that straddles the target means the replications disagree: more "
            "replications would settle it."
            + (
                " Dotted, with dots: the replayed log's own service level (one day as it happened)."
                if run.summary.get("log")
                else ""
            ),
        ),
        "volumes": (
            "Contacts per interval",
            "Mean contacts per interval over the replications, by arrival interval, one panel per "
            "channel (its queues summed; each panel has its own scale). Offered counts every "
            "attempt (retries too); contained ended at the IVR or bot; the gap between offered "
            "and answered plus contained is the abandoned, blocked (busy signal: every line "
            "taken), balked, failed-callback and unserved contacts (those shown when there are "
            "any).",
        ),
        "queue": (
            "Queue length and longest wait",
            "Left: the number of contacts waiting in queue, averaged over each interval and over "
            "the replications (1.5 means one or two contacts were waiting on average). Right: the "
            "longest wait among contacts that arrived in the interval (each replication's maximum, "
            "averaged); the scale turns logarithmic when waits span orders of magnitude, and a "
            "dashed line marks a channel's threshold when it is within range. The queue is shown "
            "up to the end of the horizon; contacts still waiting after it are not drawn.",
        ),
        "wait_cdf": (
            "How long contacts waited",
            "Read a point (x, y) as: a share y of contacts waited x or less. The curve's height "
            "at 0 is the share answered (or served) at once; where a channel's curve crosses its "
            "dashed threshold line is the share within threshold (abandoners count with the time "
            "they waited, so this is close to, not exactly, the service level). Contacts of all "
            "replications are pooled. When waits span seconds to hours the axis is symlog: linear "
            "below 1 s, logarithmic above.",
        ),
        "staffing": (
            "Staffing gap",
            "Solid: agents scheduled with the queue's skill (planned shifts less planned breaks, "
            "averaged over the interval); multi-skilled agents count in every queue they serve, "
            "so panels do not add up to the head count. Dashed and dotted: the fewest agents "
            f"Erlang C (no abandonment) and Erlang A (with abandonment) need for {target} of the "
            "forecast volume within threshold. Light red: fewer scheduled than Erlang C; dark "
            "red: fewer than Erlang A too. Erlang assumes a dedicated team in steady state, so it "
            "is a guide only for shared agents and backlog queues such as email.",
        ),
        "events": (
            "Busy signals, balks, callbacks, retries and transfers",
            "Per interval and channel, mean over the replications: callers blocked by a busy "
            "signal (every line of the channel taken), callers who balked at the announced wait, "
            "callers who took a callback instead of waiting, retries (a customer who abandoned, "
            "balked or was blocked, trying again; counted where the retry arrives) and transfer "
            "legs (second agents after a transfer or a misroute; counted in the queue they join). "
            "Shown only when any happened.",
        ),
        "alerts": (
            "Alerts over the day",
            f"Top: for each alert rule, the share of the {reps} replications in which it was "
            f"raised, averaged over each {minutes} interval (100%: raised throughout the "
            "interval in every replication; 25%: for instance raised a quarter of the time, or "
            "in a quarter of the replications). The legend gives how often each rule was raised "
            "a day and its condition; a rarely raised rule can stay near 0 all day. Bottom, "
            "when there were any: on-call agents arriving per interval (bars; counted when they "
            "logged in, which is later than the alert that called them) and agents moved onto "
            "another queue (line: the mean number at a time), each a mean over the "
            "replications. Shown only when an alert was raised.",
        ),
        "occupancy": (
            "Occupancy by agent group",
            "Each cell is the share of available time (logged in, not on break) the group's "
            "agents spent handling or wrapping up contacts in that interval, averaged over the "
            "replications; the number after the group's name is its head count. Blank: nobody of "
            "the group was logged in. Sustained values above about 85-90% wear agents out and "
            "let queues grow; low values are idle capacity. Busy time counts when it happens, so "
            "an agent finishing a contact after shift end can show a short 100% sliver.",
        ),
    }


# --- formatting ----------------------------------------------------------------------------------


def _duration_unit(seconds: float) -> tuple[str, float]:
    if not math.isfinite(seconds) or abs(seconds) < 600:
        return "s", 1.0
    if abs(seconds) < 3 * 3600:
        return "min", 60.0
    return "h", 3600.0


def _number(x: float, unit: str = "") -> str:
    if x is None or not math.isfinite(x):
        return "–"
    if abs(x) < 0.05:
        x = 0.0  # no "-0.0"
    text = f"{x:,.0f}" if abs(x) >= 100 or x == round(x) else f"{x:.1f}"
    return f"{text}{unit}"


def format_value(kind: str, value: float | None, unit_of: float | None = None) -> str:
    """A value as the report shows it: kind is count, percent, duration or hours."""
    if value is None or not math.isfinite(value):
        return "–"
    if kind == "percent":
        return f"{value * 100 if abs(value) >= 5e-4 else 0.0:.1f}%"
    if kind == "duration":
        unit, scale = _duration_unit(value if unit_of is None else unit_of)
        return _number(value / scale, f" {unit}")
    if kind == "hours":
        return _number(value, " h")
    return _number(value)


def _ci_text(kind: str, figure: dict) -> str:
    low, high = (figure.get("ci95") or [None, None])[:2]
    if low is None or high is None:
        return ""
    mean = figure.get("mean")
    if kind == "percent":
        return f"[{_number(low * 100)}, {_number(high * 100)}]"
    if kind == "duration":
        unit, scale = _duration_unit(mean if mean is not None else high)
        return f"[{_number(low / scale)}, {_number(high / scale)}]"
    return f"[{_number(low)}, {_number(high)}]"


def _figure_cell(kind: str, figure: dict | None) -> str:
    if not figure or figure.get("mean") is None:
        return '<td class="num na">–</td>'
    mean = format_value(kind, figure["mean"])
    ci = _ci_text(kind, figure)
    ci_html = f'<span class="ci" title="95% confidence interval">{html.escape(ci)}</span>'
    return f'<td class="num">{html.escape(mean)}{ci_html if ci else ""}</td>'


def _esc(value: object) -> str:
    return html.escape(str(value))


# --- the page ------------------------------------------------------------------------------------


def _scenario_meta(run: Run) -> dict[str, str]:
    scenario = run.config.get("scenario") or {}
    roster = run.config.get("roster") or {}
    return {
        "name": str(run.summary.get("scenario") or scenario.get("name") or run.name),
        "description": str(run.summary.get("description") or scenario.get("description") or ""),
        "roster": str(roster.get("name") or ""),
        "roster_description": str(roster.get("description") or ""),
    }


def _headline(run: Run) -> str:
    kpis = run.summary.get("kpis", {})
    overall = kpis.get("all", {})
    channels = [(c, kpis.get(f"channel={c}", {})) for c in run.channels]
    target = run.target

    def mean(fig: dict, metric: str) -> float | None:
        return (fig.get(metric) or {}).get("mean")

    sl = overall.get("service_level") or {}
    sl_mean = sl.get("mean")
    low, high = (sl.get("ci95") or [None, None])[:2]
    if sl_mean is None:
        verdict, tone = "no contact reached a queue", ""
    elif sl_mean >= target:
        if low is None or low >= target:
            verdict, tone = "met", "good"
        else:
            verdict, tone = "met on average, but the CI reaches below it", "warn"
    else:
        if high is not None and high < target:
            verdict, tone = "missed (the whole CI is below it)", "bad"
        else:
            verdict, tone = "missed on average; the CI reaches it", "bad"

    def per_channel(metric: str, kind: str, extra: Callable[[str], str] | None = None) -> str:
        items = []
        for name, fig in channels:
            value = mean(fig, metric)
            if value is None:
                continue
            suffix = extra(name) if extra else ""
            items.append(f"<li><b>{_esc(name)}</b> {_esc(format_value(kind, value))}{suffix}</li>")
        return f'<ul class="split">{"".join(items)}</ul>' if items else ""

    def threshold(name: str) -> str:
        return f' <span class="muted">(≤ {_esc(_short_duration(run.thresholds[name]))})</span>'

    def card(label: str, metric: str, kind: str, note: str, split: str, tone_: str = "") -> str:
        fig = overall.get(metric) or {}
        value = format_value(kind, fig.get("mean"))
        ci = _ci_text(kind, fig)
        return (
            f'<div class="card {tone_}"><div class="label">{_esc(label)}</div>'
            f'<div class="big">{_esc(value)}</div>'
            f'<div class="muted">{_esc(note)}{" · 95% CI " + _esc(ci) if ci else ""}</div>'
            f"{split}</div>"
        )

    return (
        '<section class="headline">'
        + card(
            "Service level",
            "service_level",
            "percent",
            f"target {target:.0%}: {verdict}",
            per_channel("service_level", "percent", threshold),
            tone,
        )
        + card(
            "Abandonment",
            "abandon_rate",
            "percent",
            "of contacts that reached a queue",
            per_channel("abandon_rate", "percent"),
        )
        + card(
            "Average speed of answer",
            "asa_s",
            "duration",
            "mean wait of answered contacts",
            per_channel("asa_s", "duration"),
        )
        + card(
            "Occupancy",
            "occupancy",
            "percent",
            "busy / available, all agents",
            per_channel("occupancy", "percent"),
        )
        + "</section>"
    )


def _short_duration(seconds: float) -> str:
    from sim.figures import format_duration

    return format_duration(seconds)


def _journey_table(run: Run) -> str:
    """The journey columns any group has a non-zero figure for; empty if none."""
    kpis = run.summary.get("kpis", {})
    used = [
        c
        for c in JOURNEY_COLUMNS
        if c[0] != "customers" and any((g.get(c[0]) or {}).get("mean") for g in kpis.values())
    ]
    if not used:
        return ""
    if any(c[0] in ("retrials", "customer_service_level") for c in used):
        used += [c for c in JOURNEY_COLUMNS if c[0] in ("customers", "customer_service_level")]
    columns = [c for c in JOURNEY_COLUMNS if c in used]
    return _kpi_table(run, columns, ("all", "channel", "queue"))


def _kpi_table(run: Run, columns=None, kinds=None) -> str:
    kpis = run.summary.get("kpis", {})
    if kinds is not None:
        kpis = {g: f for g, f in kpis.items() if g.partition("=")[0] in kinds}
    if columns is None:
        columns = [c for c in KPI_COLUMNS if c[0] != "unserved"]
        if any((g.get("unserved") or {}).get("mean") for g in kpis.values()):
            columns = KPI_COLUMNS
    head = "".join(
        f'<th class="num" title="{_esc(note)}">{_esc(label)}</th>' for _, label, _, note in columns
    )
    sections = {"all": "Overall", "channel": "By channel", "queue": "By queue"}
    sections["segment"] = "By segment"
    body, current = [], None
    for group, figures in kpis.items():
        kind_of_group, _, value = group.partition("=")
        if kind_of_group != current:
            current = kind_of_group
            title = sections.get(kind_of_group, kind_of_group)
            body.append(
                f'<tr class="section"><th colspan="{len(columns) + 1}">{_esc(title)}</th></tr>'
            )
        label = "All contacts" if group == "all" else value
        if kind_of_group == "channel" and value in run.thresholds:
            label += f" (≤ {_short_duration(run.thresholds[value])})"
        cells = "".join(_figure_cell(kind, figures.get(metric)) for metric, _, kind, _ in columns)
        body.append(f'<tr data-group="{_esc(group)}"><th>{_esc(label)}</th>{cells}</tr>')
    return (
        '<table class="kpi"><thead><tr><th>Group</th>'
        + head
        + "</tr></thead><tbody>"
        + "".join(body)
        + "</tbody></table>"
    )


def _journey_section(run: Run) -> str:
    table = _journey_table(run)
    if not table:
        return ""
    return (
        '<h2>The customers\' journey</h2>\n<p class="muted">What happened besides waiting '
        "for an agent: contacts resolved by the IVR or bot, callers blocked by a busy signal "
        "(every line taken; block rate: of those offered), callers who balked at the announced "
        "wait or took a callback, retries by customers who gave up, and transfer legs. Offered "
        "counts attempts; customers counts people. Mean and 95% CI as above.</p>\n" + table
    )


def _agents_table(run: Run) -> str:
    groups = run.summary.get("agents") or {}
    if not groups:
        return '<p class="muted">No agent groups in the summary.</p>'
    # Cost columns when the roster gives rates (some group's planned cost is known).
    costed = any((f.get("planned_cost") or {}).get("mean") is not None for f in groups.values())
    rows = []
    for group, figures in groups.items():
        name = group.partition("=")[2] or group
        occupancy = figures.get("occupancy")
        if group == "all":
            name, occupancy = (
                "all groups",
                (run.summary.get("kpis") or {}).get("all", {}).get("occupancy"),
            )
        rows.append(
            f'<tr data-agent-group="{_esc(group)}"><th>{_esc(name)}</th>'
            f'<td class="num">{_esc(figures.get("agents", "–"))}</td>'
            + _figure_cell("percent", occupancy)
            + _figure_cell("hours", figures.get("logged_in_h"))
            + _figure_cell("hours", figures.get("overtime_h"))
            + (
                # the same every replication: its interval says nothing
                _figure_cell("count", {"mean": (figures.get("planned_cost") or {}).get("mean")})
                + _figure_cell("count", figures.get("cost"))
                if costed
                else ""
            )
            + "</tr>"
        )
    cost_heads = (
        '<th class="num" title="planned paid hours x the group\'s rate">Planned cost</th>'
        '<th class="num" title="logged-in hours x rate, plus overtime hours x rate x '
        '(overtime multiplier - 1)">Cost</th>'
        if costed
        else ""
    )
    return (
        '<table class="agents"><thead><tr><th>Agent group</th><th class="num">Agents</th>'
        '<th class="num" title="busy / logged-in time less breaks">Occupancy</th>'
        '<th class="num" title="sum over the group\'s agents, per replication">Logged-in hours</th>'
        '<th class="num" title="time past planned shift ends, summed over the group">'
        f"Overtime hours</th>{cost_heads}</tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )


def _cost_note(run: Run) -> str:
    groups = (run.summary.get("agents") or {}).values()
    if not any((f.get("planned_cost") or {}).get("mean") is not None for f in groups):
        return ""
    return (
        "Costs at the roster's rates per paid hour: planned cost = planned paid hours x rate;"
        " cost = logged-in hours x rate plus overtime hours x rate x (multiplier - 1). A group"
        " without a rate shows –, and so does the total."
    )


def _workforce_section(run: Run) -> str:
    """ "Workforce on the day": planned against realised hours per agent group, and how often
    and how long each alert rule was raised. Empty for a run without a workforce."""
    workforce = run.summary.get("workforce")
    if not workforce:
        return ""
    parts = ["\n<h2>Workforce on the day</h2>\n"]
    groups = workforce.get("groups") or {}
    if groups:
        parts.append(
            '<p class="muted">How much of the roster really showed up, per agent group and '
            "replication (mean and 95% CI). Shrinkage is 1 - realised / planned paid hours: the "
            "share of the planned hours nobody was logged in for (absent shifts, late log-ins), "
            "below zero when overtime outweighs it; on-call agents have no planned hours, so "
            "their realised hours are all extra."
            f"{_workforce_totals(groups)}</p>\n" + _workforce_table(groups)
        )
    rules = workforce.get("alerts") or {}
    if rules:
        period = ((run.config.get("workforce") or {}).get("monitor") or {}).get("period_s")
        every = f" (every {_short_duration(period)})" if isinstance(period, int | float) else ""
        figure = (
            ' <a href="#fig-alerts">The alerts figure</a> shows when in the day.'
            if _has_alerts(run)
            else ""
        )
        parts.append(
            '<p class="muted">How often the live alarms fired. A rule is <b>raised</b> when a '
            f"check of the monitor{_esc(every)} finds its measure past the threshold, and stays "
            "raised until a check finds it back; times raised counts those crossings and hours "
            "raised the time from each to its clearing, per simulated day (mean and 95% CI over "
            f"the replications).{figure}</p>\n" + _alerts_table(run, rules)
        )
    return "".join(parts)


def _workforce_totals(groups: dict) -> str:
    """One sentence: the rostered groups' realised against planned hours, and on-call hours."""

    def mean(figures: dict, key: str) -> float:
        value = (figures.get(key) or {}).get("mean")
        return float(value) if isinstance(value, int | float) else math.nan

    rostered = [f for f in groups.values() if (f.get("planned_h") or 0) > 0]
    planned = sum(float(f["planned_h"]) for f in rostered)
    realised = sum(mean(f, "realised_h") for f in rostered)
    extra = sum(mean(f, "realised_h") for f in groups.values() if not f.get("planned_h"))
    if not rostered or not math.isfinite(realised):
        return ""
    text = (
        f" Together the rostered groups were logged in for {format_value('hours', realised)} "
        f"of {format_value('hours', planned)} planned (shrinkage "
        f"{format_value('percent', 1 - realised / planned)})"
    )
    if math.isfinite(extra) and extra > 0:
        text += f"; on-call agents added {format_value('hours', extra)}"
    return _esc(text + ".")


def _workforce_table(groups: dict) -> str:
    rows = []
    # rostered groups first, then the on-call pools (no planned hours)
    for group, figures in sorted(groups.items(), key=lambda item: not item[1].get("planned_h")):
        name = _esc(group.partition("=")[2] or group)
        planned = figures.get("planned_h")
        called = (figures.get("call_ins") or {}).get("mean")
        if not planned and called and "call" not in name.lower():
            name += ' <span class="muted">(on call)</span>'
        rows.append(
            f'<tr data-workforce-group="{_esc(group)}"><th>{name}</th>'
            f'<td class="num">{_esc(format_value("hours", planned))}</td>'
            + _hours_cell(figures.get("realised_h"))
            + _figure_cell("percent", figures.get("shrinkage"))
            + _figure_cell("count", figures.get("absent_shifts"))
            + _hours_cell(figures.get("late_h"))
            + _figure_cell("count", figures.get("call_ins"))
            + _hours_cell(figures.get("moved_h"))
            + "</tr>"
        )
    return (
        '<table class="agents workforce"><thead><tr><th>Agent group</th>'
        '<th class="num" title="paid hours in the roster">Planned hours</th>'
        '<th class="num" title="logged-in hours, summed over the group\'s agents">'
        "Realised hours</th>"
        '<th class="num" title="1 - realised / planned hours">Shrinkage</th>'
        '<th class="num" title="planned shifts not worked at all">Absent shifts</th>'
        '<th class="num" title="planned start to log-in, summed">Late hours</th>'
        '<th class="num" title="on-call agents of the group called in">Call-ins</th>'
        '<th class="num" title="hours the group\'s agents spent moved onto another queue">'
        "Moved hours</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )


def _alerts_table(run: Run, rules: dict) -> str:
    # summary.json counts per replication (the whole horizon); the table gives per day.
    days = _days(run)
    conditions, actions = alert_conditions(run), alert_actions(run)
    any_action = any(actions.get(rule) for rule in rules)
    rows = []
    for rule, figures in rules.items():
        rows.append(
            f'<tr data-alert="{_esc(rule)}"><th>{_esc(rule)}</th>'
            f"<td>{_esc(conditions.get(rule) or '–')}</td>"
            + (f"<td>{_esc(actions.get(rule) or '–')}</td>" if any_action else "")
            + _figure_cell("count", _per_day(figures.get("raised"), days))
            + _hours_cell(_per_day(figures.get("raised_h"), days))
            + "</tr>"
        )
    return (
        '<table class="agents alerts"><thead><tr><th>Alert rule</th><th>Raised when</th>'
        + ("<th>Sets off</th>" if any_action else "")
        + '<th class="num" title="crossings from cleared to raised">Times raised per day</th>'
        '<th class="num" title="time from each raise to its clearing">Hours raised per day</th>'
        "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )


def _hours_cell(figure: dict | None) -> str:
    """A figure in hours; one under 0.1 h (but not 0) in seconds or minutes instead, so a
    brief spell does not read as "0 h"."""
    mean = (figure or {}).get("mean")
    if not isinstance(mean, int | float) or mean == 0 or abs(mean) >= 0.1:
        return _figure_cell("hours", figure)
    bounds = (figure or {}).get("ci95") or []
    ci = [round(x * 3600, 6) if isinstance(x, int | float) else x for x in bounds]
    return _figure_cell("duration", {"mean": round(mean * 3600, 6), "ci95": ci})


def _per_day(figure: dict | None, days: float) -> dict | None:
    """A per-replication figure ({mean, ci95}) divided by the days the replication spans."""
    if not figure or days == 1.0:
        return figure

    def scaled(x: object) -> object:
        return x / days if isinstance(x, int | float) else x

    return {
        "mean": scaled(figure.get("mean")),
        "ci95": [scaled(x) for x in figure.get("ci95") or []],
    }


def _failing_section(run: Run, limit: int = 20) -> str:
    spans = failing_spans(run)
    target = f"{run.target:.0%}"
    if not spans:
        return (
            f'<p class="good-text">No interval has a mean service level below the {target} '
            "target.</p>"
        )
    rows = []
    shown = sorted(spans, key=lambda s: s["worst_sl"])[:limit]
    shown.sort(key=lambda s: spans.index(s))
    for s in shown:
        ci = (
            f"[{s['worst_lo'] * 100:.0f}, {s['worst_hi'] * 100:.0f}]"
            if math.isfinite(s["worst_lo"])
            else ""
        )
        staff = "–"
        if math.isfinite(s["scheduled"]) and math.isfinite(s["erlang_c"]):
            staff = f"{s['scheduled']:.1f} vs {s['erlang_c']:.0f} / {s['erlang_a']:.0f}"
        queue = s["channel"] if s["channel"] == s["queue"] else f"{s['channel']}: {s['queue']}"
        rows.append(
            "<tr>"
            f"<th>{_esc(queue)}</th>"
            f"<td>{_esc(s['from'])}–{_esc(s['to'])}</td>"
            f'<td class="num">{s["intervals"]}</td>'
            f'<td class="num">{s["worst_sl"] * 100:.1f}% <span class="ci">{_esc(ci)}</span> '
            f'<span class="muted">at {_esc(s["worst_at"])}</span></td>'
            f'<td class="num">{"–" if s["clearly"] is None else s["clearly"]}</td>'
            f'<td class="num">{_esc(staff)}</td>'
            "</tr>"
        )
    more = len(spans) - len(shown)
    note = (
        f'<p class="muted">{more} more (milder) spans are not listed; intervals.csv has them all.'
        "</p>"
        if more > 0
        else ""
    )
    count = sum(s["intervals"] for s in spans)
    return (
        f"<p>{count} queue-intervals have a mean service level below the {target} target, in "
        f"{len(spans)} spans of consecutive intervals. “Clearly below” counts the intervals "
        "whose whole 95% CI is below target; the others may be noise.</p>"
        '<table class="failing"><thead><tr><th>Queue</th><th>Time</th>'
        '<th class="num">Intervals</th><th class="num">Lowest service level [95% CI]</th>'
        '<th class="num">Clearly below</th>'
        '<th class="num" title="at the lowest interval: agents scheduled vs Erlang C / Erlang A '
        'required">Scheduled vs Erlang C / A</th></tr></thead><tbody>'
        + "".join(rows)
        + "</tbody></table>"
        + note
    )


CSS = """
:root { --ink: #1f2328; --muted: #656d76; --line: #d8dee4; --soft: #f6f8fa;
        --good: #1a7f37; --warn: #9a6700; --bad: #cf222e; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff;
       font: 15px/1.5 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1240px; margin: 0 auto; padding: 28px 32px 60px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
p { margin: 6px 0 10px; }
.lead { font-size: 16px; color: var(--muted); margin: 0 0 12px; }
.meta { display: flex; flex-wrap: wrap; gap: 6px 22px; margin: 0; padding: 10px 14px;
        background: var(--soft); border: 1px solid var(--line); border-radius: 6px; font-size: 14px; }
.meta div span { color: var(--muted); }
.muted { color: var(--muted); font-size: 13px; }
.headline { display: grid; grid-template-columns: repeat(4, 1fr); gap: 14px; margin-top: 18px; }
.card { border: 1px solid var(--line); border-top: 4px solid #8c959f; border-radius: 6px;
        padding: 12px 14px; }
.card.good { border-top-color: var(--good); } .card.warn { border-top-color: var(--warn); }
.card.bad { border-top-color: var(--bad); }
.card .label { font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
.card .big { font-size: 30px; font-weight: 600; line-height: 1.2; margin: 2px 0; }
.card.good .big { color: var(--good); } .card.warn .big { color: var(--warn); }
.card.bad .big { color: var(--bad); }
ul.split { list-style: none; padding: 6px 0 0; margin: 6px 0 0; border-top: 1px dashed var(--line);
           font-size: 13.5px; }
ul.split li { display: flex; justify-content: space-between; gap: 8px; }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; font-variant-numeric: tabular-nums; }
th, td { padding: 5px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
thead th { background: var(--soft); font-weight: 600; border-bottom: 2px solid var(--line);
           position: sticky; top: 0; }
th[title] { cursor: help; }
tbody th { font-weight: 500; white-space: nowrap; }
.num { text-align: right; white-space: nowrap; }
td.num .ci { display: block; color: var(--muted); font-size: 11.5px; }
.failing td.num .ci { display: inline; }
tr.section th { background: #fff; color: var(--muted); font-size: 12px; text-transform: uppercase;
                letter-spacing: .05em; padding-top: 12px; }
tbody tr:not(.section):hover { background: #fafbfc; }
.agents { width: auto; min-width: 640px; }
.labour td:nth-child(-n+4) { white-space: nowrap; }
.good-text { color: var(--good); }
figure { margin: 26px 0 0; }
figure img { width: 100%; max-width: 1100px; height: auto; display: block;
             border: 1px solid var(--line); border-radius: 4px; }
figcaption { max-width: 1100px; margin-top: 6px; font-size: 14px; color: #3d444d; }
figcaption b { color: var(--ink); }
footer { margin-top: 40px; font-size: 12.5px; color: var(--muted); }
code { background: var(--soft); padding: 1px 4px; border-radius: 3px; font-size: 90%; }
@media print { figure { break-inside: avoid; } thead th { position: static; } }
"""


def build_html(run: Run, figure_paths: dict[str, Path]) -> str:
    meta = _scenario_meta(run)
    summary = run.summary
    sl = summary.get("service_level", {})
    thresholds = ", ".join(f"{c} {_short_duration(t)}" for c, t in run.thresholds.items())
    horizon_h = run.horizon_s / 3600
    facts = [
        ("Seed", summary.get("seed", "–")),
        ("Replications", summary.get("replications", "–")),
        ("Routing", summary.get("routing", "–")),
        (
            "Roster",
            meta["roster"]
            + (f" ({meta['roster_description']})" if meta["roster_description"] else ""),
        ),
        (
            "Horizon",
            f"{horizon_h:g} h in {run.n_intervals} × {run.interval_s / 60:g}-min intervals",
        ),
        ("Service-level target", f"{run.target:.0%}"),
        ("Thresholds", thresholds),
    ]
    if sl.get("short_abandon_s"):
        facts.append(("Short abandons excluded", f"< {sl['short_abandon_s']:g} s"))
    facts_html = "".join(
        f"<div><span>{_esc(k)}:</span> {_esc(v)}</div>" for k, v in facts if v not in ("", None)
    )
    captions = _captions(run)
    figures_html = []
    for number, (name, path) in enumerate(figure_paths.items(), start=1):
        title, text = captions[name]
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        figures_html.append(
            f'<figure id="fig-{name}"><img src="data:image/png;base64,{data}" '
            f'alt="{_esc(title)}" data-figure="{_esc(name)}">'
            f"<figcaption><b>Figure {number}. {_esc(title)}.</b> {_esc(text)} "
            f'<span class="muted">(figures/{_esc(path.name)})</span></figcaption></figure>'
        )
    definition = sl.get("definition", "")
    reps = run.replications
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ccsim run report: {_esc(meta["name"])}</title>
<style>{CSS}</style>
</head>
<body>
<main>
<h1>{_esc(meta["name"])}</h1>
<p class="lead">{_esc(meta["description"] or "ccsim run report")}</p>
<div class="meta">{facts_html}</div>

{_headline(run)}

<h2>Key figures</h2>
<p class="muted">Mean over {reps} replication{"s" if reps != 1 else ""}, with the 95% confidence interval below each value
(Student t over replications; none with a single replication). Service level: {_esc(definition)}.
The overall service level mixes channels with different thresholds; read it per channel.
Occupancy is null for segments, which have no agents of their own.</p>
{_kpi_table(run)}
{_journey_section(run)}{replay.report_section(run.summary)}

<h2>Agent groups</h2>
<p class="muted">Per agent group: occupancy (busy / logged-in time less breaks), hours logged in
and overtime past planned shift ends, each summed over the group's agents per replication.
{_cost_note(run)}</p>
{_agents_table(run)}
{_workforce_section(run)}{labour.report_section(run.summary)}

<h2>Intervals below the service-level target</h2>
{_failing_section(run)}

<h2>Figures</h2>
<p class="muted">Times are clock times from 00:00 of the first day{"; hours past 24 are later days" if horizon_h > 24 else ""}.
Each channel keeps its colour in every figure. The figures are also saved as PNG files in
<code>figures/</code> beside this page.</p>
{"".join(figures_html)}

<footer>Generated by ccsim (<code>sim.report</code>; rebuild with
<code>python -m sim.report RUN_DIR</code>) from the files of run
<code>{_esc(run.name)}</code> (summary.json, intervals.csv, contacts.parquet,
agents.parquet{", alerts.csv" if run.alerts is not None else ""}).</footer>
</main>
</body>
</html>
"""


def render_run_report(
    run_dir: Path, summary: dict | None = None, files: Path | None = None
) -> Path:
    """Write run_dir/figures/*.png and run_dir/report.html from the run's saved files; returns
    the path of report.html. `summary` replaces reading summary.json (the app writes that last).
    `files`: the directory holding the run's files, read and written there (the app's staging
    directory inside run_dir), while run_dir still names the run and holds .hydra/config.yaml.
    Each file is written to a temporary name and renamed, so none is ever seen half-written.
    Raises RunDirError when the directory lacks the files."""
    run_dir = Path(run_dir)
    run = load_run(run_dir if files is None else Path(files), summary)
    if files is not None:
        run.config = _read_config(run_dir)
        run.interval_s = _interval_seconds(run.intervals, run.config)
        run.label = run_dir.name
    paths = render_figures(run)
    page = build_html(run, paths)
    out = run.run_dir / "report.html"
    partial = run.run_dir / ".report.html.part"
    partial.write_text(page, encoding="utf-8")
    os.replace(partial, out)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sim.report",
        description="(Re)build report.html and figures/ of an existing ccsim run directory.",
    )
    parser.add_argument("run_dir", type=Path, help="a run directory written by python -m sim")
    args = parser.parse_args(argv)
    try:
        path = render_run_report(args.run_dir)
    except RunDirError as err:
        print(f"ccsim: error: {err}", file=sys.stderr)
        return 2
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
