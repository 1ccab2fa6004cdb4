"""From the composed configuration (plain dicts) to a validated `Model`.

This is the only place that reads user input. Every check raises `ConfigError` with the file
or config key, the field, and what is allowed, so a planner's typo ends in one line of text,
not a traceback half-way through a run. Unknown keys are errors too: a key we silently ignored
would be a result the planner believes in and we never computed.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.clock import format_clock, parse_clock
from sim.distributions import (
    FAMILIES,
    Deterministic,
    Distribution,
    Empirical,
    Exponential,
    Survival,
    survival_mean,
)
from sim.errors import ConfigError
from sim.errors import check_keys as _check_keys
from sim.errors import expect_mapping as _mapping
from sim.errors import number as _number
from sim.errors import whole as _whole
from sim.inputs.costs import read_costs
from sim.inputs.csvfiles import read_csv
from sim.inputs.forecast import handle_factors, read_forecast
from sim.inputs.labour import roster_source, rules_from_config
from sim.inputs.roster import MAX_AGENTS, parse_proficiency, read_roster
from sim.inputs.trace import read_trace
from sim.inputs.workforce import read_absence, read_monitor
from sim.model import (
    DEFAULT_INTERVAL_MIN,
    DEFAULT_TARGET,
    DEFAULT_THRESHOLD_S,
    Announcement,
    Channel,
    ContactType,
    Demand,
    FrontEnd,
    LabourRules,
    Model,
    Retrial,
    Routing,
    Segment,
    Stage,
    Transfer,
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
SERVICE_LEVEL_KEYS = {"threshold_s", "target", "short_abandon_s"}
TOP_LEVEL_KEYS = {
    "seed",
    "replications",
    "workers",
    "progress",
    "report",
    "service_level",
    "labour",
    "scenario",
    "roster",
    "routing",
    "workforce",
    "staffing",
    "hydra",
}


def build_model(cfg: Mapping[str, Any], root: Path) -> Model:
    """Validate the composed config (`scenario`, `roster`, `routing`, `service_level`) and build
    the model. Relative file names are looked up in the working directory, then under `root`."""
    files = FileFinder(root)
    _check_keys(cfg, TOP_LEVEL_KEYS, "config")
    scenario = _mapping(cfg.get("scenario"), "config", "scenario")
    _check_keys(scenario, SCENARIO_KEYS, "scenario")
    sl = _mapping(cfg.get("service_level", {}), "config", "service_level")
    _check_keys(sl, SERVICE_LEVEL_KEYS, "service_level")
    threshold = _number(
        sl.get("threshold_s", DEFAULT_THRESHOLD_S), "service_level", "threshold_s", minimum=0
    )

    channels = _channels(scenario, threshold, files)
    segments = _segments(scenario)
    types = _contact_types(scenario, channels, segments, files)
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
        _check_volumes(demand.volumes, interval_s)
    else:
        demand = _forecast_demand(scenario, types, channels, interval_s, horizon_s, files)
    _check_concurrent_queues(types, channels)
    _check_misroutes(types)
    roster = _mapping(cfg.get("roster"), "config", "roster")
    agents = read_roster(roster, files)
    if len(agents) > MAX_AGENTS:
        raise ConfigError(
            "roster", "agents", f"{len(agents):,} agents; at most {MAX_AGENTS:,} are allowed"
        )
    _check_skills_covered(types, agents, cfg)
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
        patience=_patience(scenario, channels, segments, files),
        retrials=_retrials(scenario, channels, types, files),
        short_abandon_s=_number(
            sl.get("short_abandon_s", 0), "service_level", "short_abandon_s", minimum=0
        ),
        target_sl=_target(sl.get("target", DEFAULT_TARGET)),
        threshold_s=threshold,
        absence=read_absence(workforce.get("absence"), agents, parse_distribution, files),
        description=str(scenario.get("description", "")),
        costs=read_costs(roster.get("costs"), {a.group for a in agents}),
        trace=trace,
        labour=labour,
        labour_strict=strict,
        roster_source=roster_source(cfg),
    )
    # On-call agents join the roster (with no shifts) before routing names its groups.
    monitor, on_call, on_call_costs = read_monitor(
        workforce.get("monitor"),
        model,
        parse_distribution,
        parse_proficiency,
        files,
        _duty_limits(labour),
    )
    agents = agents + on_call
    return replace(
        model,
        agents=agents,
        monitor=monitor,
        costs={**model.costs, **on_call_costs},
        routing=_routing(cfg.get("routing", {}), types, agents),
    )


def _forecast_demand(scenario, types, channels, interval_s, horizon_s, files) -> Demand:
    """`scenario.forecast` (and `busyness_cv`) as the expected arrivals per interval."""
    forecast = _mapping(scenario.get("forecast"), "scenario", "forecast")
    volumes, aht = read_forecast(forecast, [t.name for t in types], interval_s, horizon_s, files)
    forecast_source = (
        str(files(forecast["file"], "scenario.forecast", "file"))
        if "file" in forecast
        else "scenario.forecast"
    )
    _check_volumes(volumes, interval_s)
    _check_opening_hours(volumes, interval_s, types, channels, forecast_source)
    return Demand(
        interval_s=interval_s,
        volumes=volumes,
        busyness_cv=_number(scenario.get("busyness_cv", 0), "scenario", "busyness_cv", minimum=0),
        handle_factor=handle_factors(aht, [t.handle.mean for t in types], [t.name for t in types]),
    )


# Sizes beyond any contact centre: a typo (`1e12`, `inf`), refused before memory runs out.
MAX_CONTACTS = 50_000_000  # expected contacts per replication (the forecast's sum)
MAX_HORIZON_H = 366 * 24  # a year (and a day)


def _check_volumes(volumes: np.ndarray, interval_s: float) -> None:
    if not np.isfinite(volumes).all():
        raise ConfigError("scenario.forecast", "values", "volumes must be finite numbers")
    total = float(volumes.sum())
    if total > MAX_CONTACTS:
        raise ConfigError(
            "scenario.forecast",
            "values",
            f"{total:,.0f} contacts expected per replication; at most {MAX_CONTACTS:,} are allowed",
        )
    if volumes.shape[1] * interval_s > MAX_HORIZON_H * 3600:
        raise ConfigError(
            "scenario.forecast",
            "start",
            f"the forecast covers {volumes.shape[1] * interval_s / 86400:g} days; "
            f"at most {MAX_HORIZON_H // 24} are allowed",
        )


class FileFinder:
    """Finds data files named in configs: as given, then relative to the project root."""

    def __init__(self, root: Path):
        self.root = root

    def __call__(self, name: object, where: str, field: str) -> Path:
        if not isinstance(name, str) or not name:
            raise ConfigError(where, field, f"expected a file name, got {name!r}")
        path = Path(name)
        for candidate in (path, self.root / path):
            if candidate.is_file():
                return candidate
        raise ConfigError(where, field, f"file {name!r} not found (looked in . and {self.root})")


# --- small checkers, shared by forecast and roster readers -----------------------------------


def parse_distribution(spec: object, where: str, field: str, files: FileFinder) -> Distribution:
    """A distribution from `{dist: NAME, mean: .., cv: ..}`; a bare number is an exponential
    with that mean (the textbook assumption, and handy for interpolated shorthand)."""
    if isinstance(spec, int | float) and not isinstance(spec, bool):
        return Exponential(mean=_number(spec, where, field, above=0))
    spec = _mapping(spec, where, field)
    name = spec.get("dist")
    if name not in FAMILIES:
        allowed = ", ".join(FAMILIES)
        raise ConfigError(
            where, f"{field}.dist", f"unknown distribution {name!r}; allowed: {allowed}"
        )
    cls, needed = FAMILIES[name]
    if cls is Survival:
        return _survival(spec, where, field, files)
    optional = {"column"} if cls is Empirical else set()
    _check_keys(spec, {"dist", *needed, *optional}, f"{where}: {field}")
    for key in needed:
        if key not in spec:
            raise ConfigError(where, f"{field}.{key}", f"required for dist {name!r}")
    if cls is Empirical:
        return _empirical(spec, where, field, files)
    mean_floor = {"minimum": 0} if cls is Deterministic else {"above": 0}
    params = {"mean": _number(spec["mean"], where, f"{field}.mean", **mean_floor)}
    if "cv" in needed:
        params["cv"] = _number(spec["cv"], where, f"{field}.cv", above=0)
    return cls(**params)


def _empirical(spec: Mapping[str, Any], where: str, field: str, files: FileFinder) -> Empirical:
    path = files(spec["file"], where, f"{field}.file")
    table = read_csv(path)
    column = spec.get("column", table.columns[0])
    if column not in table.columns:
        raise ConfigError(str(path), str(column), f"no such column; columns: {list(table.columns)}")
    values = pd.to_numeric(table[column], errors="coerce").to_numpy(dtype=float)
    if len(values) == 0 or np.isnan(values).any() or (values < 0).any():
        raise ConfigError(str(path), str(column), "needs at least one value, all numbers >= 0")
    return Empirical(mean=float(values.mean()), values=tuple(values.tolist()))


def _survival(spec: Mapping[str, Any], where: str, field: str, files: FileFinder) -> Survival:
    """`{dist: survival, points: [[seconds, survival], ...] or file: CSV, tail_mean: S}`: a
    survival curve (a Kaplan-Meier patience, `sim.calibrate`), linear between its points, with
    an exponential tail past the last one (`tail_mean`, needed unless the curve reaches 0)."""
    _check_keys(spec, {"dist", "points", "file", "tail_mean"}, f"{where}: {field}")
    if ("points" in spec) == ("file" in spec):
        raise ConfigError(
            where, field, "a survival curve needs exactly one of `points` or `file` (CSV)"
        )
    if "file" in spec:
        path = files(spec["file"], where, f"{field}.file")
        source, points = str(path), _survival_file(path)
    else:
        source, points = f"{where}: {field}", _survival_points(spec["points"], where, field)
    times = tuple(t for t, _ in points)
    surv = tuple(s for _, s in points)
    if not points or times[0] <= 0 or any(b <= a for a, b in zip(times, times[1:], strict=False)):
        raise ConfigError(source, "seconds", "times must be above 0 and strictly increasing")
    if any(not 0 <= s <= 1 for s in surv) or any(
        b > a for a, b in zip(surv, surv[1:], strict=False)
    ):
        raise ConfigError(
            source, "survival", "survival must lie in [0, 1] and never increase with time"
        )
    tail = 0.0
    if surv[-1] > 0:
        if "tail_mean" not in spec:
            raise ConfigError(
                where,
                f"{field}.tail_mean",
                f"the curve ends at {surv[-1]:g} above 0: give the exponential tail's mean (s)",
            )
        tail = _number(spec["tail_mean"], where, f"{field}.tail_mean", above=0)
    elif "tail_mean" in spec:
        raise ConfigError(where, f"{field}.tail_mean", "the curve reaches 0: there is no tail")
    return Survival(
        mean=survival_mean(times, surv, tail),
        times=times,
        levels=surv,
        tail_mean=tail,
    )


def _survival_points(raw: object, where: str, field: str) -> list[tuple[float, float]]:
    try:
        points = [(float(t), float(s)) for t, s in raw]  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        raise ConfigError(
            where, f"{field}.points", "expected a list of [seconds, survival] pairs"
        ) from None
    if not points or not np.isfinite(np.asarray(points)).all():
        raise ConfigError(where, f"{field}.points", "needs at least one point, all finite numbers")
    return points


def _survival_file(path: Path) -> list[tuple[float, float]]:
    table = read_csv(path)
    for column in ("seconds", "survival"):
        if column not in table.columns:
            raise ConfigError(
                str(path), column, "missing column; a survival curve needs `seconds`, `survival`"
            )
    values = table[["seconds", "survival"]].apply(pd.to_numeric, errors="coerce")
    bad = ~np.isfinite(values.to_numpy(dtype=float)).all(axis=1)
    if len(values) == 0 or bad.any():
        line = int(np.flatnonzero(bad)[0]) + 2 if bad.any() else 1
        raise ConfigError(str(path), "seconds/survival", f"line {line}: expected numbers")
    return [(float(t), float(s)) for t, s in values.itertuples(index=False)]


# --- the scenario's sections -----------------------------------------------------------------


def _channels(
    scenario: Mapping[str, Any], default_threshold: float, files: FileFinder
) -> tuple[Channel, ...]:
    spec = _mapping(scenario.get("channels"), "scenario", "channels")
    if not spec:
        raise ConfigError("scenario", "channels", "at least one channel is needed")
    channels = []
    for name, body in spec.items():
        body = _mapping(body or {}, "scenario", f"channels.{name}")
        where = f"scenario.channels.{name}"
        _check_keys(
            body,
            {"open", "close", "threshold_s", "deferrable", "reserved_share"}
            | {"ivr", "bot", "concurrency", "lines"},
            where,
        )
        try:
            open_s = parse_clock(body.get("open", "00:00"), numbers=False)
        except ValueError as err:
            raise ConfigError(where, "open", str(err)) from None
        try:
            close_s = parse_clock(body.get("close", "24:00"), numbers=False)
        except ValueError as err:
            raise ConfigError(where, "close", str(err)) from None
        if close_s <= open_s:
            raise ConfigError(where, "close", "must be later than open")
        threshold = _number(
            body.get("threshold_s", default_threshold), where, "threshold_s", minimum=0
        )
        deferrable = body.get("deferrable", False)
        if not isinstance(deferrable, bool):
            raise ConfigError(where, "deferrable", f"expected true or false, got {deferrable!r}")
        channels.append(
            Channel(
                name=str(name),
                open_s=open_s,
                close_s=close_s,
                threshold_s=threshold,
                deferrable=deferrable,
                front_end=_front_end(body, where, files),
                reserved_share=_reserved_share(body, deferrable, where),
                concurrency_stretch=_concurrency(body.get("concurrency"), where),
                lines=_lines(body.get("lines"), where),
            )
        )
    return tuple(channels)


# The front ends a channel can have: config key -> (its time's key).
FRONT_ENDS = {"ivr": "menu", "bot": "time"}


def _transfer(spec: object, where: str, files: FileFinder) -> Transfer | None:
    """`transfer: {to: SKILL, share: P, handle: DIST}`: a second leg after the first agent."""
    if spec is None:
        return None
    spec = _mapping(spec, where, "transfer")
    _check_keys(spec, {"to", "share", "handle"}, f"{where}.transfer")
    to = spec.get("to")
    if not isinstance(to, str) or not to:
        raise ConfigError(where, "transfer.to", "name the skill (queue) the transfer goes to")
    if "handle" not in spec:
        raise ConfigError(
            where, "transfer.handle", "the second leg's handle-time distribution is required"
        )
    share = _number(spec.get("share", 0), where, "transfer.share", minimum=0, maximum=1)
    handle = parse_distribution(spec["handle"], where, "transfer.handle", files)
    return Transfer(to, share, _handle(handle, where, "transfer.handle"))


def _handle(dist: Distribution, where: str, field: str) -> Distribution:
    """A handle time averaging zero would be contacts served instantly: refused (wrap-up, IVR
    and bot times may be 0)."""
    if not dist.mean > 0:
        raise ConfigError(
            where, field, f"the mean handle time must be greater than 0, got {dist.mean:g}"
        )
    return dist


def _front_end(body: Mapping[str, Any], where: str, files: FileFinder) -> FrontEnd | None:
    """`ivr: {menu: DIST}` (phone menu) or `bot: {time: DIST}` (chat bot); at most one."""
    kinds = [k for k in FRONT_ENDS if body.get(k) is not None]
    if not kinds:
        return None
    if len(kinds) > 1:
        raise ConfigError(where, "ivr/bot", "a channel has at most one front end")
    kind = kinds[0]
    spec = _mapping(body[kind], where, kind)
    time_key = FRONT_ENDS[kind]
    extra = {"misroute_handle", "announce"} if kind == "ivr" else set()
    _check_keys(spec, {time_key, *extra}, f"{where}.{kind}")
    if time_key not in spec:
        raise ConfigError(where, f"{kind}.{time_key}", "a time distribution is required")
    time = parse_distribution(spec[time_key], where, f"{kind}.{time_key}", files)
    if kind == "bot":
        return FrontEnd(kind, time)
    misroute = spec.get("misroute_handle", {"dist": "deterministic", "mean": 30})
    return FrontEnd(
        kind,
        time,
        parse_distribution(misroute, where, "ivr.misroute_handle", files),
        _announcement(spec.get("announce"), f"{where}.ivr", files),
    )


def _announcement(spec: object, where: str, files: FileFinder) -> Announcement | None:
    """`announce: {balk: [[seconds, probability], ...], callback: {offer_above_s, accept,
    attempt, reach}}`; both parts optional."""
    if spec is None:
        return None
    spec = _mapping(spec, where, "announce")
    _check_keys(spec, {"balk", "callback"}, f"{where}.announce")
    points = spec.get("balk", [[0, 0]])
    try:
        balk = tuple((float(w), float(p)) for w, p in points)
    except (TypeError, ValueError):
        raise ConfigError(
            where, "announce.balk", "expected a list of [announced seconds, probability] pairs"
        ) from None
    waits = [w for w, _ in balk]
    if not balk or waits != sorted(waits) or any(not 0 <= p <= 1 for _, p in balk):
        raise ConfigError(
            where, "announce.balk", "points need increasing waits and probabilities in [0, 1]"
        )
    callback = spec.get("callback")
    if callback is None:
        return Announcement(balk)
    callback = _mapping(callback, where, "announce.callback")
    _check_keys(
        callback, {"offer_above_s", "accept", "attempt", "reach"}, f"{where}.announce.callback"
    )
    return Announcement(
        balk=balk,
        callback_above_s=_number(
            callback.get("offer_above_s", 180), where, "callback.offer_above_s", minimum=0
        ),
        callback_accept=_number(
            callback.get("accept", 0.5), where, "callback.accept", minimum=0, maximum=1
        ),
        callback_attempt=parse_distribution(
            callback.get("attempt", {"dist": "deterministic", "mean": 30}),
            where,
            "callback.attempt",
            files,
        ),
        callback_reach=_number(
            callback.get("reach", 0.9), where, "callback.reach", minimum=0, maximum=1
        ),
    )


def _reserved_share(body: Mapping[str, Any], deferrable: bool, where: str) -> float:
    share = _number(body.get("reserved_share", 0), where, "reserved_share", minimum=0, maximum=1)
    if share and not deferrable:
        raise ConfigError(where, "reserved_share", "only a deferrable channel can reserve time")
    return share


def _lines(value: object, where: str) -> int | None:
    """`lines: N`: at most N of the channel's contacts at once (in the IVR, waiting or
    talking); null: unlimited."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(where, "lines", f"expected a whole number >= 1 (or null), got {value!r}")
    return value


def _concurrency(spec: object, where: str) -> float | None:
    """`concurrency: {stretch: X}`: agents may hold several of this channel's contacts (up to
    the roster's `chats`), each X times slower per other contact held when it starts."""
    if spec is None:
        return None
    spec = _mapping(spec, where, "concurrency")
    _check_keys(spec, {"stretch"}, f"{where}.concurrency")
    return _number(spec.get("stretch", 0.0), where, "concurrency.stretch", minimum=0)


def _segments(scenario: Mapping[str, Any]) -> tuple[Segment, ...]:
    spec = _mapping(scenario.get("segments", {"regular": {}}), "scenario", "segments")
    if not spec:
        raise ConfigError("scenario", "segments", "at least one segment is needed")
    shares: dict[str, float | None] = {}
    priorities: dict[str, int] = {}
    for name, body in spec.items():
        body = _mapping(body or {}, "scenario", f"segments.{name}")
        where = f"scenario.segments.{name}"
        _check_keys(body, {"share", "priority"}, where)
        share = body.get("share")
        shares[name] = (
            None if share is None else _number(share, where, "share", minimum=0, maximum=1)
        )
        priorities[name] = _whole(body.get("priority", 0), where, "priority")
    open_ = [n for n, s in shares.items() if s is None]
    given = sum(s for s in shares.values() if s is not None)
    if len(open_) > 1:
        raise ConfigError("scenario", "segments", f"only one segment may omit its share: {open_}")
    if open_:
        if given > 1 + 1e-9:
            raise ConfigError("scenario", "segments", f"shares add up to {given:g}, more than 1")
        shares[open_[0]] = max(0.0, 1.0 - given)
    elif abs(given - 1) > 1e-9:
        raise ConfigError("scenario", "segments", f"shares must add up to 1, got {given:g}")
    return tuple(Segment(str(n), float(shares[n] or 0.0), priorities[n]) for n in spec)


def _contact_types(
    scenario: Mapping[str, Any],
    channels: tuple[Channel, ...],
    segments: tuple[Segment, ...],
    files: FileFinder,
) -> tuple[ContactType, ...]:
    spec = _mapping(scenario.get("contact_types"), "scenario", "contact_types")
    if not spec:
        raise ConfigError("scenario", "contact_types", "at least one contact type is needed")
    names = [c.name for c in channels]
    types = []
    for name, body in spec.items():
        where = f"scenario.contact_types.{name}"
        body = _mapping(body, "scenario", f"contact_types.{name}")
        _check_keys(
            body,
            {"channel", "skill", "handle", "wrapup", "contained", "threshold_s"}
            | {"transfer", "misroute", "patience", "segments"},
            where,
        )
        if body.get("channel") not in names:
            raise ConfigError(where, "channel", f"{body.get('channel')!r} is not one of {names}")
        channel = channels[names.index(body["channel"])]
        contained = _number(body.get("contained", 0), where, "contained", minimum=0, maximum=1)
        if contained > 0 and channel.front_end is None:
            raise ConfigError(
                where,
                "contained",
                f"channel {channel.name!r} has no IVR or bot to contain contacts; "
                "add channels.<name>.ivr or .bot, or set contained: 0",
            )
        skill = body.get("skill")
        if not isinstance(skill, str) or not skill:
            raise ConfigError(where, "skill", "name the skill (queue) this type needs")
        if "handle" not in body:
            raise ConfigError(where, "handle", "a handle-time distribution is required")
        handle = _handle(
            parse_distribution(body["handle"], where, "handle", files), where, "handle"
        )
        wrapup = body.get("wrapup")
        wrapup = (
            Deterministic(0.0)
            if wrapup is None
            else parse_distribution(wrapup, where, "wrapup", files)
        )
        threshold = body.get("threshold_s")
        if threshold is not None:
            threshold = _number(threshold, where, "threshold_s", minimum=0)
        misroute = _number(body.get("misroute", 0), where, "misroute", minimum=0, maximum=1)
        if misroute and (channel.front_end is None or channel.front_end.kind != "ivr"):
            raise ConfigError(where, "misroute", f"channel {channel.name!r} has no IVR to misroute")
        types.append(
            ContactType(
                name=str(name),
                channel=body["channel"],
                skill=skill,
                handle=handle,
                wrapup=wrapup,
                contained=contained,
                threshold_s=threshold,
                transfer=_transfer(body.get("transfer"), where, files),
                misroute=misroute,
                patience=_type_patience(body, segments, where, files),
                segment_mix=_type_segments(body.get("segments"), segments, where),
            )
        )
    return tuple(types)


def _type_patience(
    body: Mapping[str, Any], segments: tuple[Segment, ...], where: str, files: FileFinder
) -> tuple[tuple[str, Distribution | None], ...] | None:
    """A contact type's own `patience`, in the forms of `patience.<channel>`: null (never
    abandon), one distribution, or a mapping from segment (or `all`) to either. It overrides
    the channel's for the segments it covers; segments a mapping leaves out (and no `all`)
    keep the channel's. None: the key is absent."""
    if "patience" not in body:
        return None
    spec = body["patience"]
    seg_names = [s.name for s in segments]
    if spec is None or not isinstance(spec, Mapping) or "dist" in spec:
        per_segment = dict.fromkeys(seg_names, spec)
        fields = dict.fromkeys(seg_names, "patience")
    else:
        _check_keys(spec, {"all", *seg_names}, f"{where}.patience")
        per_segment = {
            s: spec.get(s, spec.get("all")) for s in seg_names if s in spec or "all" in spec
        }
        fields = {s: f"patience.{s if s in spec else 'all'}" for s in per_segment}
    return tuple(
        (seg, None if dist is None else parse_distribution(dist, where, fields[seg], files))
        for seg, dist in per_segment.items()
    )


def _type_segments(
    spec: object, segments: tuple[Segment, ...], where: str
) -> tuple[tuple[str, float], ...] | None:
    """A contact type's own segment mix, `{segment: share}`: shares in [0, 1] adding up to 1,
    or one segment left out (or null) taking the rest, as `scenario.segments`."""
    if spec is None:
        return None
    spec = _mapping(spec, where, "segments")
    seg_names = [s.name for s in segments]
    _check_keys(spec, set(seg_names), f"{where}.segments")
    shares = {
        s: None
        if spec.get(s) is None
        else _number(spec[s], where, f"segments.{s}", minimum=0, maximum=1)
        for s in seg_names
    }
    open_ = [s for s, share in shares.items() if share is None]
    given = sum(share for share in shares.values() if share is not None)
    if len(open_) > 1:
        raise ConfigError(
            where, "segments", f"give every segment's share but at most one; missing: {open_}"
        )
    if open_ and given > 1 + 1e-9:
        raise ConfigError(where, "segments", f"shares add up to {given:g}, more than 1")
    if not open_ and abs(given - 1) > 1e-9:
        raise ConfigError(where, "segments", f"shares must add up to 1, got {given:g}")
    rest = max(0.0, 1.0 - given)  # the segment left out, if any
    return tuple((s, rest if share is None else share) for s, share in shares.items())


def _patience(
    scenario: Mapping[str, Any],
    channels: tuple[Channel, ...],
    segments: tuple[Segment, ...],
    files: FileFinder,
) -> dict[tuple[str, str], Distribution | None]:
    """Per channel: null (never abandon), one distribution for all segments, or a mapping from
    segment (or `all`, the fallback) to a distribution or null."""
    spec = _mapping(scenario.get("patience", {}), "scenario", "patience")
    _check_keys(spec, {c.name for c in channels}, "scenario.patience")
    seg_names = [s.name for s in segments]
    result: dict[tuple[str, str], Distribution | None] = {}
    for channel in channels:
        body = spec.get(channel.name)
        where = f"scenario.patience.{channel.name}"
        if body is None or not isinstance(body, Mapping) or "dist" in body:
            per_segment = dict.fromkeys(seg_names, body)
        else:
            _check_keys(body, {"all", *seg_names}, where)
            per_segment = {s: body.get(s, body.get("all")) for s in seg_names}
        for seg, dist in per_segment.items():
            result[(channel.name, seg)] = (
                None if dist is None else parse_distribution(dist, where, seg, files)
            )
    return result


def _target(value: object) -> float:
    target = _number(value, "service_level", "target")
    if not 0 < target < 1:
        raise ConfigError(
            "service_level", "target", f"must lie strictly between 0 and 1, got {value!r}"
        )
    return target


def _retrials(scenario, channels, types, files) -> dict[str, Retrial]:
    """Per channel: `{first, later, delay, max_retries, switch: {contact_type: probability}}`."""
    spec = _mapping(scenario.get("retrials") or {}, "scenario", "retrials")
    _check_keys(spec, {c.name for c in channels}, "scenario.retrials")
    type_names = [t.name for t in types]
    plans = {}
    for channel, body in spec.items():
        if body is None:
            continue
        where = f"scenario.retrials.{channel}"
        body = _mapping(body, "scenario.retrials", channel)
        _check_keys(body, {"first", "later", "delay", "max_retries", "switch"}, where)
        first = _number(body.get("first", 0), where, "first", minimum=0, maximum=1)
        later = _number(body.get("later", first), where, "later", minimum=0, maximum=1)
        if "delay" not in body:
            raise ConfigError(
                where, "delay", "a delay distribution (seconds before retrying) is required"
            )
        max_retries = _whole(body.get("max_retries", 3), where, "max_retries", minimum=1)
        switch = _mapping(body.get("switch") or {}, where, "switch")
        for name in switch:
            if name not in type_names:
                raise ConfigError(
                    where, f"switch.{name}", f"not a contact type; known: {type_names}"
                )
        shares = {
            k: _number(v, where, f"switch.{k}", minimum=0, maximum=1) for k, v in switch.items()
        }
        if sum(shares.values()) > 1 + 1e-9:
            raise ConfigError(where, "switch", "probabilities add up to more than 1")
        plans[channel] = Retrial(
            first,
            later,
            parse_distribution(body["delay"], where, "delay", files),
            int(max_retries),
            tuple(shares.items()),
        )
    return plans


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


def _check_opening_hours(
    volumes: np.ndarray,
    interval_s: float,
    types: tuple[ContactType, ...],
    channels,
    source: str = "scenario.forecast",
) -> None:
    """Forecast volume outside a channel's opening hours would be arrivals nobody expects;
    `source` is the forecast file, or `scenario.forecast` for inline values."""
    starts = np.arange(volumes.shape[1]) * interval_s
    day_start = starts % 86400
    for row, ctype in enumerate(types):
        channel = next(c for c in channels if c.name == ctype.channel)
        closed = (day_start < channel.open_s - 1e-9) | (
            day_start + interval_s > channel.close_s + 1e-9
        )
        bad = np.flatnonzero(closed & (volumes[row] > 0))
        if len(bad):
            raise ConfigError(
                source,
                ctype.name,
                f"volume {volumes[row, bad[0]]:g} in the interval starting "
                f"{format_clock(starts[bad[0]])} "
                f"but channel {channel.name!r} is open only {format_clock(channel.open_s)}-"
                f"{format_clock(channel.close_s)}",
            )


def _check_misroutes(types) -> None:
    for ctype in types:
        others = {t.skill for t in types if t.channel == ctype.channel} - {ctype.skill}
        if ctype.misroute and not others:
            raise ConfigError(
                f"scenario.contact_types.{ctype.name}",
                "misroute",
                f"channel {ctype.channel!r} has no other queue to misroute to",
            )


def _check_concurrent_queues(types, channels) -> None:
    """A queue holds either concurrent contacts (chat) or whole-agent ones, never both."""
    concurrent = {c.name for c in channels if c.concurrency_stretch is not None}
    kinds: dict[str, set[bool]] = {}
    for ctype in types:
        kinds.setdefault(ctype.skill, set()).add(ctype.channel in concurrent)
    mixed = sorted(q for q, k in kinds.items() if len(k) > 1)
    if mixed:
        raise ConfigError(
            "scenario.contact_types",
            "skill",
            f"queue {mixed[0]!r} mixes a concurrent channel with others; give them separate skills",
        )


class UnusedSkillWarning(UserWarning):
    """A roster skill no contact type (or transfer) needs: not an error, maybe a typo."""


def _check_skills_covered(types, agents, cfg: Mapping[str, Any]) -> None:
    held = set().union(*(a.skills for a in agents)) if agents else set()
    roster_name = _mapping(cfg.get("roster"), "config", "roster").get("file", "roster")
    needed = [(t.skill, t.name) for t in types]
    needed += [(t.transfer.to, f"{t.name} (transfers)") for t in types if t.transfer is not None]
    unused = sorted(held - {skill for skill, _ in needed})
    if unused:
        warnings.warn(
            f"{roster_name}: skills: {', '.join(map(repr, unused))} held by agents but needed "
            f"by no contact type (a typo?); queues: {sorted({s for s, _ in needed})}",
            UnusedSkillWarning,
            stacklevel=2,
        )
    for skill, user in needed:
        if skill not in held:
            raise ConfigError(
                str(roster_name),
                "skills",
                f"no agent holds skill {skill!r} needed by contact type {user!r}; "
                f"skills held: {sorted(held)}",
            )


def _duty_limits(rules: LabourRules) -> tuple[float | None, float]:
    """The labour rules' longest shift and shortest rest, in seconds, which the on-call pools
    call their helpers within (a helper's call-ins of one day make one duty)."""
    longest = None if rules.max_shift_h is None else rules.max_shift_h * 3600.0
    return longest, (rules.min_rest_h or 0.0) * 3600.0
