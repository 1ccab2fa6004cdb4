"""The model's facts a run directory's readers need: model.json, written once, read back one way.

The pages, the verdict and the sweep need to know what the model was (the interval length,
the channels' opening hours and thresholds, which channels are deferrable, the queues each
channel feeds, the alert rules with their measure and threshold, the roster's name) besides
what the run found (summary.json). Rebuilding those from the interval table's clock strings or
from the raw Hydra config guessed at them; `ModelFacts` is written from the `Model` itself
(`ModelFacts.of`, `sim.analysis.summary.model_facts`) into model.json and read back with
`from_json`, so the writer and every reader cannot disagree. All times are seconds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.model import Model


@dataclass(frozen=True)
class ChannelFacts:
    """A channel as the pages show it: open `open_s`-`close_s` every day (seconds from 00:00),
    its service-level threshold (a deferrable channel's deadline) and its queues."""

    name: str
    open_s: float
    close_s: float
    threshold_s: float
    deferrable: bool
    queues: tuple[str, ...]


@dataclass(frozen=True)
class AlertFacts:
    """An alert rule: raised while `measure` of its queue or channel is above (or below)
    `threshold`, measured over the last `window_s` (service level and occupancy)."""

    name: str
    measure: str
    threshold: float
    above: bool
    queue: str | None
    channel: str | None
    window_s: float


@dataclass(frozen=True)
class OnCallFacts:
    name: str
    group: str
    when: tuple[str, ...]


@dataclass(frozen=True)
class MoveFacts:
    source: str  # the skill (queue) whose agents move
    to: str
    when: tuple[str, ...]


@dataclass(frozen=True)
class ModelFacts:
    scenario: str
    description: str
    interval_s: float
    n_intervals: int
    target: float
    channels: tuple[ChannelFacts, ...]
    roster: str = ""  # the roster config's name and description (the Model keeps neither)
    roster_description: str = ""
    roster_file: str = ""  # the roster's CSV file, when it came from one (`roster.file`)
    roster_groups: tuple[tuple[str, int], ...] = ()  # agents per group, in roster order
    staffing_menu: bool = False  # the config has a staffing search menu (`staffing.templates`)
    monitor_period_s: float | None = None  # None: the run had no monitor
    alerts: tuple[AlertFacts, ...] = ()
    on_call: tuple[OnCallFacts, ...] = ()
    moves: tuple[MoveFacts, ...] = ()

    @classmethod
    def of(
        cls,
        model: Model,
        roster: str = "",
        roster_description: str = "",
        staffing_menu: bool = False,
    ) -> ModelFacts:
        """The facts of `model`; the roster's labels and the staffing menu come from the
        config (`sim.run` passes them)."""
        monitor = model.monitor
        return cls(
            scenario=model.name,
            description=model.description,
            interval_s=float(model.demand.interval_s),
            n_intervals=int(model.demand.n_intervals),
            target=float(model.target_sl),
            channels=tuple(
                ChannelFacts(
                    c.name,
                    float(c.open_s),
                    float(c.close_s),
                    float(c.threshold_s),
                    c.deferrable,
                    _queues_of(model, c.name),
                )
                for c in model.channels
            ),
            roster=roster,
            roster_description=roster_description,
            roster_file="" if model.roster_source == "roster.agents" else model.roster_source,
            roster_groups=tuple(Counter(a.group for a in model.agents).items()),
            staffing_menu=staffing_menu,
            monitor_period_s=None if monitor is None else float(monitor.period_s),
            alerts=()
            if monitor is None
            else tuple(
                AlertFacts(
                    a.name,
                    a.measure,
                    float(a.threshold),
                    a.above,
                    a.queue,
                    a.channel,
                    float(a.window_s),
                )
                for a in monitor.alerts
            ),
            on_call=()
            if monitor is None
            else tuple(OnCallFacts(p.name, p.group, tuple(p.when)) for p in monitor.on_call),
            moves=()
            if monitor is None
            else tuple(MoveFacts(m.source, m.to, tuple(m.when)) for m in monitor.moves),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "description": self.description,
            "interval_s": self.interval_s,
            "n_intervals": self.n_intervals,
            "horizon_s": self.horizon_s,
            "target": self.target,
            "channels": [
                {
                    "name": c.name,
                    "open_s": c.open_s,
                    "close_s": c.close_s,
                    "threshold_s": c.threshold_s,
                    "deferrable": c.deferrable,
                    "queues": list(c.queues),
                }
                for c in self.channels
            ],
            "roster": {
                "name": self.roster,
                "description": self.roster_description,
                "file": self.roster_file,
                "groups": dict(self.roster_groups),
            },
            "staffing_menu": self.staffing_menu,
            "monitor": None
            if self.monitor_period_s is None
            else {
                "period_s": self.monitor_period_s,
                "alerts": [
                    {
                        "name": a.name,
                        "measure": a.measure,
                        "threshold": a.threshold,
                        "above": a.above,
                        "queue": a.queue,
                        "channel": a.channel,
                        "window_s": a.window_s,
                    }
                    for a in self.alerts
                ],
                "on_call": [
                    {"name": p.name, "group": p.group, "when": list(p.when)} for p in self.on_call
                ],
                "moves": [{"from": m.source, "to": m.to, "when": list(m.when)} for m in self.moves],
            },
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ModelFacts:
        """model.json read back (a KeyError or TypeError on a file this version did not write)."""
        monitor = data["monitor"]
        return cls(
            scenario=str(data["scenario"]),
            description=str(data["description"]),
            interval_s=float(data["interval_s"]),
            n_intervals=int(data["n_intervals"]),
            target=float(data["target"]),
            channels=tuple(
                ChannelFacts(
                    str(c["name"]),
                    float(c["open_s"]),
                    float(c["close_s"]),
                    float(c["threshold_s"]),
                    bool(c["deferrable"]),
                    tuple(c["queues"]),
                )
                for c in data["channels"]
            ),
            roster=str(data["roster"]["name"]),
            roster_description=str(data["roster"]["description"]),
            roster_file=str(data["roster"]["file"]),
            roster_groups=tuple((str(g), int(n)) for g, n in data["roster"]["groups"].items()),
            staffing_menu=bool(data["staffing_menu"]),
            monitor_period_s=None if monitor is None else float(monitor["period_s"]),
            alerts=()
            if monitor is None
            else tuple(
                AlertFacts(
                    str(a["name"]),
                    str(a["measure"]),
                    float(a["threshold"]),
                    bool(a["above"]),
                    a["queue"],
                    a["channel"],
                    float(a["window_s"]),
                )
                for a in monitor["alerts"]
            ),
            on_call=()
            if monitor is None
            else tuple(
                OnCallFacts(str(p["name"]), str(p["group"]), tuple(p["when"]))
                for p in monitor["on_call"]
            ),
            moves=()
            if monitor is None
            else tuple(
                MoveFacts(str(m["from"]), str(m["to"]), tuple(m["when"])) for m in monitor["moves"]
            ),
        )

    # --- derived -------------------------------------------------------------------------------

    @property
    def horizon_s(self) -> float:
        return self.n_intervals * self.interval_s

    @property
    def edges(self) -> np.ndarray:
        """The intervals' edges, seconds from 00:00 of the first day."""
        return np.arange(self.n_intervals + 1) * self.interval_s

    @property
    def channel_names(self) -> list[str]:
        return [c.name for c in self.channels]

    @property
    def thresholds(self) -> dict[str, float]:
        return {c.name: c.threshold_s for c in self.channels}

    @property
    def deferrable(self) -> set[str]:
        return {c.name for c in self.channels if c.deferrable}

    @property
    def days(self) -> float:
        """Simulated days per replication, for figures per day: 1 for a horizon up to 24 h."""
        return self.horizon_s / 86400 if self.horizon_s > 86400 else 1.0

    def open_intervals(self) -> dict[str, np.ndarray]:
        """Per channel, whether it is open in each interval (its hours, every day alike): an
        interval counts as open when it lies wholly within them."""
        starts = np.arange(self.n_intervals) * self.interval_s % 86400
        return {
            c.name: (starts >= c.open_s - 1e-9) & (starts + self.interval_s <= c.close_s + 1e-9)
            for c in self.channels
        }

    def channel_of_queue(self) -> dict[str, str]:
        """Each queue's channel (the first channel feeding it, in the model's order)."""
        out: dict[str, str] = {}
        for c in self.channels:
            for q in c.queues:
                out.setdefault(q, c.name)
        return out


def _queues_of(model: Model, channel: str) -> tuple[str, ...]:
    """The queues contacts of `channel` wait in: their types' skills and transfer queues."""
    types = [t for t in model.contact_types if t.channel == channel]
    direct = [t.skill for t in types]
    transfers = [t.transfer.to for t in types if t.transfer is not None]
    return tuple(dict.fromkeys(direct + transfers))
