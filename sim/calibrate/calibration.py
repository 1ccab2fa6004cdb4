"""Every estimate of a calibration, built from a normalised contact log (`sim.inputs.contact_log`).

`calibrate_log` runs the estimators of the sibling modules on the chosen days and gathers them
in a `Calibration`, which `sim.calibrate.scenario` writes as a scenario and `sim.pages.calibration`
shows against the data. What a log cannot tell (thresholds, priorities, routing, wrap-up,
retrials, transfers, chat concurrency) is listed in `not_estimated`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sim.calibrate.arrivals import FEW_DAYS, Arrivals, count_arrivals
from sim.calibrate.days import Days
from sim.calibrate.handle import HandleFit, fit_handle
from sim.calibrate.patience import PatienceFit, fit_patience
from sim.calibrate.segments import SegmentMix, segment_mix
from sim.calibrate.staffing import Staffing, agents_seen, busy_while_waiting
from sim.errors import ConfigError
from sim.model import DEFAULT_THRESHOLD_S

NEVER_QUEUED = ("contained", "blocked")
MIN_SEGMENT_ABANDONS = 30  # fewer in some segment of a type: that type's segments pooled
NO_CHANNEL = "contacts"

NOT_ESTIMATED = (
    f"service-level thresholds (the default {DEFAULT_THRESHOLD_S:g} s, or set them per channel)",
    "segment priorities and the routing policy (every segment has priority 0)",
    "wrap-up (not in the log: handle_s is taken as the agent's whole time on a contact)",
    "retrials, transfers and misroutes, balking and callbacks",
    "deferrable channels (email backlogs) and chat concurrency; opening hours (every channel is open all day; the forecast is 0 "
    "where nothing arrived)",
)


@dataclass(frozen=True)
class Calibration:
    source: str
    days: Days
    arrivals: Arrivals
    channels: dict[str, str]  # type -> channel
    contained: dict[str, float]  # type -> share resolved by the IVR or bot
    front_s: dict[str, np.ndarray]  # channel -> front-end times seen (IVR or bot), if any
    handle: dict[str, HandleFit]
    patience: dict[str, dict[str, PatienceFit | None]]  # type -> segment (or "all") -> fit
    segments: SegmentMix
    staffing: Staffing
    notes: list[str] = field(default_factory=list)
    not_estimated: tuple[str, ...] = NOT_ESTIMATED

    @property
    def interval_s(self) -> float:
        return self.arrivals.interval_s

    @property
    def types(self) -> tuple[str, ...]:
        return self.arrivals.types


def check_names(frame: pd.DataFrame, source: str) -> None:
    """Names that would not survive the scenario files: a type with `;` (the roster's skill
    separator) or ending in `_aht` (the forecast's AHT columns), a segment named `all` (the
    patience mappings' fallback)."""
    for name in frame["type"].astype(str).unique():
        if ";" in name or name.endswith("_aht"):
            line = int(frame.loc[frame["type"] == name, "line"].iloc[0])
            raise ConfigError(
                source,
                "type",
                f"line {line}: {name!r}: a type name may not hold ';' or end in _aht",
            )
    if "segment" in frame.columns and (frame["segment"] == "all").any():
        line = int(frame.loc[frame["segment"] == "all", "line"].iloc[0])
        raise ConfigError(source, "segment", f"line {line}: 'all' is reserved; rename the segment")


def calibrate_log(days: Days, source: str, interval_s: float) -> Calibration:
    frame = days.frame
    check_names(frame, source)
    arrivals = count_arrivals(frame, days.n, interval_s)
    notes = []
    if days.n < FEW_DAYS:
        notes.append(
            f"only {days.n} day(s): the busyness CV (day-to-day spread) is a rough guess; "
            f"{FEW_DAYS} or more days make it an estimate"
        )
    handle = {}
    for name in arrivals.types:
        rows = frame[(frame["type"] == name) & (frame["outcome"] == "answered")]
        rows = rows[rows["handle_s"] > 0]
        if len(rows) < 2:
            raise ConfigError(
                source,
                "handle_s",
                f"contact type {name!r} has {len(rows)} answered contact(s) with a handle time "
                "on the chosen days; at least 2 are needed to estimate its handle time",
            )
        handle[name] = fit_handle(rows["handle_s"].to_numpy(), rows["tod_s"].to_numpy(), interval_s)
    has_agents = "agent" in frame.columns and frame["agent"].notna().any()
    staffing = (agents_seen if has_agents else busy_while_waiting)(frame, days.n, interval_s)
    if not has_agents:
        notes.append(
            "no agent ids: staffing estimated per channel from the contacts in service while "
            "somebody waited (a lower bound where nobody waited)"
        )
    return Calibration(
        source=source,
        days=days,
        arrivals=arrivals,
        channels=_channels(frame, arrivals.types),
        contained=_contained(frame, arrivals),
        front_s=_front_times(frame, _channels(frame, arrivals.types)),
        handle=handle,
        patience={name: _patience(frame[frame["type"] == name]) for name in arrivals.types},
        segments=segment_mix(frame),
        staffing=staffing,
        notes=notes,
    )


def _channels(frame: pd.DataFrame, types: tuple[str, ...]) -> dict[str, str]:
    """Each type's channel: the log's (its most frequent), else one channel for all."""
    if "channel" not in frame.columns:
        return dict.fromkeys(types, NO_CHANNEL)
    return {
        t: str(frame.loc[frame["type"] == t, "channel"].astype(str).mode().iloc[0]) for t in types
    }


def _contained(frame: pd.DataFrame, arrivals: Arrivals) -> dict[str, float]:
    share = frame.assign(c=frame["outcome"] == "contained").groupby("type")["c"].mean()
    return {t: float(share.get(t, 0.0)) for t in arrivals.types}


def _front_times(frame: pd.DataFrame, channels: dict[str, str]) -> dict[str, np.ndarray]:
    """Per channel, the IVR or bot times above 0 (none: the channel has no front end)."""
    if "front_s" not in frame.columns:
        return {}
    channel = frame["type"].map(channels)
    out = {}
    for name in sorted(set(channels.values())):
        values = frame.loc[channel == name, "front_s"].dropna().to_numpy(dtype=float)
        if (values > 0).any():
            out[name] = values[values > 0]
    return out


def _patience(rows: pd.DataFrame) -> dict[str, PatienceFit | None]:
    """Per segment when every segment of the type has enough abandons, else pooled (`all`)."""
    queued = rows[~rows["outcome"].isin(NEVER_QUEUED) & rows["wait_s"].notna()]
    waits = queued["wait_s"].to_numpy(dtype=float)
    gave_up = (queued["outcome"] == "abandoned").to_numpy()
    if "segment" in queued.columns and queued["segment"].notna().all():
        segment = queued["segment"].astype(str).to_numpy()
        names = sorted(set(segment.tolist()))
        if len(names) > 1 and all(
            gave_up[segment == s].sum() >= MIN_SEGMENT_ABANDONS for s in names
        ):
            return {s: fit_patience(waits[segment == s], gave_up[segment == s]) for s in names}
    return {"all": fit_patience(waits, gave_up)}
