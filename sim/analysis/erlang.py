"""Exact Erlang B, Erlang C (M/M/n) and Erlang A (M/M/n+M) queue figures.

Notation: ``lam`` arrivals per second, ``aht`` mean handle time (s), ``mu = 1/aht``,
offered load ``a = lam * aht`` (Erlangs), ``n`` agents, threshold ``T`` (s), mean patience
``1/theta`` (s).

Formulas
--------
Erlang B (M/M/n/n blocking), by the classical recursion
    B(0) = 1,   B(k) = a B(k-1) / (k + a B(k-1)).
We carry ``D(k) = 1/B(k) - 1`` instead, which satisfies ``D(0) = 0``,
``D(k) = (k/a) (1 + D(k-1))``, and keep ``log D`` so that nothing under- or overflows
for 10,000+ agents (``B`` itself underflows when ``n >> a``; factorials and powers are never
formed).

Erlang C (M/M/n, infinite patience), for ``n > a``:
    C   = P(wait) = n B / (n - a (1 - B))  =  1 / (1 + D (n - a)/n)
    SL  = 1 - C exp(-(n - a) T / AHT)
    ASA = C AHT / (n - a)          (every contact is answered, so ASA = mean wait)

Erlang A (M/M/n+M, exponential patience with rate theta): the number in system is a
birth-death chain with birth rate ``lam`` and death rate ``mu min(k, n) + theta max(k - n, 0)``.
With ``pi_n = 1``, ``sum_{k<n} pi_k = D`` and ``pi_{n+j} = prod_{i=1..j} lam / f_i`` where
``f_i = n mu + i theta``. A tagged arrival that finds ``j`` contacts queued moves to the head
and then into service after ``S_j = sum_{i=0..j} Exp(f_i)`` (its own abandonment clock, rate
``theta``, runs independently). Summing the Laplace transforms of ``S_j`` against ``pi`` and
using the Beta integral ``1/(b)_{j+1} = (1/j!) int_0^1 u^{b-1} (1-u)^j du`` with
``u = exp(-theta t)`` gives the density of this *offered* wait ``V`` on ``t > 0``:
    g(t) = n mu exp(-n mu t + (lam/theta) (1 - exp(-theta t)))        (relative to pi_n = 1)
(cf. the incomplete-gamma formulas of Garnett, Mandelbaum & Reiman, 2002, where
``int g = A(n mu/theta, lam/theta)``). A contact is answered iff its patience exceeds ``V``,
so with ``q = int_0^inf g(t) exp(-theta t) dt`` (answered after waiting) and
``Z = D + int_0^inf g`` (normaliser):
    P(wait)    = int g / Z
    P(abandon) = int g(t) (1 - exp(-theta t)) dt / Z
    SL         = (D + int_0^T g(t) exp(-theta t) dt) / Z
    ASA        = int t g(t) exp(-theta t) dt / (D + q)
    mean wait  = E[min(V, patience)] = P(abandon) / theta     (= E[Q] / lam, Little)
Integrating ``g' = (-n mu + lam exp(-theta t)) g`` over ``(0, inf)`` gives the flow balance
``int g = 1 + (a/n) q``, hence ``abandoned mass = 1 + (a/n - 1) q``; these are used instead
of separate integrals whenever they are sums of positive terms. As ``theta -> 0`` everything
reduces exactly to the Erlang C formulas above.

Why this route: the integrands are log-concave with a closed-form log, so each integral is
computed in log space as ``peak + log int exp(f - peak)``, where ``f`` is only integrated
over the window in which it lies within ``_CUT`` nats of its peak (fixed Gauss-Legendre
rule either side of the peak), and all masses are combined as logs relative to ``q``. Their
cost is independent of ``n`` (no queue truncation, no matrix exponential; ~1-3 ms per call
even at 10,000 agents), which keeps ``agents_required`` fast at thousands of Erlangs, and it
copes with huge patience (``1 - exp(-theta t)`` via ``expm1``) and with overload.
Accuracy: agrees with a brute-force birth-death/matrix-exponential reference to ~1e-11
relative; in extreme overload with absurd patience (~1e9 s) the exponents reach ~1e8 nats
and a few figures lose precision to ~1e-8 relative.
"""

import math
import operator
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["QueueFigures", "erlang_b", "erlang_c", "erlang_a", "agents_required"]

# Integrands are truncated where they fall this many nats below their peak (e^-40 ~ 4e-18,
# below double-precision resolution of the integral).
_CUT = 40.0
# Gauss-Legendre nodes used on each side of the peak. Each side spans a drop of ~_CUT nats of a
# smooth (analytic) log-concave function; 96 nodes integrate that to ~1e-15 relative.
_GL_X, _GL_W = np.polynomial.legendre.leggauss(96)
# Bisection steps used to place the truncation point once it has been bracketed.
_CUT_BISECTIONS = 12


@dataclass(frozen=True)
class QueueFigures:
    agents: int
    offered_load: float  # rate*aht, Erlangs
    p_wait: float  # P(an arrival must wait), PASTA
    p_abandon: float  # 0.0 for Erlang C
    service_level: float  # P(answered with wait <= threshold); abandoners count as failures
    asa: float  # mean wait of answered contacts (seconds)
    mean_wait: float  # mean time in queue over all arrivals, abandoners counted to abandonment
    occupancy: float  # carried load / agents (Erlang A: carried load excludes abandoners)


# --------------------------------------------------------------------------- validation


def _check_agents(agents: int) -> int:
    try:
        n = operator.index(agents)
    except TypeError:
        raise TypeError(f"agents must be an integer, got {agents!r}") from None
    if n < 0:
        raise ValueError(f"agents must be >= 0, got {n}")
    return n


def _check_nonneg(name: str, value: float, allow_inf: bool = False) -> float:
    value = float(value)
    if math.isnan(value) or value < 0 or (math.isinf(value) and not allow_inf):
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return value


def _check_positive(name: str, value: float) -> float:
    value = float(value)
    if not (value > 0 and math.isfinite(value)):
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return value


def _check_patience(patience: float | None) -> float | None:
    """Return patience as a float, or None for 'never abandons' (None or +inf)."""
    if patience is None:
        return None
    patience = float(patience)
    if math.isinf(patience) and patience > 0:
        return None
    return _check_positive("patience", patience)


# --------------------------------------------------------------------------- Erlang B


def _softplus(x: float) -> float:
    """log(1 + e^x) without overflow."""
    return x + math.log1p(math.exp(-x)) if x > 0 else math.log1p(math.exp(x))


class _LogD:
    """Incremental table of ``log D(k)``, ``D(k) = 1/B(k, a) - 1``.

    ``D(k) = (k/a)(1 + D(k-1))`` is the Erlang B recursion rewritten so that every step is
    a product of positive terms (no cancellation); in log space it neither overflows when
    ``k >> a`` nor underflows when ``k << a``. The table is extended on demand so that
    ``agents_required`` pays O(n) once for the whole search rather than per probe.
    """

    def __init__(self, load: float) -> None:
        self.load = load
        self._log_load = math.log(load) if load > 0 else -math.inf
        self._values = [-math.inf]  # D(0) = 0

    def __call__(self, n: int) -> float:
        values = self._values
        if self.load == 0:
            return math.inf if n > 0 else -math.inf
        log_load = self._log_load
        for k in range(len(values), n + 1):
            values.append(math.log(k) - log_load + _softplus(values[-1]))
        return values[n]


def erlang_b(agents: int, load: float) -> float:
    """Erlang B blocking probability B(n, a) of an M/M/n/n loss system.

    Uses the stable recursion (via ``D = 1/B - 1``, see the module docstring) instead of
    ``a^n/n! / sum a^k/k!``, which overflows long before n = 10,000.
    """
    n = _check_agents(agents)
    load = _check_nonneg("load", load)
    if n == 0:
        return 1.0
    if load == 0:
        return 0.0
    return math.exp(-_softplus(_LogD(load)(n)))


# --------------------------------------------------------------------------- Erlang C


def _erlang_c_figures(
    n: int, load: float, log_d: float, aht: float, threshold: float
) -> QueueFigures:
    if n <= load:
        # Unstable: the queue grows without bound, so every arrival waits and waits forever.
        return QueueFigures(n, load, 1.0, 0.0, 0.0, math.inf, math.inf, 1.0)
    # C = 1 / (1 + D (n - a)/n), evaluated as a logistic of log terms (D may be ~e^10000).
    p_wait = _expit(-(log_d + math.log((n - load) / n)))
    service_level = 1.0 - p_wait * math.exp(-(n - load) * threshold / aht)
    asa = p_wait * aht / (n - load)
    return QueueFigures(n, load, p_wait, 0.0, service_level, asa, asa, load / n)


def _expit(x: float) -> float:
    """1 / (1 + e^-x) without overflow."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def erlang_c(agents: int, rate: float, aht: float, threshold: float) -> QueueFigures:
    """Erlang C (M/M/n, no abandonment) figures.

    ``C = n B / (n - a(1 - B))`` from the Erlang B recursion, ``SL = 1 - C e^{-(n-a)T/AHT}``,
    ``ASA = mean_wait = C AHT / (n - a)``, ``occupancy = a / n``.

    If ``agents <= rate * aht`` the queue is unstable (it grows without bound), and the
    returned figures are the limiting ones: ``p_wait = 1``, ``service_level = 0``,
    ``asa = mean_wait = inf``, ``occupancy = 1`` (``p_abandon`` is always 0).
    """
    n = _check_agents(agents)
    rate = _check_nonneg("rate", rate)
    aht = _check_positive("aht", aht)
    threshold = _check_nonneg("threshold", threshold, allow_inf=True)
    load = rate * aht
    return _erlang_c_figures(n, load, _LogD(load)(n), aht, threshold)


# --------------------------------------------------------------------------- Erlang A

# Evaluated at scalars (finding the window) and at arrays (the quadrature nodes).
LogFn = Callable[[float | npt.NDArray[np.float64]], float | npt.NDArray[np.float64]]


def _log_integral(
    rel: LogFn, peak: float, mode: float, lo: float, hi: float, scale: float
) -> float:
    """``log int_lo^hi exp(f(t)) dt`` for a concave ``f`` maximised at ``mode``.

    ``f`` is given as ``peak = f(mode)`` and ``rel(s) = f(mode + s) - peak``, which the callers
    evaluate without cancellation (the raw ``f`` can be ~1e8 in overload with long patience).
    Working relative to the peak keeps everything in range however large the integral is.
    Concavity means the integrand is negligible outside the window where it is within
    ``_CUT`` nats of its peak; that window is found by doubling away from the peak, starting
    from the shortest time scale ``scale``, and then bisecting. Inside it the integrand is
    smooth, so a fixed Gauss-Legendre rule on each side of the peak is accurate to rounding.
    """
    with np.errstate(divide="ignore", over="ignore", under="ignore"):

        def edge(direction: float, limit: float) -> float:
            inner, step = 0.0, scale
            while True:
                outer = direction * step
                if (outer - limit) * direction >= 0:
                    if float(rel(limit)) >= -_CUT:
                        return limit
                    outer = limit
                    break
                if float(rel(outer)) < -_CUT:
                    break
                inner, step = outer, 2.0 * step
            for _ in range(_CUT_BISECTIONS):
                mid = 0.5 * (inner + outer)
                if float(rel(mid)) >= -_CUT:
                    inner = mid
                else:
                    outer = mid
            return outer

        total = 0.0
        for a, b in ((edge(-1.0, lo - mode), 0.0), (0.0, edge(1.0, hi - mode))):
            if b > a:
                half = 0.5 * (b - a)
                s = a + half * (_GL_X + 1.0)
                total += half * float(np.dot(_GL_W, np.exp(rel(s))))
    return peak + math.log(total) if total > 0 else -math.inf


def _root_decreasing(df: Callable[[float], float], scale: float) -> float:
    """Root on (0, inf) of a decreasing ``df`` with ``df(0+) = +inf`` (a concave log's mode)."""
    lo, hi = scale * 1e-9, scale
    while df(hi) > 0:
        lo, hi = hi, 2.0 * hi
    return _bisect_decreasing(df, lo, hi, xtol=1e-15 * hi, rtol=1e-13)


def _bisect_decreasing(
    df: Callable[[float], float], lo: float, hi: float, xtol: float, rtol: float
) -> float:
    """The root of a decreasing `df` with df(lo) > 0 >= df(hi), to within xtol + rtol * root.

    Plain bisection (at most about 100 halvings at these tolerances): the root only places
    the quadrature's split, and bisection needs no scipy, whose import would cost every run
    more than all its Erlang figures."""
    while hi - lo > xtol + rtol * lo:
        mid = 0.5 * (lo + hi)
        if df(mid) > 0:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def _erlang_a_figures(
    n: int, load: float, log_d: float, aht: float, patience: float, threshold: float
) -> QueueFigures:
    if n == 0:
        # Nobody is ever served: every arrival waits its full patience and abandons.
        return QueueFigures(0, load, 1.0, 1.0, 0.0, math.nan, patience, 0.0)
    if load == 0:
        return QueueFigures(n, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0)

    # Time in units of AHT (tau = t/AHT), nu = AHT/patience, x = a/nu. Then
    #   g(t) dt                  = n exp(psi(tau)) dtau,  psi(tau) = -n tau - x expm1(-nu tau)
    #   g(t) e^{-theta t} dt     = n exp(phi(tau)) dtau,  phi(tau) = psi(tau) - nu tau
    # Both have the form f(tau) = -c tau - x expm1(-nu tau), whose increments from any point m
    # are f(m + s) - f(m) = -c s - x e^{-nu m} expm1(-nu s): no cancellation.
    nu = aht / patience
    x = load / nu
    tau_t = threshold / aht
    scale = 0.25 / (n + load + nu)  # shortest time scale of any integrand

    def family(c: float, m: float) -> tuple[float, LogFn]:
        xm = x * math.exp(-nu * m)
        return -c * m - x * math.expm1(-nu * m), lambda s: -c * s - xm * np.expm1(-nu * s)

    def log_int(c: float, m: float, hi: float = math.inf) -> float:
        peak, rel = family(c, m)
        return _log_integral(rel, peak, m, 0.0, hi, scale)

    def log_int_abandon(m: float) -> float:  # int g(t) (1 - e^{-theta t}) dt, / n
        peak, rel = family(n, m)
        em = math.expm1(-nu * m)
        return _log_integral(
            lambda s: rel(s) + np.log(np.expm1(-nu * (m + s)) / em),
            peak + math.log(-em),
            m,
            0.0,
            math.inf,
            scale,
        )

    def log_int_t_answered(m: float) -> float:  # int t g(t) e^{-theta t} dt, / (n AHT)
        peak, rel = family(n + nu, m)
        return _log_integral(
            lambda s: rel(s) + np.log1p(s / m), peak + math.log(m), m, 0.0, math.inf, scale
        )

    # All masses are carried as logs relative to q = answered-after-waiting mass (relative to
    # pi_n = 1). In overload with long patience log q is ~1e8, so subtracting it before
    # combining keeps the ratios (which is all the figures are) at full precision.
    mode_phi = math.log(load / (n + nu)) / nu if load > n + nu else 0.0
    log_n = math.log(n)
    log_q = log_n + log_int(n + nu, mode_phi)
    # Integrating g' = (-n mu + lam e^{-theta t}) g over (0, inf) gives the flow balance
    # int g = 1 + (a/n) q ("waiting = answered after waiting + abandoned"), so the waiting mass
    # needs no integral of its own and is a sum of positive terms.
    rho = load / n
    g_rel = float(np.logaddexp(-log_q, math.log(rho)))
    if rho > 1.0:
        # abandoned = 1 + (rho - 1) q: positive terms, no cancellation.
        ab_rel = float(np.logaddexp(-log_q, math.log(rho - 1.0)))
    elif rho == 1.0:
        ab_rel = -log_q
    else:
        # Here 1 - (1 - rho) q would cancel (it -> 0 as patience -> inf), so integrate
        # g(t) (1 - e^{-theta t}) directly; its log is concave with a mode found numerically.
        mode_ab = _root_decreasing(
            lambda t: nu / math.expm1(nu * t) - n + load * math.exp(-nu * t), scale
        )
        ab_rel = log_n + log_int_abandon(mode_ab) - log_q
    mode_w = _root_decreasing(lambda t: 1.0 / t - (n + nu) + load * math.exp(-nu * t), scale)
    w_rel = log_n + log_int_t_answered(mode_w) - log_q  # total wait of the answered, / AHT
    if tau_t == 0:
        answered_t_rel = -math.inf
    elif math.isinf(tau_t):
        answered_t_rel = 0.0
    else:
        answered_t_rel = log_n + log_int(n + nu, min(mode_phi, tau_t), tau_t) - log_q

    d_rel = log_d - log_q  # sum_{k<n} pi_k: arrivals answered at once
    z_rel = float(np.logaddexp(d_rel, g_rel))  # normaliser
    p_wait = _expit(g_rel - d_rel)
    p_abandon = math.exp(ab_rel - z_rel)
    # Answered mass D + q taken directly (not as 1 - p_abandon) so it keeps full relative
    # precision when almost everyone abandons.
    answered_rel = float(np.logaddexp(d_rel, 0.0))
    service_level = math.exp(d_rel - z_rel) + math.exp(answered_t_rel - z_rel)
    asa = aht * math.exp(w_rel - answered_rel)
    mean_wait = p_abandon * patience  # E[min(V, patience)] = P(abandon)/theta = E[Q]/lam
    # Carried load a P(answered) <= n; clip any last-ulp excess.
    occupancy = min(load * math.exp(answered_rel - z_rel) / n, 1.0)
    return QueueFigures(
        n, load, p_wait, p_abandon, min(service_level, 1.0), asa, mean_wait, occupancy
    )


def erlang_a(
    agents: int, rate: float, aht: float, patience: float | None, threshold: float
) -> QueueFigures:
    """Erlang A (M/M/n+M: exponential patience with mean ``patience`` seconds) figures.

    Exact stationary figures of the birth-death chain, via the closed-form density of the
    offered wait (module docstring), integrated in log space so it stays exact and O(1) in
    ``agents`` up to tens of thousands of agents. ``patience=None`` (or inf) means nobody
    abandons and returns ``erlang_c``. Erlang A is stable for any number of agents.

    Service level counts abandoners as failures (answered within ``threshold`` / all
    arrivals). ``asa`` is the mean wait of answered contacts; ``mean_wait`` averages over
    all arrivals with abandoners counted up to abandonment. With 0 agents nothing is
    answered: ``asa`` is NaN and ``occupancy`` 0.
    """
    n = _check_agents(agents)
    rate = _check_nonneg("rate", rate)
    aht = _check_positive("aht", aht)
    threshold = _check_nonneg("threshold", threshold, allow_inf=True)
    patience = _check_patience(patience)
    load = rate * aht
    log_d = _LogD(load)(n)
    if patience is None:
        return _erlang_c_figures(n, load, log_d, aht, threshold)
    return _erlang_a_figures(n, load, log_d, aht, patience, threshold)


# --------------------------------------------------------------------------- staffing


def agents_required(
    rate: float,
    aht: float,
    threshold: float,
    target_sl: float,
    patience: float | None = None,
    max_abandon: float | None = None,
) -> int:
    """Smallest number of agents with ``service_level >= target_sl`` (and, if given,
    ``p_abandon <= max_abandon``): Erlang C if ``patience`` is None, else Erlang A.

    Both figures are monotone in the number of agents, so the answer is found by galloping
    from the offered load (doubling steps) and then bisecting: O(log n) evaluations, each
    O(1) given the incrementally built Erlang B table. Erlang C answers always exceed the
    load (an unstable queue never qualifies, even for ``target_sl = 0``). ``rate == 0``
    needs 0 agents.
    """
    rate = _check_nonneg("rate", rate)
    aht = _check_positive("aht", aht)
    threshold = _check_nonneg("threshold", threshold, allow_inf=True)
    target_sl = float(target_sl)
    if not 0.0 <= target_sl < 1.0:
        raise ValueError(f"target_sl must be in [0, 1), got {target_sl!r}")
    if max_abandon is not None:
        max_abandon = float(max_abandon)
        if not 0.0 < max_abandon <= 1.0:
            raise ValueError(f"max_abandon must be in (0, 1], got {max_abandon!r}")
    patience = _check_patience(patience)
    if rate == 0:
        return 0
    load = rate * aht
    log_d = _LogD(load)

    def ok(n: int) -> bool:
        if patience is None:
            if n <= load:
                return False
            fig = _erlang_c_figures(n, load, log_d(n), aht, threshold)
        else:
            fig = _erlang_a_figures(n, load, log_d(n), aht, patience, threshold)
        return fig.service_level >= target_sl and (
            max_abandon is None or fig.p_abandon <= max_abandon
        )

    start = math.floor(load) + 1
    if ok(start):
        good, step = start, 1
        while True:  # gallop down to a failing count (or 0)
            probe = good - step
            if probe < 0:
                bad = -1
                break
            if not ok(probe):
                bad = probe
                break
            good, step = probe, 2 * step
    else:
        bad, step = start, 1
        while True:  # gallop up to a passing count
            probe = bad + step
            if ok(probe):
                good = probe
                break
            bad, step = probe, 2 * step
    while good - bad > 1:
        mid = (good + bad) // 2
        if ok(mid):
            good = mid
        else:
            bad = mid
    return good
