"""Where data files named in configs are found (`sim.inputs.files.FileFinder`)."""

from __future__ import annotations

import pytest

from sim.errors import ConfigError
from sim.inputs.files import FileFinder


def test_a_name_is_tried_as_given_then_under_the_root(tmp_path, monkeypatch):
    root, work = tmp_path / "root", tmp_path / "work"
    (root / "scenarios").mkdir(parents=True)
    work.mkdir()
    (root / "scenarios" / "f.csv").write_text("start\n")
    (work / "mine.csv").write_text("start\n")
    monkeypatch.chdir(work)
    files = FileFinder(root)
    assert files("scenarios/f.csv", "w", "file") == root / "scenarios" / "f.csv"
    assert files("mine.csv", "w", "file").resolve() == (work / "mine.csv").resolve()
    (work / "scenarios").mkdir()
    (work / "scenarios" / "f.csv").write_text("start\n")  # the working directory's comes first
    assert files("scenarios/f.csv", "w", "file").resolve() == (work / "scenarios/f.csv").resolve()
    assert files(str(root / "scenarios" / "f.csv"), "w", "file") == root / "scenarios" / "f.csv"


@pytest.mark.parametrize(
    "name, message", [("nope.csv", "not found"), ("", "a file name"), (3, "a file name")]
)
def test_a_missing_file_or_no_name_is_refused(tmp_path, name, message):
    with pytest.raises(ConfigError) as err:
        FileFinder(tmp_path)(name, "scenario.forecast", "file")
    assert (err.value.source, err.value.field) == ("scenario.forecast", "file")
    assert message in err.value.problem
    if name == "nope.csv":
        assert str(tmp_path) in err.value.problem  # where it looked
