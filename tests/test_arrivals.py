"""The day's contacts as `generate_contacts` draws them: handle times that follow the forecast's
AHT per arrival interval, and a contact type's own patience and segment mix. Every override
must leave the draws of everything it does not touch exactly as they were (common random
numbers), so the checks compare arrays byte for byte."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from sim.analysis.planning import offered_traffic
from sim.arrivals.contacts import Contacts
from sim.arrivals.forecast import generate_contacts
from sim.distributions import Deterministic, Exponential
from sim.inputs.config import build_model
from sim.paths import PROJECT_ROOT
from tests.conftest import composed

SEED = 20261111
HOUR = 3600.0


def two_types(**scenario) -> dict:
    """The `erlang` scenario with a second phone type: 4 h of 200 calls and 100 complaints per
    hour, exponential handle times (180 s and 480 s), 20% VIP, patience exponential 120 s."""
    cfg = composed("scenario=erlang", "scenario.hours=4", "scenario.vip_share=0.2")
    body = cfg["scenario"]
    body["contact_types"]["complaints"] = {"channel": "phone", "skill": "calls", "handle": 480}
    body["patience"] = {"phone": 120}
    body["forecast"]["values"] = {"calls": 200, "complaints": 100}
    body.update(scenario)
    return cfg


def contacts_of(cfg: dict, replications: int = 1) -> list[Contacts]:
    model = build_model(cfg, PROJECT_ROOT)
    return [generate_contacts(model, SEED, r) for r in range(replications)]


def columns(contacts: Contacts, mask: np.ndarray) -> dict[str, bytes]:
    """Every per-contact column of the contacts under `mask`, as bytes."""
    out = {}
    for name in Contacts.__dataclass_fields__:
        value = getattr(contacts, name)
        if value is not None:
            out[name] = np.ascontiguousarray(value[mask]).tobytes()
    return out


def mean_ci99(values: np.ndarray) -> tuple[float, float]:
    half = stats.t.ppf(0.995, len(values) - 1) * values.std(ddof=1) / np.sqrt(len(values))
    return values.mean() - half, values.mean() + half


# --- handle time per interval ----------------------------------------------------------------


def aht_forecast(tmp_path, cells: str) -> dict:
    """One type, 100 calls per half hour over 4 h; `cells`: the 8 cells of `calls_aht`."""
    path = tmp_path / "forecast.csv"
    rows = [f"{h // 2:02d}:{30 * (h % 2):02d},100,{aht}" for h, aht in enumerate(cells.split(","))]
    path.write_text("start,calls,calls_aht\n" + "\n".join(rows) + "\n")
    cfg = composed("scenario=erlang", "scenario.hours=4")
    cfg["scenario"]["forecast"] = {"file": str(path)}
    return cfg


def test_forecast_aht_doubles_the_handle_of_that_interval_only(tmp_path):
    """An AHT column asking 360 s (twice the configured 180 s) at 01:00-01:30 doubles the handle
    time of exactly the contacts arriving then; the draws are the same as without it."""
    base = contacts_of(aht_forecast(tmp_path, ",,,,,,,"), 20)
    doubled = contacts_of(aht_forecast(tmp_path, ",,360,,,,,"), 20)
    inside, outside = [], []
    for plain, scaled in zip(base, doubled, strict=True):
        # The same customers, arriving at the same times ...
        assert plain.arrival_s.tobytes() == scaled.arrival_s.tobytes()
        assert plain.patience_s.tobytes() == scaled.patience_s.tobytes()
        then = (plain.arrival_s >= HOUR) & (plain.arrival_s < 1.5 * HOUR)
        # ... with the base draw scaled by exactly the interval's factor.
        assert np.array_equal(scaled.handle_s[then], 2 * plain.handle_s[then])
        assert scaled.handle_s[~then].tobytes() == plain.handle_s[~then].tobytes()
        inside.append(scaled.handle_s[then])
        outside.append(scaled.handle_s[~then])
    low, high = mean_ci99(np.concatenate(inside))
    assert low < 360 < high and high - low < 60
    low, high = mean_ci99(np.concatenate(outside))
    assert low < 180 < high


def test_an_empty_aht_column_changes_nothing(tmp_path):
    cfg = aht_forecast(tmp_path, ",,,,,,,")
    assert build_model(cfg, PROJECT_ROOT).demand.handle_factor is None
    plain = composed("scenario=erlang", "scenario.hours=4")
    (with_column,), (without,) = contacts_of(cfg), contacts_of(plain)
    everyone = np.ones(len(without), dtype=bool)
    assert columns(with_column, np.ones(len(with_column), bool)) == columns(without, everyone)


def test_handle_factor_at_reads_the_arrival_interval(tmp_path):
    model = build_model(aht_forecast(tmp_path, "90,,360,,,,,"), PROJECT_ROOT)
    assert model.handle_factor_at(0, 0.0) == 0.5
    assert model.handle_factor_at(0, 1799.9) == 0.5
    assert model.handle_factor_at(0, 1800.0) == 1.0
    assert model.handle_factor_at(0, 1.25 * HOUR) == 2.0
    # Past the forecast (a late retry) the type's configured mean holds.
    assert model.handle_factor_at(0, 4 * HOUR) == 1.0
    plain = build_model(composed("scenario=erlang", "scenario.hours=4"), PROJECT_ROOT)
    assert plain.handle_factor_at(0, 1.25 * HOUR) == 1.0


def test_erlang_columns_use_the_interval_aht(tmp_path):
    """intervals.csv sizes each interval with its own AHT: twice the work, more agents."""
    model = build_model(aht_forecast(tmp_path, ",,360,,,,,"), PROJECT_ROOT)
    forecast, aht, patience = offered_traffic(model, "phone", "calls")
    assert aht.tolist() == [180.0, 180.0, 360.0] + [180.0] * 5
    assert patience == [None] * 8
    # The day's mean work (the announced-wait estimator's) counts the long interval too.
    assert model.mean_work("calls") == pytest.approx(180 * 9 / 8)


def test_interval_aht_weights_the_types_by_their_volume():
    """Two types in one queue: each interval's mean work is the volume-weighted mean of the
    types' handle times in that interval (calls 2/3, complaints 1/3 of the volume)."""
    cfg = two_types()
    cfg["scenario"]["forecast"]["aht"] = {"calls": [None, 360], "complaints": 240}
    model = build_model(cfg, PROJECT_ROOT)
    _, aht, _ = offered_traffic(model, "phone", "calls")
    assert aht[0] == pytest.approx((2 * 180 + 240) / 3)
    assert aht[1] == pytest.approx((2 * 360 + 240) / 3)
    assert aht[2] == pytest.approx((2 * 180 + 240) / 3)


# --- a contact type's own patience -----------------------------------------------------------


def test_type_patience_applies_to_that_type_only():
    plain = contacts_of(two_types(), 3)
    cfg = two_types()
    cfg["scenario"]["contact_types"]["complaints"]["patience"] = {
        "dist": "deterministic",
        "mean": 77,
    }
    own = contacts_of(cfg, 3)
    for before, after in zip(plain, own, strict=True):
        calls = before.type_index == 0
        assert columns(after, after.type_index == 0) == columns(before, calls)
        complaints = after.type_index == 1
        assert (after.patience_s[complaints] == 77).all()
        # Everything else about complaints is as it was.
        kept = columns(after, complaints)
        was = columns(before, ~calls)
        assert {k: v for k, v in kept.items() if k != "patience_s"} == {
            k: v for k, v in was.items() if k != "patience_s"
        }


def test_type_patience_per_segment_keeps_the_channel_elsewhere_and_its_streams():
    """A mapping naming only VIPs overrides theirs; regulars keep the channel's patience, drawn
    exactly as before. Giving the channel's own distribution changes no draw at all (the
    patience streams are still one per type and segment)."""
    plain = contacts_of(two_types(), 2)
    cfg = two_types()
    cfg["scenario"]["contact_types"]["complaints"]["patience"] = {"vip": None}
    model = build_model(cfg, PROJECT_ROOT)
    assert model.patience_of(1, 0) is None  # complaints, vip: never abandon
    assert model.patience_of(1, 1) == Exponential(120.0)  # complaints, regular: the channel's
    assert model.patience_of(0, 0) == Exponential(120.0)  # calls: the channel's
    for before, after in zip(plain, contacts_of(cfg, 2), strict=True):
        vip = (after.type_index == 1) & (after.segment_index == 0)
        assert np.isinf(after.patience_s[vip]).all() and vip.any()
        assert after.patience_s[~vip].tobytes() == before.patience_s[~vip].tobytes()
    same = two_types()
    same["scenario"]["contact_types"]["complaints"]["patience"] = {"all": 120}
    for before, after in zip(plain, contacts_of(same, 2), strict=True):
        assert after.patience_s.tobytes() == before.patience_s.tobytes()


def test_type_patience_null_means_never_abandon_and_erlang_a_sees_it():
    cfg = two_types()
    cfg["scenario"]["contact_types"]["complaints"]["patience"] = None
    model = build_model(cfg, PROJECT_ROOT)
    assert model.patience_of(1, 0) is None and model.patience_of(1, 1) is None
    (contacts,) = contacts_of(cfg)
    assert np.isinf(contacts.patience_s[contacts.type_index == 1]).all()
    # Erlang A's abandonment rate: calls abandon at 1/120, complaints never; a third of the
    # volume is complaints, so the mean patience is 120 * 3/2.
    _, _, patience = offered_traffic(model, "phone", "calls")
    assert patience[0] == pytest.approx(180.0)


# --- a contact type's own segment mix --------------------------------------------------------


def test_type_segment_mix_applies_to_that_type_only():
    plain = contacts_of(two_types(), 3)
    cfg = two_types()
    cfg["scenario"]["contact_types"]["complaints"]["segments"] = {"vip": 0.6}
    model = build_model(cfg, PROJECT_ROOT)
    assert model.segment_shares(1).tolist() == pytest.approx([0.6, 0.4])
    assert model.segment_shares(0).tolist() == pytest.approx([0.2, 0.8])
    vip_shares = []
    for before, after in zip(plain, contacts_of(cfg, 3), strict=True):
        calls = before.type_index == 0
        assert columns(after, after.type_index == 0) == columns(before, calls)
        complaints = after.type_index == 1
        assert after.arrival_s[complaints].tobytes() == before.arrival_s[~calls].tobytes()
        vip_shares.append(after.segment_index[complaints] == 0)
    vip = np.concatenate(vip_shares).astype(float)
    low, high = mean_ci99(vip)
    assert low < 0.6 < high


def test_type_segment_mix_of_one_segment():
    cfg = two_types()
    cfg["scenario"]["contact_types"]["calls"]["segments"] = {"vip": 1, "regular": 0}
    (contacts,) = contacts_of(cfg)
    assert (contacts.segment_index[contacts.type_index == 0] == 0).all()
    assert (contacts.segment_index[contacts.type_index == 1] == 1).any()


def test_model_defaults_answer_without_overrides():
    model = build_model(two_types(), PROJECT_ROOT)
    assert model.demand.handle_factor is None
    assert model.segment_shares(1).tolist() == [s.share for s in model.segments]
    assert model.patience_of(1, 1) == model.patience[("phone", "regular")]
    assert model.handle_factor_at(1, 0.0) == 1.0
    assert Deterministic(77.0) != model.patience_of(1, 1)
