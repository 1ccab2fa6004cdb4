"""Comparing the variants of a sweep: one row per job, the ranking, the frontier and paired differences.

Every variant is judged as its run's report judges it (`sim.analysis.verdict`, on the one rule
of `sim.analysis.judgement`, from the job's summary.json and intervals.csv): holds, at risk or
breaks per channel and overall, with the reasons where it does not hold. Variants are ranked by
that judgement first (holds before at risk before breaks), then by cost: the realised `cost` at
the roster's rates when every finished variant has one, else planned paid agent-hours
(`rank_by` says which). The first in that order is the baseline the differences are measured
against; when it holds it is the recommendation (the cheapest variant that holds).

Because every variant sees the same customers (common random numbers), the difference between
two variants is estimated per replication and then averaged: the paired confidence interval,
much narrower than comparing the two means as if they were independent (also shown, to make
the point). `pareto` marks the variants on the cost-judgement frontier (`dominates`): a variant
is dominated by another at least as cheap whose level is at least as good in every channel and
which is cheaper or better in some channel; a service level that rises without changing any
channel's level buys nothing the judgement can see."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from sim.analysis import verdict
from sim.analysis.figure import mean_ci
from sim.analysis.judgement import Level, worst
from sim.analysis.student_t import t_quantile

# The paired comparison's columns, each per channel (`diff_phone`, `paired_lo_phone`, ...).
DIFF_COLUMNS = ("diff", "paired_lo", "paired_hi", "unpaired_lo", "unpaired_hi")
LEVELS = {level.label: level for level in Level}  # "at risk" -> Level.AT_RISK (sweep.csv's text)


@dataclass
class Job:
    """One variant of the sweep, as found on disk."""

    number: int
    run_dir: Path
    overrides: dict[str, str]
    summary: dict[str, Any] | None = None
    error: str | None = None
    per_rep_sl: dict[str, npt.NDArray[np.float64]] = field(
        default_factory=dict
    )  # channel -> per replication
    intervals: pd.DataFrame | None = None  # intervals.csv, for the verdict
    interval_s: float | None = None  # its interval length (model.json), for the verdict

    @property
    def ok(self) -> bool:
        return self.summary is not None


def swept_keys(jobs: list[Job]) -> list[str]:
    """The override keys whose value differs between jobs, in first-seen order."""
    keys = list(dict.fromkeys(k for job in jobs for k in job.overrides))
    return [k for k in keys if len({job.overrides.get(k) for job in jobs}) > 1]


def sweep_table(jobs: list[Job]) -> pd.DataFrame:
    """One row per job: its swept values, status, cost, KPIs with CIs, rank and the paired
    difference in service level against the reference variant."""
    keys = swept_keys(jobs)
    rows = []
    for job in jobs:
        row: dict[str, Any] = {"job": job.number, **{k: job.overrides.get(k) for k in keys}}
        row["status"] = "ok" if job.ok else "failed"
        if job.summary is None:
            assert job.error is not None  # collect_jobs gives every unfinished job one
            row["error"] = job.error.splitlines()[-1][:200]
        else:
            row["error"] = None
            assert job.intervals is not None and job.interval_s is not None  # a finished job's
            row.update(_job_figures(job.summary, job.intervals, job.interval_s))
        rows.append(row)
    table = pd.DataFrame(rows)
    if "level" not in table:
        return table
    by = rank_by(table)
    table["rank_by"] = by
    ok = table["status"].eq("ok")
    order = table[ok].assign(_level=table.loc[ok, "level"].map(level_of))
    order = order.sort_values(["_level", by, "job"], na_position="last")
    table["rank"] = np.nan
    table.loc[order.index, "rank"] = np.arange(1, len(order) + 1)
    table["recommended"] = table["rank"].eq(1) & table["level"].eq(Level.HOLDS.label)
    table["pareto"] = False
    if ok.any():
        levels = table.loc[ok, level_columns(table)].map(level_of).to_numpy(dtype=float)
        cost = table.loc[ok, by].to_numpy(dtype=float)
        table.loc[ok, "pareto"] = pareto_efficient(cost, levels)
    baseline = _baseline(jobs, table)
    table["reference_job"] = baseline.number if baseline else None
    for job_row, job in enumerate(jobs):
        if not job.ok or baseline is None or job is baseline:
            continue  # (the baseline's own row stays empty)
        for channel, values in job.per_rep_sl.items():
            if channel in baseline.per_rep_sl:
                figures = paired_and_unpaired(values, baseline.per_rep_sl[channel])
                for name, value in zip(DIFF_COLUMNS, figures, strict=True):
                    table.loc[job_row, f"{name}_{channel}"] = value
    return table


def level_of(label: object) -> float:
    """A level's label (sweep.csv's `level`, `level_<channel>`) as its order, NaN when unknown."""
    level = LEVELS.get(str(label))
    return math.nan if level is None else float(level)


def level_columns(table: pd.DataFrame) -> list[str]:
    """The channels' level columns (`level_<channel>`), in column order."""
    return [c for c in table.columns if c.startswith("level_")]


def pareto_efficient(cost: npt.ArrayLike, levels: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    """Which variants no other dominates (`dominates`). `levels`: one row per variant, one
    column per channel, each its `Level` as a number (NaN: not judged, e.g. a channel the
    variant lacks). Variants with an unknown cost are never efficient."""
    costs = np.asarray(cost, dtype=float)
    grid = np.atleast_2d(np.asarray(levels, dtype=float)).reshape(len(costs), -1)
    known = ~np.isnan(costs)
    efficient: npt.NDArray[np.bool_] = known.copy()
    for i in np.flatnonzero(known):
        efficient[i] = not any(
            dominates(costs[j], grid[j], costs[i], grid[i]) for j in np.flatnonzero(known) if j != i
        )
    return efficient


def dominates(
    cost_a: float,
    levels_a: npt.NDArray[np.float64],
    cost_b: float,
    levels_b: npt.NDArray[np.float64],
) -> bool:
    """Does variant a dominate b? a costs no more, its level is at least as good in every
    channel (a channel only one of them is judged on counts as worse for the one lacking it),
    and it is cheaper or better in some channel."""
    a = np.where(np.isnan(levels_a), np.inf, levels_a)
    b = np.where(np.isnan(levels_b), np.inf, levels_b)
    if cost_a > cost_b or (a > b).any():
        return False
    return cost_a < cost_b or bool((a < b).any())


def scenario_names(jobs: list[Job]) -> list[str]:
    """The scenarios the finished jobs ran (one, unless the scenario itself was swept)."""
    return list(dict.fromkeys(str(j.summary["scenario"]) for j in jobs if j.summary))


def rank_by(table: pd.DataFrame) -> str:
    """`cost` when every finished variant has a known cost, else `paid_hours` (some group of
    some variant has no rate)."""
    ok = table[table["status"] == "ok"]
    return "cost" if len(ok) and ok["cost"].notna().all() else "paid_hours"


def _job_figures(
    summary: dict[str, Any], intervals: pd.DataFrame, interval_s: float
) -> dict[str, Any]:
    """A finished job's columns: staffing and cost, the verdict (`sim.analysis.verdict`, as the
    run's report gives it: `level` overall and `level_<channel>`, each "holds", "at risk" or
    "breaks"; `meets_target` when it holds; `fails`, why not, per channel), and per channel and
    queue the service level with its CI (`sl_<channel>`, `sl_queue_<queue>`), intervals that
    miss (`below_<channel>`), whether it holds (`met_<channel>`), ASA (`asa_<channel>`: waits
    only per channel) and, for a deferrable channel, the backlog left at the end
    (`left_<channel>`); the rates over all channels."""
    overall = summary["kpis"]["all"]
    target = summary["service_level"]["target"]
    verdicts = verdict.judge(summary, intervals, interval_s)
    figures: dict[str, Any] = {
        "agents": summary["staffing"]["agents"],
        "paid_hours": summary["staffing"]["paid_hours"],
        **_cost_figures(summary),
        "target": target,
        "level": worst([v.level for v in verdicts]).label if verdicts else None,
        "meets_target": bool(verdicts) and all(v.met for v in verdicts),
        "fails": " | ".join(r for r in map(verdict.reasons, verdicts) if r) or None,
    }
    for metric in ("service_level", "abandon_rate", "occupancy"):
        figure = overall[metric]
        figures[metric] = figure["mean"]
        figures[f"{metric}_lo"], figures[f"{metric}_hi"] = figure["ci95"]
    for v in verdicts:
        kpis = summary["kpis"][f"channel={v.channel}"]
        figures[f"sl_{v.channel}"] = v.day_sl.mean
        figures[f"sl_{v.channel}_lo"] = v.day_sl.low
        figures[f"sl_{v.channel}_hi"] = v.day_sl.high
        figures[f"level_{v.channel}"] = v.level.label
        figures[f"met_{v.channel}"] = v.met
        figures[f"below_{v.channel}"] = v.below
        figures[f"asa_{v.channel}"] = kpis["asa_s"]["mean"]
        if v.backlog is not None:
            figures[f"left_{v.channel}"] = v.backlog.left.mean
        for q in v.queues:
            if len(v.queues) > 1:
                figures[f"sl_queue_{q.queue}"] = q.day_sl.mean
    return figures


def _cost_figures(summary: dict[str, Any]) -> dict[str, float | None]:
    """Planned and realised cost (mean, CI) of every agent group together; None where unknown
    (a group without a rate)."""
    total = summary["agents"]["all"]
    low, high = total["cost"]["ci95"]
    return {
        "planned_cost": total["planned_cost"]["mean"],
        "cost": total["cost"]["mean"],
        "cost_lo": low,
        "cost_hi": high,
    }


def diff_channels(table: pd.DataFrame) -> list[str]:
    """The channels with paired differences (`diff_<channel>` columns), in column order."""
    return [c.removeprefix("diff_") for c in table.columns if c.startswith("diff_")]


def _baseline(jobs: list[Job], table: pd.DataFrame) -> Job | None:
    """The first in ranking order (the recommendation when it holds); None when none finished."""
    first = table[table["rank"] == 1]
    if not len(first):
        return None
    return next(j for j in jobs if j.number == first["job"].iloc[0])


def paired_and_unpaired(
    a: npt.NDArray[np.float64], b: npt.NDArray[np.float64]
) -> tuple[float, float, float, float, float]:
    """Mean of a - b with the paired 95% CI (per-replication differences, valid because both
    saw the same customers) and the unpaired Welch CI (as if they had not)."""
    n = min(len(a), len(b))
    a, b = a[:n], b[:n]
    mean, low, high = mean_ci(a - b)
    va, vb = np.nanvar(a, ddof=1) / n, np.nanvar(b, ddof=1) / n
    se = np.sqrt(va + vb)
    with np.errstate(invalid="ignore", divide="ignore"):
        dof = (va + vb) ** 2 / (va**2 / (n - 1) + vb**2 / (n - 1))
    half = t_quantile(0.975, float(dof)) * se if n > 1 and se > 0 else np.nan
    diff = float(np.nanmean(a) - np.nanmean(b))
    return mean, low, high, diff - half, diff + half
