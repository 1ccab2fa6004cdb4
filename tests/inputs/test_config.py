"""Building the model (`sim.inputs.config.build_model`): the sections composed into one model,
the `service_level` section, and the top-level checks. Each section's own forms and errors are
the other modules of tests/inputs/; the bad-input tables through the command line are
tests/validation_inputs/."""

from __future__ import annotations

import numpy as np
import pytest

from sim.distributions import Exponential
from sim.errors import ConfigError
from sim.inputs.config import build_model
from sim.paths import PROJECT_ROOT
from tests.conftest import composed
from tests.inputs.configs import erlang_cfg


def test_erlang_scenario_builds_the_textbook_model():
    model = build_model(
        composed("scenario=erlang", "scenario.agents=9", "scenario.patience_s=60"), PROJECT_ROOT
    )
    assert len(model.agents) == 9 and model.agents[0].shifts[0].end_s == 8 * 3600
    assert model.contact_types[0].handle == Exponential(180.0)
    assert model.patience[("phone", "regular")] == Exponential(60.0)
    # 200 per hour in 30-minute intervals is 100 per interval.
    assert np.allclose(model.demand.volumes, 100.0) and model.demand.n_intervals == 16


def test_the_old_service_level_section_is_refused_with_the_keys_that_replaced_it():
    cfg = erlang_cfg()
    cfg["service_level"] = {"threshold_s": 30}
    with pytest.raises(ConfigError, match="replaced by targets") as err:
        build_model(cfg, PROJECT_ROOT)
    assert (err.value.source, err.value.field) == ("config", "service_level")


@pytest.mark.parametrize(
    "key, value, where, field",
    [
        ("scenario", None, "config", "scenario"),
        ("roster", [], "config", "roster"),
        ("workforce", {"absense": {"all": 0.1}}, "workforce", "absense"),
        ("replicatons", 3, "config", "replicatons"),
    ],
)
def test_top_level_sections_must_be_mappings_with_known_keys(key, value, where, field):
    cfg = erlang_cfg()
    cfg[key] = value
    with pytest.raises(ConfigError) as err:
        build_model(cfg, PROJECT_ROOT)
    assert (err.value.source, err.value.field) == (where, field)
