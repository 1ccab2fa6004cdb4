"""The sweep page (`sim.pages.sweep`) on a sweep directory made once per module (each job run
in-process into its numbered directory with its overrides, as Hydra lays them out): every
variant with its judgement and CIs, the recommendation, the failed ones, the ranking rule, the
differences from the baseline, the figures, and the page's layout in a browser."""

from __future__ import annotations

import pytest
import yaml

from bench.layout import check_page, chromium
from sim.pages.sweep import channels_of, render_sweep_page, variant_table, write_sweep_report
from tests.conftest import composed, run_config
from tests.pages.sections import row

SWEEP = ("scenario=erlang", "scenario.hours=6", "scenario.patience_s=300", "replications=4")


def make_sweep(sweep_dir, variants: list[list[str]], failed: int = 0, base=SWEEP):
    """Job k runs `base` with variants[k]; `failed` more jobs recorded a failure."""
    for number, overrides in enumerate(variants):
        job = sweep_dir / str(number)
        run_config(composed(*base, *overrides), job)
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


def test_every_variant_with_its_judgement_and_the_recommendation_first(sweep):
    sweep_dir, page = sweep
    assert "<h1>erlang: sweep " in page and '<th class="num">phone</th>' in page
    for job in (0, 1, 2):
        assert f'<tr data-job="{job}">' in page
    # In ranking order: the two that hold (15, 16 agents) by cost, then 11 agents.
    assert [page.index(f'<tr data-job="{job}">') for job in (1, 2, 0)] == sorted(
        page.index(f'<tr data-job="{job}">') for job in (1, 2, 0)
    )
    assert "Recommendation: job 1</b> (scenario.agents=15), the cheapest variant that holds" in page
    assert "1 ★" in row(page, "data-job", "1") and "★" not in row(page, "data-job", "2")
    eleven = row(page, "data-job", "0")
    assert 'class="level bad-text">breaks' in eleven or 'class="level warn-text">at risk' in eleven
    assert '<span class="level good-text">holds</span>' in row(page, "data-job", "1")
    why = page.split("<h2>Why it does not hold</h2>")[1].split("</ul>")[0]
    assert '<li data-job="0"><b>Job 0</b> (scenario.agents=11)' in why and "phone: " in why
    assert 'data-job="1"' not in why
    assert "Ranked by the judgement" in page and "by planned paid agent-hours" in page  # no rates


def test_failed_jobs_are_listed_escaped(sweep):
    _, page = sweep
    assert "<h2>Failed jobs</h2>" in page and "1 failed" in page
    assert "<li>job 3: ConfigError: agents &lt;b&gt;0&lt;/b&gt;</li>" in page


def test_figures_and_differences_from_the_baseline(sweep):
    sweep_dir, page = sweep
    assert page.count("data:image/png;base64,") == 2  # no costs: no frontier
    for name in ("sweep_kpis", "paired_differences"):
        assert (sweep_dir / "figures" / f"{name}.png").stat().st_size > 10_000
        assert f'data-figure="{name}"' in page
    assert "sweep_frontier" not in page
    # Job 1 (15 agents) is the baseline, named and first; the others show their difference.
    diffs = page.split("<h2>Differences from the baseline</h2>")[1].split("</table>")[0]
    assert "Against the baseline, job 1 (scenario.agents=15): the table's first row." in diffs
    assert "unpaired [" in row(diffs, "data-job", "0") and 'data-job="1"' not in diffs


def test_the_table_in_ranking_order(sweep):
    import pandas as pd

    sweep_dir, _ = sweep
    table = pd.read_csv(sweep_dir / "sweep.csv")
    shown = variant_table(
        table.sort_values(["rank", "paid_hours"], na_position="last"), ["scenario.agents"]
    )
    assert shown is not None and channels_of(table) == ["phone"]
    assert [r.job for r in shown.rows] == [1, 2, 0]
    assert [r.rank for r in shown.rows] == ["1", "2", "3"]
    assert shown.rows[0].values == ["15"] and shown.rows[0].recommended and not shown.costed
    assert shown.rows[0].diffs == [] and len(shown.rows[1].diffs) == 1  # the baseline's empty


def test_with_costs_the_ranking_is_by_cost_with_a_frontier(tmp_path):
    page = make_sweep(
        tmp_path,
        [
            ["scenario.agents=15", "+roster.costs.agents=30"],
            ["scenario.agents=16", "+roster.costs.agents=20"],
        ],
    )
    assert "by cost (the realised cost" in page and '<th class="num">Cost</th>' in page
    assert 'data-figure="sweep_frontier"' in page and "The cost-judgement frontier" in page
    # 16 agents at 20 cost less than 15 at 30: it is the recommendation, and both hold, so the
    # dearer is dominated.
    assert "Recommendation: job 1</b>" in page
    assert "◆" in row(page, "data-job", "1") and "◆" not in row(page, "data-job", "0")


def test_no_variant_finished(tmp_path):
    import pandas as pd

    table = pd.DataFrame({"job": [0], "status": ["failed"], "error": ["boom"]})
    page = render_sweep_page(tmp_path, table, [], []).read_text()
    assert (
        "No variant finished, so none is ranked." in page and "<p>No variant finished.</p>" in page
    )
    assert "<li>job 0: boom</li>" in page and "<figure" not in page


def test_a_comparison_without_meaning_shows_a_dash():
    import pandas as pd

    from sim.pages.sweep import diff

    same = pd.Series(
        {"diff_email": 0.0, "paired_lo_email": 0.0, "paired_hi_email": 0.0}
        | {"unpaired_lo_email": float("nan"), "unpaired_hi_email": float("nan")}
    )
    assert diff(same, "email").paired == "–" and diff(same, "email").unpaired == ""
    assert diff(pd.Series({"diff_email": float("nan")}), "email").paired == "–"


@pytest.fixture(scope="module")
def omnichannel_sweep(tmp_path_factory):
    """Two variants of the holiday peak (three channels, five agent groups, costs) on two keys,
    as a planner sweeps them; only drawn where the layout can be checked."""
    if chromium() is None:
        pytest.skip("chromium is not installed: the layout cannot be checked")
    sweep_dir = tmp_path_factory.mktemp("holiday")
    base = ("scenario=holiday_peak", "workforce=holiday_peak", "replications=2")
    variants = [
        ["roster.extra_agents=0", "routing=vip_first"],
        ["roster.extra_agents=4", "routing=overflow"],
    ]
    make_sweep(sweep_dir, variants, base=base)
    return sweep_dir / "sweep.html"


def test_the_sweep_page_lays_out_without_overflow(omnichannel_sweep, tmp_path):
    page = omnichannel_sweep
    layout = check_page(page)
    assert layout.ok, layout.problems()
    # The variants table itself fits a laptop's width, not only inside its scrolling box.
    html = page.read_text(encoding="utf-8")
    assert html.count('class="wide-table"') == 2  # the variants and the differences
    unboxed = tmp_path / "sweep.html"
    unboxed.write_text(html.replace('class="wide-table"', 'class="unboxed"'), encoding="utf-8")
    layout = check_page(unboxed)
    assert layout.ok, layout.problems()
