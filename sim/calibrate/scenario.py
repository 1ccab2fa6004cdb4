"""Writing a calibration as a ready scenario, runnable as `python -m sim scenario=NAME`.

Under the output root (the project by default): `configs/scenario/NAME.yaml` (picking its own
roster), `configs/roster/NAME.yaml`, and `scenarios/NAME/` with the forecast, the handle samples
and patience curves the scenario names, the roster, `calibration.json` (every estimate with its
CI) and `calibration.html`. An existing NAME is refused unless `force`. The data folder is
written under a temporary name and renamed into place, and the two YAML files last, so a
scenario that can be run is always complete.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import yaml

from sim.calibrate.staffing import roster_rows
from sim.clock import format_clock
from sim.errors import ConfigError

if TYPE_CHECKING:  # the estimators (scipy) load only once a log has been read
    from sim.calibrate.calibration import Calibration
    from sim.calibrate.handle import HandleFit
    from sim.calibrate.patience import PatienceFit

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class Written:
    scenario: Path
    roster: Path
    data: Path


def target_paths(name: str, root: Path) -> Written:
    if not NAME.match(name):
        raise ConfigError(
            "--name", name, "use letters, digits, '_' and '-' (it names files and the scenario)"
        )
    return Written(
        root / "configs" / "scenario" / f"{name}.yaml",
        root / "configs" / "roster" / f"{name}.yaml",
        root / "scenarios" / name,
    )


def check_free(paths: Written, force: bool) -> None:
    """Refuse to overwrite an existing scenario (before any estimate is made)."""
    if force:
        return
    for path in (paths.scenario, paths.roster, paths.data):
        if path.exists():
            raise ConfigError(
                str(path), "--name", "already exists; choose another name or pass --force"
            )


def write_scenario(cal: Calibration, name: str, root: Path, force: bool, render=None) -> Written:
    """Write every file; `render(cal, rows, folder)` adds the page (sim.pages.calibration)."""
    paths = target_paths(name, root)
    check_free(paths, force)
    rel = f"scenarios/{name}"
    staging = paths.data.parent / f".{name}.staging-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        scenario = _scenario(cal, name, rel, staging)
        rows = roster_rows(cal.staffing)
        columns = ["agent", "group", "skills", "start", "end", "breaks", "chats"]
        pd.DataFrame(rows, columns=columns).to_csv(staging / "roster.csv", index=False)
        (staging / "calibration.json").write_text(json.dumps(summary(cal), indent=2) + "\n")
        if render is not None:
            render(cal, rows, staging)
        if paths.data.exists():
            shutil.rmtree(paths.data)
        staging.rename(paths.data)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    roster = {
        "name": name,
        "description": f"{cal.staffing.method}, from {Path(cal.source).name}",
        "file": f"{rel}/roster.csv",
    }
    _write_yaml(paths.roster, _header(cal, "roster"), roster)
    _write_yaml(paths.scenario, _header(cal, "scenario"), scenario)
    return paths


def _header(cal: Calibration, what: str) -> str:
    return (
        f"# Calibrated {what}: written by `python -m sim.calibrate` from {cal.source}\n"
        f"# ({cal.days.described}: {cal.days.n} day(s)). See calibration.html beside the data.\n"
    )


def _write_yaml(path: Path, header: str, body: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(header + yaml.safe_dump(body, sort_keys=False, allow_unicode=True))
    tmp.replace(path)


def _scenario(cal: Calibration, name: str, rel: str, folder: Path) -> dict[str, Any]:
    busy = cal.arrivals.busyness()
    types = {}
    for t in cal.types:
        body: dict[str, Any] = {
            "channel": cal.channels[t],
            "skill": t,
            "handle": _handle(cal.handle[t], t, rel, folder),
        }
        if cal.contained[t] > 0:
            body["contained"] = round(cal.contained[t], 6)
        body["patience"] = _patience(cal.patience.get(t, {"all": None}), t, rel, folder)
        mix = cal.segments.shares.get(t)
        if mix is not None and len(cal.segments.segments) > 1:
            body["segments"] = {s: _share(v) for s, v in list(mix.items())[:-1]}
        types[t] = body
    overall = list(cal.segments.overall.items())
    segments: dict[str, Any] = {s: {"share": _share(v), "priority": 0} for s, v in overall[:-1]}
    segments[overall[-1][0]] = {"priority": 0}
    _forecast(cal, folder)
    return {
        "defaults": [{"override /roster@_global_.roster": name}],
        "name": name,
        "description": f"Calibrated from {Path(cal.source).name} ({cal.days.described}, "
        f"{cal.days.n} day(s))",
        "interval_min": int(round(cal.interval_s / 60)),
        "busyness_cv": round(busy.cv, 4),
        "channels": _channels(cal, rel, folder),
        "segments": segments,
        "contact_types": types,
        "forecast": {"file": f"{rel}/forecast.csv", "unit": "per_interval"},
    }


def _share(value: float) -> float:
    """Rounded down, so the shares written never add up past 1 (the last one takes the rest)."""
    return math.floor(value * 1e6) / 1e6


def _channels(cal: Calibration, rel: str, folder: Path) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for channel in sorted(set(cal.channels.values())):
        body: dict[str, Any] = {"open": "00:00", "close": "24:00"}
        mine = [t for t in cal.types if cal.channels[t] == channel]
        if any(cal.contained[t] > 0 for t in mine) or channel in cal.front_s:
            kind, key = ("bot", "time") if "chat" in channel.lower() else ("ivr", "menu")
            body[kind] = {key: _front_dist(cal.front_s.get(channel))}
        if channel in cal.staffing.concurrent:
            # handle times in the log are as worked, already stretched by the chats held
            body["concurrency"] = {"stretch": 0}
        out[channel] = body
    return out


def _front_dist(values: np.ndarray | None) -> dict[str, Any]:
    if values is None or len(values) < 2:
        return {"dist": "deterministic", "mean": 0}
    mean, sd = float(values.mean()), float(values.std(ddof=1))
    return {"dist": "lognormal", "mean": round(mean, 3), "cv": round(max(sd / mean, 1e-3), 4)}


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", text)


def _handle(fit: HandleFit, t: str, rel: str, folder: Path) -> dict[str, Any]:
    if fit.chosen == "empirical":
        file = f"handle_{_safe(t)}.csv"
        pd.DataFrame({"seconds": np.round(fit.sample, 3)}).to_csv(folder / file, index=False)
        return {"dist": "empirical", "file": f"{rel}/{file}", "column": "seconds"}
    if fit.chosen == "exponential":
        return {"dist": "exponential", "mean": round(fit.mean, 3)}
    chosen = fit.chosen_fit
    assert chosen is not None
    return {"dist": fit.chosen, "mean": round(fit.mean, 3), "cv": round(chosen.cv, 4)}


def _patience(fits: dict[str, PatienceFit | None], t: str, rel: str, folder: Path) -> Any:
    written = {s: _patience_one(f, t, s, rel, folder) for s, f in fits.items()}
    return written["all"] if list(written) == ["all"] else written


def _patience_one(fit: PatienceFit | None, t: str, segment: str, rel: str, folder: Path):
    if fit is None:
        return None
    if not fit.points:
        return {"dist": "exponential", "mean": round(fit.exponential.mean, 3)}
    file = f"patience_{_safe(t)}_{_safe(segment)}.csv"
    table = pd.DataFrame(fit.points, columns=["seconds", "survival"])
    # Milliseconds are plenty; abandonments in the same millisecond become one step.
    table["seconds"] = np.maximum(table["seconds"].round(3), 0.001)
    table = table.drop_duplicates("seconds", keep="last")
    table.to_csv(folder / file, index=False, float_format="%.9g")
    return {"dist": "survival", "file": f"{rel}/{file}", "tail_mean": round(fit.tail_mean, 3)}


def _forecast(cal: Calibration, folder: Path) -> None:
    n = cal.arrivals.rates.shape[1]
    table: dict[str, Any] = {"start": [format_clock(k * cal.interval_s) for k in range(n)]}
    for row, t in enumerate(cal.types):
        table[t] = np.round(cal.arrivals.rates[row], 4)
    for t in cal.types:
        aht = cal.handle[t].aht
        if aht is not None:
            table[f"{t}_aht"] = np.round(aht, 2)  # NaN: an empty cell, the type's mean
    pd.DataFrame(table).to_csv(folder / "forecast.csv", index=False)


# --- calibration.json --------------------------------------------------------------------------


def _r(x: float | None, digits: int = 4) -> float | None:
    return None if x is None or not math.isfinite(x) else round(float(x), digits)


def summary(cal: Calibration) -> dict[str, Any]:
    """Every estimate with its CI, for scripts and the tests."""
    busy = cal.arrivals.busyness()
    lo, hi = cal.arrivals.rate_ci()
    return {
        "source": cal.source,
        "days": {"described": cal.days.described, "n": cal.days.n, "labels": list(cal.days.labels)},
        "interval_min": cal.interval_s / 60,
        "busyness": {
            "cv": _r(busy.cv),
            "ci95": [_r(busy.lo), _r(busy.hi)],
            "days": busy.days,
            "mean_daily_total": _r(busy.mean_total, 2),
        },
        "types": {
            t: {
                "channel": cal.channels[t],
                "per_day": _r(float(cal.arrivals.rates[i].sum()), 3),
                "contained": _r(cal.contained[t]),
                "rate_per_interval": [_r(v) for v in cal.arrivals.rates[i]],
                "rate_ci95": [[_r(a), _r(b)] for a, b in zip(lo[i], hi[i], strict=True)],
                "handle": _handle_summary(cal.handle[t]),
                "patience": {s: _patience_summary(f) for s, f in cal.patience.get(t, {}).items()},
                "segments": cal.segments.shares.get(t, {}),
            }
            for i, t in enumerate(cal.types)
        },
        "staffing": {
            "method": cal.staffing.method,
            "pools": {
                p.name: {"skills": list(p.skills), "presence": [_r(v) for v in p.presence]}
                for p in cal.staffing.pools
            },
        },
        "notes": cal.notes,
        "not_estimated": list(cal.not_estimated),
    }


def _handle_summary(fit: HandleFit) -> dict[str, Any]:
    return {
        "n": fit.n,
        "mean": _r(fit.mean, 3),
        "mean_ci95": [_r(fit.mean_lo, 3), _r(fit.mean_hi, 3)],
        "cv": _r(fit.cv),
        "chosen": fit.chosen,
        "fits": {
            f.family: {"cv": _r(f.cv), "aic": _r(f.aic, 2), "ks_p": _r(f.ks_p, 6)} for f in fit.fits
        },
        "aht_varies": fit.aht is not None,
        "aht_p": _r(fit.aht_p, 8),
    }


def _patience_summary(fit: PatienceFit | None) -> dict[str, Any] | None:
    if fit is None:
        return None
    return {
        "n": fit.n,
        "abandons": fit.abandons,
        "written": "survival" if fit.points else "exponential",
        "mean": _r(fit.mean, 3),
        "km_cutoff_s": _r(fit.cutoff_s, 3),
        "tail_mean": _r(fit.tail_mean, 3),
        "exponential_mle": {
            "mean": _r(fit.exponential.mean, 3),
            "ci95": [_r(fit.exponential.lo, 3), _r(fit.exponential.hi, 3)],
        },
    }
