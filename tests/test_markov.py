"""Checks of tests/markov.py (the exact two-type, two-group CTMC) against independent figures.

References written here from scratch (nothing imported from the project): Erlang C closed
forms, an M/M/n+M birth-death chain whose waiting-time distribution comes from integrating
the tagged customer's position ODE with scipy's solve_ivp, and a small event-driven Monte
Carlo simulation of the full two-type model with explicit FIFO queues.
"""

from __future__ import annotations

import heapq
import math
from collections import deque

import numpy as np
import pytest
from scipy.integrate import solve_ivp
from scipy.special import gammaln, logsumexp

from tests.markov import TruncationError, solve

EXAMPLE = dict(
    lam_a=1 / 20,
    lam_b=1 / 30,
    mu_a1=1 / 100,
    mu_a2=1 / 150,
    mu_b2=1 / 120,
    theta_a=1 / 200,
    theta_b=1 / 300,
    c1=3,
    c2=3,
)
THRESHOLDS = [0.0, 5.0, 20.0, 60.0, 300.0]


def scaled(thresholds, mu):
    """Thresholds for handling times 1/mu in the same proportion as for 100 s calls."""
    return [t * (1 / mu) / 100 for t in thresholds]


# --------------------------------------------------------------------------- references


def erlang_c(n: int, lam: float, mu: float, threshold: float) -> dict:
    """M/M/n closed forms: P(wait), mean wait over all arrivals, P(wait <= T)."""
    a = lam / mu
    assert a < n
    terms = [a**k / math.factorial(k) for k in range(n)]
    top = a**n / math.factorial(n) * n / (n - a)
    c = top / (sum(terms) + top)
    return {
        "p_wait": c,
        "mean_wait": c / (n * mu - lam),
        "sl": 1 - c * math.exp(-(n * mu - lam) * threshold),
    }


def erlang_a(n: int, lam: float, mu: float, theta: float, thresholds) -> dict:
    """M/M/n+M from its birth-death chain; P(answered / abandoned within T) by integrating
    the tagged customer's backward equations (j customers ahead) with solve_ivp."""
    k = np.arange(n + 1)
    log_low = k * math.log(lam / mu) - gammaln(k + 1)
    size = 32
    while True:  # queue places until the tail is 50 nats below the peak and falling
        steps = math.log(lam) - np.log(n * mu + np.arange(1, size + 1) * theta)
        log_q = log_low[-1] + np.concatenate([[0.0], np.cumsum(steps)])
        if steps[-1] < 0 and log_q[-1] < max(log_q.max(), log_low.max()) - 50:
            break
        size *= 2
    log_pi = np.concatenate([log_low[:-1], log_q])
    pi = np.exp(log_pi - logsumexp(log_pi))
    pq = pi[n:]  # arrival finds j = 0, 1, ... ahead
    j = np.arange(len(pq))
    f = n * mu + j * theta  # the queue ahead shrinks (or service starts at j = 0)
    r = f + theta  # plus the tagged customer's own abandonment
    p_ans = np.cumprod(f / r)  # P(answered | j ahead)
    m = np.zeros(len(pq))  # E[wait 1{answered} | j ahead]
    prev = 0.0
    for i in range(len(pq)):
        prev = p_ans[i] / r[i] + f[i] / r[i] * prev
        m[i] = prev
    p_now = pi[:n].sum()
    queue = (j * pq).sum()
    answered = p_now + (pq * p_ans).sum()

    size = len(pq)

    def rhs(_t, uv):
        # u_j = P(answered by t | j ahead), v_j = P(abandoned by t | j ahead); from j a step
        # leads to j - 1 (or to service at j = 0), or the tagged customer abandons.
        u, v = uv[:size], uv[size:]
        u_below = np.concatenate([[1.0], u[:-1]])
        v_below = np.concatenate([[0.0], v[:-1]])
        return np.concatenate([f * (u_below - u) - theta * u, f * (v_below - v) + theta * (1 - v)])

    block = np.diag(-f - theta) + np.diag(f[1:], -1)
    jac = np.block([[block, np.zeros_like(block)], [np.zeros_like(block), block]])
    ts = sorted(t for t in thresholds if t > 0)
    sol = solve_ivp(
        rhs,
        (0.0, max(ts)),
        np.zeros(2 * size),
        t_eval=ts,
        rtol=1e-11,
        atol=1e-14,
        method="LSODA",
        jac=lambda _t, _y: jac,
    )
    assert sol.success
    sl, abandoned = {0.0: p_now}, {0.0: 0.0}
    for t, uv in zip(ts, sol.y.T, strict=True):
        sl[t] = p_now + (pq * uv[:size]).sum()
        abandoned[t] = (pq * uv[size:]).sum()
    return {
        "p_wait0": p_now,
        "p_abandon": theta * queue / lam,
        "p_answered": answered,
        "mean_wait": queue / lam,
        "asa": (pq * m).sum() / answered,
        "busy": (pi * np.minimum(np.arange(len(pi)), n)).sum(),
        "sl": sl,
        "abandoned": abandoned,
    }


def simulate(
    *,
    lam_a,
    lam_b,
    mu_a1,
    mu_a2,
    mu_b2,
    theta_a,
    theta_b,
    c1,
    c2,
    g2_prefers,
    threshold,
    horizon,
    seed,
):
    """Event-driven simulation of the model with explicit FIFO queues and patience draws.

    Returns per type arrays (arrival time, answered within threshold, abandoned, answered by
    G2) for the contacts arriving in [warm-up, horizon - tail]."""
    rng = np.random.default_rng(seed)
    lam = {"A": lam_a, "B": lam_b}
    theta = {"A": theta_a, "B": theta_b}
    rate = {("G1", "A"): mu_a1, ("G2", "A"): mu_a2, ("G2", "B"): mu_b2}
    idle = {"G1": c1, "G2": c2}
    queue = {"A": deque(), "B": deque()}
    rank = ["B", "A"] if g2_prefers == "B" else ["A", "B"]
    events = []  # (time, seq, kind, payload)
    seq = 0

    def push(t, kind, payload):
        nonlocal seq
        heapq.heappush(events, (t, seq, kind, payload))
        seq += 1

    cust = []  # [type, arrival, start (or None), abandoned, group]
    for tp in "AB":
        if lam[tp] > 0:
            push(rng.exponential(1 / lam[tp]), "arrive", tp)

    def start(cid, group, now):
        cust[cid][2] = now
        cust[cid][4] = group
        push(now + rng.exponential(1 / rate[(group, cust[cid][0])]), "done", group)

    while events:
        now, _, kind, payload = heapq.heappop(events)
        if kind == "arrive":
            tp = payload
            cid = len(cust)
            cust.append([tp, now, None, False, None])
            if now < horizon:
                push(now + rng.exponential(1 / lam[tp]), "arrive", tp)
            groups = ["G1", "G2"] if tp == "A" else ["G2"]
            for g in groups:
                if idle[g] > 0:
                    idle[g] -= 1
                    start(cid, g, now)
                    break
            else:
                queue[tp].append(cid)
                if theta[tp] > 0:
                    push(now + rng.exponential(1 / theta[tp]), "abandon", cid)
        elif kind == "abandon":
            cid = payload
            if cust[cid][2] is None and not cust[cid][3]:
                cust[cid][3] = True
                queue[cust[cid][0]].remove(cid)
        else:  # a `payload` agent is free
            order = ["A"] if payload == "G1" else rank
            for tp in order:
                if queue[tp]:
                    start(queue[tp].popleft(), payload, now)
                    break
            else:
                idle[payload] += 1
    out = {}
    for tp in "AB":
        rows = [c for c in cust if c[0] == tp and 0.1 * horizon <= c[1] <= horizon - 3000]
        arr = np.array([c[1] for c in rows])
        ans = np.array([c[2] is not None and c[2] - c[1] <= threshold for c in rows])
        abd = np.array([c[3] for c in rows])
        g2 = np.array([c[4] == "G2" for c in rows])
        out[tp] = (arr, ans, abd, g2)
    return out


def batch_mean(times, values, batches=20):
    """Mean and standard error from batch means over equal time slices."""
    edges = np.linspace(times.min(), times.max() + 1e-9, batches + 1)
    which = np.digitize(times, edges) - 1
    means = np.array([values[which == b].mean() for b in range(batches)])
    return values.mean(), means.std(ddof=1) / math.sqrt(batches)


# --------------------------------------------------------------------------- single queue


@pytest.mark.parametrize(
    ("c", "lam", "mu"), [(1, 0.5, 1.0), (3, 1 / 40, 1 / 100), (5, 4.2, 1.0), (2, 1.0, 0.7)]
)
def test_erlang_c(c, lam, mu):
    fig = solve(lam, 0.0, mu, 1.0, 1.0, 0.0, 0.0, c, 0)
    a = fig.types["A"]
    for t in scaled(THRESHOLDS, mu):
        ref = erlang_c(c, lam, mu, t)
        assert fig.service_level("A", t) == pytest.approx(ref["sl"], abs=1e-9)
    assert a.p_wait0 == pytest.approx(1 - ref["p_wait"], abs=1e-10)
    assert a.mean_wait == pytest.approx(ref["mean_wait"], rel=1e-8)
    assert a.asa == pytest.approx(ref["mean_wait"], rel=1e-8)
    assert a.p_abandon == 0.0
    assert a.p_answered == pytest.approx(1.0, abs=1e-9)
    assert fig.groups["G1"].occupancy == pytest.approx(lam / mu / c, rel=1e-9)
    assert fig.truncation_mass < 1e-9


@pytest.mark.parametrize(
    ("c", "lam", "mu", "theta"),
    [
        (1, 1.0, 1.0, 0.5),
        (3, 1 / 20, 1 / 100, 1 / 200),
        (4, 6.0, 1.0, 2.0),
        (5, 0.1, 1 / 30, 1 / 90),
    ],
)
def test_erlang_a(c, lam, mu, theta):
    fig = solve(lam, 0.0, mu, 1.0, 1.0, theta, 0.0, c, 0)
    thresholds = scaled(THRESHOLDS, mu)
    ref = erlang_a(c, lam, mu, theta, thresholds)
    a = fig.types["A"]
    assert a.p_wait0 == pytest.approx(ref["p_wait0"], abs=1e-10)
    assert a.p_abandon == pytest.approx(ref["p_abandon"], rel=1e-8)
    assert a.p_answered == pytest.approx(ref["p_answered"], rel=1e-8)
    assert a.mean_wait == pytest.approx(ref["mean_wait"], rel=1e-8)
    assert a.asa == pytest.approx(ref["asa"], rel=1e-8)
    for t in thresholds:
        assert fig.service_level("A", t) == pytest.approx(ref["sl"][t], abs=1e-8)
        assert fig.abandoned_within("A", t) == pytest.approx(ref["abandoned"][t], abs=1e-8)
    assert fig.groups["G1"].occupancy == pytest.approx(ref["busy"] / c, rel=1e-8)


def test_erlang_a_on_g2_alone():
    """No G1 and no B: A is served by G2 only, at G2's rate for A (the overflow path)."""
    ref = erlang_a(4, 0.2, 1 / 25, 1 / 60, THRESHOLDS)
    for pref in "AB":
        fig = solve(0.2, 0.0, 1.0, 1 / 25, 1 / 7, 1 / 60, 0.3, 0, 4, g2_prefers=pref)
        assert fig.types["A"].p_abandon == pytest.approx(ref["p_abandon"], rel=1e-8)
        assert fig.types["A"].asa == pytest.approx(ref["asa"], rel=1e-8)
        for t in THRESHOLDS:
            assert fig.service_level("A", t) == pytest.approx(ref["sl"][t], abs=1e-8)
        assert fig.answered_share_by_group["G2"] == pytest.approx(1.0)
        assert fig.groups["G2"].occupancy_b == 0.0


def test_erlang_a_for_b_alone():
    """No A: B is an M/M/c2+M queue on G2 whatever G1 and the preference are."""
    ref = erlang_a(3, 1 / 30, 1 / 120, 1 / 300, THRESHOLDS)
    for pref in "AB":
        fig = solve(0.0, 1 / 30, 1 / 100, 1 / 150, 1 / 120, 1 / 200, 1 / 300, 2, 3, g2_prefers=pref)
        b = fig.types["B"]
        assert b.p_wait0 == pytest.approx(ref["p_wait0"], abs=1e-10)
        assert b.p_abandon == pytest.approx(ref["p_abandon"], rel=1e-8)
        assert b.mean_wait == pytest.approx(ref["mean_wait"], rel=1e-8)
        assert b.asa == pytest.approx(ref["asa"], rel=1e-8)
        for t in THRESHOLDS:
            assert fig.service_level("B", t) == pytest.approx(ref["sl"][t], abs=1e-8)
        assert math.isnan(fig.types["A"].p_wait0)
        assert math.isnan(fig.service_level("A", 20.0))
        assert fig.groups["G1"].occupancy == 0.0


@pytest.mark.parametrize(("theta", "c1", "c2"), [(1 / 200, 2, 3), (0.0, 3, 2), (1 / 50, 1, 4)])
def test_symmetric_pooling(theta, c1, c2):
    """mu_a1 == mu_a2 and no B: G1 + G2 is one M/M/(c1+c2)+M pool for A."""
    lam, mu = 1 / 25, 1 / 100
    ref = erlang_a(c1 + c2, lam, mu, theta, THRESHOLDS) if theta > 0 else None
    fig = solve(lam, 0.0, mu, mu, 1 / 60, theta, 1 / 100, c1, c2)
    a = fig.types["A"]
    if ref is None:
        for t in THRESHOLDS:
            ec = erlang_c(c1 + c2, lam, mu, t)
            assert fig.service_level("A", t) == pytest.approx(ec["sl"], abs=1e-9)
        assert a.mean_wait == pytest.approx(ec["mean_wait"], rel=1e-8)
        assert a.p_wait0 == pytest.approx(1 - ec["p_wait"], abs=1e-10)
        busy = lam / mu
    else:
        assert a.p_wait0 == pytest.approx(ref["p_wait0"], abs=1e-10)
        assert a.p_abandon == pytest.approx(ref["p_abandon"], rel=1e-8)
        assert a.mean_wait == pytest.approx(ref["mean_wait"], rel=1e-8)
        assert a.asa == pytest.approx(ref["asa"], rel=1e-8)
        for t in THRESHOLDS:
            assert fig.service_level("A", t) == pytest.approx(ref["sl"][t], abs=1e-8)
        busy = ref["busy"]
    g1, g2 = fig.groups["G1"], fig.groups["G2"]
    assert c1 * g1.occupancy + c2 * g2.occupancy == pytest.approx(busy, rel=1e-8)
    assert g1.occupancy > g2.occupancy  # G1 is tried first


# --------------------------------------------------------------------------- the full model


@pytest.mark.parametrize("pref", ["A", "B"])
@pytest.mark.parametrize(
    "params",
    [
        EXAMPLE,
        dict(EXAMPLE, lam_b=1 / 60, c1=5, c2=4, theta_b=0.0),  # B never abandons
        dict(EXAMPLE, mu_a2=1 / 80, theta_a=1 / 30, c1=1, c2=2),
        dict(EXAMPLE, c1=5, c2=5),  # a larger chain (its speed is bench/'s business, not ours)
    ],
)
def test_conservation_and_consistency(params, pref):
    fig = solve(**params, g2_prefers=pref)
    assert fig.pi.sum() == pytest.approx(1.0, abs=1e-12)
    assert fig.pi.min() > -1e-12
    assert fig.truncation_mass < 1e-9
    x, y, z, qa, qb = fig.states.T
    assert np.all((qa == 0) | ((x == params["c1"]) & (y + z == params["c2"])))
    assert np.all((qb == 0) | (y + z == params["c2"]))
    th = fig.throughput
    for tp, answered in (("A", th["G1", "A"] + th["G2", "A"]), ("B", th["G2", "B"])):
        t = fig.types[tp]
        lam = params[f"lam_{tp.lower()}"]
        # Flow balance: everything that arrives is answered or abandons.
        assert answered + t.abandon_rate == pytest.approx(lam, rel=1e-9)
        assert t.p_answered + t.p_abandon == pytest.approx(1.0, abs=1e-9)
        # The tagged-customer chain agrees with the stationary chain (Little, flows).
        tag = fig.tagged_summary(tp)
        assert tag["p_abandoned"] == pytest.approx(t.p_abandon, rel=1e-8)
        assert tag["p_answered"] == pytest.approx(t.p_answered, rel=1e-8)
        assert tag["mean_wait"] == pytest.approx(t.mean_wait, rel=1e-8)
        # mean wait = answered share * ASA + abandoned share * mean time to abandon
        abandon_part = t.p_abandon * t.mean_wait_abandoned if t.p_abandon > 0 else 0.0
        assert t.p_answered * t.asa + abandon_part == pytest.approx(t.mean_wait, rel=1e-8)
        # Service level: starts at p_wait0, increases, and approaches p_answered (abandoned
        # within T approaches p_abandon) as the mass still waiting at T vanishes.
        sls = [fig.service_level(tp, s) for s in [0, 1, 10, 60, 600]]
        assert sls[0] == pytest.approx(t.p_wait0, abs=1e-12)
        assert fig.abandoned_within(tp, 0) == 0.0
        assert np.all(np.diff(sls) > 0)
        gone = fig.abandoned_within(tp, 600)
        waiting = 1 - sls[-1] - gone
        assert -1e-12 <= waiting < 0.1  # (rounding: the three shares add up to 1)
        assert -1e-10 < t.p_answered - sls[-1] <= waiting + 1e-10
        assert -1e-10 < t.p_abandon - gone <= waiting + 1e-10
    g2 = fig.groups["G2"]
    assert g2.occupancy == pytest.approx(g2.occupancy_a + g2.occupancy_b)
    assert g2.occupancy_a * params["c2"] * params["mu_a2"] == pytest.approx(g2.throughput_a)
    shares = fig.answered_share_by_group
    assert shares["G1"] + shares["G2"] == pytest.approx(1.0)


def test_preference_matters():
    """G2 ranking A first helps A and hurts B, visibly, in the example."""
    fb = solve(**EXAMPLE, g2_prefers="B")
    fa = solve(**EXAMPLE, g2_prefers="A")
    b_b, b_a = fb.types["B"], fa.types["B"]
    assert b_a.mean_wait > 1.5 * b_b.mean_wait
    assert b_a.p_abandon > b_b.p_abandon + 0.1
    assert fa.service_level("B", 20) < fb.service_level("B", 20) - 0.03
    assert fa.types["A"].mean_wait < fb.types["A"].mean_wait
    assert fa.service_level("A", 20) > fb.service_level("A", 20)
    assert fa.answered_share_by_group["G2"] > fb.answered_share_by_group["G2"]
    assert fa.groups["G2"].occupancy_a > fb.groups["G2"].occupancy_a


@pytest.mark.parametrize("pref", ["A", "B"])
def test_against_monte_carlo(pref):
    """An independent event-driven simulation with explicit FIFO queues: SL(20), abandons
    and the G2 share of answered A agree within 4.5 batch standard errors."""
    threshold = 20.0
    fig = solve(**EXAMPLE, g2_prefers=pref)
    sim = simulate(**EXAMPLE, g2_prefers=pref, threshold=threshold, horizon=4e6, seed=11)
    for tp in "AB":
        arr, ans, abd, g2 = sim[tp]
        for value, exact in (
            (ans, fig.service_level(tp, threshold)),
            (abd, fig.types[tp].p_abandon),
        ):
            mean, se = batch_mean(arr, value.astype(float))
            assert abs(mean - exact) < 4.5 * se, (tp, mean, exact, se)
    arr, _, abd, g2 = sim["A"]
    mean, se = batch_mean(arr[~abd], g2[~abd].astype(float))
    assert abs(mean - fig.answered_share_by_group["G2"]) < 4.5 * se


def test_truncation():
    # Explicit cap too small for a heavy queue: refuse rather than return wrong figures.
    with pytest.raises(TruncationError):
        solve(0.9, 0.0, 1.0, 1.0, 1.0, 0.0, 0.0, 1, 0, cap=30)
    # Automatic cap grows until the boundary is negligible (rho = 0.9 needs ~200 places).
    fig = solve(0.9, 0.0, 1.0, 1.0, 1.0, 0.0, 0.0, 1, 0)
    assert fig.caps[0] > 150
    assert fig.truncation_mass < 1e-9
    assert fig.types["A"].mean_wait == pytest.approx(erlang_c(1, 0.9, 1.0, 0)["mean_wait"])
    # Overloaded without abandonment: no steady state.
    with pytest.raises(TruncationError):
        solve(2.0, 0.0, 1.0, 1.0, 1.0, 0.0, 0.0, 1, 0)
    with pytest.raises(ValueError):
        solve(**EXAMPLE, g2_prefers="C")
