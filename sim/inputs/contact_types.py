"""The scenario's `contact_types`: what arrives on which channel for which skill (queue), and
what serving it takes: handle and wrap-up times, the share the IVR or bot contains, a
second leg (`transfer`), IVR misroutes; and a type's own patience and segment mix, where they
differ from its channel's and the scenario's.

    contact_types:
      orders: {channel: phone, skill: phone_general, handle: {dist: lognormal, mean: 240, cv: 0.6},
               wrapup: 30, contained: 0.15, transfer: {to: phone_senior, share: 0.05, handle: 300}}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from sim.distributions import Deterministic, Distribution
from sim.errors import ConfigError, check_keys, expect_mapping, number
from sim.inputs.distributions import parse_distribution
from sim.inputs.files import FileFinder
from sim.model import Channel, ContactType, Segment, TargetSet, Transfer


def read_contact_types(
    scenario: Mapping[str, Any],
    channels: tuple[Channel, ...],
    segments: tuple[Segment, ...],
    files: FileFinder,
) -> tuple[ContactType, ...]:
    """`scenario.contact_types`, in the order written (at least one), each on a known channel
    and checked against it (containment needs a front end, misroutes an IVR)."""
    spec = expect_mapping(scenario.get("contact_types"), "scenario", "contact_types")
    if not spec:
        raise ConfigError("scenario", "contact_types", "at least one contact type is needed")
    names = [c.name for c in channels]
    types = []
    for name, body in spec.items():
        where = f"scenario.contact_types.{name}"
        body = expect_mapping(body, "scenario", f"contact_types.{name}")
        if "threshold_s" in body:
            raise ConfigError(
                where,
                "threshold_s",
                "a threshold is a target: set it for the type's queue as "
                f"targets.queues.{body.get('skill')}.threshold_s (configs/targets/)",
            )
        check_keys(
            body,
            {"channel", "skill", "handle", "wrapup", "contained"}
            | {"transfer", "misroute", "patience", "segments"},
            where,
        )
        if body.get("channel") not in names:
            raise ConfigError(where, "channel", f"{body.get('channel')!r} is not one of {names}")
        channel = channels[names.index(body["channel"])]
        contained = number(body.get("contained", 0), where, "contained", minimum=0, maximum=1)
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
        misroute = number(body.get("misroute", 0), where, "misroute", minimum=0, maximum=1)
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
                transfer=_transfer(body.get("transfer"), where, files),
                misroute=misroute,
                patience=_type_patience(body, segments, where, files),
                segment_mix=_type_segments(body.get("segments"), segments, where),
            )
        )
    return tuple(types)


def _handle(dist: Distribution, where: str, field: str) -> Distribution:
    """A handle time averaging zero would be contacts served instantly: refused (wrap-up, IVR
    and bot times may be 0)."""
    if not dist.mean > 0:
        raise ConfigError(
            where, field, f"the mean handle time must be greater than 0, got {dist.mean:g}"
        )
    return dist


def _transfer(spec: object, where: str, files: FileFinder) -> Transfer | None:
    """`transfer: {to: SKILL, share: P, handle: DIST}`: a second leg after the first agent."""
    if spec is None:
        return None
    spec = expect_mapping(spec, where, "transfer")
    check_keys(spec, {"to", "share", "handle"}, f"{where}.transfer")
    to = spec.get("to")
    if not isinstance(to, str) or not to:
        raise ConfigError(where, "transfer.to", "name the skill (queue) the transfer goes to")
    if "handle" not in spec:
        raise ConfigError(
            where, "transfer.handle", "the second leg's handle-time distribution is required"
        )
    share = number(spec.get("share", 0), where, "transfer.share", minimum=0, maximum=1)
    handle = parse_distribution(spec["handle"], where, "transfer.handle", files)
    return Transfer(to, share, _handle(handle, where, "transfer.handle"))


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
        check_keys(spec, {"all", *seg_names}, f"{where}.patience")
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
    spec = expect_mapping(spec, where, "segments")
    seg_names = [s.name for s in segments]
    check_keys(spec, set(seg_names), f"{where}.segments")
    shares = {
        s: None
        if spec.get(s) is None
        else number(spec[s], where, f"segments.{s}", minimum=0, maximum=1)
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


def check_misroutes(types: tuple[ContactType, ...]) -> None:
    """A type that misroutes in the IVR needs another queue on its channel to land in."""
    for ctype in types:
        others = {t.skill for t in types if t.channel == ctype.channel} - {ctype.skill}
        if ctype.misroute and not others:
            raise ConfigError(
                f"scenario.contact_types.{ctype.name}",
                "misroute",
                f"channel {ctype.channel!r} has no other queue to misroute to",
            )


def types_with_thresholds(
    types: tuple[ContactType, ...], targets: TargetSet
) -> tuple[ContactType, ...]:
    """The types with their queue's threshold where the queue's targets set one of its own
    (`targets.queues.<q>.threshold_s`); the others keep their channel's."""
    out = []
    for ctype in types:
        own = targets.of_queue(ctype.skill, ctype.channel).threshold_s
        channel = targets.of_channel(ctype.channel).threshold_s
        out.append(ctype if own == channel else replace(ctype, threshold_s=own))
    return tuple(out)
