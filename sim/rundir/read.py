"""Reading a finished run directory: one loader for the report, the verdict, the sweep and every page.

A run directory of `python -m sim` holds model.json (the model's facts), summary.json,
intervals.csv, contacts.parquet, agents.parquet and, when a monitor ran, alerts.csv
(`sim.rundir.write`); a staffing search's holds model.json, staffing.json, roster.csv and the
interval tables of the rosters before and after (`sim.staffing.output`). Everything a reader
needs is in those files: nothing here reads the Hydra config, parses clock strings for the
interval length, simulates or draws.

A directory written by an older ccsim (summary.json without `schema_version`, or no model.json)
is refused with one message saying to re-run it: the readers do not guess at older layouts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from sim.analysis.facts import ModelFacts
from sim.analysis.kpis import contact_kpis
from sim.analysis.summary import SCHEMA_VERSION
from sim.analysis.sweep import Job

SUMMARY, MODEL = "summary.json", "model.json"
RUN_FILES = ("intervals.csv", "contacts.parquet", "agents.parquet")
STAFFING, ROSTER = "staffing.json", "roster.csv"
BEFORE, AFTER = "intervals_before.csv", "intervals_after.csv"
STAFFING_FILES = (STAFFING, BEFORE, AFTER, ROSTER)
TEXT_COLUMNS = ("channel", "queue", "segment", "outcome")


class RunDirError(Exception):
    """The directory is not a finished ccsim run (missing, unreadable or older files)."""


def older(run_dir: Path, why: str) -> RunDirError:
    return RunDirError(
        f"{run_dir}: written by an older ccsim ({why}); re-run it with this version (the "
        "same command and config) to build its pages"
    )


@dataclass
class Run:
    """A run directory's files, read once."""

    run_dir: Path  # where the files are (and the report is written)
    name: str  # the run's name: its directory's, also when the files are read from staging
    summary: dict[str, Any]
    facts: ModelFacts
    intervals: pd.DataFrame
    contacts: pd.DataFrame
    agents: pd.DataFrame
    alerts: pd.DataFrame | None = None  # alerts.csv; None when the run had no monitor
    # A staffing search's intervals_after.csv in the same directory (staffing.json beside it).
    staffing_after: pd.DataFrame | None = None

    @property
    def replications(self) -> int:
        return int(self.summary["replications"])

    @property
    def target(self) -> float:
        return self.facts.target

    @property
    def channels(self) -> list[str]:
        return self.facts.channel_names

    @property
    def thresholds(self) -> dict[str, float]:
        return self.facts.thresholds

    @property
    def interval_s(self) -> float:
        return self.facts.interval_s

    @property
    def n_intervals(self) -> int:
        return self.facts.n_intervals

    @property
    def horizon_s(self) -> float:
        return self.facts.horizon_s

    @property
    def edges(self) -> np.ndarray:
        return self.facts.edges


def load_run(run_dir: Path, summary: dict | None = None, name: str | None = None) -> Run:
    """Read the run in `run_dir`. `summary` replaces reading summary.json (the app renders the
    report before it writes that, last); `name`: the run's name when `run_dir` is its staging
    directory. Raises RunDirError when a file is missing, unreadable or older."""
    run_dir = Path(run_dir)
    _check_dir(run_dir)
    if summary is None:
        summary = read_summary(run_dir)
    else:
        _check_schema(run_dir, summary)
    facts = read_facts(run_dir)
    _check_files(run_dir, RUN_FILES, "a finished ccsim run directory")
    try:
        intervals = read_intervals(run_dir / "intervals.csv")
        contacts = _text_columns(pd.read_parquet(run_dir / "contacts.parquet"))
        agents = pd.read_parquet(run_dir / "agents.parquet")
        alerts = _read_alerts(run_dir / "alerts.csv")
        staffing_after = read_intervals(run_dir / AFTER) if (run_dir / STAFFING).is_file() else None
    except (OSError, ValueError) as err:  # parquet and CSV errors are ValueErrors
        raise RunDirError(f"{run_dir}: cannot read the run files: {err}") from None
    return Run(
        run_dir=run_dir,
        name=name or run_dir.name,
        summary=summary,
        facts=facts,
        intervals=intervals,
        contacts=contacts,
        agents=agents,
        alerts=alerts,
        staffing_after=staffing_after,
    )


def read_summary(run_dir: Path) -> dict[str, Any]:
    """summary.json, checked to be of this version's layout (`schema_version`)."""
    _check_files(run_dir, (SUMMARY,), "a finished ccsim run directory")
    summary = _read_json(run_dir / SUMMARY)
    _check_schema(run_dir, summary)
    return summary


def read_facts(run_dir: Path) -> ModelFacts:
    """model.json: the model's facts (`sim.analysis.facts`)."""
    if not (run_dir / MODEL).is_file():
        raise older(run_dir, f"no {MODEL}")
    try:
        return ModelFacts.from_json(_read_json(run_dir / MODEL))
    except (KeyError, TypeError, ValueError):
        raise older(run_dir, f"{MODEL} lacks this version's fields") from None


def read_intervals(path: Path) -> pd.DataFrame:
    """An interval table (intervals.csv, a staffing search's before and after), its names
    read as text (a queue named 1 is not a number)."""
    table = pd.read_csv(path, dtype={"start": str, "channel": str, "queue": str})
    absent = {"interval", "start", "channel", "queue", "offered"} - set(table.columns)
    if absent:
        raise ValueError(f"{path.name} lacks the columns {', '.join(sorted(absent))}")
    return table


def _check_dir(run_dir: Path) -> None:
    if not run_dir.is_dir():
        raise RunDirError(f"{run_dir}: no such directory")


def _check_files(run_dir: Path, names: tuple[str, ...], what: str) -> None:
    missing = [name for name in names if not (run_dir / name).is_file()]
    if missing:
        raise RunDirError(f"{run_dir}: not {what}: missing {', '.join(missing)}")


def _check_schema(run_dir: Path, summary: dict[str, Any]) -> None:
    version = summary.get("schema_version")
    if version is None:
        raise older(run_dir, f"{SUMMARY} has no schema_version")
    if version != SCHEMA_VERSION:
        raise RunDirError(
            f"{run_dir}: {SUMMARY} has schema_version {version}; this ccsim reads "
            f"{SCHEMA_VERSION}: rebuild the page with the version that wrote it, or re-run it"
        )


def _read_json(path: Path) -> dict[str, Any]:
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise RunDirError(f"{path}: cannot read it: {err}") from None
    if not isinstance(content, dict):
        raise RunDirError(f"{path}: not a ccsim file (expected a JSON object)")
    return content


def _text_columns(frame: pd.DataFrame) -> pd.DataFrame:
    for column in TEXT_COLUMNS:
        if column in frame:
            frame[column] = frame[column].astype(str)
    return frame


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


# --- a staffing search ---------------------------------------------------------------------------


@dataclass
class StaffingSearch:
    """A staffing search's directory (`python -m sim.staffing`), read once."""

    run_dir: Path
    summary: dict[str, Any]  # staffing.json
    facts: ModelFacts  # the model as given
    before: pd.DataFrame  # intervals_before.csv: the roster as given
    after: pd.DataFrame  # intervals_after.csv: the recommendation
    roster: pd.DataFrame  # roster.csv: the recommendation, one row per shift


def load_staffing(run_dir: Path) -> StaffingSearch:
    """Read a staffing search's directory; RunDirError when a file is missing or older."""
    run_dir = Path(run_dir)
    _check_dir(run_dir)
    _check_files(run_dir, STAFFING_FILES, "a staffing search run directory")
    facts = read_facts(run_dir)
    try:
        before = read_intervals(run_dir / BEFORE)
        after = read_intervals(run_dir / AFTER)
        roster = pd.read_csv(run_dir / ROSTER, dtype=str, keep_default_na=False)
    except (OSError, ValueError) as err:
        raise RunDirError(f"{run_dir}: cannot read the search's files: {err}") from None
    return StaffingSearch(run_dir, _read_json(run_dir / STAFFING), facts, before, after, roster)


# --- a sweep -------------------------------------------------------------------------------------


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
        if (run_dir / SUMMARY).is_file():
            job.summary = read_summary(run_dir)
            job.interval_s = read_facts(run_dir).interval_s
            job.per_rep_sl = _per_replication_sl(run_dir, job.summary)
            job.intervals = read_intervals(run_dir / "intervals.csv")
        else:
            error_file = run_dir / "error.txt"
            job.error = error_file.read_text().strip() if error_file.is_file() else "did not finish"
        jobs.append(job)
    return sorted(jobs, key=lambda j: j.number)


def _per_replication_sl(run_dir: Path, summary: dict) -> dict[str, np.ndarray]:
    """Each channel's service level in each replication, for paired comparisons (per channel:
    a blend over channels with different thresholds would compare nothing)."""
    contacts = pd.read_parquet(run_dir / "contacts.parquet")
    short = summary["service_level"]["short_abandon_s"]
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
        or not any((job.run_dir / name).is_file() for name in (SUMMARY, STAFFING))
    ]
