"""The staffing that was really present per interval, and a roster that reproduces it.

With agent ids in the log, an agent counts as present on a day from the start of their first
contact to the end of their last, less where it was away: an agent who was there would have
taken a waiting contact of its types, so in a gap of `BREAK_MIN_S` or more between its contacts
during which such contacts waited it was away (a break, a meeting, logged off), for the whole
gap when they waited half of it or more, else from the first to the last moment they waited;
idle time before the first contact is not seen. Agents who answered the same set of contact types form one pool (a roster group holding
those skills). Without agent ids, the staffing is estimated per channel from the contacts alone:
while somebody waits, every agent able to serve them must be busy, so the number of contacts
in service at those moments is the number present (an interval where nobody waited gives only
a lower bound: the most in service at once).

The mean presence over the chosen days is fractional (10.4 agents), so the roster reproduces it
by shift timing: level j of a pool is present in interval k for the share
clip(p_k - (j - 1), 0, 1) of it, i.e. arriving late in the first interval of a run, leaving
early in the last, with a break inside the interior intervals it covers only in part. Runs are
cut into shifts of at most `MAX_SHIFT_H` hours (separate agents), so presence matches the data
to the second while no shift breaks the default labour rules' longest stretch.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import cast

import numpy as np
import pandas as pd

from sim.calibrate.days import DAY_S
from sim.clock import format_clock

MAX_SHIFT_H = 5.0
SAMPLE_S = 60.0  # busy-while-waiting: checked every minute
MIN_SHARE = 1.0 / 60  # a presence below a minute of a 60-minute interval is dropped
BREAK_MIN_S = 600.0  # a gap between an agent's contacts at least this long may be a break


@dataclass(frozen=True)
class Pool:
    """Agents holding `skills` (contact types); `presence[k]`: mean agents present in interval
    k over the days; `per_day[d, k]` the same for each day."""

    name: str
    skills: tuple[str, ...]
    per_day: np.ndarray
    chats: int = 1  # contacts of a concurrent channel held at once (the roster's `chats`)

    @property
    def presence(self) -> np.ndarray:
        return self.per_day.mean(axis=0)


@dataclass(frozen=True)
class Staffing:
    method: str  # "agents seen working" | "busy while waiting" | "Erlang C requirement"
    interval_s: float
    pools: tuple[Pool, ...]
    concurrent: tuple[str, ...] = ()  # channels whose agents were seen holding several at once


def service_times(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Start and end of service (time of day) of each row: arrival + front end + wait, + handle."""
    front = frame["front_s"].fillna(0.0).to_numpy() if "front_s" in frame.columns else 0.0
    start = frame["tod_s"].to_numpy() + front + frame["wait_s"].fillna(0.0).to_numpy()
    return start, start + frame["handle_s"].to_numpy()


def agents_seen(frame: pd.DataFrame, n_days: int, interval_s: float) -> Staffing:
    answered = frame[(frame["outcome"] == "answered") & frame["agent"].notna()].copy()
    answered["start"], answered["end"] = service_times(answered)
    answered["agent"] = answered["agent"].astype(str)
    skills = answered.groupby("agent")["type"].agg(lambda s: ";".join(sorted(set(map(str, s)))))
    waiting = _waiting_by_day_and_type(frame)
    spans = answered.groupby(["day_key", "agent"]).agg(first=("start", "min"), last=("end", "max"))
    spans = spans.reset_index()
    spans["skills"] = spans["agent"].map(skills)
    away = _gaps_while_waited(answered, skills, waiting)
    held = most_held(answered)
    concurrent = held[held["most"] >= 2].groupby("channel")["most"].median()
    concurrent = concurrent[concurrent >= 2]
    chats_of = held[held["channel"].isin(concurrent.index)].groupby("agent")["most"].max()
    n = int(round(DAY_S / interval_s))
    pools = []
    for skill_set, rows in spans.groupby("skills", sort=True):
        per_day = np.zeros((n_days, n))
        days = rows["day_key"].to_numpy(dtype=int)
        for day, agent, first, last in zip(
            days, rows["agent"], rows["first"], rows["last"], strict=True
        ):
            per_day[day] += _overlap(first, last, interval_s, n)
            for g0, g1 in away.get((int(day), str(agent)), ()):
                per_day[day] -= _overlap(g0, g1, interval_s, n)
        names = tuple(str(skill_set).split(";"))
        chats = chats_of.reindex(rows["agent"].unique()).dropna()
        most = int(round(float(chats.median()))) if len(chats) else 1
        pools.append(Pool(_pool_name(names), names, per_day, max(most, 1)))
    channels = tuple(sorted(map(str, concurrent.index)))
    return Staffing("agents seen working", interval_s, tuple(pools), channels)


SAMPLES = np.arange(0.0, DAY_S, SAMPLE_S) + SAMPLE_S / 2


def _waiting_by_day_and_type(frame: pd.DataFrame) -> dict[tuple[int, str], np.ndarray]:
    """How many contacts of each type were waiting, every `SAMPLE_S` of each day."""
    queued = frame[frame["wait_s"].fillna(0) > 0]
    front = queued["front_s"].fillna(0.0) if "front_s" in queued.columns else 0.0
    join = queued["tod_s"] + front
    out = {}
    for key, rows in queued.assign(join=join).groupby(["day_key", "type"]):
        day, type_ = cast("tuple[int, str]", key)
        start = rows["join"].to_numpy()
        out[(int(day), str(type_))] = _in_progress(
            start, start + rows["wait_s"].to_numpy(), SAMPLES
        )
    return out


def _gaps_while_waited(
    answered: pd.DataFrame, skills: pd.Series, waiting: dict[tuple[int, str], np.ndarray]
) -> dict[tuple[int, str], list[tuple[float, float]]]:
    """Per (day, agent): the spans it was away, within gaps of `BREAK_MIN_S` or more between
    its contacts (their union), see the module."""
    out: dict[tuple[int, str], list[tuple[float, float]]] = {}
    for key, rows in answered.groupby(["day_key", "agent"], sort=False):
        day, agent = cast("tuple[int, str]", key)
        start = rows["start"].to_numpy()
        order = np.argsort(start)
        start, end = start[order], np.maximum.accumulate(rows["end"].to_numpy()[order])
        gap_start, gap_end = end[:-1], start[1:]
        long = gap_end - gap_start >= BREAK_MIN_S
        if not long.any():
            continue
        types = str(skills[agent]).split(";")
        seen = [waiting[key] for key in ((int(day), t) for t in types) if key in waiting]
        if not seen:
            continue
        someone = np.sum(seen, axis=0) > 0
        gaps = []
        for g0, g1 in zip(gap_start[long], gap_end[long], strict=True):
            waited = SAMPLES[(g0 <= SAMPLES) & (g1 > SAMPLES) & someone]
            if len(waited) < 2:
                continue
            if len(waited) * SAMPLE_S >= 0.5 * (g1 - g0):
                gaps.append((float(g0), float(g1)))
            else:  # away at least from the first to the last moment somebody waited
                half = SAMPLE_S / 2
                gaps.append((max(float(g0), waited[0] - half), min(float(g1), waited[-1] + half)))
        if gaps:
            out[(int(day), str(agent))] = gaps
    return out


def most_held(answered: pd.DataFrame) -> pd.DataFrame:
    """Per agent and channel: the most contacts of the channel it held at once on any day
    (`most`), from its contacts' service spans; a channel's agents holding two or more (by
    the median agent) make it a concurrent one, chat as ccsim models it."""
    channel = answered["channel"] if "channel" in answered.columns else "contacts"
    spans = answered.assign(channel=channel)[["agent", "channel", "day_key", "start", "end"]]
    rows = []
    for (agent, chan, _day), one in spans.groupby(["agent", "channel", "day_key"], sort=True):
        times = np.concatenate([one["start"].to_numpy(), one["end"].to_numpy()])
        steps = np.concatenate([np.ones(len(one)), -np.ones(len(one))])
        order = np.lexsort((steps, times))  # an end before a start at the same instant
        rows.append((agent, chan, int(np.cumsum(steps[order]).max())))
    held = pd.DataFrame(rows, columns=["agent", "channel", "most"])
    return held.groupby(["agent", "channel"], as_index=False).agg(most=("most", "max"))


def busy_while_waiting(frame: pd.DataFrame, n_days: int, interval_s: float) -> Staffing:
    """Per channel (or for the whole log without a channel column), see the module."""
    channel = frame["channel"].astype(str) if "channel" in frame.columns else None
    groups = frame.groupby(channel, sort=True) if channel is not None else [("all", frame)]
    n = int(round(DAY_S / interval_s))
    samples = np.arange(0.0, DAY_S, SAMPLE_S) + SAMPLE_S / 2
    k_of = (samples // interval_s).astype(int)
    pools = []
    for name, rows in groups:
        per_day = np.zeros((n_days, n))
        for day in np.unique(rows["day_key"].to_numpy(dtype=int)):
            one = rows[rows["day_key"] == day]
            per_day[day] = _busy_estimate(one, samples, k_of, n)
        skills = tuple(sorted(rows["type"].astype(str).unique()))
        pools.append(Pool(str(name), skills, per_day))
    return Staffing("busy while waiting", interval_s, tuple(pools))


def _busy_estimate(day: pd.DataFrame, samples: np.ndarray, k_of: np.ndarray, n: int) -> np.ndarray:
    answered = day[day["outcome"] == "answered"]
    start, end = service_times(answered)
    busy = _in_progress(start, end, samples)
    queued = day[day["wait_s"].fillna(0) > 0]
    front = queued["front_s"].fillna(0.0).to_numpy() if "front_s" in queued.columns else 0.0
    join = queued["tod_s"].to_numpy() + front
    waiting = _in_progress(join, join + queued["wait_s"].to_numpy(), samples)
    out = np.zeros(n)
    for k in range(n):
        here = k_of == k
        seen = busy[here & (waiting > 0)]
        out[k] = seen.mean() if len(seen) else busy[here].max(initial=0)
    return out


def _in_progress(start: np.ndarray, end: np.ndarray, at: np.ndarray) -> np.ndarray:
    """How many [start, end) spans hold each time of `at`."""
    return np.searchsorted(np.sort(start), at, side="right") - np.searchsorted(
        np.sort(end), at, side="right"
    )


def _overlap(first: float, last: float, interval_s: float, n: int) -> np.ndarray:
    """The share of each interval of the day inside [first, last]."""
    starts = np.arange(n) * interval_s
    return np.clip(np.minimum(last, starts + interval_s) - np.maximum(first, starts), 0, None) / (
        interval_s
    )


def _pool_name(skills: tuple[str, ...]) -> str:
    return "+".join(skills)


# --- the roster that reproduces a presence profile -------------------------------------------


def roster_rows(staffing: Staffing) -> list[dict[str, str]]:
    """Roster CSV rows (agent, group, skills, start, end, breaks) whose agents are present, in
    every interval, as many as the pools' mean presence (see the module)."""
    rows: list[dict[str, str]] = []
    interval_s = staffing.interval_s
    per_shift = max(1, int(MAX_SHIFT_H * 3600 // interval_s))
    for p, pool in enumerate(staffing.pools, start=1):
        presence = np.round(pool.presence, 6)
        count = 0
        for level in range(1, int(math.ceil(presence.max(initial=0))) + 1):
            share = np.clip(presence - (level - 1), 0, 1)
            share = np.where(share < MIN_SHARE, 0.0, share)
            for a, b in _runs(share > 0):
                for lo in range(a, b + 1, per_shift):
                    hi = min(b, lo + per_shift - 1)
                    count += 1
                    rows.append(_shift_row(f"p{p}_{count:03d}", pool, share, lo, hi, interval_s))
    return rows


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(first, last) index of each run of True."""
    edges = np.diff(np.concatenate(([0], mask.astype(int), [0])))
    return list(zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1, strict=True))


def _shift_row(name, pool: Pool, share, lo: int, hi: int, interval_s: float) -> dict[str, str]:
    """Present the last `share` of interval lo, the first `share` of interval hi, and of every
    interval between: its first `share`, on a break for the rest."""
    if lo == hi:
        start, end = lo * interval_s, (lo + share[lo]) * interval_s
        breaks = []
    else:
        start = (lo + 1 - share[lo]) * interval_s
        end = (hi + share[hi]) * interval_s
        breaks = [
            f"{_clock(k * interval_s + share[k] * interval_s)}+{(1 - share[k]) * interval_s / 60:.4g}"
            for k in range(lo + 1, hi)
            if (1 - share[k]) * interval_s >= 1  # a break of a second or more
        ]
    return {
        "agent": name,
        "group": pool.name,
        "skills": ";".join(pool.skills),
        "start": _clock(start),
        "end": _clock(end),
        "breaks": ";".join(breaks),
        "chats": str(pool.chats),
    }


def _clock(seconds: float) -> str:
    """HH:MM:SS (whole seconds), hours past 24 on the next day."""
    s = int(round(seconds))
    if s % 60 == 0:
        return format_clock(s)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def presence_of_rows(rows: list[dict[str, str]], interval_s: float) -> dict[str, np.ndarray]:
    """Agents present per interval and group in a roster's rows: the check that the roster
    reproduces the staffing (and the page's line)."""
    from sim.clock import parse_clock

    n = int(round(DAY_S / interval_s))
    out: dict[str, np.ndarray] = {}
    for row in rows:
        start, end = parse_clock(row["start"]), parse_clock(row["end"])
        present = _overlap(start, end, interval_s, n)
        for text in filter(None, row["breaks"].split(";")):
            clock, _, minutes = text.partition("+")
            b = parse_clock(clock)
            present -= _overlap(b, b + float(minutes) * 60, interval_s, n)
        out[row["group"]] = out.get(row["group"], np.zeros(n)) + present
    return out


def erlang_requirement(
    rates: np.ndarray, aht: np.ndarray, types: tuple[str, ...], interval_s: float
) -> Staffing:
    """Without contacts (an interval-counts file) nothing shows who was present: one pool per
    type staffed to the Erlang C requirement of its mean rate and AHT, at the service level
    the calibrated scenario is judged by (it sets none: the model's defaults, 80% in 20 s), so
    the scenario runs; the page says it is not from data."""
    from sim.analysis.erlang import agents_required
    from sim.model import DEFAULT_TARGET, DEFAULT_THRESHOLD_S

    pools = []
    for t, name in enumerate(types):
        need = np.array(
            [
                agents_required(r / interval_s, a, DEFAULT_THRESHOLD_S, DEFAULT_TARGET)
                if r > 0
                else 0
                for r, a in zip(rates[t], aht[t], strict=True)
            ],
            dtype=float,
        )
        pools.append(Pool(name, (name,), need[None, :]))
    return Staffing("Erlang C requirement (not from data)", interval_s, tuple(pools))
