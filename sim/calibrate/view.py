"""A `Calibration` as the calibration page's plain data (`sim.analysis.calibration_view`)."""

from __future__ import annotations

import numpy as np

from sim.analysis.calibration_view import (
    ArrivalCounts,
    CalibrationView,
    FittedFamily,
    HandleEstimate,
    NeverAbandons,
    PatienceEstimate,
    StaffingPool,
)
from sim.calibrate.calibration import Calibration
from sim.calibrate.handle import HandleFit
from sim.calibrate.patience import PatienceFit
from sim.calibrate.staffing import presence_of_rows


def view_of(cal: Calibration, rows: list[dict[str, str]]) -> CalibrationView:
    """What the page shows of `cal`; `rows`: the roster written (its presence per pool)."""
    a = cal.arrivals
    lo, hi = a.rate_ci()
    busy = a.busyness()
    written = presence_of_rows(rows, cal.staffing.interval_s)
    n = int(round(86400 / cal.staffing.interval_s))
    return CalibrationView(
        source=cal.source,
        days_described=cal.days.described,
        day_labels=tuple(cal.days.labels),
        interval_s=cal.interval_s,
        busyness_cv=busy.cv,
        busyness_lo=busy.lo,
        busyness_hi=busy.hi,
        busyness_days=busy.days,
        arrivals=ArrivalCounts(a.types, a.counts, a.rates, lo, hi),
        handle=tuple(
            _handle(cal, t, float(a.rates[i].sum()), cal.handle[t]) for i, t in enumerate(a.types)
        ),
        patience=tuple(
            _patience(t, s, f) for t, per in cal.patience.items() for s, f in per.items()
        ),
        segments=cal.segments.segments,
        segment_shares=cal.segments.shares,
        staffing_method=cal.staffing.method,
        staffing=tuple(
            StaffingPool(p.name, p.skills, p.per_day, p.presence, written.get(p.name, np.zeros(n)))
            for p in cal.staffing.pools
        ),
        notes=tuple(cal.notes),
        not_estimated=tuple(cal.not_estimated),
    )


def _handle(cal: Calibration, t: str, per_day: float, h: HandleFit) -> HandleEstimate:
    return HandleEstimate(
        type=t,
        channel=cal.channels[t],
        per_day=per_day,
        contained=cal.contained[t],
        n=h.n,
        mean=h.mean,
        mean_lo=h.mean_lo,
        mean_hi=h.mean_hi,
        cv=h.cv,
        chosen=h.chosen,
        sample=h.sample,
        fits=tuple(
            FittedFamily(
                f.family,
                f.aic,
                f.ks_p,
                f.frozen.pdf,  # type: ignore[attr-defined]
                f.frozen.cdf,  # type: ignore[attr-defined]
            )
            for f in h.fits
        ),
        aht_varies=h.aht is not None,
        aht_p=h.aht_p,
    )


def _patience(t: str, segment: str, f: PatienceFit | None) -> PatienceEstimate | NeverAbandons:
    if f is None:
        return NeverAbandons(t, segment)
    e = f.exponential
    return PatienceEstimate(
        type=t,
        segment=segment,
        n=f.n,
        abandons=f.abandons,
        km_times=f.km.times,
        km_survival=f.km.survival,
        km_lo=f.km.lo,
        km_hi=f.km.hi,
        curve=bool(f.points),
        cutoff_s=f.cutoff_s,
        tail_mean=f.tail_mean,
        mean=f.mean,
        written=f.written_survival,
        exponential_mean=e.mean,
        exponential_lo=e.lo,
        exponential_hi=e.hi,
    )
