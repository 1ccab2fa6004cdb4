"""The sweep page: `sweep.html` and its figures, from the table `sim.analysis.sweep.sweep_table`
builds (itself from the jobs' summary.json, model.json and intervals.csv; no job's report is
read)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sim.analysis.figure import Figure
from sim.analysis.sweep import diff_channels
from sim.pages import kit
from sim.pages.format import Cell, known, signed_percent, value

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
        table=variant_table(ranked, keys),
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
                figures.sweep_frontier(table, target),
                sweep_dir,
                "sweep_frontier",
                "The cost-service frontier",
                "Cost against the worst channel's service level (for a deferrable backlog, its "
                "deadline share with the items left at the end counted late). Filled and "
                "joined: the Pareto-efficient variants, which no other variant beats on both "
                "(cheaper and at least as good); hollow: dominated ones; numbers: the jobs of "
                "the table above. Pick along the frontier: each step right buys the service "
                "shown.",
            )
        )
    if len(ok) > 1:
        reference = int(table["reference_job"].iloc[0])
        shown.append(
            kit.show(
                figures.paired_differences(table, reference, keys, diff_channels(table)),
                sweep_dir,
                "paired_differences",
                "Differences from the reference, paired and unpaired",
                f"Each channel's service-level difference of each variant from job {reference} "
                "(the cheapest meeting the target, else the first). Every variant met the same "
                "customers, so the per-replication difference (paired CI, black) is far more "
                "precise than comparing the two means (unpaired CI, grey).",
            )
        )
    return shown


def channels_of(table: pd.DataFrame) -> list[str]:
    """The channels of the sweep's `sl_<channel>` columns, in column order."""
    return [
        c.removeprefix("sl_")
        for c in table.columns
        if c.startswith("sl_") and not c.startswith("sl_queue_") and not c.endswith(("_lo", "_hi"))
    ]


def queues_of(table: pd.DataFrame) -> list[str]:
    return [c.removeprefix("sl_queue_") for c in table.columns if c.startswith("sl_queue_")]


@dataclass(frozen=True)
class MetCounts:
    finished: int
    meeting: int
    missing_per_channel: list[tuple[str, int]]  # channel, variants missing it


def met_counts(table: pd.DataFrame) -> MetCounts | None:
    ok = table[table["status"] == "ok"]
    if ok.empty or "meets_target" not in ok:
        return None
    return MetCounts(
        finished=len(ok),
        meeting=int(ok["meets_target"].fillna(False).astype(bool).sum()),
        missing_per_channel=[
            (c, int((~ok[f"met_{c}"].fillna(False).astype(bool)).sum()))
            for c in channels_of(ok)
            if f"met_{c}" in ok
        ],
    )


@dataclass(frozen=True)
class Diff:
    channel: str
    paired: str  # "+3.1% [+2.2%, +4.1%]"
    unpaired: str  # "[+0.5%, +5.8%]"


@dataclass(frozen=True)
class VariantRow:
    job: int
    pareto: bool
    values: list[str]  # the swept keys' values
    rank: str
    cost: Cell | None  # None: no variant has a cost
    paid_hours: str
    sl: list[Cell]  # per channel
    sl_queue: list[str]
    asa: list[str]  # per channel
    abandon: str
    occupancy: str
    meets: bool
    fails: list[str]  # why it misses, per channel
    diffs: list[Diff]


@dataclass(frozen=True)
class VariantTable:
    keys: list[str]
    channels: list[str]
    queues: list[str]
    costed: bool
    rows: list[VariantRow]


def _float(x: object) -> float:
    return float(x) if known(x) else math.nan  # type: ignore[arg-type]


def _figure(row: pd.Series, column: str) -> Figure:
    return Figure(
        _float(row.get(column)), _float(row.get(f"{column}_lo")), _float(row.get(f"{column}_hi"))
    )


def variant_table(table: pd.DataFrame, keys: list[str]) -> VariantTable | None:
    """The finished variants in ranking order; None when none finished."""
    ok = table[table["status"] == "ok"]
    if ok.empty:
        return None
    channels, queues = channels_of(ok), queues_of(ok)
    costed = bool(ok["cost"].notna().any())
    rows = []
    for _, r in ok.iterrows():
        rows.append(
            VariantRow(
                job=int(r["job"]),
                pareto=bool(r["pareto"]),
                values=[str(r[k]) for k in keys],
                rank="" if pd.isna(r["rank"]) else f"{int(r['rank'])}",
                cost=Cell(_figure(r, "cost"), "cost") if costed else None,
                paid_hours=f"{r['paid_hours']:.0f}",
                sl=[Cell(_figure(r, f"sl_{c}"), "percent") for c in channels],
                sl_queue=[value(_float(r[f"sl_queue_{q}"]), "percent") for q in queues],
                asa=[value(_float(r[f"asa_{c}"]), "duration") for c in channels],
                abandon=value(_float(r["abandon_rate"]), "percent"),
                occupancy=value(_float(r["occupancy"]), "percent"),
                meets=bool(r["meets_target"]),
                fails=[] if r["meets_target"] else str(r["fails"]).split(" | "),
                diffs=[d for c in diff_channels(table) if (d := diff(r, c)) is not None],
            )
        )
    return VariantTable(keys, channels, queues, costed, rows)


def diff(row: pd.Series, channel: str) -> Diff | None:
    """The variant's service-level difference from the reference on `channel`, paired and
    unpaired; None for the reference itself (and a channel one of the two lacks)."""
    mean = _float(row.get(f"diff_{channel}"))
    if not known(mean):
        return None

    def bounds(kind: str) -> str:
        low, high = row[f"{kind}_lo_{channel}"], row[f"{kind}_hi_{channel}"]
        return f"[{signed_percent(low)}, {signed_percent(high)}]"

    return Diff(channel, f"{signed_percent(mean)} {bounds('paired')}", bounds("unpaired"))
