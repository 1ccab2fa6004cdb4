"""Calibration: a ready scenario built from a contact log (`python -m sim.calibrate LOG --name N`).

One module per estimate: `days` (which days of the log), `arrivals` (rates per interval and type,
day-to-day busyness), `handle` (handle-time family and AHT over the day), `patience`
(Kaplan-Meier from censored waits, exponential tail), `segments` (mix per type), `staffing`
(agents present per interval, written as a roster); `scenario` writes the files, `page` the
calibration.html, `app` is the command line.
"""
