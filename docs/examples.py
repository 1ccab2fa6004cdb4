"""Re-measure every figure the docs quote, and write it into the Markdown in place.

A figure in README.md, docs/*.md or scenarios/README.md sits between markers naming the
producer that measures it:

    ... service level <!-- figure: calibrate.phone -->90.0% [86.6, 93.3] ...<!-- /figure -->

A producer re-runs its example the way a user would, through the commands as subprocesses
(`python -m sim ... hydra.run.dir=<tmp> progress=false report=false`, `python -m bench ...`),
and formats what they wrote (summary.json, intervals.csv, sweep.csv, staffing.json, the
command's output). So the docs say what the commands give today, and a change in the model
shows up as a change in the docs' figures, never as a stale number nobody re-measured.
Every example runs at most once per invocation, however many figures it feeds.

    python -m docs.examples                  # every figure (a few minutes on two cores)
    python -m docs.examples --only sweep     # producers named sweep or sweep.* (several names ok)
    python -m docs.examples --check          # no simulation: markers and producers match

A block producer (a table, a code block) writes whole lines, so its markers stand on lines
of their own; an inline one writes a phrase, so its opening marker must not start a line (an
HTML comment there would start an HTML block and break the paragraph in Markdown).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
NAME = r"[a-z0-9_.]+"  # lowercase, so prose can say `<!-- figure: NAME -->` without a marker
MARKER = re.compile(rf"<!-- figure: (?P<name>{NAME}) -->(?P<body>.*?)<!-- /figure -->", re.S)
OPENING = "<!-- figure: "
OPENING_MARKER = re.compile(rf"<!-- figure: {NAME} -->")
CLOSING = "<!-- /figure -->"


def pages(root: Path = ROOT) -> list[Path]:
    """The Markdown files whose figures this script owns."""
    return [root / "README.md", *sorted((root / "docs").glob("*.md")), root / "scenarios/README.md"]


# --- the example runs -------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """One command's outputs: its directory (a run, a sweep or a search), what it printed
    (stdout and stderr together) and how long it took, start to exit."""

    path: Path
    output: str
    seconds: float

    def summary(self) -> dict[str, Any]:
        return json.loads((self.path / "summary.json").read_text())

    def intervals(self) -> pd.DataFrame:
        return pd.read_csv(self.path / "intervals.csv")

    def kpi(self, group: str, metric: str) -> dict[str, Any]:
        return self.summary()["kpis"][group][metric]


def command(*args: str, cwd: Path = ROOT) -> tuple[str, float]:
    """Run `python ARGS` in `cwd`; its output and wall time. A failure stops the script with
    the command's own message: a figure is never made up."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, *args], cwd=cwd, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(
            f"docs.examples: `python {' '.join(args)}` failed ({done.returncode}):\n"
            f"{done.stdout}{done.stderr}"
        )
    return done.stdout + done.stderr, seconds


class Examples:
    """The example runs, each made once (on first use) in a temporary directory."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self._made: dict[str, Any] = {}

    def _once(self, key: str, make: Callable[[], Any]) -> Any:
        if key not in self._made:
            started = time.perf_counter()
            print(f"docs.examples: running {key} ...", file=sys.stderr, flush=True)
            self._made[key] = make()
            took = time.perf_counter() - started
            print(f"docs.examples: {key} took {took:.1f} s", file=sys.stderr, flush=True)
        return self._made[key]

    def sim(self, key: str, *overrides: str, cwd: Path = ROOT) -> Run:
        """`python -m sim OVERRIDES` into a directory of its own, without report or bars."""

        def make() -> Run:
            path = self.tmp / key
            output, seconds = command(
                "-m",
                "sim",
                *overrides,
                f"hydra.run.dir={path}",
                "progress=false",
                "report=false",
                cwd=cwd,
            )
            return Run(path, output, seconds)

        return self._once(key, make)

    def holiday_peak(self) -> Run:
        """The README's worked example: `python -m sim`, the defaults."""
        return self.sim("holiday_peak")

    def sweep(self) -> Run:
        def make() -> Run:
            path = self.tmp / "sweep"
            output, seconds = command(
                "-m",
                "sim",
                "-m",
                *SWEEP,
                "hydra/launcher=joblib",
                f"hydra.sweep.dir={path}",
                "progress=false",
            )
            return Run(path, output, seconds)

        return self._once("sweep", make)

    def staffing(self) -> Run:
        def make() -> Run:
            path = self.tmp / "staffing"
            output, seconds = command(
                "-m", "sim.staffing", f"hydra.run.dir={path}", "progress=false", "report=false"
            )
            return Run(path, output, seconds)

        return self._once("staffing", make)

    def calibrated(self) -> Run:
        """The worked example's contacts.parquet calibrated (into a root of its own) and the
        calibrated scenario run with the same seed."""

        def make() -> Run:
            root = self.tmp / "calibrated_root"
            contacts = self.holiday_peak().path / "contacts.parquet"
            command(
                "-m",
                "sim.calibrate",
                str(contacts),
                "--name",
                "hp_cal",
                "--map",
                "type=contact_type,arrival=arrival_s",
                "--day-column",
                "replication",
                "--root",
                str(root),
            )
            return self.sim(
                "calibrated", f"--config-dir={root / 'configs'}", "scenario=hp_cal", cwd=root
            )

        return self._once("calibrate", make)

    def replay_log(self, agents: bool = True) -> Path:
        """Replication 0 of the worked example, first legs only: a one-day contact log;
        without `agents`, with no agent column (so nothing undoes the chat concurrency)."""
        key = "replay_log" if agents else "replay_log_without_agents"

        def make() -> Path:
            contacts = pd.read_parquet(self.holiday_peak().path / "contacts.parquet")
            log = contacts[(contacts["replication"] == 0) & (contacts["transfer_of"] == -1)]
            if not agents:
                log = log.drop(columns=["agent"])
            path = self.tmp / f"{key}.parquet"
            log.to_parquet(path)
            return path

        return self._once(key, make)

    def replay(self, agents: bool = True) -> Run:
        """The worked example's day replayed (docs/replay.md gives the command)."""
        return self.sim(
            "replay" if agents else "replay_without_agents",
            "~scenario.forecast",
            f"+scenario.trace.file={self.replay_log(agents)}",
            "+scenario.trace.handle=true",
            "+scenario.trace.customers=true",
            "+scenario.trace.map={type: contact_type, arrival: arrival_s}",
            "scenario.retrials=null",
            "scenario.busyness_cv=0",
        )

    def scenario(self, name: str) -> Run:
        """A library scenario as scenarios/README.md's table runs it: 5 replications."""
        return self.sim(f"scenario_{name}", f"scenario={name}", "replications=5")

    def bench(self, *args: str) -> str:
        key = "bench " + " ".join(args) if args else "bench"
        return self._once(key, lambda: command("-m", "bench", *args)[0])

    def erlang(self) -> str:
        return self._once("erlang", lambda: command("-c", ERLANG_EXAMPLE)[0])


SWEEP = ("roster.extra_agents=0,4,8", "routing=fifo,vip_first,overflow")
LIBRARY = (
    "normal_weekday",
    "double11_opening",
    "spring_festival_eve",
    "finance_month_end",
    "product_launch_week",
)
ERLANG_CALLS = (
    "erlang_c(14, rate=100 / 1800, aht=180, threshold=20)",
    "erlang_a(14, rate=100 / 1800, aht=180, patience=300, threshold=20)",
    "agents_required(rate=100 / 1800, aht=180, threshold=20, target_sl=0.8)",
)
ERLANG_EXAMPLE = "\n".join(
    [
        "import json",
        "from sim import erlang_c, erlang_a, agents_required",
        f"c = {ERLANG_CALLS[0]}",
        f"a = {ERLANG_CALLS[1]}",
        f"n = {ERLANG_CALLS[2]}",
        "print(json.dumps({'c': [c.service_level, c.asa, c.p_wait],"
        " 'a': [a.p_abandon, a.service_level], 'n': n}))",
    ]
)


# --- formatting ---------------------------------------------------------------------------------


def pct(x: float, digits: int = 1) -> str:
    return f"{100 * x:.{digits}f}%"


def pct_ci(figure: dict[str, Any], digits: int = 1) -> str:
    """A share with its 95% CI: `81.7% [77.3, 86.1]`."""
    low, high = figure["ci95"]
    return f"{pct(figure['mean'], digits)} [{100 * low:.{digits}f}, {100 * high:.{digits}f}]"


def count_ci(figure: dict[str, Any], digits: int = 0) -> str:
    """A count with its 95% CI: `109 [75, 142]`."""
    low, high = figure["ci95"]
    return f"{figure['mean']:,.{digits}f} [{low:,.{digits}f}, {high:,.{digits}f}]"


def duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"


def threshold(seconds: float) -> str:
    return f"{seconds / 3600:.0f} h" if seconds >= 3600 else f"{seconds:.0f} s"


def points(x: float) -> str:
    return f"{100 * x:+.1f}"


def code_block(text: str, language: str = "") -> str:
    return f"```{language}\n{text.rstrip()}\n```"


def table(header: list[str], rows: Iterable[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def matched(pattern: str, text: str) -> re.Match[str]:
    """The pattern in a command's output; a clear stop if the output changed shape."""
    found = re.search(pattern, text)
    if found is None:
        raise SystemExit(f"docs.examples: {pattern!r} not found in:\n{text}")
    return found


# --- producers ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Producer:
    name: str
    make: Callable[[Examples], str]
    block: bool  # whole lines (a table, a code block) rather than a phrase


PRODUCERS: dict[str, Producer] = {}


def figure(name: str, block: bool = False) -> Callable[[Callable[[Examples], str]], Callable]:
    """Register a producer under the name its markers give."""

    def register(make: Callable[[Examples], str]) -> Callable[[Examples], str]:
        if not re.fullmatch(NAME, name):
            raise ValueError(f"producer names are lowercase words and dots: {name!r}")
        if name in PRODUCERS:
            raise ValueError(f"two producers named {name}")
        PRODUCERS[name] = Producer(name, make, block)
        return make

    return register


# The worked example (README).


@figure("holiday_peak.console", block=True)
def _console(ex: Examples) -> str:
    line = matched(r"ccsim: holiday_peak: [^\n]*", ex.holiday_peak().output).group(0)
    line = re.sub(r"outputs in \S+$", "outputs in outputs/<date>/<time>_holiday_peak", line)
    return code_block(f"$ python -m sim\n{line}", "console")


@figure("holiday_peak.table", block=True)
def _channel_table(ex: Examples) -> str:
    run = ex.holiday_peak()
    summary = run.summary()
    front_ends = _front_ends(run.path)
    rows = []
    for channel, seconds in summary["service_level"]["threshold_s_by_channel"].items():
        k = summary["kpis"][f"channel={channel}"]
        offered, contained = k["offered"]["mean"], k["contained"]["mean"]
        share = f"{contained / offered:.0%} ({front_ends[channel]})" if contained else ""
        rows.append(
            [
                f"{channel} ({threshold(seconds)})",
                f"{offered:,.0f}",
                share,
                pct_ci(k["service_level"]),
                pct(k["abandon_rate"]["mean"]),
                duration(k["asa_s"]["mean"]),
                pct(k["occupancy"]["mean"]),
            ]
        )
    header = ["", "offered", "contained", "service level", "abandoned", "ASA", "occupancy"]
    return table(header, rows)


def _front_ends(run_dir: Path) -> dict[str, str]:
    """Each channel's front end in the run's composed config (IVR, bot or none)."""
    import yaml

    config = yaml.safe_load((run_dir / ".hydra/config.yaml").read_text())
    channels = config["scenario"]["channels"]
    return {
        name: "IVR" if "ivr" in spec else "bot" if "bot" in spec else ""
        for name, spec in channels.items()
    }


@dataclass
class QueueBelow:
    queue: str
    below: int
    open: int
    worst: pd.Series | None = field(default=None)


def queues_below(intervals: pd.DataFrame, target: float) -> list[QueueBelow]:
    """Per real-time queue, the intervals with contacts whose service level is below target,
    and the worst: the verdict's rule (docs/reports-and-sweeps.md), from intervals.csv."""
    out = []
    for queue, rows in intervals.groupby("queue", sort=False):
        judged = rows[(rows["offered"] > 0) & rows["service_level"].notna()]
        below = judged[judged["service_level"] < target]
        worst = below.sort_values("service_level").iloc[0] if len(below) else None
        out.append(QueueBelow(str(queue), len(below), len(judged), worst))
    return out


@figure("holiday_peak.queues_below")
def _queues_below(ex: Examples) -> str:
    run = ex.holiday_peak()
    summary = run.summary()
    target = summary["service_level"]["target"]
    deferrable = {key.split("=", 1)[1] for key in summary.get("backlog", {})}
    parts = []
    for q in queues_below(run.intervals(), target):
        if q.queue in deferrable or q.worst is None:
            continue
        w = q.worst
        worst = (
            f"{pct(w['service_level'], 0)} [{100 * w['service_level_lo']:.0f}, "
            f"{100 * w['service_level_hi']:.0f}] at {w['start']}"
        )
        parts.append(f"`{q.queue}` in {q.below} of {q.open} intervals (worst {worst})")
    return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else "".join(parts)


def _email_backlog(ex: Examples) -> dict[str, Any]:
    return ex.holiday_peak().summary()["backlog"]["channel=email"]


@figure("holiday_peak.email_left")
def _email_left(ex: Examples) -> str:
    return count_ci(_email_backlog(ex)["left"])


@figure("holiday_peak.email_oldest")
def _email_oldest(ex: Examples) -> str:
    return f"{_email_backlog(ex)['oldest_h']['mean']:.1f} h"


@figure("holiday_peak.email_if_late")
def _email_if_late(ex: Examples) -> str:
    return pct(_email_backlog(ex)["share_if_late"]["mean"], 0)


def _workforce(ex: Examples) -> dict[str, Any]:
    return ex.holiday_peak().summary()["workforce"]


@figure("holiday_peak.temps_shrinkage")
def _temps_shrinkage(ex: Examples) -> str:
    return pct(_workforce(ex)["groups"]["group=temps"]["shrinkage"]["mean"], 0)


@figure("holiday_peak.phone_alert")
def _phone_alert(ex: Examples) -> str:
    alert = _workforce(ex)["alerts"]["phone_sl"]
    return f"{alert['raised']['mean']:.1f} times a day ({alert['raised_h']['mean']:.1f} h in all)"


@figure("holiday_peak.call_ins")
def _call_ins(ex: Examples) -> str:
    helpers = _workforce(ex)["groups"]["group=on_call"]
    calls, hours = helpers["call_ins"]["mean"], helpers["realised_h"]["mean"]
    return f"{calls:.1f} helpers a day for {hours:.1f} hours"


@figure("holiday_peak.moved_h")
def _moved_h(ex: Examples) -> str:
    return f"{_workforce(ex)['groups']['group=email_team']['moved_h']['mean']:.1f} h"


@figure("holiday_peak.cost")
def _cost(ex: Examples) -> str:
    total = ex.holiday_peak().summary()["agents"]["all"]
    return (
        f"{count_ci(total['cost'])} CNY as worked against "
        f"{total['planned_cost']['mean']:,.0f} planned ({total['overtime_h']['mean']:.1f} h of overtime)"
    )


@figure("holiday_peak.labour")
def _labour(ex: Examples) -> str:
    labour = ex.holiday_peak().summary()["labour"]
    planned, realised = len(labour["planned"]), len(labour["realised"])
    return f"{planned} planned violation{'s' * (planned != 1)} and {realised} on the simulated days"


@figure("holiday_peak.labour_realised", block=True)
def _labour_realised(ex: Examples) -> str:
    realised = ex.holiday_peak().summary()["labour"]["realised"]
    return "\n".join(f"- `{v['agent']}` ({v['group']}): {v['detail']}" for v in realised)


# The sweep of the worked example (docs/reports-and-sweeps.md).


def _sweep_table(ex: Examples) -> pd.DataFrame:
    return pd.read_csv(ex.sweep().path / "sweep.csv")


def _variant(jobs: pd.DataFrame, extra: int, routing: str) -> pd.Series:
    return jobs[(jobs["roster.extra_agents"] == extra) & (jobs["routing"] == routing)].iloc[0]


@figure("sweep.seconds")
def _sweep_seconds(ex: Examples) -> str:
    return f"{ex.sweep().seconds:.0f} s"


@figure("sweep.table", block=True)
def _sweep_rows(ex: Examples) -> str:
    def diff(row: pd.Series, channel: str, kind: str) -> str:
        low, high = row[f"{kind}_lo_{channel}"], row[f"{kind}_hi_{channel}"]
        interval = f"[{points(low)}, {points(high)}]"
        return f"{points(row[f'diff_{channel}'])} {interval}" if kind == "paired" else interval

    rows = []
    for _, row in _sweep_table(ex).iterrows():
        reference = row["job"] == row["reference_job"]
        rows.append(
            [
                f"{row['roster.extra_agents']}",
                row["routing"],
                f"{row['paid_hours']:,.0f}",
                f"{row['cost']:,.0f}",
                pct(row["sl_phone"]),
                pct(row["sl_chat"]),
                "(reference)" if reference else diff(row, "phone", "paired"),
                "" if reference else diff(row, "phone", "unpaired"),
                "(reference)" if reference else diff(row, "chat", "paired"),
            ]
        )
    header = [
        "extra agents",
        "routing",
        "paid hours",
        "cost (CNY)",
        "phone SL",
        "chat SL",
        "phone vs reference, paired 95% CI",
        "unpaired",
        "chat vs reference, paired",
    ]
    return table(header, rows)


@figure("sweep.four_temps")
def _four_temps(ex: Examples) -> str:
    jobs = _sweep_table(ex)
    none, four = _variant(jobs, 0, "vip_first"), _variant(jobs, 4, "vip_first")
    wages = four["planned_cost"] - none["planned_cost"]
    return (
        f"from {pct(none['sl_phone'])} to {pct(four['sl_phone'])} for "
        f"{four['cost'] - none['cost']:,.0f} CNY more (their planned wages: {wages:,.0f} CNY)"
    )


@figure("sweep.eight_temps")
def _eight_temps(ex: Examples) -> str:
    jobs = _sweep_table(ex)
    none, eight = _variant(jobs, 0, "vip_first"), _variant(jobs, 8, "vip_first")
    return f"to {pct(eight['sl_phone'])} for {eight['cost'] - none['cost']:,.0f} CNY more"


@figure("sweep.meeting")
def _meeting(ex: Examples) -> str:
    meeting = int(_sweep_table(ex)["meets_target"].fillna(False).astype(bool).sum())
    return "none" if meeting == 0 else f"{meeting}"


@figure("sweep.overflow_effect")
def _overflow_effect(ex: Examples) -> str:
    jobs = _sweep_table(ex)
    gaps = [
        abs(_variant(jobs, extra, "overflow")[c] - _variant(jobs, extra, "vip_first")[c])
        for extra in sorted(jobs["roster.extra_agents"].unique())
        for c in ("sl_phone", "sl_chat")
    ]
    return f"{100 * max(gaps):.1f} points"


@figure("sweep.paired_example")
def _paired_example(ex: Examples) -> str:
    row = _variant(_sweep_table(ex), 4, "vip_first")
    paired = (row["paired_hi_phone"] - row["paired_lo_phone"]) / 2
    unpaired = (row["unpaired_hi_phone"] - row["unpaired_lo_phone"]) / 2
    return (
        f"four temps' {points(row['diff_phone'])} points on phone (vip_first) are measured to "
        f"{100 * paired:.1f} points either way, where comparing the two means leaves "
        f"{100 * unpaired:.1f}"
    )


# The staffing search (docs/staffing.md).


@figure("staffing.holiday_peak", block=True)
def _staffing(ex: Examples) -> str:
    run = ex.staffing()
    result = json.loads((run.path / "staffing.json").read_text())
    levels = ", ".join(
        f"{c} {v['level_before']} -> {v['level_after']}" for c, v in result["verdict"].items()
    )
    added = ", ".join(f"{n} `{name}`" for name, n in result["added_per_template"].items())
    removed = ", ".join(f"{n} of `{g}`" for g, n in result["removed_per_group"].items())
    lines = [
        f"- {run.seconds:.1f} s wall (the whole command), {result['rounds']} rounds, "
        f"{result['evaluations']} evaluations of {result['replications']} replications;",
        f"- planned cost {result['cost_before']:,.1f} -> {result['cost_after']:,.1f} CNY; "
        f"{result['level_before']} -> {result['level_after']} ({levels}; the menu staffs "
        f"{', '.join(result['judged'])});",
        f"- shifts added: {added or 'none'}; shifts dropped: {removed or 'none'};",
        f"- agents {result['agents_before']} -> {result['agents_after']}.",
    ]
    return "\n".join(lines)


OTHER_SEED = 777  # the search's recommendation re-simulated on other days


@figure("staffing.other_seed", block=True)
def _staffing_other_seed(ex: Examples) -> str:
    """The recommendation re-simulated with another seed, judged by the same rule: per queue
    the level, the judged intervals below target and how many the allowance takes."""
    search = ex.staffing()
    roster = search.path / "roster.csv"
    again = ex.sim("staffing_other_seed", f"roster.file={roster}", f"seed={OTHER_SEED}")
    verdict = again.summary()["verdict"]
    parts = [
        f"{queue} {q['level']} ({q['missed']} of {q['judged']} intervals below target, "
        f"{q['clearly']} clearly; {q['allowed']} allowed)"
        for v in verdict.values()
        for queue, q in v["queues"].items()
        if q["judged"]
    ]
    return f"- seed {OTHER_SEED}: " + "; ".join(parts) + "."


# Calibration and replay (docs/calibration.md, docs/replay.md).


def _against(ex: Examples, channel: str) -> str:
    calibrated = ex.calibrated().kpi(f"channel={channel}", "service_level")
    original = ex.holiday_peak().kpi(f"channel={channel}", "service_level")
    return f"{pct_ci(calibrated)} against {pct_ci(original)}"


@figure("calibrate.phone")
def _calibrate_phone(ex: Examples) -> str:
    return _against(ex, "phone")


@figure("calibrate.chat")
def _calibrate_chat(ex: Examples) -> str:
    return _against(ex, "chat")


@figure("calibrate.email")
def _calibrate_email(ex: Examples) -> str:
    return pct(ex.calibrated().kpi("channel=email", "service_level")["mean"])


def _logged(ex: Examples, group: str) -> dict[str, Any]:
    return ex.replay().summary()["log"]["kpis"][group]


@figure("replay.phone")
def _replay_phone(ex: Examples) -> str:
    replayed = ex.replay().kpi("channel=phone", "service_level")
    return (
        f"{pct_ci(replayed)} against the log's {pct(_logged(ex, 'channel=phone')['service_level'])}"
    )


@figure("replay.phone_abandoned")
def _replay_abandoned(ex: Examples) -> str:
    replayed = ex.replay().kpi("channel=phone", "abandoned")
    logged = _logged(ex, "channel=phone")["abandoned"]
    return f"{count_ci(replayed, 1)} abandoned against {logged:,.0f}"


@figure("replay.chat")
def _replay_chat(ex: Examples) -> str:
    replayed = ex.replay().kpi("channel=chat", "service_level")
    return (
        f"{pct_ci(replayed)} against the log's {pct(_logged(ex, 'channel=chat')['service_level'])}"
    )


@figure("replay.chat_handle")
def _replay_chat_handle(ex: Examples) -> str:
    def mean_handle(contacts: pd.DataFrame) -> float:
        answered = contacts[
            contacts["channel"].eq("chat")
            & contacts["outcome"].eq("answered")
            & contacts["transfer_of"].eq(-1)
        ]
        return float(answered["handle_s"].mean())

    replayed = mean_handle(pd.read_parquet(ex.replay().path / "contacts.parquet"))
    logged = mean_handle(pd.read_parquet(ex.replay_log()))
    return f"{replayed:.0f} s against the log's {logged:.0f} s"


@figure("replay.chat_without_agents")
def _replay_chat_without_agents(ex: Examples) -> str:
    return pct_ci(ex.replay(agents=False).kpi("channel=chat", "service_level"))


# Erlang analytics (docs/validation.md).


@figure("erlang.example", block=True)
def _erlang_example(ex: Examples) -> str:
    figures = json.loads(ex.erlang().strip().splitlines()[-1])
    sl_c, asa_c, wait_c = figures["c"]
    abandon_a, sl_a = figures["a"]
    comments = [
        f"SL {sl_c:.4f}, ASA {asa_c:.2f} s, P(wait) {wait_c:.4f}",
        f"P(abandon) {abandon_a:.4g}, SL {sl_a:.4f}",
        f"{figures['n']}",
    ]
    lines = ["from sim import erlang_c, erlang_a, agents_required", ""]
    lines += [f"{call}  # {comment}" for call, comment in zip(ERLANG_CALLS, comments, strict=True)]
    return code_block("\n".join(lines), "python")


# The benchmark (docs/benchmark.md, and the README's timings).


@figure("bench.mmc", block=True)
def _bench_mmc(ex: Examples) -> str:
    return code_block(ex.bench())


@figure("bench.full", block=True)
def _bench_full(ex: Examples) -> str:
    return code_block(ex.bench("--workload", "full"))


@figure("bench.scaling", block=True)
def _bench_scaling(ex: Examples) -> str:
    output = ex.bench("--scaling")
    return code_block(output[matched(r"(?m)^scaling by", output).start() :])


@figure("bench.report", block=True)
def _bench_report(ex: Examples) -> str:
    return code_block(ex.bench("--report"))


def _commands(ex: Examples) -> re.Match[str]:
    pattern = r"python -m sim ([\d.]+) s, with report=false ([\d.]+) s [^:]*: ([\d.]+)x"
    return matched(pattern, ex.bench("--report"))


@figure("bench.report.with_report_s")
def _with_report(ex: Examples) -> str:
    return f"{float(_commands(ex).group(1)):.1f} s"


@figure("bench.report.without_report_s")
def _without_report(ex: Examples) -> str:
    return f"{float(_commands(ex).group(2)):.1f} s"


@figure("bench.report.ratio_commands")
def _ratio_commands(ex: Examples) -> str:
    return f"{float(_commands(ex).group(3)):.1f}x"


@figure("bench.report.ratio_process")
def _ratio_process(ex: Examples) -> str:
    found = matched(r"\(run \+ report\) / run ([\d.]+)x", ex.bench("--report"))
    return f"{float(found.group(1)):.1f}x"


@figure("bench.end_to_end", block=True)
def _bench_end_to_end(ex: Examples) -> str:
    return code_block(ex.bench("--end-to-end"))


@figure("bench.erlang", block=True)
def _bench_erlang(ex: Examples) -> str:
    return code_block(ex.bench("--workload", "erlang"))


# The scenario library (scenarios/README.md): 5 replications each, as its table says.


def _register_scenario(name: str) -> None:
    @figure(f"scenario.{name}.contacts")
    def contacts(ex: Examples) -> str:
        forecast = ex.scenario(name).intervals()["forecast_offered"].sum()
        return f"{round(forecast, -1):,.0f}"

    @figure(f"scenario.{name}.agents")
    def agents(ex: Examples) -> str:
        return f"{ex.scenario(name).summary()['agents']['all']['agents']}"

    @figure(f"scenario.{name}.sl")
    def service_levels(ex: Examples) -> str:
        run = ex.scenario(name)
        phone = run.kpi("channel=phone", "service_level")["mean"]
        chat = run.kpi("channel=chat", "service_level")["mean"]
        return f"{pct(phone, 0)} / {pct(chat, 0)}"


for _name in LIBRARY:
    _register_scenario(_name)


@figure("scenario.holiday_peak.contacts")
def _holiday_peak_contacts(ex: Examples) -> str:
    forecast = ex.holiday_peak().intervals()["forecast_offered"].sum()
    return f"{round(forecast, -1):,.0f}"


@figure("scenario.product_launch_week.shifts")
def _launch_shifts(ex: Examples) -> str:
    roster = pd.read_csv(ROOT / "scenarios/product_launch_week/roster.csv")
    return f"{len(roster)}"


@figure("scenarios.seconds")
def _scenario_seconds(ex: Examples) -> str:
    seconds = [ex.scenario(name).seconds for name in LIBRARY]
    return f"{min(seconds):.1f}-{max(seconds):.1f} s"


# --- markers ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Marker:
    page: Path
    line: int
    name: str
    block: bool  # its markers stand on lines of their own


def markers(text: str, page: Path) -> list[Marker]:
    out = []
    for found in MARKER.finditer(text):
        line_start = text.rfind("\n", 0, found.start()) + 1
        line_end = text.find("\n", found.end())
        line_end = len(text) if line_end == -1 else line_end
        alone = (
            not text[line_start : found.start()].strip()
            and not text[found.end() : line_end].strip()
        )
        block = alone and "\n" in found.group("body")
        line = text.count("\n", 0, found.start()) + 1
        out.append(Marker(page, line, found.group("name"), block))
    return out


def problems(files: Iterable[Path]) -> list[str]:
    """What is wrong with the markers of `files`: unknown or unused producers, unclosed
    markers, a block producer's markers inside a line, an inline marker starting a line."""
    found: list[Marker] = []
    out = []
    for page in files:
        text = page.read_text(encoding="utf-8")
        mine = markers(text, page)
        found += mine
        for left in OPENING_MARKER.finditer(MARKER.sub("", text)):
            out.append(f"{page.name}: {left.group(0)} is not closed (or is nested)")
        for m in mine:
            where = f"{page.name}:{m.line}: {m.name}"
            producer = PRODUCERS.get(m.name)
            if producer is None:
                out.append(f"{where}: no producer of that name in docs/examples.py")
            elif producer.block and not m.block:
                out.append(f"{where}: a block figure's markers must stand on lines of their own")
            elif not producer.block and _starts_line(text, m):
                out.append(
                    f"{where}: an inline figure must not start a line (Markdown would end the paragraph)"
                )
    used = {m.name for m in found}
    out += [f"producer {name} is used by no page" for name in PRODUCERS if name not in used]
    return out


def _starts_line(text: str, marker: Marker) -> bool:
    line = text.split("\n")[marker.line - 1]
    return line.lstrip().startswith(OPENING + marker.name + " ")


def rewrite(text: str, values: dict[str, str]) -> str:
    """`text` with the body of every marker named in `values` replaced by its value."""

    def replace(found: re.Match[str]) -> str:
        name = found.group("name")
        if name not in values:
            return found.group(0)
        value = values[name]
        body = f"\n\n{value}\n\n" if PRODUCERS[name].block else value
        return f"{OPENING}{name} -->{body}{CLOSING}"

    return MARKER.sub(replace, text)


def selected(only: list[str] | None) -> list[str]:
    if not only:
        return list(PRODUCERS)
    chosen = [n for n in PRODUCERS if any(n == o or n.startswith(o + ".") for o in only)]
    unknown = [o for o in only if not any(n == o or n.startswith(o + ".") for n in PRODUCERS)]
    if unknown:
        raise SystemExit(f"docs.examples: no producer named {', '.join(unknown)}")
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m docs.examples", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--only", nargs="+", metavar="NAME", help="these producers (or prefixes)")
    parser.add_argument("--check", action="store_true", help="check the markers; run nothing")
    args = parser.parse_args(argv)
    files = pages()
    wrong = problems(files)
    if wrong:
        print("\n".join(f"docs.examples: {w}" for w in wrong), file=sys.stderr)
        return 1
    if args.check:
        print(f"docs.examples: {len(PRODUCERS)} producers, every marker has one", file=sys.stderr)
        return 0
    names = selected(args.only)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="ccsim-docs-") as tmp:
        ex = Examples(Path(tmp))
        values = {name: PRODUCERS[name].make(ex).strip() for name in names}
    for name, value in values.items():
        if "\n" in value and not PRODUCERS[name].block:
            raise SystemExit(f"docs.examples: {name} is an inline figure but wrote lines")
    for page in files:
        text = page.read_text(encoding="utf-8")
        new = rewrite(text, values)
        if new != text:
            page.write_text(new, encoding="utf-8")
            print(f"docs.examples: rewrote {page.relative_to(ROOT)}", file=sys.stderr)
    took = time.perf_counter() - started
    print(f"docs.examples: {len(values)} figures in {took:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
