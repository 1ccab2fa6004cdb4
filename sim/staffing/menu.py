"""The `staffing:` config section: what the search may add or remove, and how hard it may look.

    staffing:
      templates:                  # the menu of shifts that may be added
        - name: phone_8h          # plain name; added agents are <name>_<HHMM>_<k>
          group: phone_team       # agent group (costs, routing, absences follow the group)
          skills: [phone_general]
          chats: 1                # optional: chats held at once (concurrent channels)
          hours: 8                # paid length, breaks placed by roster.break_rule
          start: {earliest: "07:00", latest: "14:00", step_min: 30}
          per_hour: 38            # cost per paid hour
      removable: [temps]          # optional: groups whose existing shifts may be dropped
      replications: 10            # per evaluation, seeds (seed, 0..N-1) every time
      max_rounds: 8               # rounds of raising the requirement
      max_evaluations: 40         # simulations in all (raising and lowering)
      erlang: A                   # the starting requirement: Erlang A (C where nobody abandons) or C
      workers: 2                  # processes per evaluation
      ray: null                   # or local / auto / an address: replications as Ray tasks

Every template expands into one `ShiftOption` per start time in its window. What the roster
must meet is not here: the search judges by the model's targets (the `targets` config group,
`Model.targets`), as the report does, and stops when every channel the templates can staff
holds (`sim.staffing.evaluate`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.clock import format_clock, parse_clock
from sim.errors import ConfigError, check_keys, expect_mapping, number, queue_skills
from sim.inputs.roster import BreakRule, read_break_rule
from sim.model import Break, Model

KEYS = {
    "templates",
    "removable",
    "replications",
    "max_rounds",
    "max_evaluations",
    "erlang",
    "workers",
    "ray",
}
TEMPLATE_KEYS = {"name", "group", "skills", "chats", "hours", "start", "per_hour"}
# Keys of the menu from before the one rule of judgement, refused with where they went.
MOVED = {
    "targets": "the search judges by the `targets` config group (configs/targets/; e.g. "
    "`targets.service_level=0.85`, `targets.channels.phone.misses=2`), as the report does: "
    "remove `staffing.targets`",
    "confidence": "the search stops when every channel it can staff holds, which already "
    "allows no interval whose whole 95% CI is below target: remove `staffing.confidence`",
}
WHERE = "staffing"


@dataclass(frozen=True)
class ShiftOption:
    """One shift the search may add any number of times: a template at one start time. The
    k-th added agent of it takes the break rule's k-th (staggered) breaks."""

    name: str
    group: str
    skills: frozenset[str]
    start_s: float
    length_s: float
    per_hour: float
    rule: BreakRule
    chats: int = 1
    template: str = ""

    @property
    def end_s(self) -> float:
        return self.start_s + self.length_s

    @property
    def cost(self) -> float:
        """Paid hours (breaks included) x the rate, as `sim.analysis.costs` counts planned cost."""
        return self.per_hour * self.length_s / 3600

    @property
    def breaks(self) -> tuple[Break, ...]:
        return self.breaks_of(0)

    def breaks_of(self, k: int) -> tuple[Break, ...]:
        return self.rule.place(self.start_s, self.end_s, k)

    def coverage(self, edges: np.ndarray) -> np.ndarray:
        """Share of each interval [edges[i], edges[i+1]] an agent of this option is on duty
        and not on a break, averaged over the break rule's stagger slots (a team's breaks)."""
        slots = max(1, self.rule.stagger_slots if self.rule.stagger_min > 0 else 1)
        return np.mean(
            [on_duty(self.start_s, self.end_s, self.breaks_of(k), edges) for k in range(slots)],
            axis=0,
        )


def on_duty(start_s: float, end_s: float, breaks: Sequence[Break], edges: np.ndarray) -> np.ndarray:
    """Share of each interval between `edges` spent on shift and off break."""
    lo, hi = edges[:-1], edges[1:]
    share = np.clip(np.minimum(hi, end_s) - np.maximum(lo, start_s), 0, None)
    for b in breaks:
        share -= np.clip(
            np.minimum(hi, b.start_s + b.duration_s) - np.maximum(lo, b.start_s), 0, None
        )
    return share / (hi - lo)


@dataclass(frozen=True)
class Menu:
    options: tuple[ShiftOption, ...]
    removable: frozenset[str]
    replications: int = 10
    max_rounds: int = 8
    max_evaluations: int = 40
    erlang: str = "A"
    workers: int = 2
    ray: str | None = None  # run evaluations on Ray: "local", "auto" or a cluster address


def staffed_channels(model: Model, menu: Menu) -> frozenset[str]:
    """The channels with a queue some menu template holds the skill of: the channels the
    search must make hold (the others are judged and reported only)."""
    skills = {s for option in menu.options for s in option.skills}
    return frozenset(t.channel for t in model.contact_types if t.skill in skills)


def read_menu(cfg: Mapping[str, Any], model: Model) -> Menu:
    """The `staffing` section of the composed config, checked against the model."""
    spec = cfg.get("staffing")
    if not spec:
        raise ConfigError(
            "config",
            "staffing",
            "no staffing menu: add a `staffing:` section with `templates` (shifts that may be "
            "added (see docs/staffing.md; configs/staffing/holiday_peak.yaml)",
        )
    spec = expect_mapping(spec, "config", "staffing")
    for key, where_now in MOVED.items():
        if key in spec:
            raise ConfigError(WHERE, key, where_now)
    check_keys(spec, KEYS, WHERE)
    rule = read_break_rule(
        expect_mapping(cfg.get("roster") or {}, "config", "roster").get("break_rule")
    )
    templates = spec.get("templates")
    if not isinstance(templates, list) or not templates:
        raise ConfigError(WHERE, "templates", "give a list of shift templates that may be added")
    options: list[ShiftOption] = []
    names: set[str] = set()
    for k, template in enumerate(templates):
        options += _options(template, k, rule, model, names)
    groups = {a.group for a in model.agents}
    removable = spec.get("removable") or []
    if isinstance(removable, str):
        removable = [removable]
    if not isinstance(removable, list):
        raise ConfigError(WHERE, "removable", "expected a list of agent groups")
    for group in removable:
        if group not in groups:
            raise ConfigError(
                WHERE, "removable", f"no agent group {group!r}; groups: {sorted(groups)}"
            )
        if group not in model.costs:
            raise ConfigError(WHERE, "removable", f"group {group!r} has no rate in roster.costs")
    erlang = str(spec.get("erlang", "A")).upper()
    if erlang not in ("A", "C"):
        raise ConfigError(WHERE, "erlang", f"expected A or C, got {spec.get('erlang')!r}")
    return Menu(
        options=tuple(options),
        removable=frozenset(str(g) for g in removable),
        replications=_whole(spec.get("replications", 10), "replications", 2),
        max_rounds=_whole(spec.get("max_rounds", 8), "max_rounds", 1),
        max_evaluations=_whole(spec.get("max_evaluations", 40), "max_evaluations", 1),
        erlang=erlang,
        workers=_whole(spec.get("workers", 2), "workers", 1),
        ray=_ray(spec.get("ray")),
    )


def _ray(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise ConfigError(
            WHERE, "ray", f"expected null, local, auto or a Ray address, got {value!r}"
        )
    return value


def _whole(value: object, field: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ConfigError(WHERE, field, f"expected a whole number >= {minimum}, got {value!r}")
    return value


def _options(
    spec: object, k: int, rule: BreakRule, model: Model, names: set[str]
) -> list[ShiftOption]:
    where = f"{WHERE}.templates[{k}]"
    spec = expect_mapping(spec, f"{WHERE}.templates", f"[{k}]")
    check_keys(spec, TEMPLATE_KEYS, where)
    for key in ("name", "group", "skills", "hours", "start", "per_hour"):
        if spec.get(key) in (None, ""):
            raise ConfigError(where, key, "a value is required")
    name = str(spec["name"]).strip()
    if not name or any(c in name for c in ";, ") or name in names:
        raise ConfigError(where, "name", f"expected a plain, unique name, got {spec['name']!r}")
    names.add(name)
    skills = queue_skills(spec["skills"], model.queues, where)
    hours = number(spec["hours"], where, "hours", above=0, maximum=24)
    per_hour = number(spec["per_hour"], where, "per_hour", minimum=0)
    chats = _whole_in(spec.get("chats", 1), where, "chats")
    window = expect_mapping(spec["start"], where, "start")
    check_keys(window, {"earliest", "latest", "step_min"}, f"{where}.start")
    try:
        earliest = parse_clock(window.get("earliest"))
        latest = parse_clock(window.get("latest", window.get("earliest")))
    except ValueError as err:
        raise ConfigError(where, "start", str(err)) from None
    step = number(window.get("step_min", 30), where, "start.step_min", above=0) * 60
    if latest < earliest:
        raise ConfigError(where, "start.latest", "comes before start.earliest")
    count = math.floor((latest - earliest) / step + 1e-9) + 1
    return [
        ShiftOption(
            name=f"{name}_{format_clock(earliest + i * step).replace(':', '')}",
            group=str(spec["group"]),
            skills=frozenset(str(s) for s in skills),
            start_s=earliest + i * step,
            length_s=hours * 3600,
            per_hour=per_hour,
            rule=rule,
            chats=chats,
            template=name,
        )
        for i in range(count)
    ]


def _whole_in(value: object, where: str, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(where, field, f"expected a whole number >= 1, got {value!r}")
    return value
