"""Reading a finished run directory: one loader for the report, the verdict, the sweep and every page.

A run directory holds summary.json, intervals.csv, contacts.parquet, agents.parquet and, when a
monitor ran, alerts.csv (`sim.rundir.write`); `.hydra/config.yaml` is read for what the files
do not say. Nothing here simulates or draws."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from sim.analysis.kpis import contact_kpis
from sim.analysis.sweep import Job
from sim.clock import parse_clock

REQUIRED_FILES = ("intervals.csv", "contacts.parquet", "agents.parquet")


class RunDirError(Exception):
    """The directory is not a finished ccsim run (missing or unreadable files)."""


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
    config = read_config(run_dir)
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
        interval_s=interval_seconds_of(intervals, config),
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


def read_config(run_dir: Path) -> dict:
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


def interval_seconds_of(intervals: pd.DataFrame, config: dict) -> float:
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


def collect_jobs(sweep_dir: Path) -> list[Job]:
    """Every job directory under `sweep_dir`, finished or not, in job order."""
    jobs = []
    for overrides_file in sweep_dir.glob("*/.hydra/overrides.yaml"):
        run_dir = overrides_file.parent.parent
        if not run_dir.name.isdigit():
            continue
        overrides = dict(
            item.split("=", 1) for item in yaml.safe_load(overrides_file.read_text()) or []
        )
        job = Job(int(run_dir.name), run_dir, overrides)
        summary_file = run_dir / "summary.json"
        if summary_file.is_file():
            job.summary = json.loads(summary_file.read_text())
            job.per_rep_sl = _per_replication_sl(run_dir, job.summary)
            intervals_file = run_dir / "intervals.csv"
            if intervals_file.is_file():
                job.intervals = pd.read_csv(
                    intervals_file, dtype={"start": str, "channel": str, "queue": str}
                )
        else:
            error_file = run_dir / "error.txt"
            job.error = error_file.read_text().strip() if error_file.is_file() else "did not finish"
        jobs.append(job)
    return sorted(jobs, key=lambda j: j.number)


def _per_replication_sl(run_dir: Path, summary: dict) -> dict[str, np.ndarray]:
    """Each channel's service level in each replication, for paired comparisons (per channel:
    a blend over channels with different thresholds would compare nothing)."""
    contacts = pd.read_parquet(run_dir / "contacts.parquet")
    short = summary["service_level"].get("short_abandon_s", 0.0)
    per_rep = contact_kpis(contacts, ["channel"], short)["service_level"]
    reps = range(summary["replications"])
    return {
        str(channel): rows.droplevel("channel").reindex(reps).to_numpy(dtype=float)
        for channel, rows in per_rep.groupby(level="channel", observed=True)
    }


def failed_jobs(sweep_dir: Path) -> list[Job]:
    """The jobs that recorded a failure (error.txt) or did not finish: no summary.json, nor
    the staffing search's staffing.json (`python -m sim.staffing -m`)."""
    return [
        job
        for job in collect_jobs(sweep_dir)
        if (job.run_dir / "error.txt").is_file()
        or not any((job.run_dir / name).is_file() for name in ("summary.json", "staffing.json"))
    ]
