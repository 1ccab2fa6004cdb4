"""What the customers do, per the scenario: who they are (`segments`, with their shares and
priorities), how long they wait before hanging up (`patience`, per channel and segment) and
whether they try again (`retrials`, per channel).

    segments: {vip: {share: 0.1, priority: 1}, regular: {}}
    patience: {phone: {vip: 300, all: {dist: lognormal, mean: 150, cv: 0.8}}, email: null}
    retrials: {phone: {first: 0.4, later: 0.2, delay: 600, max_retries: 3}}

A contact type's own patience and segment mix are `sim.inputs.contact_types`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sim.distributions import Distribution
from sim.errors import ConfigError, check_keys, expect_mapping, number, whole
from sim.inputs.distributions import parse_distribution
from sim.inputs.files import FileFinder
from sim.model import Channel, ContactType, Retrial, Segment


def read_segments(scenario: Mapping[str, Any]) -> tuple[Segment, ...]:
    """`scenario.segments` (absent: one segment, `regular`): shares adding up to 1, one segment
    at most left without a share to take the rest; whole-number priorities (higher first)."""
    spec = expect_mapping(scenario.get("segments", {"regular": {}}), "scenario", "segments")
    if not spec:
        raise ConfigError("scenario", "segments", "at least one segment is needed")
    shares: dict[str, float | None] = {}
    priorities: dict[str, int] = {}
    for name, body in spec.items():
        body = expect_mapping(body or {}, "scenario", f"segments.{name}")
        where = f"scenario.segments.{name}"
        check_keys(body, {"share", "priority"}, where)
        share = body.get("share")
        shares[name] = (
            None if share is None else number(share, where, "share", minimum=0, maximum=1)
        )
        priorities[name] = whole(body.get("priority", 0), where, "priority")
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


def read_patience(
    scenario: Mapping[str, Any],
    channels: tuple[Channel, ...],
    segments: tuple[Segment, ...],
    files: FileFinder,
) -> dict[tuple[str, str], Distribution | None]:
    """Per channel: null (never abandon), one distribution for all segments, or a mapping from
    segment (or `all`, the fallback) to a distribution or null."""
    spec = expect_mapping(scenario.get("patience", {}), "scenario", "patience")
    check_keys(spec, {c.name for c in channels}, "scenario.patience")
    seg_names = [s.name for s in segments]
    result: dict[tuple[str, str], Distribution | None] = {}
    for channel in channels:
        body = spec.get(channel.name)
        where = f"scenario.patience.{channel.name}"
        if body is None or not isinstance(body, Mapping) or "dist" in body:
            per_segment = dict.fromkeys(seg_names, body)
        else:
            check_keys(body, {"all", *seg_names}, where)
            per_segment = {s: body.get(s, body.get("all")) for s in seg_names}
        for seg, dist in per_segment.items():
            result[(channel.name, seg)] = (
                None if dist is None else parse_distribution(dist, where, seg, files)
            )
    return result


def read_retrials(
    scenario: Mapping[str, Any],
    channels: tuple[Channel, ...],
    types: tuple[ContactType, ...],
    files: FileFinder,
) -> dict[str, Retrial]:
    """Per channel: `{first, later, delay, max_retries, switch: {contact_type: probability}}`."""
    spec = expect_mapping(scenario.get("retrials") or {}, "scenario", "retrials")
    check_keys(spec, {c.name for c in channels}, "scenario.retrials")
    type_names = [t.name for t in types]
    plans = {}
    for channel, body in spec.items():
        if body is None:
            continue
        where = f"scenario.retrials.{channel}"
        body = expect_mapping(body, "scenario.retrials", channel)
        check_keys(body, {"first", "later", "delay", "max_retries", "switch"}, where)
        first = number(body.get("first", 0), where, "first", minimum=0, maximum=1)
        later = number(body.get("later", first), where, "later", minimum=0, maximum=1)
        if "delay" not in body:
            raise ConfigError(
                where, "delay", "a delay distribution (seconds before retrying) is required"
            )
        max_retries = whole(body.get("max_retries", 3), where, "max_retries", minimum=1)
        switch = expect_mapping(body.get("switch") or {}, where, "switch")
        for name in switch:
            if name not in type_names:
                raise ConfigError(
                    where, f"switch.{name}", f"not a contact type; known: {type_names}"
                )
        shares = {
            k: number(v, where, f"switch.{k}", minimum=0, maximum=1) for k, v in switch.items()
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
