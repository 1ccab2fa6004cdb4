"""The run report's figures: which are drawn, from which tables, saved in figures/.

Six figures always (`FIGURE_NAMES`); the events figure when something was blocked, balked,
called back, retried or transferred; the alerts figure when a monitor raised an alert. The
tables beyond intervals.csv come from `sim.analysis.run_tables`, the drawing from
`sim.pages.figures`, the captions from `sim.pages.run_captions`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sim.analysis import run_tables
from sim.analysis.kpis import queued
from sim.pages import kit, workforce
from sim.pages.format import number
from sim.pages.run_captions import captions
from sim.rundir.read import Run

if TYPE_CHECKING:  # matplotlib is imported only when figures are drawn
    from matplotlib.figure import Figure as Drawing

FIGURE_NAMES = ("service_level", "volumes", "queue", "wait_cdf", "staffing", "occupancy")
EVENT_FIGURE = "events"
ALERT_FIGURE = "alerts"
EVENT_COLUMNS = ("blocked", "balked", "callbacks_accepted", "retrials", "transfers")


def has_events(run: Run) -> bool:
    columns = [c for c in EVENT_COLUMNS if c in run.intervals]
    return bool(columns) and bool(run.intervals[columns].gt(0).any().any())


def has_alerts(run: Run) -> bool:
    return run.alerts is not None and len(run.alerts) > 0


def figure_names(run: Run) -> list[str]:
    names = list(FIGURE_NAMES)
    names += [EVENT_FIGURE] if has_events(run) else []
    names += [ALERT_FIGURE] if has_alerts(run) else []
    return names


def draw_run_figures(run: Run) -> list[kit.Shown]:
    """Every figure of the report as run_dir/figures/<name>.png, in the page's order."""
    kit.use_agg()
    from sim.pages import figures

    facts = run.facts
    colours = figures.channel_colours(run.channels)
    thresholds = run.thresholds
    n, step, reps, edges = run.n_intervals, run.interval_s, run.replications, run.edges
    reached = queued(run.contacts)
    segments = [g.split("=", 1)[1] for g in run.summary["kpis"] if g.startswith("segment=")]
    agents = {
        g.split("=", 1)[1]: int(v["agents"])
        for g, v in run.summary["agents"].items()
        if g.startswith("group=")  # not the total, `all`
    }
    rules = [rule.name for rule in facts.alerts]
    builders: dict[str, Callable[[], Drawing]] = {
        "service_level": lambda: figures.service_level(
            run.intervals, run.target, step, n, colours, thresholds, facts.deferrable
        ),
        "volumes": lambda: figures.volumes(run.intervals, step, n, colours),
        "queue": lambda: figures.queue(
            run_tables.mean_waiting(run.contacts, run.channels, reps, edges),
            run_tables.longest_wait(run.contacts, run.channels, n),
            step,
            n,
            colours,
            thresholds,
        ),
        "wait_cdf": lambda: figures.wait_cdf(
            reached[["channel", "segment", "wait_s"]], thresholds, colours, segments or None
        ),
        "staffing": lambda: figures.staffing(
            run.intervals,
            step,
            n,
            colours,
            run.target,
            facts.deferrable,
            facts.open_intervals(),
        ),
        "occupancy": lambda: figures.occupancy(
            run_tables.group_occupancy(run.contacts, run.agents, reps, edges), step, n, agents
        ),
        "events": lambda: figures.events(run.intervals, step, n, colours),
        "alerts": lambda: figures.alerts(
            run_tables.alert_raised(run.alerts, rules, reps, edges),
            alert_labels(run),
            run_tables.workforce_activity(run.agents, reps, edges),
            step,
            n,
            reps,
            activity_labels(run),
            workforce.rule_channels(facts),
            colours,
        ),
    }
    titles = captions(run)
    return [
        kit.show(builders[name](), run.run_dir, name, *titles[name]) for name in figure_names(run)
    ]


def alert_labels(run: Run) -> dict[str, str]:
    """Legend text per alert rule: its name and how often it was raised a day, then when it
    is raised."""
    labels = {}
    for rule in run.facts.alerts:
        label = rule.name
        if rule.name in run.summary["workforce"]["alerts"]:
            times = workforce.times_raised(run.summary["workforce"], rule.name)
            label += f": raised {number(times / run.facts.days)}× a day"
        labels[rule.name] = f"{label}\nwhen {workforce.condition(rule)}"
    return labels


def activity_labels(run: Run) -> dict[str, str]:
    """Legend text of the call-ins and moves, naming the pools and queues."""
    out = {}
    pools = [pool.name for pool in run.facts.on_call]
    if pools:
        out["call_ins"] = f"on-call agents arriving\n({', '.join(pools)}; per interval)"
    if run.facts.moves:
        what = ", ".join(f"{m.source} → {m.to}" for m in run.facts.moves)
        out["moved"] = f"agents moved ({what};\nmean number at a time)"
    return out
