"""The Hydra app behind `python -m sim.staffing`: the same configs as `python -m sim`, plus the
`staffing:` section (`sim.staffing.menu`). Writes roster.csv, staffing.json (and staffing.html)
into the run directory."""

from __future__ import annotations

import logging
import os
import re
import shlex
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import hydra
import numpy as np
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig

from sim.analysis.summary import targets_section
from sim.cli import reject, resolved_config
from sim.engine import check as check_engine
from sim.errors import ConfigError
from sim.inputs.config import build_model
from sim.pages import staffing as page
from sim.paths import CONFIGS, PROJECT_ROOT
from sim.run import facts_of, run_settings
from sim.rundir import hydra as rundir
from sim.rundir.write import run_lock
from sim.staffing import output, plan
from sim.staffing.menu import read_menu
from sim.staffing.search import erlang_cover, search

log = logging.getLogger(__name__)


def run_staffing(
    cfg: Mapping[str, Any],
    run_dir: Path,
    in_sweep: bool = False,
    overrides: Sequence[str] = (),
) -> dict:
    """Validate, search, and write roster.csv and staffing.json (staffing.html as the `report`
    key says: auto draws it for a single search, not for a sweep's jobs); returns
    staffing.json's content. `overrides`: the command line's, for the command that re-runs
    the recommendation (`rerun_command`).

    Like `python -m sim`, holds the run directory's lock (a directory another live run is
    writing is refused) and first removes a previous search's staffing.json, so a reused
    directory never pairs it with this search's roster.csv."""
    report = run_settings(cfg, in_sweep).report
    if not run_dir.exists():
        return _run_staffing(cfg, run_dir, report, overrides)  # the lock follows
    with run_lock(run_dir):
        for name in ("staffing.json", "staffing.html"):
            (run_dir / name).unlink(missing_ok=True)
        return _run_staffing(cfg, run_dir, report, overrides, locked=True)


def _run_staffing(
    cfg: Mapping[str, Any],
    run_dir: Path,
    report: bool,
    overrides: Sequence[str],
    locked: bool = False,
) -> dict:
    model = build_model(cfg, PROJECT_ROOT)
    check_engine(model)
    menu = read_menu(cfg, model)
    settings = run_settings(cfg)
    seed = settings.seed
    result = search(model, menu, seed, settings.progress)
    assert result.before is not None and result.after is not None
    before = plan.planned_cost(model)
    after = plan.planned_cost(result.model)
    # Each queue's Erlang requirement covered on its own, before any simulation: what the
    # search is compared with (shared skills, overflow and abandonment are where it saves).
    erlang = plan.planned_cost(erlang_cover(model, menu).model)
    summary = {
        "scenario": model.name,
        "seed": seed,
        "method": "erlang requirement, integer cover (HiGHS), corrected by simulation",
        "erlang": menu.erlang,  # the starting requirement: Erlang A or C
        "replications": menu.replications,
        "cost_before": before,
        "cost_after": after,
        "cost_change": None if before is None or after is None else after - before,
        "erlang_cover_cost": erlang,
        "saving_vs_erlang": None if erlang is None or after is None else erlang - after,
        **plan.changes(result.cols, result.counts, model),
        "agents_before": sum(1 for a in model.agents if a.shifts),
        "agents_after": sum(1 for a in result.model.agents if a.shifts),
        "uncoverable_intervals": {
            q: [int(k) for k in np.flatnonzero(result.uncoverable[i])]
            for i, q in enumerate(result.erlang.queues)
            if result.uncoverable[i].any()
        },
        "targets": targets_section(model),
        "judged": sorted(result.after.staffed),  # the channels the search must make hold
        "level_before": result.before.level.label,
        "level_after": result.after.level.label,
        "holds": result.after.passed,
        "verdict": output.levels(result.before, result.after),
        "rerun": rerun_command(cfg, run_dir, overrides),
        "rounds": result.rounds,
        "evaluations": result.evaluations,
        "history": result.history,
    }
    facts = facts_of(model, cfg)
    if not locked:
        with run_lock(run_dir):
            return _write(run_dir, result, summary, facts, report)
    return _write(run_dir, result, summary, facts, report)


def _write(run_dir: Path, result, summary: dict, facts: dict, report: bool) -> dict:
    run_dir.mkdir(parents=True, exist_ok=True)
    partial = run_dir / ".roster.csv.part"
    output.write_roster(partial, result.model)
    os.replace(partial, run_dir / "roster.csv")
    output.write_facts(run_dir, facts)
    output.save_intervals(run_dir, result)
    output.write_json(run_dir / "staffing.json", summary)
    if report:
        page.render_staffing_page(run_dir)
    return summary


# Overrides the re-run leaves out: the search's own keys, and where the roster came from (the
# recommendation's roster.csv holds every agent of it).
NOT_RERUN = ("staffing", "roster.file", "roster.agents", "roster.templates", "roster.extra_agents")
PLAIN = re.compile(r"[\w./:@+-]+")  # a value Hydra and the shell take as it is


def rerun_command(cfg: Mapping[str, Any], run_dir: Path, overrides: Sequence[str]) -> str:
    """The command that simulates the recommendation with the full report, runnable from any
    directory: `python -m sim`, the search's overrides (less NOT_RERUN's), the absolute path
    of roster.csv, and the roster's inline agents, templates and extra agents dropped (they are
    in roster.csv already)."""
    keep = [o for o in overrides if not o.lstrip("+~").startswith(NOT_RERUN)]
    path = str((run_dir / "roster.csv").resolve())
    value = path if PLAIN.fullmatch(path) else "'" + path.replace("'", "\\'") + "'"
    args = [*keep, f"roster.file={value}"]
    roster = cfg.get("roster") or {}
    args += [f"~roster.{key}" for key in ("agents", "templates") if roster.get(key)]
    if roster.get("extra_agents"):
        args.append("roster.extra_agents=0")
    return " ".join(["python", "-m", "sim", *(shlex.quote(a) for a in args)])


@hydra.main(version_base="1.3", config_path=str(CONFIGS), config_name="config")
def main(cfg: DictConfig) -> None:
    hydra_cfg = HydraConfig.get()
    run_dir = Path(hydra_cfg.runtime.output_dir)
    made_now = rundir.made_for_this_job(run_dir, hydra_cfg)
    try:
        summary = run_staffing(
            resolved_config(cfg),
            run_dir,
            hydra_cfg.mode == RunMode.MULTIRUN,
            list(hydra_cfg.overrides.task),
        )
    except ConfigError as err:
        reject(err, run_dir, hydra_cfg, made_now, hydra_cfg.mode == RunMode.MULTIRUN)
        return
    log.info(
        f"ccsim staffing: {summary['scenario']}: cost {summary['cost_before']} -> "
        f"{summary['cost_after']}; {summary['level_before']} -> {summary['level_after']} "
        f"({', '.join(output.level_line(summary['verdict'], summary['judged']))}); "
        f"{summary['evaluations']} evaluations; outputs in {run_dir}"
    )
