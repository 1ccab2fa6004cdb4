"""Reading the CSV files planners give us (forecast, roster, empirical samples), one way for all.

Planners save CSVs from Excel, often in GBK/GB18030 rather than UTF-8, sometimes with a BOM,
sometimes with a space after each comma (`start, orders`). `read_csv` accepts all of these:
it decodes UTF-8 (with or without BOM) and then GB18030, strips column names and string cells,
and names the problem of a file it cannot read (an empty file, an unknown encoding) as one
`ConfigError` naming the file.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pandas as pd

from sim.errors import ConfigError

ENCODINGS = ("utf-8-sig", "gb18030")
_HOURS = re.compile(r"^\s*\d+(\.\d*)?\s*$|^\s*\.\d+\s*$")


def read_text(path: str | Path) -> str:
    """The file's text, decoded as UTF-8 (BOM or not) or else GB18030."""
    data = Path(path).read_bytes()
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ConfigError(
        str(path),
        "-",
        "cannot decode the file; save it as UTF-8 (with or without BOM) or GB18030/GBK",
    )


def read_csv(path: str | Path, **options: Any) -> pd.DataFrame:
    """The CSV table at `path` (pandas `read_csv` options allowed), column names and string
    cells stripped of surrounding spaces."""
    text = read_text(path)
    if not text.strip():
        raise ConfigError(str(path), "-", "the file is empty; it needs a header row and data rows")
    try:
        table = pd.read_csv(io.StringIO(text), skipinitialspace=True, **options)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise ConfigError(str(path), "-", f"not a readable CSV table ({err})") from None
    table.columns = [str(c).strip() for c in table.columns]
    for column in table.columns:
        if table[column].dtype == object:
            table[column] = table[column].map(lambda v: v.strip() if isinstance(v, str) else v)
    return table


def clock_or_hours(value: object) -> object:
    """A time cell as `parse_clock` takes it: a cell holding a plain number (`7.75`) is a number
    of hours (07:45); anything else is passed on as written."""
    if isinstance(value, str) and _HOURS.match(value):
        return float(value)
    return value
