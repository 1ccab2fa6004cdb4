"""The composed configs the inputs tests start from, each test changing a key or two."""

from __future__ import annotations

from tests.conftest import composed


def erlang_cfg(**scenario) -> dict:
    """The `erlang` scenario over 4 hours, as `python -m sim scenario=erlang scenario.hours=4`
    composes it; `scenario` replaces keys of its `scenario` section."""
    cfg = composed("scenario=erlang", "scenario.hours=4")
    cfg["scenario"].update(scenario)
    return cfg


def with_roster(roster: dict, **scenario) -> dict:
    """`erlang_cfg(**scenario)` with `roster` as the whole roster section."""
    cfg = erlang_cfg(**scenario)
    cfg["roster"] = roster
    return cfg


def two_type_cfg(**types) -> dict:
    """`erlang_cfg` with a second phone type, `complaints`, and a VIP segment; `types` adds keys
    to the types' bodies, e.g. complaints={"segments": {...}}."""
    cfg = composed("scenario=erlang", "scenario.hours=4", "scenario.vip_share=0.2")
    body = cfg["scenario"]
    body["contact_types"]["complaints"] = {"channel": "phone", "skill": "calls", "handle": 480}
    body["patience"] = {"phone": 120}
    body["forecast"]["values"] = {"calls": 200, "complaints": 100}
    for name, extra in types.items():
        body["contact_types"][name].update(extra)
    return cfg
