"""One run of a scenario: config -> model -> replications -> tables and summary -> run directory.

Everything here works without Hydra (`sim.app` is the Hydra shell around it), so tests, the
calibration and scripts run the same steps directly (`run_scenario`). The flow is one way:
`sim.inputs` builds the Model, `sim.runner` simulates the replications, `sim.analysis` turns
the records into tables and the summary, `sim.rundir` writes them and `sim.pages` (only when
a report is wanted) the report.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.analysis import labour
from sim.analysis.summary import model_facts, run_results
from sim.analysis.tables import agents_frame, contacts_frame
from sim.analysis.workforce import alerts_frame
from sim.engine import check as check_engine
from sim.errors import ConfigError
from sim.inputs.config import build_model
from sim.model import Model
from sim.paths import PROJECT_ROOT
from sim.rundir.write import invalidate, run_lock, write_run
from sim.runner import simulate_all


@dataclass(frozen=True)
class RunSettings:
    """How to run, as opposed to what to simulate (the Model): the config's top-level keys."""

    seed: int
    replications: int
    workers: int = 1
    progress: bool = True
    report: bool = True


@dataclass(frozen=True)
class Prepared:
    """A validated input: the model, its planned labour-rule violations, the settings and
    model.json's content."""

    model: Model
    planned: list[labour.Violation]
    settings: RunSettings
    facts: dict[str, Any]


def run_scenario(cfg: Mapping[str, Any], run_dir: Path, in_sweep: bool = False) -> dict:
    """Validate, simulate every replication and write the run directory; returns the summary.

    Holds the directory's lock throughout (refusing a directory another live run is writing)
    and first removes a previous run's summary.json, so the directory never looks complete
    with files of two runs (`sim.rundir.write`). Into a directory that does not exist yet, the
    config is validated first, so an input error leaves nothing behind. `in_sweep`: the run
    is a job of a multirun, where `report: auto` writes no report.html."""
    prepared = None if run_dir.exists() else prepare(cfg, in_sweep)
    with run_lock(run_dir):
        invalidate(run_dir)
        return simulate_and_write(prepared or prepare(cfg, in_sweep), run_dir)


def prepare(cfg: Mapping[str, Any], in_sweep: bool = False) -> Prepared:
    """Every check on the input: the model (with its labour rules and what the engine checks
    of it: routing policies, alert measures) and the run settings."""
    model = build_model(cfg, PROJECT_ROOT)
    check_engine(model)
    planned = labour.check_planned(model, model.labour)
    if model.labour_strict:
        labour.enforce_strict(planned, model.roster_source)
    return Prepared(model, planned, run_settings(cfg, in_sweep), facts_of(model, cfg))


def facts_of(model: Model, cfg: Mapping[str, Any]) -> dict[str, Any]:
    """model.json's content: the model's facts, with the roster's name and description and
    whether a staffing menu is configured, which only the config knows."""
    roster = cfg.get("roster") or {}
    menu = cfg.get("staffing") or {}
    return model_facts(
        model,
        roster=str(roster.get("name") or ""),
        roster_description=str(roster.get("description") or ""),
        staffing_menu=bool(isinstance(menu, Mapping) and menu.get("templates")),
    )


def simulate_and_write(prepared: Prepared, run_dir: Path) -> dict:
    """Simulate, analyse and write the run directory (with the report when asked)."""
    model, settings = prepared.model, prepared.settings
    runs = simulate_all(
        model, settings.seed, settings.replications, settings.workers, settings.progress
    )
    contacts, agents, alerts = (
        contacts_frame(model, runs),
        agents_frame(model, runs),
        alerts_frame(runs),
    )
    realised = labour.check_realised(model, agents, model.labour, settings.replications)
    results = run_results(
        model,
        settings.seed,
        settings.replications,
        contacts,
        agents,
        alerts,
        labour=labour.summary_section(model.labour, prepared.planned, realised),
    )

    def render(staging: Path) -> None:
        from sim.pages.run import render_run_report

        render_run_report(run_dir, results.summary, files=staging)

    write_run(
        run_dir,
        results,
        prepared.facts,
        contacts,
        agents,
        alerts if model.monitor is not None else None,
        render if settings.report else None,
    )
    return results.summary


def run_settings(cfg: Mapping[str, Any], in_sweep: bool = False) -> RunSettings:
    """seed, replications and workers (each a whole number; workers defaults to 1), the
    progress bars and whether to write the report (`report_wanted`)."""
    numbers = []
    for key, default, minimum in (("seed", None, 0), ("replications", None, 1), ("workers", 1, 1)):
        value = cfg.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise ConfigError("config", key, f"expected a whole number >= {minimum}, got {value!r}")
        numbers.append(value)
    progress = bool(cfg.get("progress", True))
    seed, replications, workers = numbers
    return RunSettings(seed, replications, workers, progress, report_wanted(cfg, in_sweep))


def report_wanted(cfg: Mapping[str, Any], in_sweep: bool) -> bool:
    """The `report` key: true or false force report.html on or off; `auto` (the default)
    writes it for a single run but not for a sweep's jobs, where it would cost more than the
    simulation and the sweep's own page compares the variants (`python -m sim.report DIR`
    builds a job's report later)."""
    value = cfg.get("report", "auto")
    if isinstance(value, bool):
        return value
    if value == "auto":
        return not in_sweep
    raise ConfigError("config", "report", f"expected auto, true or false, got {value!r}")
