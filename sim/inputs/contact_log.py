"""Reading a centre's own contact log (and interval-count reports) into one normalised table.

Calibration (`sim.calibrate`) and trace replay (`trace:` in a scenario) both start from the
records an ACD or a ticketing system exports: one row per contact with when it arrived, what
it was, how long it waited, how it ended and how long it was handled. Exports differ in column
names and in how they write time, so this module takes CSV (UTF-8 or GB18030, like every CSV we
read) or Parquet, renames columns by a user's map, and checks every row. A row that cannot be
read is an error naming the file, the column and its line numbers: dropping it silently would
bias the rates and the patience estimate without anybody noticing.

The normalised frame (`ContactLog.frame`) has `arrival_s` (seconds from midnight of the first
day), `day`, `type`, `outcome`, `wait_s`, `handle_s` (answered contacts only, NaN otherwise),
`line` (the row's line in the file), `date` when arrivals were timestamps, and whichever of
`channel`, `segment`, `agent`, `customer`, `front_s` the log has.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.clock import DAY_S, parse_clock
from sim.errors import ConfigError
from sim.inputs.csvfiles import clock_or_hours, read_csv
from sim.records import ANSWERED, BLOCKED, CONTAINED, OUTCOMES

REQUIRED = ("arrival", "type", "wait_s", "outcome")
TEXT_COLUMNS = ("channel", "segment", "agent", "customer")
# Outcomes that never reached a queue may leave the wait empty.
NO_WAIT_OUTCOMES = (CONTAINED, BLOCKED)
PARQUET_SUFFIXES = (".parquet", ".pq")
_SHOWN_LINES = 5


@dataclass(frozen=True)
class ContactLog:
    """A contact log read and checked: `frame` is sorted by arrival, index 0..n-1."""

    path: Path
    frame: pd.DataFrame
    first_day: datetime.date | None  # the calendar date of day 0, when arrivals were timestamps

    @property
    def days(self) -> int:
        """Days the log spans (day 0 to its last arrival's day)."""
        return int(self.frame["day"].max()) + 1 if len(self.frame) else 0


def parse_map(text: str | None) -> dict[str, str]:
    """`--map new=old,...` (our column = the file's column) as {the file's: ours}."""
    mapping: dict[str, str] = {}
    for item in (text or "").split(","):
        if not item.strip():
            continue
        ours, sep, theirs = (part.strip() for part in item.partition("="))
        if not sep or not ours or not theirs:
            raise ConfigError(
                "--map",
                item.strip(),
                "write ours=theirs pairs separated by commas, e.g. "
                "type=queue_name,arrival=start_time",
            )
        mapping[theirs] = ours
    return mapping


def read_log(
    path: str | Path, mapping: Mapping[str, str] | None = None, keep: Iterable[str] = ()
) -> ContactLog:
    """The log at `path`, normalised and checked; `mapping` renames the file's columns to ours
    ({the file's: ours}); columns named in `keep` are carried through unchanged."""
    path = Path(path)
    source = str(path)
    raw = _renamed(_read_table(path), mapping or {}, source)
    _require_columns(raw, source)
    lines = np.arange(2, len(raw) + 2, dtype=np.int64)
    arrival_s, stamps = _arrivals(raw["arrival"], lines, source)
    outcome = _outcomes(raw["outcome"], lines, source)
    frame = pd.DataFrame(
        {
            "arrival_s": arrival_s,
            "type": _text(raw["type"], lines, source, "type", required=True),
            "outcome": outcome,
            "wait_s": _waits(raw["wait_s"], outcome, lines, source),
            "handle_s": _handles(raw, outcome, lines, source),
            "line": lines,
        }
    )
    frame["day"] = np.floor(arrival_s / DAY_S).astype(np.int64)
    if stamps is not None:
        frame["date"] = stamps.dt.normalize().to_numpy()
    for column in TEXT_COLUMNS:
        if column in raw.columns:
            frame[column] = _text(raw[column], lines, source, column, required=False)
    if "front_s" in raw.columns:
        front = _numbers(raw["front_s"], lines, source, "front_s", minimum=0.0)
        frame["front_s"] = np.nan_to_num(front, nan=0.0)
    for column in keep:
        if column not in raw.columns:
            raise ConfigError(source, column, "column asked for is not in the log")
        frame[column] = raw[column].to_numpy()
    frame = frame.sort_values("arrival_s", kind="stable").reset_index(drop=True)
    first_day = None if stamps is None or not len(stamps) else stamps.min().date()
    return ContactLog(path, frame, first_day)


def read_interval_counts(
    path: str | Path, mapping: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """An interval-count report: columns `date`, `interval` ("HH:MM", or a number of hours),
    `type`, `count` and optionally `aht_s`; or no `date` and `interval` as a timestamp.
    Returns `date` (datetime64 day), `interval_start_s`, `type`, `count`, [`aht_s`]."""
    source = str(path)
    raw = _renamed(_read_table(Path(path)), mapping or {}, source)
    needed = ("interval", "type", "count")
    missing = [c for c in needed if c not in raw.columns]
    if missing:
        raise ConfigError(
            source,
            missing[0],
            f"required column missing; an interval-count file needs date, "
            f"interval, type, count (aht_s optional); columns found: {', '.join(raw.columns)}",
        )
    lines = np.arange(2, len(raw) + 2, dtype=np.int64)
    if "date" in raw.columns:
        dates = _timestamps(raw["date"], lines, source, "date").dt.normalize()
        starts = _clock_times(raw["interval"], lines, source)
    else:
        stamps = _timestamps(raw["interval"], lines, source, "interval")
        dates = stamps.dt.normalize()
        starts = (stamps - dates).dt.total_seconds().to_numpy()
    table = pd.DataFrame(
        {
            "date": dates.to_numpy(),
            "interval_start_s": starts,
            "type": _text(raw["type"], lines, source, "type", required=True),
            "count": _numbers(raw["count"], lines, source, "count", minimum=0.0, required=True),
        }
    )
    if "aht_s" in raw.columns:
        table["aht_s"] = _numbers(raw["aht_s"], lines, source, "aht_s", above=0.0)
    return table


# -- reading and renaming -------------------------------------------------------------------


def _read_table(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise ConfigError(str(path), "-", "no such file")
    if path.suffix.lower() in PARQUET_SUFFIXES:
        try:
            return pd.read_parquet(path)
        except Exception as err:  # pyarrow raises several types for a damaged file
            raise ConfigError(str(path), "-", f"not a readable Parquet file ({err})") from None
    return read_csv(path, dtype=str, keep_default_na=False)


def _renamed(raw: pd.DataFrame, mapping: Mapping[str, str], source: str) -> pd.DataFrame:
    absent = [theirs for theirs in mapping if theirs not in raw.columns]
    if absent:
        raise ConfigError(
            source,
            absent[0],
            f"the column map names a column the file does not have; columns "
            f"found: {', '.join(map(str, raw.columns))}",
        )
    return raw.rename(columns=dict(mapping))


def _require_columns(raw: pd.DataFrame, source: str) -> None:
    for column in REQUIRED:
        if column not in raw.columns:
            raise ConfigError(
                source,
                column,
                "required column missing; a contact log needs arrival, type, "
                "wait_s, outcome and handle_s (for answered contacts); columns found: "
                f"{', '.join(map(str, raw.columns))}; rename yours with a map ours=theirs",
            )


# -- cell checks: each returns clean values or raises naming the lines ------------------------


def _fail(source: str, column: str, lines: np.ndarray, bad: np.ndarray, problem: str) -> None:
    """Raise for the rows flagged in `bad`, naming the first few lines and how many in all."""
    where = lines[bad]
    shown = ", ".join(str(n) for n in where[:_SHOWN_LINES])
    more = f" (and {len(where) - _SHOWN_LINES} more)" if len(where) > _SHOWN_LINES else ""
    label = "line" if len(where) == 1 else "lines"
    raise ConfigError(source, column, f"{label} {shown}{more}: {problem}")


def _blank(values: pd.Series) -> np.ndarray:
    text = values.astype(object)
    return (text.isna() | (text.map(lambda v: isinstance(v, str) and not v.strip()))).to_numpy()


def _numbers(
    values: pd.Series,
    lines: np.ndarray,
    source: str,
    column: str,
    *,
    minimum: float | None = None,
    above: float | None = None,
    required: bool = False,
) -> np.ndarray:
    """Floats (NaN where blank); unreadable or out-of-range cells are an error."""
    blank = _blank(values)
    numbers = pd.to_numeric(values.where(~blank), errors="coerce").to_numpy(dtype=float)
    unreadable = ~blank & np.isnan(numbers)
    if unreadable.any():
        first = values.to_numpy()[unreadable][0]
        _fail(source, column, lines, unreadable, f"cannot read {first!r} as a number")
    if required and blank.any():
        _fail(source, column, lines, blank, "a value is required")
    if minimum is not None and (numbers < minimum).any():
        _fail(source, column, lines, numbers < minimum, f"must be at least {minimum:g}")
    if above is not None and (numbers <= above).any():
        _fail(source, column, lines, numbers <= above, f"must be greater than {above:g}")
    return numbers


def _text(
    values: pd.Series, lines: np.ndarray, source: str, column: str, *, required: bool
) -> np.ndarray:
    blank = _blank(values)
    if required and blank.any():
        _fail(source, column, lines, blank, "a value is required")
    text = values.astype(object).map(lambda v: v.strip() if isinstance(v, str) else str(v))
    cells = text.to_numpy(dtype=object)
    cells[blank] = None
    return cells


def _timestamps(values: pd.Series, lines: np.ndarray, source: str, column: str) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values):
        stamps = pd.Series(values).reset_index(drop=True)
    else:
        stamps = pd.to_datetime(values.reset_index(drop=True), errors="coerce", format="mixed")
    if getattr(stamps.dt, "tz", None) is not None:
        stamps = stamps.dt.tz_localize(None)  # keep the centre's wall-clock time
    bad = stamps.isna().to_numpy()
    if bad.any():
        first = values.to_numpy()[bad][0]
        _fail(
            source,
            column,
            lines,
            bad,
            f"cannot read {first!r} as a date and time (e.g. 2026-11-11 09:30:00)",
        )
    return stamps


def _arrivals(
    values: pd.Series, lines: np.ndarray, source: str
) -> tuple[np.ndarray, pd.Series | None]:
    """Seconds from midnight of the first day, and the timestamps when the log gave them."""
    if not pd.api.types.is_datetime64_any_dtype(values):
        blank = _blank(values)
        if blank.any():
            _fail(source, "arrival", lines, blank, "a value is required")
        numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
        if not np.isnan(numbers).any():
            if (numbers < 0).any():
                _fail(source, "arrival", lines, numbers < 0, "seconds from the start must be >= 0")
            return numbers, None
    stamps = _timestamps(values, lines, source, "arrival")
    first = stamps.min().normalize()
    return (stamps - first).dt.total_seconds().to_numpy(dtype=float), stamps


def _outcomes(values: pd.Series, lines: np.ndarray, source: str) -> np.ndarray:
    text = values.astype(object).map(lambda v: v.strip().lower() if isinstance(v, str) else v)
    bad = ~text.isin(OUTCOMES).to_numpy()
    if bad.any():
        first = values.to_numpy()[bad][0]
        _fail(
            source,
            "outcome",
            lines,
            bad,
            f"unknown outcome {first!r}; allowed: {', '.join(OUTCOMES)}",
        )
    return text.to_numpy(dtype=object)


def _waits(values: pd.Series, outcome: np.ndarray, lines: np.ndarray, source: str) -> np.ndarray:
    waits = _numbers(values, lines, source, "wait_s", minimum=0.0)
    missing = np.isnan(waits) & ~np.isin(outcome, NO_WAIT_OUTCOMES)
    if missing.any():
        _fail(source, "wait_s", lines, missing, "a wait is required for contacts that queued")
    return waits


def _handles(raw: pd.DataFrame, outcome: np.ndarray, lines: np.ndarray, source: str) -> np.ndarray:
    answered = outcome == ANSWERED
    if "handle_s" not in raw.columns:
        if answered.any():
            raise ConfigError(
                source, "handle_s", "required column missing: the log has answered contacts"
            )
        return np.full(len(raw), np.nan)
    handles = _numbers(raw["handle_s"], lines, source, "handle_s")
    missing = answered & np.isnan(handles)
    if missing.any():
        _fail(source, "handle_s", lines, missing, "an answered contact needs its handle time")
    if (answered & (handles <= 0)).any():
        _fail(source, "handle_s", lines, answered & (handles <= 0), "must be greater than 0")
    return np.where(answered, handles, np.nan)


def _clock_times(values: pd.Series, lines: np.ndarray, source: str) -> np.ndarray:
    starts = np.empty(len(values))
    for i, value in enumerate(values.to_numpy()):
        try:
            starts[i] = parse_clock(clock_or_hours(value))
        except ValueError as err:
            raise ConfigError(source, "interval", f"line {lines[i]}: {err}") from None
    return starts
