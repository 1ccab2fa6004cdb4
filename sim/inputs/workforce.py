"""The workforce on the day, from config: absenteeism (`absence:`) and real-time management
(`monitor:` alert rules, on-call pools, moves of deferrable agents).

Like the rest of `sim.inputs`, this only reads and checks user input; every problem is a
`ConfigError` naming the key, the field and what is allowed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from sim.errors import ConfigError, check_keys, expect_mapping, number, queue_skills
from sim.inputs.distributions import parse_distribution
from sim.inputs.files import FileFinder
from sim.inputs.roster import parse_proficiency
from sim.model import (
    ALERT_MEASURES,
    Absence,
    Agent,
    AlertRule,
    GroupCost,
    LabourRules,
    Model,
    Monitor,
    Move,
    OnCall,
)


def read_absence(spec: object, agents: Sequence[Agent], files: FileFinder) -> dict[str, Absence]:
    """`absence: {GROUP or all: p, or {p: P, late: DIST}}`: `all` covers the groups not named."""
    if spec is None:
        return {}
    spec = expect_mapping(spec, "workforce", "absence")
    groups = sorted({a.group for a in agents})
    unknown = sorted(set(spec) - {"all", *groups})
    if unknown:
        raise ConfigError(
            "workforce.absence", unknown[0], f"not a roster group; groups: {groups} (or `all`)"
        )
    parsed = {name: _absence(body, name, files) for name, body in spec.items()}
    fallback = parsed.get("all")
    out = {g: parsed.get(g, fallback) for g in groups}
    return {g: a for g, a in out.items() if a is not None and (a.p > 0 or a.late is not None)}


def _absence(body: object, name: str, files: FileFinder) -> Absence:
    where = f"workforce.absence.{name}"
    if isinstance(body, int | float) and not isinstance(body, bool):
        body = {"p": body}
    body = expect_mapping(body, "workforce.absence", name)
    check_keys(body, {"p", "late"}, where)
    p = number(body.get("p", 0), where, "p", minimum=0, maximum=1)
    if p == 1:
        raise ConfigError(where, "p", "must be below 1 (a group that never comes is not rostered)")
    late = body.get("late")
    return Absence(p, None if late is None else parse_distribution(late, where, "late", files))


def read_monitor(
    spec: object, model: Model, files: FileFinder
) -> tuple[Monitor | None, tuple[Agent, ...], dict[str, GroupCost]]:
    """`monitor: {period_s, alerts: {NAME: rule}, on_call: {POOL: pool}, moves: [move]}`;
    returns the monitor, the on-call agents to add to the roster and their groups' costs.
    The pools call their helpers within the model's labour rules (`_duty_limits`)."""
    if spec is None:
        return None, (), {}
    spec = expect_mapping(spec, "workforce", "monitor")
    check_keys(spec, {"period_s", "alerts", "on_call", "moves"}, "workforce.monitor")
    period = number(spec.get("period_s", 300), "workforce.monitor", "period_s", above=0)
    longest, rest = _duty_limits(model.labour)
    alerts = tuple(
        _alert(name, body, model)
        for name, body in expect_mapping(
            spec.get("alerts") or {}, "workforce.monitor", "alerts"
        ).items()
    )
    names = [a.name for a in alerts]
    pools = []
    agents: list[Agent] = []
    costs: dict[str, GroupCost] = {}
    taken = {a.name for a in model.agents}
    for name, body in expect_mapping(
        spec.get("on_call") or {}, "workforce.monitor", "on_call"
    ).items():
        pool, pool_agents, cost = _on_call(
            str(name),
            body,
            model,
            names,
            len(model.agents) + len(agents),
            files,
        )
        pool = replace(pool, max_duty_s=longest, rest_s=rest)
        clash = sorted(taken & {a.name for a in pool_agents})
        if clash:
            raise ConfigError(
                f"workforce.monitor.on_call.{name}",
                "name",
                f"agent {clash[0]!r} is already in the roster",
            )
        taken |= {a.name for a in pool_agents}
        pools.append(pool)
        agents.extend(pool_agents)
        if cost is not None:
            costs[pool.group] = cost
    moves = spec.get("moves") or []
    if not isinstance(moves, list):
        raise ConfigError(
            "workforce.monitor",
            "moves",
            "expected a list of {from: QUEUE, to: QUEUE, when: [ALERT]}",
        )
    monitor = Monitor(
        period, alerts, tuple(pools), tuple(_move(k, m, model, names) for k, m in enumerate(moves))
    )
    return monitor, tuple(agents), costs


def _alert(name: str, body: object, model: Model) -> AlertRule:
    where = f"workforce.monitor.alerts.{name}"
    body = expect_mapping(body, "workforce.monitor.alerts", name)
    check_keys(body, {"queue", "channel", "measure", "above", "below", "window_min"}, where)
    if ("queue" in body) == ("channel" in body):
        raise ConfigError(
            where, "queue/channel", "give exactly one: the queue or the channel it watches"
        )
    queue, channel = body.get("queue"), body.get("channel")
    if queue is not None and queue not in model.queues:
        raise ConfigError(where, "queue", f"{queue!r} is not a queue; queues: {list(model.queues)}")
    channels = [c.name for c in model.channels]
    if channel is not None and channel not in channels:
        raise ConfigError(where, "channel", f"{channel!r} is not a channel; channels: {channels}")
    measure = body.get("measure")
    if measure not in ALERT_MEASURES:
        raise ConfigError(
            where, "measure", f"{measure!r} is not one of {', '.join(ALERT_MEASURES)}"
        )
    if ("above" in body) == ("below" in body):
        raise ConfigError(where, "above/below", "give exactly one threshold: `above` or `below`")
    above = "above" in body
    threshold = number(
        body["above" if above else "below"], where, "above" if above else "below", minimum=0
    )
    window = number(body.get("window_min", 30), where, "window_min", above=0) * 60
    return AlertRule(str(name), str(measure), threshold, above, queue, channel, window)


def _on_call(
    name: str,
    body: object,
    model: Model,
    alert_names: Sequence[str],
    first_index: int,
    files: FileFinder,
) -> tuple[OnCall, tuple[Agent, ...], GroupCost | None]:
    """One pool of `on_call`: `count` helpers (numbered agents without shifts, indices from
    `first_index` on), called in when an alert of `when` is raised; its group's cost."""
    where = f"workforce.monitor.on_call.{name}"
    body = expect_mapping(body, "workforce.monitor.on_call", name)
    check_keys(
        body,
        {
            "group",
            "skills",
            "count",
            "call_in",
            "min_on_min",
            "max_on_min",
            "when",
            "batch",
            "proficiency",
            "chats",
            "per_hour",
            "overtime",
        },
        where,
    )
    skills = queue_skills(body.get("skills"), model.queues, where)
    count = _whole(body.get("count", 1), where, "count")
    if "call_in" not in body:
        raise ConfigError(where, "call_in", "the call-in delay distribution is required")
    call_in = parse_distribution(body["call_in"], where, "call_in", files)
    low = number(body.get("min_on_min", 60), where, "min_on_min", minimum=0) * 60
    high = number(body.get("max_on_min", 240), where, "max_on_min", above=0) * 60
    if high < low:
        raise ConfigError(where, "max_on_min", "must be at least min_on_min")
    when = _when(body.get("when"), where, alert_names)
    speed, speeds = parse_proficiency(body.get("proficiency"), where, "proficiency")
    chats = _whole(body.get("chats", 1), where, "chats")
    group = str(body.get("group", name))
    agents = tuple(
        Agent(
            f"{name}_{k:03d}",
            frozenset(map(str, skills)),
            (),
            group,
            chats,
            speed,
            tuple(sorted(speeds.items())),
        )
        for k in range(1, count + 1)
    )
    batch = _whole(body.get("batch", count), where, "batch")
    indices = tuple(range(first_index, first_index + count))
    cost = None
    if "per_hour" in body:  # (on-call hours as worked, like any group's: see sim.costs)
        cost = GroupCost(
            number(body["per_hour"], where, "per_hour", minimum=0),
            number(body.get("overtime", 1.5), where, "overtime", minimum=1),
        )
    return OnCall(name, group, indices, call_in, when, low, high, batch), agents, cost


def _move(k: int, body: object, model: Model, alert_names: Sequence[str]) -> Move:
    where = f"workforce.monitor.moves[{k}]"
    body = expect_mapping(body, "workforce.monitor.moves", f"[{k}]")
    check_keys(body, {"from", "to", "when"}, where)
    deferrable = [
        q
        for q in model.queues
        if any(t.skill == q and model.channel(t.channel).deferrable for t in model.contact_types)
    ]
    source, to = body.get("from"), body.get("to")
    if source not in deferrable:
        raise ConfigError(
            where, "from", f"{source!r} is not a deferrable queue; deferrable: {deferrable}"
        )
    real_time = [q for q in model.queues if q not in deferrable]
    if to not in real_time:
        raise ConfigError(where, "to", f"{to!r} is not a real-time queue; queues: {real_time}")
    return Move(str(source), str(to), _when(body.get("when"), where, alert_names))


def _when(value: object, where: str, alert_names: Sequence[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        raise ConfigError(
            where, "when", f"name the alerts that trigger it; alerts: {list(alert_names)}"
        )
    for name in value:
        if name not in alert_names:
            raise ConfigError(where, "when", f"no alert {name!r}; alerts: {list(alert_names)}")
    return tuple(str(v) for v in value)


def _whole(value: object, where: str, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(where, field, f"expected a whole number >= 1, got {value!r}")
    return value


def _duty_limits(rules: LabourRules) -> tuple[float | None, float]:
    """The labour rules' longest shift and shortest rest, in seconds, which the on-call pools
    call their helpers within (a helper's call-ins of one day make one duty)."""
    longest = None if rules.max_shift_h is None else rules.max_shift_h * 3600.0
    return longest, (rules.min_rest_h or 0.0) * 3600.0
