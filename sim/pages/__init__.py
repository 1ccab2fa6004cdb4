"""The pages: self-contained HTML built from saved files alone, on one kit (`kit`: Jinja2
templates in templates/ with autoescape, one stylesheet, figures embedded as data URIs, atomic
writes; `format`: every value by its kind, with its CI; `figures`: the drawings).

- `run`: a run's report.html (sections: `verdict`, `kpis`, `workforce`, `labour`, `log`;
  figures: `run_figures`, `run_captions`), from `sim.rundir.read.load_run`;
- `sweep`: a sweep's sweep.html, from `sim.analysis.sweep.sweep_table`;
- `staffing`: a staffing search's staffing.html, from `sim.rundir.read.load_staffing`;
- `calibration`: calibration.html, from plain data (`sim.analysis.calibration_view`).

Nothing here imports the applications above (`sim.staffing`, `sim.calibrate`, the app):
they call the pages. `python -m sim.report DIR` rebuilds whichever page DIR holds."""
