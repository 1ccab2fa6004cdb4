"""The sweep page: `sweep.html` and its figures, from the table `sim.analysis.sweep.sweep_table`
builds (itself from the jobs' summary.json, model.json and intervals.csv; no job's report is
read)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sim.analysis.figure import Figure
from sim.analysis.sweep import diff_channels, scenario_names, sweep_table, swept_keys
from sim.pages import kit
from sim.pages.format import NA, Cell, known, signed_percent, value
from sim.rundir.read import RunDirError, collect_jobs

SWEEP_HTML = "sweep.html"
COST_LABEL = {
    "cost": "the cost at the roster's rates per paid hour, overtime included",
    "paid_hours": "planned paid agent-hours",
}


def render_sweep_page(
    sweep_dir: Path, table: pd.DataFrame, keys: list[str], scenarios: list[str]
) -> Path:
    """Draw the sweep's figures into sweep_dir/figures/ and write sweep_dir/sweep.html."""
    ok = table[table["status"] == "ok"]
    by = str(table["rank_by"].iloc[0]) if "rank_by" in table else "paid_hours"
    ranked = table.sort_values(["rank", by], na_position="last") if "rank" in table else table
    shown = variant_table(ranked, keys)
    page = kit.render(
        "sweep.html",
        title=f"{', '.join(scenarios) if scenarios else 'sweep'}: sweep {sweep_dir.name}",
        variants=len(table),
        keys=keys,
        failed=[
            (int(r["job"]), str(r["error"])) for _, r in table[table["status"] != "ok"].iterrows()
        ],
        rank_by=by if "rank_by" in table else None,
        met=met_counts(table),
        table=shown,
        baseline=shown.rows[0] if shown and shown.rows else None,
        frontier_rule=FRONTIER_RULE.lower().rstrip("."),
        figures=draw_sweep_figures(sweep_dir, table, keys) if len(ok) else [],
        sweep_dir=str(sweep_dir),
    )
    return kit.write_page(sweep_dir / SWEEP_HTML, page)


def draw_sweep_figures(sweep_dir: Path, table: pd.DataFrame, keys: list[str]) -> list[kit.Shown]:
    kit.use_agg()
    from sim.pages import figures

    ok = table[table["status"] == "ok"]
    target = float(ok["target"].iloc[0])
    staffing = [k for k in keys if k.startswith("roster")]
    series = [k for k in keys if k not in staffing]
    by = str(table["rank_by"].iloc[0])
    shown = [
        kit.show(
            figures.sweep_kpis(table, series, target, by, channels_of(table)),
            sweep_dir,
            "sweep_kpis",
            "Service level against cost",
            "Each channel's service level over the run for every variant against its cost "
            f"({COST_LABEL[by]}), with 95% CI bars; the dashed line is the target.",
        )
    ]
    if by == "cost":
        shown.append(
            kit.show(
                figures.sweep_frontier(table, channels_of(table)),
                sweep_dir,
                "sweep_frontier",
                "The cost-judgement frontier",
                "Each variant's judgement (holds, at risk, breaks) overall and per channel "
                f"against its cost, numbered by job. {FRONTIER_RULE} Filled: on the frontier; "
                "hollow: dominated.",
            )
        )
    compared = compared_channels(table)
    if len(ok) > 1 and compared:
        baseline = int(table["reference_job"].iloc[0])
        skipped = [c for c in diff_channels(table) if c not in compared]
        shown.append(
            kit.show(
                figures.paired_differences(table, baseline, keys, compared),
                sweep_dir,
                "paired_differences",
                "Differences from the baseline, paired and unpaired",
                f"Each channel's service-level difference of each variant from job {baseline} "
                "(the first row of the table: the first in ranking order). Every variant met "
                "the same customers, so the per-replication difference (paired CI, black) is "
                "far more precise than comparing the two means (unpaired CI, grey)."
                + (
                    f" Not drawn: {', '.join(skipped)}, the same in every replication of every "
                    "variant."
                    if skipped
                    else ""
                ),
            )
        )
    return shown


FRONTIER_RULE = (
    "A variant is dominated by another that costs no more, whose level is at least as good in "
    "every channel, and that is cheaper or better in some channel; a higher service level that "
    "changes no channel's level buys nothing the judgement can see."
)
LEVEL_TONE = {"holds": "good", "at risk": "warn", "breaks": "bad"}


def channels_of(table: pd.DataFrame) -> list[str]:
    """The channels of the sweep's `sl_<channel>` columns, in column order."""
    return [
        c.removeprefix("sl_")
        for c in table.columns
        if c.startswith("sl_") and not c.startswith("sl_queue_") and not c.endswith(("_lo", "_hi"))
    ]


def queues_of(table: pd.DataFrame) -> list[str]:
    return [c.removeprefix("sl_queue_") for c in table.columns if c.startswith("sl_queue_")]


def compared_channels(table: pd.DataFrame) -> list[str]:
    """The channels where some variant differs from the baseline in some replication (a
    deferrable channel answered 100% in time in every replication of every variant has
    nothing to compare)."""
    ok = table[table["status"] == "ok"]
    return [
        c
        for c in diff_channels(ok)
        if any(_differs(r, c) for _, r in ok.iterrows() if known(_float(r.get(f"diff_{c}"))))
    ]


def _differs(row: pd.Series, channel: str) -> bool:
    """Did the variant differ from the baseline on `channel` in some replication?"""
    bounds = [_float(row.get(f"{k}_{channel}")) for k in ("diff", "paired_lo", "paired_hi")]
    return any(known(b) and abs(b) > 1e-12 for b in bounds) or known(
        _float(row.get(f"unpaired_lo_{channel}"))
    )


@dataclass(frozen=True)
class MetCounts:
    finished: int
    holding: int
    levels: list[tuple[str, str, int]]  # channel, level, variants at that level (non-zero)


def met_counts(table: pd.DataFrame) -> MetCounts | None:
    ok = table[table["status"] == "ok"]
    if ok.empty or "level" not in ok:
        return None
    return MetCounts(
        finished=len(ok),
        holding=int(ok["level"].eq("holds").sum()),
        levels=[
            (c, level, n)
            for c in channels_of(ok)
            if f"level_{c}" in ok
            for level in LEVEL_TONE
            if (n := int(ok[f"level_{c}"].eq(level).sum()))
        ],
    )


@dataclass(frozen=True)
class Judged:
    """A level as the page shows it: its label and tone (good, warn, bad)."""

    label: str
    tone: str


@dataclass(frozen=True)
class Diff:
    paired: str  # "+3.1% [+2.2%, +4.1%]", or "–" when nothing differs
    unpaired: str  # "[+0.5%, +5.8%]", or "" without one


@dataclass(frozen=True)
class VariantRow:
    job: int
    pareto: bool
    recommended: bool
    name: str  # "roster.extra_agents=4, routing=vip_first"
    values: list[str]  # the swept keys' values
    rank: str
    cost: Cell | None  # None: no variant has a cost
    paid_hours: str
    level: Judged
    levels: list[Judged]  # per channel
    sl: list[Cell]  # per channel
    sl_queue: list[str]
    asa: list[str]  # per channel, in the column's unit
    abandon: str
    occupancy: str
    fails: list[str]  # why it does not hold, per channel
    diffs: list[Diff]  # per compared channel; empty for the baseline


@dataclass(frozen=True)
class VariantTable:
    keys: list[str]
    channels: list[str]
    queues: list[str]
    compared: list[str]  # the channels with differences from the baseline
    costed: bool
    rows: list[VariantRow]


def _float(x: object) -> float:
    return float(x) if known(x) else math.nan  # type: ignore[arg-type]


def _figure(row: pd.Series, column: str) -> Figure:
    return Figure(
        _float(row.get(column)), _float(row.get(f"{column}_lo")), _float(row.get(f"{column}_hi"))
    )


def _judged(label: object) -> Judged:
    text = str(label) if isinstance(label, str) else NA
    return Judged(text, LEVEL_TONE.get(text, ""))


def variant_table(table: pd.DataFrame, keys: list[str]) -> VariantTable | None:
    """The finished variants in ranking order (the baseline first); None when none finished."""
    ok = table[table["status"] == "ok"]
    if ok.empty:
        return None
    channels, queues, compared = channels_of(ok), queues_of(ok), compared_channels(table)
    costed = bool(ok["cost"].notna().any())
    asa_unit = {c: _float(ok[f"asa_{c}"].max()) for c in channels}  # one unit per column
    rows = []
    for _, r in ok.iterrows():
        baseline = not any(known(_float(r.get(f"diff_{c}"))) for c in diff_channels(table))
        rows.append(
            VariantRow(
                job=int(r["job"]),
                pareto=bool(r["pareto"]),
                recommended=bool(r.get("recommended", False)),
                name=", ".join(f"{k}={r[k]}" for k in keys) or f"job {int(r['job'])}",
                values=[str(r[k]) for k in keys],
                rank="" if pd.isna(r["rank"]) else f"{int(r['rank'])}",
                cost=Cell(_figure(r, "cost"), "cost") if costed else None,
                paid_hours=f"{r['paid_hours']:.0f}",
                level=_judged(r["level"]),
                levels=[_judged(r.get(f"level_{c}")) for c in channels],
                sl=[Cell(_figure(r, f"sl_{c}"), "percent") for c in channels],
                sl_queue=[value(_float(r[f"sl_queue_{q}"]), "percent") for q in queues],
                asa=[value(_float(r[f"asa_{c}"]), "duration", asa_unit[c]) for c in channels],
                abandon=value(_float(r["abandon_rate"]), "percent"),
                occupancy=value(_float(r["occupancy"]), "percent"),
                fails=[]
                if r["meets_target"] or not known_text(r["fails"])
                else str(r["fails"]).split(" | "),
                diffs=[] if baseline else [diff(r, c) for c in compared],
            )
        )
    return VariantTable(keys, channels, queues, compared, costed, rows)


def known_text(x: object) -> bool:
    return isinstance(x, str) and bool(x)


def diff(row: pd.Series, channel: str) -> Diff:
    """The variant's service-level difference from the baseline on `channel`, paired and
    unpaired; a dash where it has no meaning (the channel lacking in one of them, or the same
    in every replication of both, as a deferrable channel answered 100% in time)."""
    mean = _float(row.get(f"diff_{channel}"))
    if not known(mean) or not _differs(row, channel):
        return Diff(NA, "")

    def bounds(kind: str) -> str:
        low, high = _float(row[f"{kind}_lo_{channel}"]), _float(row[f"{kind}_hi_{channel}"])
        if not (known(low) and known(high)):
            return ""
        return f"[{signed_percent(low)}, {signed_percent(high)}]"

    paired = f"{signed_percent(mean)} {bounds('paired')}".strip()
    return Diff(paired, bounds("unpaired"))


SWEEP_CSV = "sweep.csv"


def write_sweep_report(sweep_dir: Path) -> Path:
    """Write sweep.csv, the figures and sweep.html into `sweep_dir`; returns the HTML path.
    RunDirError when it holds no job directory (or a job's files are older)."""
    if not sweep_dir.is_dir():
        raise RunDirError(f"{sweep_dir}: no such directory")
    jobs = collect_jobs(sweep_dir)
    if not jobs:
        raise RunDirError(
            f"{sweep_dir}: not a sweep: no job directories with .hydra/overrides.yaml"
        )
    table = sweep_table(jobs)
    table.to_csv(sweep_dir / SWEEP_CSV, index=False, float_format="%.6g")
    return render_sweep_page(sweep_dir, table, swept_keys(jobs), scenario_names(jobs))
