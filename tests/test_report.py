"""The run report: built from a run directory's files alone, one self-contained page, every
figure a real non-blank PNG of the promised size, every summary group in the tables, and a CLI
that rebuilds it (exit 2 with a clear message on a directory that is not a run)."""

from __future__ import annotations

import base64
import copy
import json
import re
import shutil
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from matplotlib.image import imread

from sim.analysis.kpis import contact_kpis, queued, waiting_spans
from sim.pages import figures
from sim.pages.run import (
    ALERT_FIGURE,
    EVENT_FIGURE,
    FIGURE_NAMES,
    alert_raised,
    channel_hours,
    format_value,
    mean_waiting,
    render_run_report,
    run_verdicts,
    workforce_activity,
)
from sim.paths import PROJECT_ROOT
from sim.rundir.read import Run, RunDirError, load_run
from tests.conftest import composed, run, run_config

SMALL = (
    "scenario=erlang",
    "scenario.hours=8",
    "scenario.patience_s=120",
    "scenario.vip_share=0.2",
    "replications=2",
)
WIDTH_PX = round(figures.WIDTH_IN * figures.DPI)
ONE_ROW_PX = round(figures.ROW_HEIGHT_IN * figures.DPI)


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    run_dir = tmp_path_factory.mktemp("erlang")
    summary = run(run_dir, *SMALL)
    report = render_run_report(run_dir)
    return run_dir, summary, report


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sim.report", *args],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
    )


def test_report_embeds_every_figure(small_run):
    run_dir, _, report = small_run
    assert report == run_dir / "report.html"
    page = report.read_text(encoding="utf-8")
    for name in FIGURE_NAMES:
        png = (run_dir / "figures" / f"{name}.png").read_bytes()
        assert f'data-figure="{name}"' in page
        assert "data:image/png;base64," + base64.b64encode(png).decode("ascii") in page
    # Self-contained: nothing fetched from elsewhere.
    for external in ('src="http', 'href="http', "<link", "<script", "url("):
        assert external not in page


def test_figures_are_real_pngs_of_the_promised_size(small_run):
    run_dir, _, _ = small_run
    for name in FIGURE_NAMES:
        pixels = imread(run_dir / "figures" / f"{name}.png")
        # One channel, one queue, one agent group: every figure is a single row of panels.
        assert pixels.shape[:2] == (ONE_ROW_PX, WIDTH_PX), name
        assert pixels[..., :3].var() > 0, f"{name} is blank"


def test_tables_list_every_group_of_the_summary(small_run):
    _, summary, report = small_run
    page = report.read_text(encoding="utf-8")
    for group in summary["kpis"]:
        assert f'data-group="{group}"' in page
    for group in summary["agents"]:
        assert f'data-agent-group="{group}"' in page
    assert summary["scenario"] in page and str(summary["seed"]) in page


def test_queue_length_accounts_for_every_second_waited(small_run):
    """Little's law on the figure's data: the time-average queue length over the horizon is
    the total waiting time (by the KPIs' definitions: mean wait x contacts that reached a
    queue, per replication) divided by the horizon (less any waiting past the horizon)."""
    run_dir, summary, _ = small_run
    loaded = load_run(run_dir)
    contacts = pd.read_parquet(run_dir / "contacts.parquet")
    per_rep = contact_kpis(contacts, [], summary["service_level"]["short_abandon_s"])
    reached_n = per_rep[["answered", "abandoned", "unserved", "balked", "callbacks_failed"]]
    total = float((per_rep["mean_wait_s"] * reached_n.sum(axis=1)).sum())
    start, end = waiting_spans(queued(contacts))
    after = float(np.clip(end - np.maximum(start, loaded.horizon_s), 0, None).sum())
    reps = summary["replications"]
    length = mean_waiting(loaded)["phone"].mean()
    assert length == pytest.approx((total - after) / reps / loaded.horizon_s)


def test_queue_length_counts_from_joining_the_queue(tmp_path):
    """Hand-made: a call 10 min in the IVR then 30 min waiting is in the queue 00:10-00:40,
    not from its arrival; Little's law holds over two channels and two replications."""
    rows = [
        # replication, channel, outcome, arrival, join, wait
        (0, "phone", "answered", 0.0, 600.0, 1800.0),
        (0, "phone", "contained", 0.0, np.nan, np.nan),
        (0, "chat", "abandoned", 900.0, 960.0, 300.0),
        (1, "phone", "balked", 100.0, 100.0, 0.0),
        (1, "chat", "answered", 1800.0, 1800.0, 1200.0),
    ]
    contacts = pd.DataFrame(
        rows, columns=["replication", "channel", "outcome", "arrival_s", "join_s", "wait_s"]
    )
    run = Run(
        run_dir=tmp_path,
        summary={"replications": 2},
        config={},
        intervals=pd.DataFrame(),
        contacts=contacts,
        agents=pd.DataFrame(),
        interval_s=1800.0,
        n_intervals=2,
        channels=["phone", "chat"],
    )
    waiting = mean_waiting(run)
    # phone, replication 0: 00:10-00:30 in the first interval (1200 s), 00:30-00:40 (600 s)
    assert waiting["phone"].tolist() == pytest.approx([1200 / 1800 / 2, 600 / 1800 / 2])
    total = (1800.0 + 300.0 + 1200.0) / 2  # waiting seconds per replication
    assert waiting.to_numpy().sum() * 1800.0 == pytest.approx(total)


def test_staffing_figure_reads_opening_hours_and_deferrable_channels(small_run):
    """The staffing figure marks shortfalls only while a channel is open and never for a
    deferrable one: the hours and the flag come from the run's config, every day alike."""
    loaded = load_run(small_run[0])
    loaded.interval_s, loaded.n_intervals = 1800.0, 96  # two days of half hours
    loaded.config = {
        "scenario": {
            "channels": {
                "phone": {"open": "08:00", "close": "22:00"},
                "email": {"open": "00:00", "close": "24:00", "deferrable": True},
            }
        }
    }
    deferrable, hours = channel_hours(loaded)
    assert deferrable == {"email"}
    day = np.arange(48)
    assert hours["phone"].tolist() == ((day >= 16) & (day < 44)).tolist() * 2
    assert hours["email"].all()
    loaded.config = {}  # no config (a run written in-process): all real-time, always open
    assert channel_hours(loaded) == (set(), {})
    # ... unless summary.json judges a backlog of the channel: then it is deferrable
    loaded.summary = {**loaded.summary, "backlog": {"channel=email": {}, "queue=email": {}}}
    assert channel_hours(loaded) == ({"email"}, {})


def test_verdict_counts_every_interval_below_target(small_run):
    run_dir, summary, report = small_run
    target = summary["service_level"]["target"]
    t = pd.read_csv(run_dir / "intervals.csv")
    assert {"forecast_offered", "forecast_queued"} <= set(t) and "forecast" not in t
    below = t[(t["offered"] > 0) & (t["service_level"] < target)]
    [phone] = run_verdicts(load_run(run_dir))
    assert phone.below == len(below) and phone.met == (len(below) == 0)
    assert sum(s.intervals for q in phone.queues for s in q.spans) == len(below)
    page = report.read_text(encoding="utf-8")
    assert 'data-verdict="phone"' in page and page.index('id="verdict"') < page.index("Key figures")


def test_summary_passed_in_replaces_summary_json(small_run, tmp_path):
    """The app renders before it writes summary.json, passing the summary in."""
    run_dir, summary, _ = small_run
    for name in ("intervals.csv", "contacts.parquet", "agents.parquet"):
        shutil.copy(run_dir / name, tmp_path / name)
    report = render_run_report(tmp_path, summary=summary)
    assert report.is_file() and not (tmp_path / "summary.json").exists()
    assert all((tmp_path / "figures" / f"{name}.png").is_file() for name in FIGURE_NAMES)


def test_cli_rebuilds_the_report(small_run, tmp_path):
    run_dir, _, _ = small_run
    copy = tmp_path / "run"
    shutil.copytree(run_dir, copy, ignore=shutil.ignore_patterns("figures", "report.html"))
    done = _cli(str(copy))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(copy / "report.html")
    assert (copy / "report.html").is_file()
    assert len(list((copy / "figures").glob("*.png"))) == len(FIGURE_NAMES)


def test_cli_refuses_a_directory_that_is_not_a_run(tmp_path):
    done = _cli(str(tmp_path))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "summary.json" in done.stderr and "missing" in done.stderr
    assert not (tmp_path / "report.html").exists()
    with pytest.raises(RunDirError, match="no such directory"):
        render_run_report(tmp_path / "nowhere")


def test_channel_colours_and_clock_labels():
    colours = figures.channel_colours(["email", "fax", "chat", "phone", "sms"])
    assert colours["phone"] == figures.FIXED_CHANNEL_COLOURS["phone"]
    assert colours["email"] == figures.FIXED_CHANNEL_COLOURS["email"]
    assert len(set(colours.values())) == 5
    assert figures.clock_label(8.5) == "08:30"
    assert figures.clock_label(32) == "32:00"  # 08:00 on day two, as in intervals.csv


def test_default_scenario_report(tmp_path):
    """The holiday peak day: three channels, four queues, five agent groups."""
    summary = run(tmp_path, "replications=2")
    page = render_run_report(tmp_path).read_text(encoding="utf-8")
    for group in [*summary["kpis"], *summary["agents"]]:
        assert f'data-group="{group}"' in page or f'data-agent-group="{group}"' in page
    sizes = {}
    for name in FIGURE_NAMES:
        pixels = imread(tmp_path / "figures" / f"{name}.png")
        assert pixels.shape[1] == WIDTH_PX and pixels[..., :3].var() > 0, name
        sizes[name] = pixels.shape[0]
    assert sizes["staffing"] == round(figures.figure_height(2) * figures.DPI)  # 4 queues, 2x2
    assert sizes["service_level"] == ONE_ROW_PX
    assert summary["scenario"] in page and summary["routing"] in page
    # The verdict: one card per channel, email judged by what is left at the end; no waits
    # averaged over phone seconds and email hours, anywhere.
    for channel in ("phone", "chat", "email"):
        assert f'data-verdict="{channel}"' in page
    assert "left unanswered at the end" in page and "Service level</div>" not in page
    assert summary["kpis"]["all"]["asa_s"] == {"mean": None, "ci95": [None, None]}
    assert summary["kpis"]["channel=phone"]["asa_s"]["mean"] > 0
    assert 'data-group="channel=phone/segment=vip"' in page


def test_events_figure_appears_once_there_are_events(tmp_path):

    cfg = composed(
        "scenario=erlang", "scenario.agents=11", "scenario.patience_s=60", "replications=2"
    )
    cfg["scenario"]["retrials"] = {"phone": {"first": 0.5, "delay": 300}}
    run_config(cfg, tmp_path, report=True)
    png = tmp_path / "figures" / f"{EVENT_FIGURE}.png"
    assert png.stat().st_size > 10_000
    page = (tmp_path / "report.html").read_text()
    assert f'data-figure="{EVENT_FIGURE}"' in page and "The customers' journey" in page


# --- the workforce on the day --------------------------------------------------------------------

WORKFORCE = {
    "absence": {"all": 0.2},
    "monitor": {
        "period_s": 300,
        "alerts": {"q": {"queue": "calls", "measure": "queue_length", "above": 1}},
        "on_call": {
            "r": {"skills": ["calls"], "count": 2, "call_in": 600, "when": ["q"], "per_hour": 50}
        },
    },
}


@pytest.fixture(scope="module")
def workforce_run(tmp_path_factory):
    """A short Erlang day with absences, one alert rule and an on-call pool; its config saved
    as the app does (.hydra/config.yaml), so the report can name the rule's condition."""
    from omegaconf import OmegaConf

    run_dir = tmp_path_factory.mktemp("workforce")
    cfg = composed("scenario=erlang", "scenario.hours=4", "replications=3")
    cfg["workforce"] = copy.deepcopy(WORKFORCE)
    run_config(cfg, run_dir)
    (run_dir / ".hydra").mkdir()
    OmegaConf.save(OmegaConf.create(cfg), run_dir / ".hydra" / "config.yaml")
    report = render_run_report(run_dir)
    summary = json.loads((run_dir / "summary.json").read_text())
    return run_dir, summary, report.read_text(encoding="utf-8")


def _row(page: str, attribute: str, key: str) -> str:
    found = re.search(rf'<tr {attribute}="{re.escape(key)}">(.*?)</tr>', page)
    assert found, f"no row {attribute}={key}"
    return found.group(1)


def _shown(kind: str, figure: dict) -> str:
    """A figure's mean and CI as the report's tables print them."""
    mean, (low, high) = figure["mean"], figure["ci95"]
    if kind == "hours" and 0 < abs(mean) < 0.1:  # brief spells are given in s or min
        return format_value("duration", mean * 3600)
    scale = 100 if kind == "percent" else 1
    ci = f"[{format_value('count', low * scale)}, {format_value('count', high * scale)}]"
    return f'{format_value(kind, mean)}<span class="ci" title="95% confidence interval">{ci}'


def test_workforce_section_shows_the_summary_figures(workforce_run):
    _, summary, page = workforce_run
    workforce = summary["workforce"]
    assert "<h2>Workforce on the day</h2>" in page
    assert workforce["groups"]["group=r"]["call_ins"]["mean"] > 0  # the on-call pool came
    columns = [
        ("realised_h", "hours"),
        ("shrinkage", "percent"),
        ("absent_shifts", "count"),
        ("late_h", "hours"),
        ("call_ins", "count"),
        ("moved_h", "hours"),
    ]
    for group, figures_ in workforce["groups"].items():
        row = _row(page, "data-workforce-group", group)
        assert f'<td class="num">{format_value("hours", figures_["planned_h"])}</td>' in row
        for key, kind in columns:
            if key in figures_:
                assert _shown(kind, figures_[key]) in row, (group, key)
    assert "shrinkage" not in workforce["groups"]["group=r"]  # on call: nothing planned
    for rule, figures_ in workforce["alerts"].items():
        row = _row(page, "data-alert", rule)
        assert _shown("count", figures_["raised"]) in row  # a 4-hour run is one day
        assert _shown("hours", figures_["raised_h"]) in row
    q = _row(page, "data-alert", "q")
    assert "calls queue length &gt; 1" in q and "calls in on-call r" in q  # from the config
    assert 'href="#fig-alerts"' in page


def test_alert_figure_appears_with_alerts(workforce_run):
    run_dir, summary, page = workforce_run
    png = run_dir / "figures" / f"{ALERT_FIGURE}.png"
    assert f'data-figure="{ALERT_FIGURE}"' in page and 'id="fig-alerts"' in page
    pixels = imread(png)
    # Two panels: the alerts, then the call-ins (the pool was called in).
    assert pixels.shape[:2] == (round(figures.figure_height(2) * figures.DPI), WIDTH_PX)
    assert pixels[..., :3].var() > 0
    assert "alerts.csv" in page  # the footer lists the files read


def test_alert_timeline_adds_up_to_the_hours_raised(workforce_run):
    """The figure's share raised per interval, summed over the day, is the summary's hours
    raised; its call-ins per interval add up to the call_in rows that arrived in the run."""
    run_dir, summary, _ = workforce_run
    loaded = load_run(run_dir)
    hours = alert_raised(loaded).sum() * loaded.interval_s / 3600
    for rule, figures_ in summary["workforce"]["alerts"].items():
        assert hours[rule] == pytest.approx(figures_["raised_h"]["mean"], rel=1e-6)
    agents = pd.read_parquet(run_dir / "agents.parquet")
    arrived = agents["kind"].eq("call_in") & (agents["end_s"] < loaded.horizon_s)
    activity = workforce_activity(loaded)
    assert activity["call_ins"].sum() * loaded.replications == pytest.approx(arrived.sum())
    assert activity["moved"].sum() == 0  # no moves configured


def test_no_alert_figure_when_nothing_was_raised(workforce_run, tmp_path):
    """A monitor that never fired: the section stays (every rule raised 0 times), no figure."""
    run_dir, _, _ = workforce_run
    shutil.copytree(run_dir, tmp_path / "run", ignore=shutil.ignore_patterns("figures", "*.html"))
    copy_dir = tmp_path / "run"
    header = (copy_dir / "alerts.csv").read_text().splitlines()[0]
    (copy_dir / "alerts.csv").write_text(header + "\n")
    page = render_run_report(copy_dir).read_text(encoding="utf-8")
    assert "<h2>Workforce on the day</h2>" in page and 'data-alert="q"' in page
    assert f'data-figure="{ALERT_FIGURE}"' not in page and 'href="#fig-alerts"' not in page
    assert not (copy_dir / "figures" / f"{ALERT_FIGURE}.png").exists()


def test_no_workforce_section_without_a_workforce(small_run):
    run_dir, summary, report = small_run
    page = report.read_text(encoding="utf-8")
    assert "workforce" not in summary and not (run_dir / "alerts.csv").exists()
    assert "Workforce on the day" not in page and "data-workforce-group" not in page
    assert f'data-figure="{ALERT_FIGURE}"' not in page and "alerts.csv" not in page
    drawn = {p.stem for p in (run_dir / "figures").glob("*.png")}
    assert set(FIGURE_NAMES) <= drawn <= {*FIGURE_NAMES, EVENT_FIGURE}


def test_spans_show_a_staffing_search_result_in_the_run_directory(small_run, tmp_path):
    """Without a search result the report says how to get one; with staffing.json and
    intervals_after.csv beside the run, each span shows the agents the search adds."""
    run_dir, _, _ = small_run
    copy_dir = tmp_path / "run"
    shutil.copytree(run_dir, copy_dir, ignore=shutil.ignore_patterns("figures", "*.html"))
    intervals = pd.read_csv(copy_dir / "intervals.csv")
    intervals["service_level"] = intervals["service_level"].clip(lower=0.9)
    intervals.loc[intervals["interval"] == 3, "service_level"] = 0.5  # one span: 01:30-02:00
    intervals.to_csv(copy_dir / "intervals.csv", index=False)
    page = render_run_report(copy_dir).read_text(encoding="utf-8")
    assert page.count('<tr data-span="calls">') == 1
    # The erlang scenario has no staffing menu: the hint says to give it one.
    assert "python -m sim.staffing scenario=erlang staffing=NAME" in page
    after = intervals[["channel", "queue", "interval"]].copy()
    after["agents_scheduled"] = intervals["agents_scheduled"] + 2
    after.to_csv(copy_dir / "intervals_after.csv", index=False)
    (copy_dir / "staffing.json").write_text("{}")
    page = render_run_report(copy_dir).read_text(encoding="utf-8")
    assert "Staffing search</th>" in page and '<td class="num">+2.0</td>' in page
    assert "python -m sim.staffing scenario" not in page


def test_a_run_from_before_the_backlog_summary_is_judged_from_its_contacts(tmp_path):
    """summary.json without `backlog` (an older run): the report works the backlog out from
    contacts.parquet for the channels the run's config calls deferrable."""
    day = 86400.0
    joins = np.arange(48) * 1800.0  # one email each half hour; only the first 12 answered
    contacts = pd.DataFrame(
        {
            "replication": 0,
            "channel": "email",
            "queue": "email",
            "outcome": ["answered"] * 12 + ["unserved"] * 36,
            "arrival_s": joins,
            "join_s": joins,
            "wait_s": np.where(np.arange(48) < 12, 600.0, day - joins),
            "threshold_s": day,
        }
    )
    intervals = pd.DataFrame(
        {
            "channel": "email",
            "queue": "email",
            "interval": range(48),
            "start": [f"{k // 2:02d}:{30 * (k % 2):02d}" for k in range(48)],
            "offered": 1.0,
            "service_level": np.where(np.arange(48) < 12, 1.0, np.nan),
        }
    )
    email_sl = {"service_level": {"mean": 1.0, "ci95": [None, None]}}
    run = Run(
        run_dir=tmp_path,
        summary={
            "replications": 1,
            "service_level": {"target": 0.8, "threshold_s_by_channel": {"email": day}},
            "kpis": {"channel=email": email_sl, "queue=email": email_sl},
        },
        config={"scenario": {"channels": {"email": {"deferrable": True}}}},
        intervals=intervals,
        contacts=contacts,
        agents=pd.DataFrame(),
        interval_s=1800.0,
        n_intervals=48,
        channels=["email"],
    )
    [email] = run_verdicts(run)
    assert email.deferrable and not email.met  # 100% within the deadline, yet 36 left
    assert email.backlog is not None and email.backlog.left.mean == 36
    run.config = {}  # without the config, nothing says the channel is deferrable
    assert run_verdicts(run)[0].backlog is None


def test_the_verdict_names_the_span_most_agents_short():
    from sim.analysis.figure import Figure
    from sim.analysis.verdict import QueueVerdict, Slot, Span
    from sim.pages.run import _biggest_gap

    def span(start, end, short_c, sl):
        worst = Slot(0, start, Figure(sl), 10.0)
        return Span(start, end, 1, worst, short_c, short_c - 1 if short_c else 0)

    q = QueueVerdict("phone", "billing", Figure(0.85))
    q.spans = [span("08:00", "08:30", 2, 0.7), span("16:30", "17:00", 12, 0.52)]
    assert _biggest_gap(q) == "; most agents short: 16:30–17:00, 12 by Erlang C (11 by A)"
    q.spans = [span("08:00", "08:30", 0, 0.7)]
    assert _biggest_gap(q) == ""  # Erlang sees no shortfall
