"""What the Hydra shells (`python -m sim`, `python -m sim.staffing`) share: the resolved
config, one line for bad input (exit 2), a failed sweep job's error.txt, and ccsim's own
message for a mistyped key.

Hydra composes the config before any ccsim code runs, so a typo like `replicatons=3` (a key
that does not exist, without the `+` that adds one) ends in Hydra's "Could not override
'replicatons'" and exit code 1. `unknown_keys_reported` wraps Hydra's reporting so that this one
case prints one ccsim line naming the key and the top-level keys that exist, and exits with 2
like every other input error; everything else is reported by Hydra as before.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from hydra._internal import utils as hydra_utils
from hydra.errors import ConfigCompositionException
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from sim.errors import ConfigError
from sim.paths import CONFIGS
from sim.rundir import hydra as rundir

CONFIG = CONFIGS / "config.yaml"
log = logging.getLogger("sim.app")
_NOT_OVERRIDDEN = re.compile(r"Could not override '([^']+)'")


def top_level_keys(config: Path = CONFIG) -> list[str]:
    """The keys of the primary config: its config groups and its own settings."""
    spec = yaml.safe_load(config.read_text()) or {}
    groups = [
        next(iter(entry))
        for entry in spec.get("defaults", [])
        if isinstance(entry, dict) and len(entry) == 1
    ]
    groups = [g for g in groups if not g.startswith("override ")]  # Hydra's own, e.g. hydra/help
    own = [key for key in spec if key not in ("defaults", "hydra")]
    return [*own, *(g for g in groups if g not in own)]


def unknown_key_message(err: BaseException) -> str | None:
    """ccsim's one line for Hydra's refusal of an unknown key (`replicatons=3`, or a nested
    `scenario.busynes_cv=0`); None for other errors."""
    match = _NOT_OVERRIDDEN.search(str(err))
    if match is None:
        return None
    key = match.group(1)
    section, _, rest = key.partition(".")
    if section == "hydra":
        return None
    if not rest:
        allowed = top_level_keys()
        if key in allowed:
            return None
        listed = f"; allowed: {', '.join(allowed)}"
    else:
        known = _section_keys().get(section)
        listed = (
            f"; {section}'s keys: {', '.join(sorted(known))}" if known and "." not in rest else ""
        )
    return f"ccsim: error: config: {key}: unknown key{listed} (or +{key}=... to add a new key)"


def _section_keys() -> dict[str, set[str]]:
    """The keys ccsim reads under the sections a user most often overrides by hand."""
    from sim.inputs.config import SCENARIO_KEYS
    from sim.inputs.targets import TOP_KEYS

    return {"scenario": set(SCENARIO_KEYS), "targets": set(TOP_KEYS)}


@contextmanager
def unknown_keys_reported() -> Iterator[None]:
    report = hydra_utils.run_and_report

    def run_and_report(func: Callable[[], Any]) -> Any:
        def guarded() -> Any:
            try:
                return func()
            except ConfigCompositionException as err:
                message = unknown_key_message(err)
                if message is None:
                    raise
                print(message, file=sys.stderr)
                sys.exit(2)

        return report(guarded)

    hydra_utils.run_and_report = run_and_report
    try:
        yield
    finally:
        hydra_utils.run_and_report = report


def resolved_config(cfg: DictConfig) -> dict:
    try:
        resolved = OmegaConf.to_container(cfg, resolve=True)
    except OmegaConfBaseException as err:
        raise ConfigError(
            "config", getattr(err, "full_key", "?") or "?", str(err).splitlines()[0]
        ) from None
    assert isinstance(resolved, dict)  # a DictConfig converts to a dict
    return resolved


def reject(err: ConfigError, run_dir: Path, hydra_cfg: Any, made_now: bool, in_sweep: bool) -> None:
    """Bad input: one line on stderr (and in app.log). Alone, exit 2, removing the run
    directory Hydra made for this job (`sim.rundir.hydra`); in a sweep, record it in error.txt and
    let the other jobs go on."""
    message = f"ccsim: error: {err}"
    log.error(message)
    if in_sweep:
        record_failure(run_dir, message)
        return
    rundir.remove_if_unused(run_dir, hydra_cfg, made_now)
    sys.exit(2)


FAILURE_FILE = "error.txt"


def record_failure(run_dir: Path, message: str) -> None:
    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / FAILURE_FILE).write_text(message + "\n", encoding="utf-8")
