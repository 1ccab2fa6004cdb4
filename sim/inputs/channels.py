"""The scenario's `channels`: opening hours, service-level threshold, deferrable work, a front
end (IVR with its announcements and callbacks, or a chat bot), lines, chat concurrency; and the
checks of the other sections against them (forecast volume only in opening hours, a queue
never mixing concurrent and whole-agent contacts).

    channels:
      phone: {open: "08:00", close: "22:00", ivr: {menu: 30}, lines: 60}
      chat: {concurrency: {stretch: 0.25}, bot: {time: 45}}
      email: {deferrable: true, reserved_share: 0.1}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np

from sim.clock import format_clock, parse_clock
from sim.errors import ConfigError, check_keys, expect_mapping, number
from sim.inputs.distributions import parse_distribution
from sim.inputs.files import FileFinder
from sim.model import (
    DEFAULT_THRESHOLD_S,
    Announcement,
    Channel,
    ContactType,
    FrontEnd,
    TargetSet,
)


def read_channels(scenario: Mapping[str, Any], files: FileFinder) -> tuple[Channel, ...]:
    """`scenario.channels`, in the order written (at least one). Their service-level
    thresholds are targets (`targets.channels.<name>.threshold_s`, `sim.inputs.targets`):
    `channels_with_thresholds` sets them once the targets are read."""
    spec = expect_mapping(scenario.get("channels"), "scenario", "channels")
    if not spec:
        raise ConfigError("scenario", "channels", "at least one channel is needed")
    channels = []
    for name, body in spec.items():
        body = expect_mapping(body or {}, "scenario", f"channels.{name}")
        where = f"scenario.channels.{name}"
        if "threshold_s" in body:
            raise ConfigError(
                where,
                "threshold_s",
                f"a threshold is a target: set it as targets.channels.{name}.threshold_s "
                "(configs/targets/)",
            )
        check_keys(
            body,
            {"open", "close", "deferrable", "reserved_share"}
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
        deferrable = body.get("deferrable", False)
        if not isinstance(deferrable, bool):
            raise ConfigError(where, "deferrable", f"expected true or false, got {deferrable!r}")
        channels.append(
            Channel(
                name=str(name),
                open_s=open_s,
                close_s=close_s,
                threshold_s=DEFAULT_THRESHOLD_S,  # until with_thresholds
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


def channels_with_thresholds(
    channels: tuple[Channel, ...], targets: TargetSet
) -> tuple[Channel, ...]:
    """The channels with their service-level thresholds from the targets."""
    return tuple(replace(c, threshold_s=targets.of_channel(c.name).threshold_s) for c in channels)


def _front_end(body: Mapping[str, Any], where: str, files: FileFinder) -> FrontEnd | None:
    """`ivr: {menu: DIST}` (phone menu) or `bot: {time: DIST}` (chat bot); at most one."""
    kinds = [k for k in FRONT_ENDS if body.get(k) is not None]
    if not kinds:
        return None
    if len(kinds) > 1:
        raise ConfigError(where, "ivr/bot", "a channel has at most one front end")
    kind = kinds[0]
    spec = expect_mapping(body[kind], where, kind)
    time_key = FRONT_ENDS[kind]
    extra = {"misroute_handle", "announce"} if kind == "ivr" else set()
    check_keys(spec, {time_key, *extra}, f"{where}.{kind}")
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
    spec = expect_mapping(spec, where, "announce")
    check_keys(spec, {"balk", "callback"}, f"{where}.announce")
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
    callback = expect_mapping(callback, where, "announce.callback")
    check_keys(
        callback, {"offer_above_s", "accept", "attempt", "reach"}, f"{where}.announce.callback"
    )
    return Announcement(
        balk=balk,
        callback_above_s=number(
            callback.get("offer_above_s", 180), where, "callback.offer_above_s", minimum=0
        ),
        callback_accept=number(
            callback.get("accept", 0.5), where, "callback.accept", minimum=0, maximum=1
        ),
        callback_attempt=parse_distribution(
            callback.get("attempt", {"dist": "deterministic", "mean": 30}),
            where,
            "callback.attempt",
            files,
        ),
        callback_reach=number(
            callback.get("reach", 0.9), where, "callback.reach", minimum=0, maximum=1
        ),
    )


def _reserved_share(body: Mapping[str, Any], deferrable: bool, where: str) -> float:
    share = number(body.get("reserved_share", 0), where, "reserved_share", minimum=0, maximum=1)
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
    spec = expect_mapping(spec, where, "concurrency")
    check_keys(spec, {"stretch"}, f"{where}.concurrency")
    return number(spec.get("stretch", 0.0), where, "concurrency.stretch", minimum=0)


def check_opening_hours(
    volumes: np.ndarray,
    interval_s: float,
    types: tuple[ContactType, ...],
    channels: tuple[Channel, ...],
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


def check_concurrent_queues(types: tuple[ContactType, ...], channels: tuple[Channel, ...]) -> None:
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
