"""The run report: one self-contained HTML page built from a run directory's saved files alone.

`render_run_report(run_dir)` reads the run (`sim.rundir.read.load_run`: model.json,
summary.json, intervals.csv, contacts.parquet, agents.parquet, alerts.csv), draws its figures
into `run_dir/figures/` (`sim.pages.run_figures`) and writes `run_dir/report.html` from the
template `templates/run.html`, the figures embedded as data URIs, so it opens from disk and can
be forwarded as one file. No simulation, no model object, no config.

    python -m sim.report RUN_DIR      # (re)build the report of an existing run; prints its path

The sections are put in words by `sim.pages.verdict`, `kpis`, `workforce`, `labour` and `log`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sim.pages import kit
from sim.pages.format import duration, plural
from sim.pages.kpis import agent_table, headline_cards, journey_table, kpi_table
from sim.pages.labour import labour_section
from sim.pages.log import log_section
from sim.pages.run_figures import ALERT_FIGURE, draw_run_figures
from sim.pages.run_intervals import interval_tables
from sim.pages.verdict import LEVEL_TONE, run_verdicts, verdict_section
from sim.pages.workforce import workforce_section
from sim.rundir.read import Run, load_run

REPORT = "report.html"


def render_run_report(
    run_dir: Path, summary: dict | None = None, files: Path | None = None
) -> Path:
    """Write the figures and report.html of the run in `run_dir`; returns report.html's path.
    `summary` replaces reading summary.json (the app writes that last). `files`: the directory
    holding the run's files, read and written there (the app's staging directory inside
    run_dir), while run_dir names the run. Raises RunDirError when the directory lacks the
    files or was written by an older ccsim."""
    run_dir = Path(run_dir)
    run = load_run(run_dir if files is None else Path(files), summary, name=run_dir.name)
    shown = draw_run_figures(run)
    page = kit.render("run.html", **page_context(run, shown))
    return kit.write_page(run.run_dir / REPORT, page)


def page_context(run: Run, shown: list[kit.Shown]) -> dict[str, Any]:
    """Everything run.html places, in words and formatted values."""
    summary = run.summary
    kpis = summary["kpis"]
    verdicts = run_verdicts(run)
    journey = journey_table(kpis, run.thresholds)
    workforce = workforce_section(summary, run.facts, any(s.name == ALERT_FIGURE for s in shown))
    return {
        "contents": contents(journey is not None, bool(workforce)),
        "name": run.facts.scenario,
        "description": run.facts.description or "ccsim run report",
        "facts": meta_facts(run),
        "verdict": verdict_section(run, verdicts),
        "intervals": interval_tables(run.intervals, verdicts, run.interval_s, LEVEL_TONE),
        "headline": headline_cards(run),
        "replications": run.replications,
        "definition": summary["service_level"]["definition"],
        "kpis": kpi_table(kpis, run.thresholds),
        "journey": journey,
        "log": log_section(summary),
        "agents": agent_table(summary),
        "workforce": workforce,
        "labour": labour_section(summary),
        "multi_day": run.horizon_s > 86400,
        "figures": shown,
        "run": run.name,
        "read": ["summary.json", "model.json", "intervals.csv", "contacts.parquet"]
        + ["agents.parquet"]
        + (["alerts.csv"] if run.alerts is not None else []),
    }


def contents(journey: bool, workforce: bool) -> list[tuple[str, str]]:
    """The table of contents: (anchor, title) of the page's sections, in order."""
    items = [
        ("verdict", "Will it hold?"),
        ("key-figures", "Key figures"),
        ("journey", "The customers' journey") if journey else None,
        ("agents", "Agent groups"),
        ("workforce", "Workforce on the day") if workforce else None,
        ("labour", "Labour rules"),
        ("intervals", "Interval by interval"),
        ("figures", "Figures"),
    ]
    return [item for item in items if item is not None]


def meta_facts(run: Run) -> list[tuple[str, str]]:
    """The facts under the title: seed, replications, routing, roster, horizon, target and
    thresholds (and the short abandons left out, when any are)."""
    summary = run.summary
    items = [
        ("Seed", str(summary["seed"])),
        ("Replications", str(run.replications)),
        ("Routing", str(summary["routing"])),
        ("Roster", roster_text(run)),
        (
            "Horizon",
            f"{run.horizon_s / 3600:g} h in {run.n_intervals} × {run.interval_s / 60:g}-min "
            "intervals",
        ),
        ("Service-level target", f"{run.target:.0%}"),
        ("Thresholds", ", ".join(f"{c} {duration(t)}" for c, t in run.thresholds.items())),
    ]
    short = summary["service_level"]["short_abandon_s"]
    if short:
        items.append(("Short abandons excluded", f"< {short:g} s"))
    return [(label, text) for label, text in items if text]


def roster_text(run: Run) -> str:
    """The roster that ran: its file (`roster.file=`) or config name, then its agents per group
    from model.json. A roster file replaces the scenario's roster, so the scenario roster's
    description would describe another roster and is left out then."""
    facts = run.facts
    groups = facts.roster_groups
    agents = sum(n for _, n in groups)
    counted = (
        f"{plural(agents, 'agent')} in {plural(len(groups), 'group')}: "
        + ", ".join(f"{g} {n}" for g, n in groups)
        if groups
        else ""
    )
    if facts.roster_file:
        return f"file {Path(facts.roster_file).name}" + (f"; {counted}" if counted else "")
    name = facts.roster + (f" ({facts.roster_description})" if facts.roster_description else "")
    return "; ".join(part for part in (name, counted) if part)
