"""Comparing the variants of a sweep: one row per job, the ranking, the frontier and paired differences.

Every variant is judged as its run's report judges it (`sim.analysis.verdict`, from the job's
summary.json and intervals.csv), with the reason when it fails. Variants are ranked among those
meeting the target by cost: the realised `cost` at the roster's rates when every finished
variant has one, else planned paid agent-hours (`rank_by` says which). Because every variant
sees the same customers (common random numbers), the difference between two variants is
estimated per replication and then averaged: the paired confidence interval, much narrower
than comparing the two means as if they were independent (also shown, to make the point).
`pareto` marks the variants on the cost-service frontier: no other costs no more and serves
its worst channel at least as well."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from sim.analysis import verdict
from sim.analysis.figure import mean_ci
from sim.analysis.student_t import t_quantile

# The paired comparison's columns, each per channel (`diff_phone`, `paired_lo_phone`, ...).
DIFF_COLUMNS = ("diff", "paired_lo", "paired_hi", "unpaired_lo", "unpaired_hi")


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
    if "meets_target" not in table:
        return table
    meets = table["meets_target"].fillna(False).astype(bool)
    table["rank"] = np.nan
    table["rank_by"] = rank_by(table)
    ranked = table[meets].sort_values(
        [table["rank_by"].iloc[0], "worst_sl"], ascending=[True, False]
    )
    table.loc[ranked.index, "rank"] = np.arange(1, len(ranked) + 1)
    ok = table["status"].eq("ok") & table["worst_sl"].notna()
    table["pareto"] = False
    if ok.any():
        cost = table.loc[ok, table["rank_by"].iloc[0]].to_numpy(dtype=float)
        table.loc[ok, "pareto"] = pareto_efficient(cost, table.loc[ok, "worst_sl"].to_numpy())
    reference = _reference(jobs, table)
    table["reference_job"] = reference.number if reference else None
    for job_row, job in enumerate(jobs):
        if not job.ok or reference is None or job is reference:
            continue  # (the reference's own row stays empty)
        for channel, values in job.per_rep_sl.items():
            if channel in reference.per_rep_sl:
                figures = paired_and_unpaired(values, reference.per_rep_sl[channel])
                for name, value in zip(DIFF_COLUMNS, figures, strict=True):
                    table.loc[job_row, f"{name}_{channel}"] = value
    return table


def pareto_efficient(cost: npt.ArrayLike, value: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    """Which variants no other beats: none costs no more and serves its worst channel at least
    as well, better in one of the two. Variants with an unknown cost are never efficient."""
    costs, values = np.asarray(cost, dtype=float), np.asarray(value, dtype=float)
    known = ~np.isnan(costs) & ~np.isnan(values)
    efficient: npt.NDArray[np.bool_] = known.copy()
    for i in np.flatnonzero(known):
        others = known & (costs <= costs[i]) & (values >= values[i])
        others &= (costs < costs[i]) | (values > values[i])
        efficient[i] = not others.any()
    return efficient


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
    """A finished job's columns: staffing and cost, the verdict (`sim.analysis.verdict`, as the run's
    report gives it: `meets_target`, `fails`, `worst_sl`), and per channel and queue the
    service level with its CI (`sl_<channel>`, `sl_queue_<queue>`), intervals below target
    (`below_<channel>`), whether it meets the target (`met_<channel>`), ASA (`asa_<channel>`: waits only per channel) and, for a deferrable
    channel, the backlog left at the end (`left_<channel>`); the rates over all channels."""
    overall = summary["kpis"]["all"]
    target = summary["service_level"]["target"]
    verdicts = verdict.judge(summary, intervals, interval_s)
    figures: dict[str, Any] = {
        "agents": summary["staffing"]["agents"],
        "paid_hours": summary["staffing"]["paid_hours"],
        **_cost_figures(summary),
        "target": target,
        "meets_target": bool(verdicts) and all(v.met for v in verdicts),
        "fails": " | ".join(r for r in map(verdict.reasons, verdicts) if r) or None,
        "worst_sl": verdict.worst_channel_sl(verdicts),
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


def _reference(jobs: list[Job], table: pd.DataFrame) -> Job | None:
    """The cheapest variant meeting the target, else the first that finished."""
    best = table[table["rank"] == 1]
    if len(best):
        return next(j for j in jobs if j.number == best["job"].iloc[0])
    return next((j for j in jobs if j.ok), None)


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
