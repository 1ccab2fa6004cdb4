"""From the composed configuration (plain dicts) to a validated `Model`.

`sim.inputs` is the only place that reads user input. Every check raises `ConfigError` with the
file or config key, the field, and what is allowed, so a planner's typo ends in one line of
text, not a traceback half-way through a run. Unknown keys are errors too: a key we silently
ignored would be a result the planner believes in and we never computed.

Here are the top-level keys and `build_model`; each section has its module in `sim.inputs`:

- `service_level` (here): the threshold, target and short-abandon time;
- `scenario.channels`: `channels` (front ends, lines, concurrency, opening hours);
- `scenario.segments`, `patience`, `retrials`: `customers`;
- `scenario.contact_types`: `contact_types` (handle, wrap-up, transfers, misroutes);
- `scenario.forecast`: `forecast`, or `scenario.trace`: `trace` (a replayed contact log);
- `roster`: `roster` (rows, templates, breaks, proficiency), its `costs`: `costs`;
- `workforce`: `workforce` (absence, alerts, on-call pools, moves); `labour`: `labour`;
- `routing` (here): discipline, agent selection, stages, preferences.

Distributions, wherever a config gives one, are `distributions.parse_distribution`; data
files are found by `files.FileFinder` and read by `csvfiles` (and `contact_log` for logs).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from sim.errors import ConfigError
from sim.errors import check_keys as _check_keys
from sim.errors import expect_mapping as _mapping
from sim.errors import number as _number
from sim.inputs.channels import channels_with_thresholds, check_concurrent_queues, read_channels
from sim.inputs.contact_types import check_misroutes, read_contact_types, types_with_thresholds
from sim.inputs.costs import read_costs
from sim.inputs.customers import read_patience, read_retrials, read_segments
from sim.inputs.files import FileFinder
from sim.inputs.forecast import MAX_HORIZON_H, check_demand_size, forecast_demand
from sim.inputs.labour import roster_source, rules_from_config
from sim.inputs.roster import check_skills_covered, read_roster
from sim.inputs.targets import read_targets
from sim.inputs.trace import read_trace
from sim.inputs.workforce import read_absence, read_monitor
from sim.model import (
    DEFAULT_INTERVAL_MIN,
    ContactType,
    Model,
    Routing,
    Stage,
)

# Keys the `erlang` scenario uses as shorthand and feeds to the others by interpolation.
ERLANG_SHORTHAND = {"rate_per_hour", "aht_s", "agents", "patience_s", "vip_share"}
SCENARIO_KEYS = {
    "name",
    "description",
    "interval_min",
    "hours",
    "busyness_cv",
    "channels",
    "segments",
    "contact_types",
    "patience",
    "forecast",
    "retrials",
    "trace",
} | ERLANG_SHORTHAND


# The primary config's keys (configs/config.yaml and its groups); `+replicatons=3` is a typo.
TOP_LEVEL_KEYS = {
    "seed",
    "replications",
    "workers",
    "progress",
    "report",
    "targets",
    "labour",
    "scenario",
    "roster",
    "routing",
    "workforce",
    "staffing",
    "hydra",
}


def build_model(cfg: Mapping[str, Any], root: Path) -> Model:
    """Validate the composed config (`scenario`, `roster`, `routing`, `targets`, ...) and build
    the model. Relative file names are looked up in the working directory, then under `root`."""
    files = FileFinder(root)
    if "service_level" in cfg:
        raise ConfigError(
            "config",
            "service_level",
            "replaced by targets: targets.threshold_s, targets.service_level (was target) "
            "and targets.short_abandon_s (configs/targets/)",
        )
    _check_keys(cfg, TOP_LEVEL_KEYS, "config")
    scenario = _mapping(cfg.get("scenario"), "config", "scenario")
    _check_keys(scenario, SCENARIO_KEYS, "scenario")
    channels = read_channels(scenario, files)
    segments = read_segments(scenario)
    types = read_contact_types(scenario, channels, segments, files)
    targets = read_targets(
        cfg.get("targets"),
        [c.name for c in channels],
        {
            c.name: list(dict.fromkeys(t.skill for t in types if t.channel == c.name))
            for c in channels
        },
    )
    channels = channels_with_thresholds(channels, targets)
    types = types_with_thresholds(types, targets)
    interval_s = (
        _number(
            scenario.get("interval_min", DEFAULT_INTERVAL_MIN), "scenario", "interval_min", above=0
        )
        * 60
    )
    hours = scenario.get("hours")
    horizon_s = (
        None
        if hours is None
        else _number(hours, "scenario", "hours", above=0, maximum=MAX_HORIZON_H) * 3600
    )
    trace = None
    if scenario.get("trace") is not None:  # a replayed contact log instead of a forecast
        trace, demand, types = read_trace(
            scenario["trace"], scenario, types, segments, interval_s, horizon_s, files
        )
        check_demand_size(demand.volumes, interval_s)
    else:
        demand = forecast_demand(scenario, types, channels, interval_s, horizon_s, files)
    check_concurrent_queues(types, channels)
    check_misroutes(types)
    roster = _mapping(cfg.get("roster"), "config", "roster")
    agents = read_roster(roster, files)
    check_skills_covered(types, agents, roster)
    workforce = _mapping(cfg.get("workforce") or {}, "config", "workforce")
    _check_keys(workforce, {"name", "description", "absence", "monitor"}, "workforce")
    labour, strict = rules_from_config(cfg)
    model = Model(
        name=str(scenario.get("name", "scenario")),
        channels=channels,
        segments=segments,
        contact_types=types,
        demand=demand,
        agents=agents,
        patience=read_patience(scenario, channels, segments, files),
        retrials=read_retrials(scenario, channels, types, files),
        targets=targets,
        absence=read_absence(workforce.get("absence"), agents, files),
        description=str(scenario.get("description", "")),
        costs=read_costs(roster.get("costs"), {a.group for a in agents}),
        trace=trace,
        labour=labour,
        labour_strict=strict,
        roster_source=roster_source(cfg),
    )
    # On-call agents join the roster (with no shifts) before routing names its groups.
    monitor, on_call, on_call_costs = read_monitor(workforce.get("monitor"), model, files)
    agents = agents + on_call
    return replace(
        model,
        agents=agents,
        monitor=monitor,
        costs={**model.costs, **on_call_costs},
        routing=_routing(cfg.get("routing", {}), types, agents),
    )


def _routing(spec: object, types: tuple[ContactType, ...], agents) -> Routing:
    """The `routing` group: discipline, agent selection, stages per contact type, and each
    group's preference over contact types or queues (see `sim.model.Routing`). The names of
    the discipline and the selection, and their parameters, are the engine's to check (its
    policies register there): `sim.engine.check`."""
    spec = _mapping(spec, "config", "routing")
    if "use_priority" in spec:
        raise ConfigError(
            "routing",
            "use_priority",
            "replaced by `discipline`: write `discipline: priority` for true, "
            "`discipline: fifo` for false",
        )
    _check_keys(
        spec,
        {"name", "description", "discipline", "ageing_per_s", "selection", "stages", "prefer"},
        "routing",
    )
    groups = sorted({a.group for a in agents})
    return Routing(
        name=str(spec.get("name", "custom")),
        discipline=str(spec.get("discipline", "priority")),
        ageing_per_s=_number(spec.get("ageing_per_s", 0), "routing", "ageing_per_s"),
        selection=str(spec.get("selection", "longest_idle")),
        stages=_stages(spec.get("stages") or {}, types, groups),
        prefer=_prefer(spec.get("prefer") or {}, types, groups),
    )


def _stages(spec: object, types, groups: list[str]) -> dict[str, tuple[Stage, ...]]:
    """`stages: {TYPE: [{groups: [G, ...]}, {groups: [...], after_s: 30}, ...]}`."""
    spec = _mapping(spec, "routing", "stages")
    type_names = [t.name for t in types]
    result = {}
    for name, stages in spec.items():
        where = f"routing.stages.{name}"
        if name not in type_names:
            raise ConfigError(
                "routing", f"stages.{name}", f"not a contact type; known: {type_names}"
            )
        if not isinstance(stages, list) or not stages:
            raise ConfigError(
                where, "-", "expected a list of stages: [{groups: [...], after_s: N}]"
            )
        parsed: list[Stage] = []
        for k, stage in enumerate(stages):
            stage = _mapping(stage, where, f"[{k}]")
            _check_keys(stage, {"groups", "after_s"}, f"{where}[{k}]")
            names = stage.get("groups")
            if isinstance(names, str):
                names = [names]
            if not isinstance(names, list) or not names:
                raise ConfigError(where, f"[{k}].groups", "name at least one agent group")
            for group in names:
                if group not in groups:
                    raise ConfigError(
                        where, f"[{k}].groups", f"no agent group {group!r}; roster groups: {groups}"
                    )
            after = _number(stage.get("after_s", 0), where, f"[{k}].after_s", minimum=0)
            if k == 0 and after:
                raise ConfigError(where, "[0].after_s", "the first stage is offered at once (0)")
            if parsed and after < parsed[-1].after_s:
                raise ConfigError(
                    where, f"[{k}].after_s", "stages must come in order of their delays"
                )
            parsed.append(Stage(tuple(str(g) for g in names), after))
        result[str(name)] = tuple(parsed)
    return result


def _prefer(spec: object, types, groups: list[str]) -> dict[str, tuple[str, ...]]:
    """`prefer: {GROUP: [TYPE or QUEUE, ...]}`: taken first when an agent of GROUP is freed."""
    spec = _mapping(spec, "routing", "prefer")
    known = [t.name for t in types] + sorted(
        {t.skill for t in types} | {t.transfer.to for t in types if t.transfer is not None}
    )
    result = {}
    for group, names in spec.items():
        if group not in groups:
            raise ConfigError(
                "routing", f"prefer.{group}", f"no agent group {group!r}; roster groups: {groups}"
            )
        if isinstance(names, str):
            names = [names]
        if not isinstance(names, list):
            raise ConfigError(
                "routing", f"prefer.{group}", "expected a list of contact types or queues"
            )
        for name in names:
            if name not in known:
                raise ConfigError(
                    "routing",
                    f"prefer.{group}",
                    f"{name!r} is not a contact type or queue; known: {known}",
                )
        result[str(group)] = tuple(str(n) for n in names)
    return result
