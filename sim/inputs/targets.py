"""The config's `targets:` section: what "holds" means, once, for every channel and queue.

    targets:
      threshold_s: 20        # answered within this many seconds counts as good
      service_level: 0.8     # the share answered within the threshold
      misses: 2              # intervals per queue and day allowed below target
      min_offered: 5         # intervals with fewer contacts (mean per replication) are not judged
      abandon_max: 0.05      # abandonment cap over the run (null: none)
      occupancy_max: 0.9     # occupancy cap over the run (null: none)
      asa_max_s: null        # ASA cap in seconds (null: none)
      short_abandon_s: 0     # abandons quicker than this are left out of the service level
      channels:              # per channel, any key above; a deferrable one also `left_max`
        chat: {threshold_s: 30}
        email: {threshold_s: 86400, left_max: 0}
      queues:                # per queue, over its channel's
        phone_senior: {service_level: 0.9}

A queue's targets are the defaults, then its channel's, then its own (`TargetSet.of_queue`).
The report, the console line, summary.json, the sweep and the staffing search all judge by
these through `sim.analysis.judgement`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import fields, replace
from typing import Any

from sim.errors import ConfigError, check_keys, expect_mapping, number, whole
from sim.model import Targets, TargetSet

WHERE = "targets"
GOAL_KEYS = {f.name for f in fields(Targets)}
TOP_KEYS = GOAL_KEYS | {"short_abandon_s", "channels", "queues"}
SHARES = {"service_level", "abandon_max", "occupancy_max"}
NULLABLE = {"abandon_max", "occupancy_max", "asa_max_s", "left_max"}


def read_targets(
    spec: object, channels: Sequence[str], queues_of: Mapping[str, Sequence[str]]
) -> TargetSet:
    """The `targets:` section (absent: the defaults) for these channels and their queues
    (`queues_of[channel]`). Unknown keys, channels and queues are refused, every value checked."""
    section = expect_mapping(spec if spec is not None else {}, "config", WHERE)
    check_keys(section, TOP_KEYS, WHERE)
    default = _goals(Targets(), section, WHERE)
    by_channel = expect_mapping(section.get("channels") or {}, WHERE, "channels")
    by_queue = expect_mapping(section.get("queues") or {}, WHERE, "queues")
    for name in by_channel:
        if name not in channels:
            raise ConfigError(
                WHERE, f"channels.{name}", f"not a channel; channels: {', '.join(channels)}"
            )
    channel_of = {q: c for c in channels for q in queues_of.get(c, ())}
    for name in by_queue:
        if name not in channel_of:
            raise ConfigError(
                WHERE, f"queues.{name}", f"not a queue; queues: {', '.join(channel_of)}"
            )
    resolved_channels = {
        c: _goals(default, by_channel.get(c) or {}, f"{WHERE}.channels.{c}") for c in channels
    }
    resolved_queues = {
        q: _goals(resolved_channels[c], by_queue.get(q) or {}, f"{WHERE}.queues.{q}")
        for q, c in channel_of.items()
    }
    short = number(section.get("short_abandon_s", 0), WHERE, "short_abandon_s", minimum=0)
    return TargetSet(default, resolved_channels, resolved_queues, short)


def _goals(base: Targets, spec: object, where: str) -> Targets:
    """`base` with the goals `spec` sets, each checked."""
    body = expect_mapping(spec, where.rsplit(".", 1)[0], where.rsplit(".", 1)[-1])
    allowed = GOAL_KEYS | ({"short_abandon_s", "channels", "queues"} if where == WHERE else set())
    check_keys(body, allowed, where)
    values: dict[str, Any] = {}
    for key in GOAL_KEYS & set(body):
        values[key] = _value(key, body[key], where)
    return replace(base, **values)


def _value(key: str, value: object, where: str) -> float | int | None:
    if value is None and key in NULLABLE:
        return None
    if key == "misses":
        return whole(value, where, key, minimum=0)
    if key == "service_level":  # (Erlang cannot staff for 100%)
        share = number(value, where, key)
        if not 0 < share < 1:
            raise ConfigError(where, key, f"must lie strictly between 0 and 1, got {value!r}")
        return share
    if key in SHARES:
        return number(value, where, key, minimum=0, maximum=1)
    if key == "threshold_s":
        return number(value, where, key, minimum=0)
    return number(value, where, key, minimum=0)
