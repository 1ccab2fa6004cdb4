"""The scenario library: every scenario in configs/scenario/ runs, conserves its contacts and,
for the planner scenarios under scenarios/, tells the story its README section promises.

Each scenario is run once per test session (2 replications, the gamma day factor off so the
story checks see the forecast, not a lucky day) and the checks read its summary.json and
intervals.csv. The forecast generators are checked to reproduce their CSVs byte for byte.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

from sim.analysis.kpis import OUTCOME_COUNTS
from tests.conftest import CONFIGS, run

ROOT = CONFIGS.parent
SCENARIOS = sorted(p.stem for p in (CONFIGS / "scenario").glob("*.yaml"))
GENERATORS = sorted((ROOT / "scenarios").glob("*/make_forecast.py"))


def _load(path: Path):
    """Import a file as a module (generator scripts are not in a package)."""
    spec = importlib.util.spec_from_file_location(f"_scenario_{path.parent.name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


shapes = _load(ROOT / "scenarios" / "shapes.py")


class Run:
    """A finished run: summary.json and intervals.csv."""

    def __init__(self, folder: Path, summary: dict):
        self.summary = summary
        self.intervals = pd.read_csv(folder / "intervals.csv", dtype={"start": str})
        self.intervals["hour"] = self.intervals["interval"] * 0.5  # every scenario is half-hourly

    def kpi(self, group: str, metric: str) -> float:
        return self.summary["kpis"][group][metric]["mean"]

    def queue(self, name: str) -> pd.DataFrame:
        return self.intervals[self.intervals["queue"] == name].set_index("hour")


_runs: dict[str, Run] = {}


@pytest.fixture(scope="module")
def scenario_run(tmp_path_factory):
    """Run a scenario once per module: `scenario_run(name)`."""

    def get(name: str) -> Run:
        if name not in _runs:
            folder = tmp_path_factory.mktemp(name)
            summary = run(folder, f"scenario={name}", "replications=2", "++scenario.busyness_cv=0")
            _runs[name] = Run(folder, summary)
        return _runs[name]

    return get


@pytest.mark.parametrize("name", SCENARIOS)
def test_scenario_runs_and_conserves_contacts(scenario_run, name):
    result = scenario_run(name)
    assert result.summary["scenario"] == name
    for group, kpis in result.summary["kpis"].items():
        parts = sum(kpis[m]["mean"] for m in OUTCOME_COUNTS)
        assert kpis["offered"]["mean"] == pytest.approx(parts), group
    assert result.kpi("all", "offered") > 0
    table = result.intervals
    balance = table[list(OUTCOME_COUNTS)].sum(axis=1)
    assert (table["offered"] - balance).abs().max() < 1e-6


# --- one story per planner scenario ----------------------------------------------------------


def test_normal_weekday_is_comfortably_staffed(scenario_run):
    """The baseline day: about 1,370 contacts, phone and chat around 85-90%, nobody drowning."""
    result = scenario_run("normal_weekday")
    assert result.kpi("all", "offered") == pytest.approx(1370, rel=0.06)
    for channel in ("phone", "chat"):
        assert 0.82 <= result.kpi(f"channel={channel}", "service_level") <= 0.95, channel
    assert result.kpi("all", "abandon_rate") < 0.05


def test_double11_opening_hour_fails_worst(scenario_run):
    """The midnight surge on thin night staff: the worst interval of general calls and of chat
    is in 00:00-02:00, and it is a collapse, not a dip; by 02:00 the night has recovered."""
    result = scenario_run("double11_opening")
    for queue in ("phone_general", "chat"):
        sl = result.queue(queue)["service_level"].dropna()
        assert 0 <= sl.idxmin() < 2, queue
        assert sl.min() < 0.3, queue
        assert sl.loc[2:7.5].mean() > 0.9, queue


def test_spring_festival_eve_falls_away_after_three(scenario_run):
    """The forecast falls interval by interval after 15:00 to a fraction of the morning, and
    the morning's general calls are served worse than the afternoon's."""
    result = scenario_run("spring_festival_eve")
    live = result.intervals[result.intervals["channel"].isin(["phone", "chat"])]
    forecast = live.groupby("hour")["forecast_offered"].sum()
    after = forecast.loc[15:17.5]
    assert (after.diff().dropna() < 0).all()
    assert forecast.loc[16.5] < 0.25 * forecast.loc[9:11].max()
    general = result.queue("phone_general")["service_level"]
    assert general.loc[9:10.5].mean() < general.loc[15:16.5].mean() - 0.1


def test_finance_month_end_deadline_peak_fails(scenario_run):
    """Two forecast peaks (morning, repayment deadline); the billing desk's worst interval is
    the last one before the 17:00 deadline, and premium customers fare better than retail."""
    result = scenario_run("finance_month_end")
    billing = result.queue("phone_billing")
    assert (
        billing["forecast_offered"].loc[9:11].max()
        > 2 * billing["forecast_offered"].loc[12:14].min()
    )
    assert (
        billing["forecast_offered"].loc[16:16.5].max()
        > 2 * billing["forecast_offered"].loc[12:14].min()
    )
    sl = billing["service_level"].dropna()
    assert 16 <= sl.idxmin() < 17
    assert sl.min() < 0.7
    assert result.kpi("segment=premium", "service_level") > result.kpi(
        "segment=retail", "service_level"
    )


def test_product_launch_week_decays_and_recovers(scenario_run):
    """Seven days: Monday brings more than twice Saturday's contacts, and Monday's calls and
    chats are served worse than Thursday's, once the launch wave has passed."""
    result = scenario_run("product_launch_week")
    table = result.intervals.assign(day=result.intervals["hour"] // 24)
    assert table["day"].max() == 6
    offered = table.groupby("day")["offered"].sum()
    assert offered[0] > 2 * offered[5]
    assert (offered.loc[0:4].diff().dropna() < 0).all()
    live = table[table["channel"].isin(["phone", "chat"])]
    sl = live.groupby("day")["service_level"].mean()
    assert sl[0] < sl[3] - 0.1


# --- the forecast generators -----------------------------------------------------------------


@pytest.mark.parametrize("script", GENERATORS, ids=lambda p: p.parent.name)
def test_forecast_generator_reproduces_its_csv(script):
    module = _load(script)
    if not hasattr(module, "build"):  # holiday_peak's script predates shapes.py
        pytest.skip("no build()")
    starts, volumes = module.build()
    assert shapes.forecast_text(starts, volumes) == script.with_name("forecast.csv").read_text()


def test_shapes_reproduce_holiday_peak():
    """`shapes.intraday` is general enough for holiday_peak's hand-built curves."""
    holiday = _load(ROOT / "scenarios" / "holiday_peak" / "make_forecast.py")
    starts = shapes.grid(24)
    volumes = {
        name: holiday.NORMAL_DAY[name]
        * holiday.HOLIDAY[name]
        * shapes.intraday(starts, *holiday.CURVES[channel])
        for name, channel in holiday.CHANNEL.items()
    }
    expected = (ROOT / "scenarios" / "holiday_peak" / "forecast.csv").read_text()
    assert shapes.forecast_text(starts, volumes) == expected
