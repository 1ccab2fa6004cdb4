"""The contact-log reader: formats, the column map, and every bad row named by its line."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.errors import ConfigError
from sim.inputs.contact_log import parse_map, read_interval_counts, read_log

LOG = """arrival,type,wait_s,outcome,handle_s,agent
2026-11-11 09:00:30,orders,0,answered,180,li
2026-11-11 09:00:10,orders,12.5,abandoned,,
2026-11-12 10:15:00,refunds,40,answered,300,wang
2026-11-11 23:59:59,orders,,contained,,
"""


def write(tmp_path: Path, text: str, name: str = "log.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_timestamps_become_seconds_from_the_first_midnight_sorted(tmp_path):
    log = read_log(write(tmp_path, LOG))
    frame = log.frame
    assert frame["arrival_s"].tolist() == [
        9 * 3600 + 10,
        9 * 3600 + 30,
        86399,
        86400 + 10 * 3600 + 900,
    ]
    assert frame["line"].tolist() == [3, 2, 5, 4]
    assert frame["day"].tolist() == [0, 0, 0, 1]
    assert str(log.first_day) == "2026-11-11" and log.days == 2
    assert frame["outcome"].tolist() == ["abandoned", "answered", "contained", "answered"]
    # handle times for answered contacts only; a contained contact needs no wait
    assert np.isnan(frame["handle_s"][0]) and frame["handle_s"][1] == 180
    assert np.isnan(frame["wait_s"][2])
    assert frame["agent"].isna().tolist() == [True, False, True, False]
    assert frame["agent"][1] == "li"
    assert "segment" not in frame.columns


def test_plain_seconds_and_gb18030_and_the_column_map(tmp_path):
    text = "到达,类型,等待,结果,处理\n5,咨询,0,answered,60\n90000,咨询,3,abandoned,\n"
    path = tmp_path / "log.csv"
    path.write_bytes(text.encode("gb18030"))
    mapping = parse_map("arrival=到达,type=类型,wait_s=等待,outcome=结果,handle_s=处理")
    frame = read_log(path, mapping).frame
    assert frame["arrival_s"].tolist() == [5.0, 90000.0]
    assert frame["day"].tolist() == [0, 1]
    assert frame["type"].tolist() == ["咨询", "咨询"]
    assert "date" not in frame.columns


def test_a_ccsim_contacts_parquet_reads_with_the_type_mapped(tmp_path):
    contacts = pd.DataFrame(
        {
            "replication": [0, 0],
            "contact_type": pd.Categorical(["a", "b"]),
            "arrival_s": [1.0, 2.0],
            "wait_s": [0.0, 5.0],
            "outcome": pd.Categorical(["answered", "abandoned"]),
            "handle_s": [100.0, 90.0],
            "customer": [7, 8],
            "front_s": [3.0, np.nan],
        }
    )
    path = tmp_path / "contacts.parquet"
    contacts.to_parquet(path)
    log = read_log(path, parse_map("type=contact_type,arrival=arrival_s"), keep=["replication"])
    frame = log.frame
    assert frame["type"].tolist() == ["a", "b"]
    assert frame["handle_s"].tolist()[0] == 100.0 and np.isnan(frame["handle_s"][1])
    assert frame["customer"].tolist() == ["7", "8"]
    assert frame["front_s"].tolist() == [3.0, 0.0]
    assert frame["replication"].tolist() == [0, 0]


@pytest.mark.parametrize(
    "text, column, needle",
    [
        ("arrival,type,outcome\n1,a,answered\n", "wait_s", "required column missing"),
        ("arrival,type,wait_s,outcome,handle_s\nnoon,a,0,answered,5\n", "arrival", "line 2"),
        (
            "arrival,type,wait_s,outcome,handle_s\n1,a,0,answered,5\n2,a,-3,abandoned,\n",
            "wait_s",
            "line 3: must be at least 0",
        ),
        (
            "arrival,type,wait_s,outcome,handle_s\n1,a,0,hung up,5\n",
            "outcome",
            "unknown outcome 'hung up'",
        ),
        (
            "arrival,type,wait_s,outcome,handle_s\n1,a,zero,answered,5\n",
            "wait_s",
            "line 2: cannot read 'zero'",
        ),
        ("arrival,type,wait_s,outcome,handle_s\n1,a,0,answered,\n", "handle_s", "line 2"),
        ("arrival,type,wait_s,outcome,handle_s\n1,,0,answered,5\n", "type", "line 2"),
        ("arrival,type,wait_s,outcome\n1,a,0,answered\n", "handle_s", "answered contacts"),
        ("arrival,type,wait_s,outcome,handle_s\n1,a,,abandoned,\n", "wait_s", "line 2"),
    ],
)
def test_bad_logs_name_the_file_the_column_and_the_line(tmp_path, text, column, needle):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        read_log(path)
    assert err.value.source == str(path)
    assert err.value.field == column
    assert needle in err.value.problem


def test_many_bad_rows_are_counted_not_dropped(tmp_path):
    rows = "".join(f"{i},a,-1,abandoned,\n" for i in range(8))
    with pytest.raises(ConfigError, match=r"lines 2, 3, 4, 5, 6 \(and 3 more\)"):
        read_log(write(tmp_path, "arrival,type,wait_s,outcome,handle_s\n" + rows))


def test_the_column_map_must_name_real_columns(tmp_path):
    with pytest.raises(ConfigError, match="columns found"):
        read_log(write(tmp_path, LOG), parse_map("type=queue"))
    with pytest.raises(ConfigError, match="ours=theirs"):
        parse_map("type")


def test_missing_file_and_damaged_parquet(tmp_path):
    with pytest.raises(ConfigError, match="no such file"):
        read_log(tmp_path / "nope.csv")
    with pytest.raises(ConfigError, match="not a readable Parquet"):
        read_log(write(tmp_path, "junk", "log.parquet"))


def test_interval_counts_with_dates_or_timestamps(tmp_path):
    table = read_interval_counts(
        write(
            tmp_path,
            "date,interval,type,count,aht_s\n2026-11-11,09:30,orders,120,240\n"
            "2026-11-12,9.5,orders,100,250\n",
        )
    )
    assert table["interval_start_s"].tolist() == [34200.0, 34200.0]
    assert table["count"].tolist() == [120.0, 100.0]
    assert table["aht_s"].tolist() == [240.0, 250.0]
    stamped = read_interval_counts(
        write(tmp_path, "interval,type,count\n2026-11-11 09:30,orders,5\n", "c2.csv")
    )
    assert stamped["interval_start_s"].tolist() == [34200.0]
    assert str(stamped["date"][0].date()) == "2026-11-11"
    with pytest.raises(ConfigError, match="line 2"):
        read_interval_counts(
            write(tmp_path, "date,interval,type,count\n2026-11-11,9h,a,1\n", "c3.csv")
        )
    with pytest.raises(ConfigError, match="count"):
        read_interval_counts(write(tmp_path, "date,interval,type\n2026-11-11,09:00,a\n", "c4.csv"))
