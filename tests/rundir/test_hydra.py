"""The run directory Hydra makes before the app runs: removed after bad input when it was made
for this job and holds only Hydra's files; kept otherwise (an earlier run's results, a sweep).
Through the command line: tests/test_bad_inputs_cli.py (no directory after any bad input) and
tests/test_cli.py (an earlier run's directory keeps its files)."""

from __future__ import annotations

from types import SimpleNamespace

from sim.rundir.hydra import made_for_this_job, remove_if_unused

HYDRA = SimpleNamespace(job=SimpleNamespace(name="app"), output_subdir=".hydra")


def hydra_made(run_dir, log: str = ""):
    (run_dir / ".hydra").mkdir(parents=True)
    (run_dir / ".hydra" / "config.yaml").write_text("seed: 1\n")
    (run_dir / "app.log").write_text(log)
    return run_dir


def test_a_fresh_directory_is_removed_after_bad_input(tmp_path):
    run_dir = hydra_made(tmp_path / "new")
    made_now = made_for_this_job(run_dir, HYDRA)
    assert made_now
    (run_dir / "app.log").write_text("ccsim: error: ...\n")  # the error is logged first
    remove_if_unused(run_dir, HYDRA, made_now)
    assert not run_dir.exists() and tmp_path.exists()


def test_an_earlier_runs_directory_is_kept(tmp_path):
    with_results = hydra_made(tmp_path / "done")
    (with_results / "contacts.parquet").write_bytes(b"PAR1")
    logged = hydra_made(tmp_path / "logged", log="[...] ccsim: erlang: service level 0.9\n")
    for run_dir in (with_results, logged):
        made_now = made_for_this_job(run_dir, HYDRA)
        assert not made_now
        remove_if_unused(run_dir, HYDRA, made_now)
        assert (run_dir / ".hydra" / "config.yaml").is_file() and (run_dir / "app.log").is_file()


def test_files_written_after_entry_keep_the_directory(tmp_path):
    run_dir = hydra_made(tmp_path / "new")
    made_now = made_for_this_job(run_dir, HYDRA)
    (run_dir / "error.txt").write_text("a sweep job's failure\n")
    remove_if_unused(run_dir, HYDRA, made_now)
    assert (run_dir / "error.txt").is_file()
