"""The sweep page (`sim.pages.sweep`) on a sweep directory made once per module (each job run
in-process into its numbered directory with its overrides, as Hydra lays them out): every
variant with its verdict and CIs, the failed ones, the ranking rule, the figures."""

from __future__ import annotations

import pytest
import yaml

from sim.pages.sweep import channels_of, render_sweep_page, variant_table
from sim.sweep import write_sweep_report
from tests.conftest import composed, run_config
from tests.pages.sections import row

SWEEP = ("scenario=erlang", "scenario.hours=6", "scenario.patience_s=300", "replications=4")


def make_sweep(sweep_dir, variants: list[list[str]], failed: int = 0):
    """Job k runs SWEEP with variants[k]; `failed` more jobs recorded a failure."""
    for number, overrides in enumerate(variants):
        job = sweep_dir / str(number)
        run_config(composed(*SWEEP, *overrides), job)
        (job / ".hydra").mkdir()
        (job / ".hydra" / "overrides.yaml").write_text(yaml.safe_dump(overrides))
    for number in range(len(variants), len(variants) + failed):
        job = sweep_dir / str(number)
        (job / ".hydra").mkdir(parents=True)
        (job / ".hydra" / "overrides.yaml").write_text(yaml.safe_dump(["scenario.agents=0"]))
        (job / "error.txt").write_text("Traceback ...\nConfigError: agents <b>0</b>\n")
    return write_sweep_report(sweep_dir).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    sweep_dir = tmp_path_factory.mktemp("sweep")
    page = make_sweep(sweep_dir, [[f"scenario.agents={n}"] for n in (11, 15, 16)], failed=1)
    return sweep_dir, page


def test_every_variant_with_its_verdict(sweep):
    sweep_dir, page = sweep
    assert "<h1>erlang: sweep " in page and '<th class="num">SL phone</th>' in page
    for job in (0, 1, 2):
        assert f'<tr data-job="{job}">' in page
    eleven = row(page, "data-job", "0")
    assert '<span class="bad-text">no</span>: phone: ' in eleven
    assert "Variants missing the target, per channel: phone 1 of 3." in page
    assert '<td class="why good-text">yes</td>' in row(page, "data-job", "1")
    assert "Ranked by planned paid agent-hours" in page  # the erlang roster has no rates


def test_failed_jobs_are_listed_escaped(sweep):
    _, page = sweep
    assert "<h2>Failed jobs</h2>" in page and "1 failed" in page
    assert "<li>job 3: ConfigError: agents &lt;b&gt;0&lt;/b&gt;</li>" in page


def test_figures_and_differences_from_the_reference(sweep):
    sweep_dir, page = sweep
    assert page.count("data:image/png;base64,") == 2  # no costs: no frontier
    for name in ("sweep_kpis", "paired_differences"):
        assert (sweep_dir / "figures" / f"{name}.png").stat().st_size > 10_000
        assert f'data-figure="{name}"' in page
    assert "sweep_frontier" not in page
    # Job 1 (15 agents) is the reference: the others show their paired difference.
    assert "phone " in row(page, "data-job", "0") and "unpaired [" in row(page, "data-job", "0")
    assert "unpaired" not in row(page, "data-job", "1")


def test_the_table_in_ranking_order(sweep):
    import pandas as pd

    sweep_dir, _ = sweep
    table = pd.read_csv(sweep_dir / "sweep.csv")
    shown = variant_table(
        table.sort_values(["rank", "paid_hours"], na_position="last"), ["scenario.agents"]
    )
    assert shown is not None and channels_of(table) == ["phone"]
    assert [r.job for r in shown.rows] == [1, 2, 0] and [r.rank for r in shown.rows] == [
        "1",
        "2",
        "",
    ]
    assert shown.rows[0].values == ["15"] and not shown.costed


def test_with_costs_the_ranking_is_by_cost_with_a_frontier(tmp_path):
    page = make_sweep(
        tmp_path,
        [
            ["scenario.agents=15", "+roster.costs.agents=30"],
            ["scenario.agents=16", "+roster.costs.agents=20"],
        ],
    )
    assert "Ranked by cost" in page and '<th class="num">Cost</th>' in page
    assert 'data-figure="sweep_frontier"' in page


def test_no_variant_finished(tmp_path):
    import pandas as pd

    table = pd.DataFrame({"job": [0], "status": ["failed"], "error": ["boom"]})
    page = render_sweep_page(tmp_path, table, [], []).read_text()
    assert (
        "No variant finished, so none is ranked." in page and "<p>No variant finished.</p>" in page
    )
    assert "<li>job 0: boom</li>" in page and "<figure" not in page
