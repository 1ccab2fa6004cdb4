"""The run report (`sim.pages.run`): one self-contained page built from a run directory's files
alone, every summary group in its tables, its facts from model.json, every name escaped."""

from __future__ import annotations

import base64
import json
import shutil

import pytest

from sim.pages.run import render_run_report
from sim.pages.run_figures import FIGURE_NAMES
from tests.conftest import run

SMALL = (
    "scenario=erlang",
    "scenario.hours=8",
    "scenario.patience_s=120",
    "scenario.vip_share=0.2",
    "replications=2",
)


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    run_dir = tmp_path_factory.mktemp("erlang")
    summary = run(run_dir, *SMALL)
    report = render_run_report(run_dir)
    return run_dir, summary, report.read_text(encoding="utf-8")


def test_report_is_one_self_contained_page_with_every_figure(small_run):
    run_dir, _, page = small_run
    assert (run_dir / "report.html").is_file()
    for number, name in enumerate(FIGURE_NAMES, start=1):
        png = (run_dir / "figures" / f"{name}.png").read_bytes()
        assert f'data-figure="{name}"' in page and f'id="fig-{name}"' in page
        assert "data:image/png;base64," + base64.b64encode(png).decode("ascii") in page
        assert f"<b>Figure {number}. " in page
    for external in ('src="http', 'href="http', "<link", "<script", "url("):
        assert external not in page  # nothing fetched from elsewhere
    assert page.rstrip().endswith("</html>") and "{{" not in page and "{%" not in page


def test_tables_list_every_group_of_the_summary(small_run):
    _, summary, page = small_run
    for group in summary["kpis"]:
        assert f'data-group="{group}"' in page
    for group in summary["agents"]:
        assert f'data-agent-group="{group}"' in page
    assert 'data-group="channel=phone/segment=vip"' in page


def test_the_facts_under_the_title_come_from_model_json(small_run):
    run_dir, summary, page = small_run
    assert f"<h1>{summary['scenario']}</h1>" in page
    assert "<div><span>Seed:</span> " + str(summary["seed"]) + "</div>" in page
    assert "<div><span>Horizon:</span> 8 h in 16 × 30-min intervals</div>" in page
    assert "<div><span>Thresholds:</span> phone 20 s</div>" in page
    roster = json.loads((run_dir / "model.json").read_text())["roster"]
    assert roster["name"] and f"<div><span>Roster:</span> {roster['name']}" in page
    assert "model.json" in page and "alerts.csv" not in page  # the footer lists what it read


def test_the_app_builds_the_report_in_staging_with_the_summary_passed_in(small_run, tmp_path):
    """The app renders before it writes summary.json: the files are read from its staging
    directory, the run keeps its own name."""
    run_dir, summary, page = small_run
    staging = tmp_path / "run" / ".staging-1"
    shutil.copytree(run_dir, staging, ignore=shutil.ignore_patterns("figures", "*.html"))
    (staging / "summary.json").unlink()
    report = render_run_report(tmp_path / "run", summary=summary, files=staging)
    assert report == staging / "report.html"
    assert all((staging / "figures" / f"{name}.png").is_file() for name in FIGURE_NAMES)
    assert "<code>run</code>" in report.read_text() and ".staging" not in report.read_text()


def test_every_name_is_escaped(small_run, tmp_path):
    """Names come from the user's config: markup in them stays text."""
    copy = tmp_path / "run"
    shutil.copytree(small_run[0], copy, ignore=shutil.ignore_patterns("figures", "*.html"))
    facts = json.loads((copy / "model.json").read_text())
    facts["scenario"] = facts["description"] = "<b>peak</b> & co"
    facts["roster"]["description"] = '"quoted" <i>roster</i>'
    (copy / "model.json").write_text(json.dumps(facts))
    page = render_run_report(copy).read_text()
    assert "<b>peak</b>" not in page and "<i>roster</i>" not in page
    assert "<h1>&lt;b&gt;peak&lt;/b&gt; &amp; co</h1>" in page
    assert "&#34;quoted&#34; &lt;i&gt;roster&lt;/i&gt;" in page


def test_holiday_peak_report(tmp_path):
    """The holiday peak day: three channels, four queues, five agent groups, a monitor; the
    verdict judges email by what is left at the end; no waits averaged over phone seconds
    and email hours, anywhere."""
    summary = run(tmp_path, "replications=2")
    page = render_run_report(tmp_path).read_text(encoding="utf-8")
    for group in [*summary["kpis"], *summary["agents"]]:
        assert f'data-group="{group}"' in page or f'data-agent-group="{group}"' in page
    assert summary["scenario"] in page and summary["routing"] in page
    for channel in ("phone", "chat", "email"):
        assert f'data-verdict="{channel}"' in page
    assert "left unanswered at the end" in page and "Service level</div>" not in page
    assert summary["kpis"]["all"]["asa_s"] == {"mean": None, "ci95": [None, None]}
    assert summary["kpis"]["channel=phone"]["asa_s"]["mean"] > 0
    assert "<h2>Workforce on the day</h2>" in page and "<h2>Labour rules</h2>" in page
    assert page.index('id="verdict"') < page.index('id="key-figures"') < page.index('id="agents"')


def test_the_page_has_contents_file_links_and_interval_tables(small_run):
    """A table of contents to every section, links to the run's files beside the page, and one
    collapsed interval table per queue, each interval with what it was judged."""
    run_dir, _, page = small_run
    for anchor in ("verdict", "key-figures", "agents", "labour", "intervals", "figures"):
        assert f'<a href="#{anchor}">' in page and f'id="{anchor}"' in page
    assert '<a href="intervals.csv">intervals.csv</a>' in page
    assert page.count('<details class="intervals" data-intervals="calls">') == 1
    assert page.count("<tr><th>") >= 16  # the 8 h day's 30-min intervals
    assert ">met</td>" in page or "missed</td>" in page


def test_the_header_counts_the_roster_that_ran(small_run):
    _, _, page = small_run
    assert "agents in 1 group: " in page


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed")
def test_the_report_lays_out_without_overflow(small_run):
    """The generated page in headless Chromium 1280 px wide: nothing wider than its room, no
    table cell squeezed below a word (bench.layout)."""
    from bench.layout import check_page

    run_dir, _, _ = small_run
    layout = check_page(run_dir / "report.html")
    assert layout.ok, layout.problems()
