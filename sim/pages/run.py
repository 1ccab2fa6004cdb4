"""The run report: one self-contained HTML page built from a run directory's saved files alone.

`render_run_report(run_dir)` reads `intervals.csv`, `contacts.parquet`, `agents.parquet`,
`summary.json` (or the summary passed in, since the app writes summary.json last) and, when
present, `alerts.csv` and `.hydra/config.yaml`; it writes the figures to `run_dir/figures/<name>.png` and
`run_dir/report.html`, a single page with the figures embedded as data URIs, so it opens from
disk and can be forwarded as one file. No simulation, no model object.

    python -m sim.report RUN_DIR      # (re)build the report of an existing run; prints its path

The figures themselves are in `sim.pages.figures`; this module derives the tables they need (queue
length, longest wait, occupancy by agent group and interval) with the helpers of `sim.analysis.metrics`.
"""

from __future__ import annotations

import base64
import html
import math
import os
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, cast

import numpy as np
import pandas as pd

from sim.analysis import verdict
from sim.analysis.metrics import (
    backlog_of,
    busy_and_available,
    occupancy,
    queued,
    time_in_bins,
    waiting_spans,
)
from sim.clock import parse_clock
from sim.model import ALERT_MEASURES
from sim.pages import labour, log
from sim.rundir.read import Run, interval_seconds_of, load_run, read_config

if TYPE_CHECKING:  # matplotlib is imported only when figures are drawn
    from matplotlib.figure import Figure

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


# --- loading --------------------------------------------------------------------------------------


# --- derived tables -----------------------------------------------------------------------------


def mean_waiting(run: Run) -> pd.DataFrame:
    """Time-average number of contacts waiting per interval (rows) and channel (columns), mean
    over replications. Each contact that reached a queue (`sim.analysis.metrics.queued`, transfer legs
    too: they wait in the queue) waited from joining it (after the IVR or bot) for its wait
    (`sim.analysis.metrics.waiting_spans`)."""
    reached = queued(run.contacts)
    out = {}
    for channel in run.channels:
        mine = reached[reached["channel"].eq(channel)]
        per_rep = np.zeros((run.replications, run.n_intervals))
        for key, group in mine.groupby("replication"):
            rep = cast(int, key)  # replication numbers are whole
            if 0 <= rep < run.replications:
                per_rep[rep] = time_in_bins(*waiting_spans(group), run.edges)
        out[channel] = per_rep.mean(axis=0) / run.interval_s
    return pd.DataFrame(out, index=pd.RangeIndex(run.n_intervals, name="interval"))


def longest_wait(run: Run) -> pd.DataFrame:
    """Longest wait of the contacts that arrived in each interval (rows) per channel (columns):
    the maximum per replication, averaged over the replications that had any."""
    reached = queued(run.contacts)
    per_rep = reached.groupby(["channel", "interval", "replication"])["wait_s"].max()
    table = per_rep.groupby(["channel", "interval"]).mean().unstack("channel")
    columns = [c for c in run.channels if c in table.columns]
    return table.reindex(index=range(run.n_intervals), columns=columns)


def group_occupancy(run: Run) -> pd.DataFrame:
    """Occupancy per agent group (rows) and interval (columns): busy / available per replication,
    averaged over the replications in which anyone of the group was available."""
    rows = {}
    # Only the rows and columns busy_and_available reads, cut once: filtering the whole
    # tables again per group and replication was most of this figure's time.
    columns = ["replication", "outcome", "agent", "answer_s", "handle_s", "wrapup_s"]
    columns += ["agent_share"] if "agent_share" in run.contacts else []
    # (strings as categories: taking rows of a category column is taking integer codes)
    worked = run.contacts["outcome"].isin(["answered", "callback_failed"])
    contacts = run.contacts.loc[worked, columns].astype(
        {"outcome": "category", "agent": "category"}
    )
    spans = run.agents.loc[
        run.agents["kind"].isin(["shift", "break"]),
        ["replication", "agent", "kind", "start_s", "end_s"],
    ].astype({"agent": "category", "kind": "category"})
    for group in sorted(run.agents["group"].unique()):
        names = set(run.agents.loc[run.agents["group"].eq(group), "agent"])
        busy, available = busy_and_available(contacts, spans, names, run.edges, run.replications)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns: nobody on
            rows[group] = np.nanmean(occupancy(busy, available), axis=0)
    return pd.DataFrame.from_dict(rows, orient="index", columns=range(run.n_intervals))


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


_MEASURES = ALERT_MEASURES  # (sim.model: the alert measures and their labels)


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
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from sim.pages import figures

    colours = figures.channel_colours(run.channels)
    thresholds = run.thresholds
    n, step = run.n_intervals, run.interval_s
    reached = queued(run.contacts)
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
        "staffing": lambda: figures.staffing(
            run.intervals, step, n, colours, run.target, *channel_hours(run)
        ),
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
            alert_channels(run),
            colours,
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
        # Straight onto an Agg canvas: one drawing pass (the figures' layout is fixed, so no
        # layout pass), and PNG compression level 3 (of 9): a fifth of the default's encoding
        # time for files a few percent larger.
        FigureCanvasAgg(fig).print_png(
            partial, metadata={"Software": None}, pil_kwargs={"compress_level": 3}
        )
        os.replace(partial, path)
        paths[name] = path
    return paths


def channel_hours(run: Run) -> tuple[set[str], dict[str, np.ndarray]]:
    """The deferrable channels, and per channel whether it is open in each interval (its
    `open`-`close` hours, every day of the horizon), from the run's config; a channel the
    config does not describe counts as always open, and as deferrable when summary.json
    judges a backlog of it (a run written without its config)."""
    channels = ((run.config.get("scenario") or {}).get("channels")) or {}
    starts = np.arange(run.n_intervals) * run.interval_s % 86400
    backlogs = run.summary.get("backlog") or {}
    deferrable = {g.removeprefix("channel=") for g in backlogs if g.startswith("channel=")}
    hours: dict[str, np.ndarray] = {}
    for name, body in channels.items() if isinstance(channels, dict) else ():
        if not isinstance(body, dict):
            continue
        if body.get("deferrable") is True:
            deferrable.add(str(name))
        try:
            open_s = parse_clock(body.get("open", "00:00"), numbers=False)
            close_s = parse_clock(body.get("close", "24:00"), numbers=False)
        except (TypeError, ValueError):
            continue
        hours[str(name)] = (starts >= open_s - 1e-9) & (starts + run.interval_s <= close_s + 1e-9)
    return deferrable, hours


def alert_channels(run: Run) -> dict[str, str]:
    """Per alert rule, the channel it watches (its `channel`, or the channel of its `queue`)."""
    monitor = ((run.config.get("workforce") or {}).get("monitor")) or {}
    defined = monitor.get("alerts") or {}
    queue_channel = dict(zip(run.intervals["queue"], run.intervals["channel"], strict=True))
    out = {}
    for rule in alert_rules(run):
        body = defined.get(rule) if isinstance(defined, dict) else None
        if not isinstance(body, dict):
            continue
        if body.get("channel"):
            out[rule] = str(body["channel"])
        elif body.get("queue") in queue_channel:
            out[rule] = str(queue_channel[body["queue"]])
    return out


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
            f"One line per queue, coloured by channel (a channel's queues told apart by line "
            f"style), plotted at the middle of each {minutes} interval; past 24 hours each "
            f"channel has its own row. The shaded band is the 95% confidence interval over the {reps} "
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
            "channel (its queues summed; each panel has its own scale; past 24 hours one row "
            "each). Offered counts every "
            "attempt (retries too); contained ended at the IVR or bot; the gap between offered "
            "and answered plus contained is the abandoned, blocked (busy signal: every line "
            "taken), balked, failed-callback and unserved contacts (those shown when there are "
            "any).",
        ),
        "queue": (
            "Queue length and longest wait",
            "Channels whose queues are on scales more than ten times apart (an email backlog "
            "beside a phone queue) are drawn in separate rows, each with its own axis. Queue "
            "length: the number of contacts waiting in queue (from joining it, after the IVR or bot, as "
            "the waits count), averaged over each interval and over the "
            "replications (1.5 means one or two contacts were waiting on average). Longest wait: "
            "the longest wait among contacts that arrived in the interval (each replication's "
            "maximum, averaged); the scale turns logarithmic when waits span orders of magnitude "
            "(then intervals where nobody waited are blank), and a dashed line marks a channel's "
            "threshold when it is within range. Up to 24 hours the two sit side by side; past "
            "24 hours each has a full-width row. The queue is shown up to the end of the "
            "horizon; contacts still waiting after it are not drawn.",
        ),
        "wait_cdf": (
            "How long contacts waited",
            "Read a point (x, y) as: a share y of the contacts that reached a queue waited x or "
            "less. The curve's height at 0 is the share answered at once (callers who balked at "
            "the announced wait count there too); where a channel's curve crosses its "
            "dashed threshold line is the share within threshold (abandoners count with the time "
            "they waited, so this is close to, not exactly, the service level). Contacts of all "
            "replications are pooled; segments (right) are not channels, so they share one dark "
            "colour, told apart by line style. When waits span seconds to hours the axis is "
            "symlog: linear below 1 s, logarithmic above.",
        ),
        "staffing": (
            "Staffing gap",
            "Solid: agents scheduled with the queue's skill (planned shifts less planned breaks, "
            "averaged over the interval); multi-skilled agents count in every queue they serve, "
            "so panels do not add up to the head count. Dashed and dotted: the fewest agents "
            f"Erlang C (no abandonment) and Erlang A (with abandonment) need for {target} of the "
            "forecast volume within threshold. Light red: fewer scheduled than Erlang C; dark "
            "red: fewer than Erlang A too; marked only for real-time queues in their opening "
            "hours. A deferrable channel (email) gets no shortfall: its backlog waits for free "
            "agents by design and is judged by its deadline (the service level and the wait "
            "distribution), so its Erlang lines are a guide to the load only. Erlang assumes a "
            "dedicated team in steady state, so it is a guide only for shared agents. Past 24 "
            "hours each queue has a full-width row.",
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
            f"Top: for each alert rule, in the colour of the channel it watches (rules on one "
            f"channel told apart by line style), the share of the {reps} replications in which it was "
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
    """The measures that are not the verdict, per channel: abandonment, ASA and occupancy (the
    ASA only per channel: waits of channels with different thresholds are never averaged)."""
    kpis = run.summary.get("kpis", {})
    overall = kpis.get("all", {})
    channels = [(c, kpis.get(f"channel={c}", {})) for c in run.channels]

    def per_channel(metric: str, kind: str) -> str:
        items = []
        for name, fig in channels:
            value = (fig.get(metric) or {}).get("mean")
            if value is not None:
                items.append(f"<li><b>{_esc(name)}</b> {_esc(format_value(kind, value))}</li>")
        return f'<ul class="split">{"".join(items)}</ul>' if items else ""

    def card(label: str, metric: str | None, kind: str, note: str, split: str) -> str:
        fig = (overall.get(metric) or {}) if metric else {}
        value = format_value(kind, fig.get("mean")) if metric else ""
        ci = _ci_text(kind, fig) if metric else ""
        big = f'<div class="big">{_esc(value)}</div>' if value else ""
        return (
            f'<div class="card"><div class="label">{_esc(label)}</div>{big}'
            f'<div class="muted">{_esc(note)}{" · 95% CI " + _esc(ci) if ci else ""}</div>'
            f"{split}</div>"
        )

    return (
        '<section class="headline three">'
        + card(
            "Abandonment",
            "abandon_rate",
            "percent",
            "of contacts that reached a queue",
            per_channel("abandon_rate", "percent"),
        )
        + card(
            "Average speed of answer",
            None,
            "duration",
            "mean wait of answered contacts, per channel",
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


def _staffing_result(run: Run) -> pd.DataFrame | None:
    """A staffing search's intervals_after.csv, when the run directory holds one (staffing.json
    beside it)."""
    after = run.run_dir / "intervals_after.csv"
    if not (run.run_dir / "staffing.json").is_file() or not after.is_file():
        return None
    try:
        return pd.read_csv(after)
    except (OSError, ValueError):
        return None


def run_verdicts(run: Run) -> list[verdict.ChannelVerdict]:
    summary = run.summary
    if "backlog" not in summary:  # a run from before summary.json had it: work it out
        deferrable = _deferrable_channels(run)
        if deferrable:
            backlog = backlog_of(run.contacts, deferrable, run.replications, run.horizon_s)
            summary = {**summary, "backlog": backlog}
    return verdict.judge(summary, run.intervals, run.interval_s, _staffing_result(run))


def _deferrable_channels(run: Run) -> dict[str, list[str]]:
    """The deferrable channels (`deferrable: true` in the run's config) and their queues."""
    deferrable, _ = channel_hours(run)
    queues = run.intervals.drop_duplicates(["channel", "queue"])
    return {c: list(queues.loc[queues["channel"].eq(c), "queue"]) for c in sorted(deferrable)}


def _percent_ci(figure: verdict.Figure, digits: int = 1) -> str:
    text = f"{figure.mean * 100:.{digits}f}%" if math.isfinite(figure.mean) else "–"
    if math.isfinite(figure.low) and math.isfinite(figure.high):
        text += f" [{figure.low * 100:.0f}, {figure.high * 100:.0f}]"
    return text


def _verdict_sentence(verdicts: list[verdict.ChannelVerdict], target: float) -> str:
    missed = [v.channel for v in verdicts if not v.met]
    if not verdicts:
        return "No channel had contacts."
    if not missed:
        return f"Every channel and queue met the {target:.0%} target, in every interval."
    met = [v.channel for v in verdicts if v.met]
    text = f"Missed on {_and(missed)}"
    return text + (f"; met on {_and(met)}." if met else ".")


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _queue_items(v: verdict.ChannelVerdict) -> str:
    items = []
    for q in v.queues:
        name = "" if q.queue == v.channel and len(v.queues) == 1 else f"<b>{_esc(q.queue)}</b> "
        if q.backlog is not None and len(v.queues) == 1:
            continue  # the channel's backlog lines say it all
        if q.backlog is not None:
            text = f"{'met' if q.met else 'missed'}: {_backlog_text(q.backlog)}"
        elif not q.open_intervals:
            text = "no contacts"
        elif q.below == 0:
            text = f"{_percent_ci(q.day_sl)}; every one of {q.open_intervals} intervals at target"
        else:
            clearly = "" if q.clearly is None else f" ({q.clearly} with the whole CI below)"
            worst = ", ".join(f"{s.at} {_percent_ci(s.sl, 0)}" for s in q.worst)
            days = ", ".join(f"day {d} {n} of {m}" for d, n, m in q.by_day if n)
            text = (
                f"{_percent_ci(q.day_sl)}; {q.below} of {q.open_intervals} intervals below "
                f"target{clearly}{f'; by day: {days}' if days else ''}; worst {worst}"
                + _biggest_gap(q)
            )
        items.append(f'<li data-verdict-queue="{_esc(q.queue)}">{name}{_esc(text)}</li>')
    return "".join(items)


def _biggest_gap(q: verdict.QueueVerdict) -> str:
    """ "; most agents short: 16:30–17:00, 12 by Erlang C (9 by A)", when any span is short."""
    short = [s for s in q.spans if s.short_c]
    if not short:
        return ""
    span = max(short, key=lambda s: (s.short_c or 0, -s.worst.sl.mean))
    by_a = f" ({span.short_a} by A)" if span.short_a is not None else ""
    return f"; most agents short: {_span_time(span)}, {span.short_c} by Erlang C{by_a}"


def _backlog_text(b: verdict.Backlog) -> str:
    deadline = _short_duration(b.deadline_s)
    left = b.left.mean
    share = f"{b.share.mean:.1%} answered within {deadline}" if math.isfinite(b.share.mean) else ""
    if not math.isfinite(left) or left < 0.05:
        return f"{share}; nothing left at the end"
    of_day = (
        f" ({left / b.arrived.mean:.0%} of the last day's {b.arrived.mean:,.0f})"
        if (b.arrived.mean > 0)
        else ""
    )
    growth = b.growth.mean
    trend = (
        f"the backlog grew by {growth:,.0f} over the last day"
        if growth > 0.05
        else f"the backlog fell by {-growth:,.0f} over the last day"
        if growth < -0.05
        else "the backlog did not grow over the last day"
    )
    return (
        f"{share}; {_number(left)} left unanswered at the end{of_day}, the oldest "
        f"{b.oldest_h.mean:.1f} h old; {trend}; with every item left counted late, "
        f"{b.share_if_late.mean:.0%} within {deadline}"
    )


def _verdict_cards(run: Run, verdicts: list[verdict.ChannelVerdict]) -> str:
    cards = []
    for v in verdicts:
        tone = "good" if v.met else "bad"
        word = "met" if v.met else "missed"
        if v.backlog is not None:
            note = _backlog_text(v.backlog)
            label = f"{v.channel} (deadline {_short_duration(v.threshold_s)})"
        else:
            note = f"{_percent_ci(v.day_sl)} over the run"
            if v.queues and v.below:
                opened = sum(q.open_intervals for q in v.queues)
                note += f"; {v.below} of {opened} queue-intervals below target"
            label = f"{v.channel} (≤ {_short_duration(v.threshold_s)})"
        items = _queue_items(v)
        split = f'<ul class="split">{items}</ul>' if items else ""
        cards.append(
            f'<div class="card {tone}" data-verdict="{_esc(v.channel)}">'
            f'<div class="label">{_esc(label)}</div><div class="big">{word}</div>'
            f'<div class="muted">{_esc(note)}</div>{split}</div>'
        )
    return f'<section class="headline verdicts">{"".join(cards)}</section>'


def _verdict_section(run: Run, verdicts: list[verdict.ChannelVerdict]) -> str:
    return (
        f'<h2 id="verdict">Verdict: {_esc(_verdict_sentence(verdicts, run.target))}</h2>\n'
        f'<p class="muted">A real-time channel meets the {run.target:.0%} target when its '
        "service level over the run and in every interval with contacts is at or above it "
        "(interval means; intervals whose whole 95% CI is below target are counted apart, "
        "the others may be noise). A deferrable backlog (email) is judged by its deadline "
        "and by what is left when the run stops: it misses when it grew over the last day "
        "and, counting what is left as late, the deadline share would fall below target. "
        "The service level blended over channels with different thresholds judges nothing "
        "and is not shown.</p>\n"
        + _verdict_cards(run, verdicts)
        + "\n"
        + _spans_table(run, verdicts)
    )


def _short_duration(seconds: float) -> str:
    from sim.pages.figures import format_duration

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
        kpis = {g: f for g, f in kpis.items() if g.partition("=")[0] in kinds and "/" not in g}
    if columns is None:
        columns = [c for c in KPI_COLUMNS if c[0] != "unserved"]
        if any((g.get("unserved") or {}).get("mean") for g in kpis.values()):
            columns = KPI_COLUMNS
    head = "".join(
        f'<th class="num" title="{_esc(note)}">{_esc(label)}</th>' for _, label, _, note in columns
    )
    sections = {"all": "Overall", "channel": "By channel", "queue": "By queue"}
    sections["segment"] = "By segment"
    sections["channel/segment"] = "By channel and segment"
    body, current = [], None
    for group, figures in kpis.items():
        kind_of_group, _, value = group.partition("=")
        if "/" in group:  # channel=phone/segment=vip
            kind_of_group = "channel/segment"
            value = " · ".join(part.partition("=")[2] for part in group.split("/"))
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


def _staffing_hint(run: Run) -> str:
    """How to get a staffing search's figure for this run: the command, and the menu it needs
    when the run's config has none."""
    scenario = _esc(run.summary.get("scenario") or "NAME")
    menu = run.config.get("staffing")
    if isinstance(menu, dict) and menu.get("templates"):
        return f"run <code>python -m sim.staffing scenario={scenario}</code>"
    return (
        "give the scenario a staffing menu (shifts that may be added and the targets: a "
        "<code>staffing:</code> config like <code>configs/staffing/holiday_peak.yaml</code>) "
        f"and run <code>python -m sim.staffing scenario={scenario} staffing=NAME</code>"
    )


def _span_time(span: verdict.Span) -> str:
    """ "09:00–11:00", or "day 2 09:00–11:00" within one day of a longer run."""
    start_day, _, _ = span.start.rpartition(" ")
    end_day, _, end_clock = span.end.rpartition(" ")
    if start_day and start_day == end_day:
        return f"{span.start}–{end_clock}"
    return f"{span.start}–{span.end}"


def _spans_table(run: Run, verdicts: list[verdict.ChannelVerdict], limit: int = 20) -> str:
    """Where: the spans of consecutive intervals below target per queue, the worst first kept,
    with the agents each is short by Erlang C and A (and a staffing search's figure)."""
    spans = [(v, q, s) for v in verdicts for q in v.queues for s in q.spans]
    if not spans:
        return ""
    shown = sorted(spans, key=lambda item: item[2].worst.sl.mean)[:limit]
    shown.sort(key=lambda item: spans.index(item))
    searched = any(s.search_adds is not None for _, _, s in spans)
    rows = []
    for v, q, s in shown:
        queue = v.channel if v.channel == q.queue else f"{v.channel}: {q.queue}"
        short = "–"
        if s.short_c is not None:
            short = f"{s.short_c} / {s.short_a if s.short_a is not None else '–'}"
        search = ""
        if searched:
            adds = "–" if s.search_adds is None else f"{s.search_adds:+.1f}"
            search = f'<td class="num">{_esc(adds)}</td>'
        rows.append(
            f'<tr data-span="{_esc(q.queue)}"><th>{_esc(queue)}</th>'
            f"<td>{_esc(_span_time(s))}</td>"
            f'<td class="num">{s.intervals}</td>'
            f'<td class="num">{_esc(_percent_ci(s.worst.sl))} '
            f'<span class="muted">at {_esc(s.worst.at)}</span></td>'
            f'<td class="num">{_esc(short)}</td>{search}</tr>'
        )
    more = len(spans) - len(shown)
    note = (
        f'<p class="muted">{more} more (milder) spans are not listed; intervals.csv has them '
        "all.</p>"
        if more > 0
        else ""
    )
    how = (
        "Staffing search: the agents its recommended roster has on duty above this one's, at "
        "the most in the span (staffing.json and intervals_after.csv in this directory)."
        if searched
        else "Erlang sizes each queue alone in steady state; for a roster tested by simulation "
        f"(shared agents, breaks, absences), {_staffing_hint(run)} (README, Staffing search)."
    )
    search_head = (
        '<th class="num" title="agents the staffing search\'s roster adds">Staffing search</th>'
        if searched
        else ""
    )
    return (
        "<h3>Where: spans of intervals below target</h3>"
        '<table class="failing"><thead><tr><th>Queue</th><th>Time</th>'
        '<th class="num">Intervals</th><th class="num">Lowest service level [95% CI]</th>'
        '<th class="num" title="the most agents any interval of the span is short of the '
        'Erlang C / Erlang A requirement (agents scheduled, breaks excluded)">'
        f"Agents short (Erlang C / A)</th>{search_head}</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
        + note
        + f'<p class="muted">{how}</p>'
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
.headline.three { grid-template-columns: repeat(3, 1fr); }
.headline.verdicts { grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); }
h3 { font-size: 16px; margin: 22px 0 8px; }
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

{_verdict_section(run, run_verdicts(run))}
{_headline(run)}

<h2>Key figures</h2>
<p class="muted">Mean over {reps} replication{"s" if reps != 1 else ""}, with the 95% confidence interval below each value
(Student t over replications; none with a single replication). Service level: {_esc(definition)}.
Waits (ASA, mean and P90 wait) are shown per channel only: the rows that mix channels with
different thresholds (all contacts, segments) leave them out. Occupancy is null for segments,
which have no agents of their own.</p>
{_kpi_table(run)}
{_journey_section(run)}{log.report_section(run.summary)}

<h2>Agent groups</h2>
<p class="muted">Per agent group: occupancy (busy / logged-in time less breaks), hours logged in
and overtime past planned shift ends, each summed over the group's agents per replication.
{_cost_note(run)}</p>
{_agents_table(run)}
{_workforce_section(run)}{labour.report_section(run.summary)}

<h2>Figures</h2>
<p class="muted">Times are clock times from 00:00 of the first day{"; hours past 24 are later days" if horizon_h > 24 else ""}.
Each channel keeps its colour in every figure, and nothing else is drawn in it. The figures are also saved as PNG files in
<code>figures/</code> beside this page.</p>
{"".join(figures_html)}

<footer>Generated by ccsim (<code>sim.pages.run</code>; rebuild with
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
        run.config = read_config(run_dir)
        run.interval_s = interval_seconds_of(run.intervals, run.config)
        run.label = run_dir.name
    paths = render_figures(run)
    page = build_html(run, paths)
    out = run.run_dir / "report.html"
    partial = run.run_dir / ".report.html.part"
    partial.write_text(page, encoding="utf-8")
    os.replace(partial, out)
    return out
