"""Tests for sim.analysis.erlang: published figures, an independent birth-death reference, stability."""

import math

import numpy as np
import pytest
from scipy.sparse import csr_matrix
from scipy.sparse.linalg import expm_multiply
from scipy.special import gammaln, logsumexp
from scipy.stats import poisson

from sim.analysis.erlang import QueueFigures, agents_required, erlang_a, erlang_b, erlang_c

# Worked example: 100 calls per 30 minutes, AHT 180 s, answer within 20 s (10 Erlangs).
RATE = 100 / 1800
AHT = 180.0
T = 20.0


# --------------------------------------------------------------------------- reference


def reference_erlang_a(n, rate, aht, patience, threshold):
    """Brute-force M/M/n+M figures straight from the birth-death chain.

    Independent of sim.analysis.erlang: stationary distribution from the product form (log space,
    queue truncated 50 nats below its peak), the tagged customer's fate from its position
    chain (product of survival ratios, the m_j recurrence for waits) and P(answered within T)
    from a sparse matrix exponential of that position chain.
    """
    lam, mu, th = rate, 1.0 / aht, 1.0 / patience
    load = lam * aht
    k = np.arange(n + 1)
    log_low = k * np.log(load) - gammaln(k + 1)  # pi_0..pi_n, unnormalised
    size = 64
    while True:
        steps = np.log(lam) - np.log(n * mu + np.arange(1, size + 1) * th)
        log_queue = log_low[-1] + np.concatenate([[0.0], np.cumsum(steps)])
        if steps[-1] < 0 and log_queue[-1] < log_queue.max() - 50:
            break
        size *= 2
    log_pi = np.concatenate([log_low[:-1], log_queue])
    pi = np.exp(log_pi - logsumexp(log_pi))
    p_now, pq = pi[:n].sum(), pi[n:]  # answered at once; pi_{n+j}, j ahead in queue
    j = np.arange(len(pq))
    f = n * mu + j * th  # rate at which the queue ahead shrinks (or service starts)
    r = f + th
    served = np.exp(np.cumsum(np.log(f / r)))  # P(answered | j ahead)
    m, prev = np.empty(len(pq)), 0.0  # E[wait * 1{answered} | j ahead]
    for i in range(len(pq)):
        prev = served[i] / r[i] + f[i] / r[i] * prev
        m[i] = prev
    queue_len = (j * pq).sum()
    p_answered = p_now + (pq * served).sum()
    # Position chain: states 0..J, then 'answered' (absorbing); abandonment leaks mass.
    states = len(pq) + 1
    rows = np.concatenate([j, j])
    cols = np.concatenate([j, np.where(j > 0, j - 1, states - 1)])
    vals = np.concatenate([-r, f])
    gen = csr_matrix((vals, (rows, cols)), shape=(states, states))
    start = np.concatenate([pq, [0.0]])
    end = expm_multiply(gen.T * threshold, start) if threshold > 0 else start
    return {
        "p_wait": pq.sum(),
        "p_abandon_little": th * queue_len / lam,
        "p_abandon_fates": (pq * (1.0 - served)).sum(),
        "service_level": p_now + end[-1],
        "asa": (pq * m).sum() / p_answered,
        "mean_wait": queue_len / lam,
        "occupancy": load * p_answered / n,
    }


# --------------------------------------------------------------------------- published figures


def test_erlang_c_worked_example_13_agents():
    fig = erlang_c(13, RATE, AHT, T)
    assert fig.service_level == pytest.approx(0.7956, abs=5e-5)
    assert fig.asa == pytest.approx(17.1, abs=0.05)
    assert fig.offered_load == pytest.approx(10.0)


def test_erlang_c_worked_example_14_agents():
    fig = erlang_c(14, RATE, AHT, T)
    assert fig.service_level == pytest.approx(0.8884, abs=5e-5)
    assert fig.asa == pytest.approx(7.84, abs=0.005)
    assert fig.p_wait == pytest.approx(0.1741, abs=5e-5)
    assert fig.p_abandon == 0.0
    assert fig.mean_wait == fig.asa
    assert fig.occupancy == pytest.approx(10 / 14)


def test_erlang_a_worked_example():
    fig = erlang_a(14, RATE, AHT, 300.0, T)
    assert fig.p_abandon == pytest.approx(0.01398, abs=5e-6)
    assert fig.p_wait == pytest.approx(0.1453, abs=5e-5)
    assert fig.service_level == pytest.approx(0.9168, abs=5e-5)


def test_agents_required_worked_example():
    assert agents_required(RATE, AHT, T, 0.8) == 14
    assert agents_required(RATE, AHT, T, 0.7956 - 1e-4) == 13


# --------------------------------------------------------------------------- consistency


def test_erlang_b_matches_direct_formula():
    for load in (0.5, 5.0, 20.3):
        for n in range(0, 31):
            terms = [load**k / math.factorial(k) for k in range(n + 1)]
            assert erlang_b(n, load) == pytest.approx(terms[-1] / sum(terms), rel=1e-12)
    assert erlang_b(0, 3.0) == 1.0
    assert erlang_b(4, 0.0) == 0.0


def test_erlang_b_large_against_poisson():
    # B(n, a) = Poisson pmf(n) / cdf(n): an independent route that works at 10,000 agents.
    for n, load in ((10_000, 9_900.0), (5_000, 5_200.0), (2_000, 1_500.0)):
        expected = poisson.pmf(n, load) / poisson.cdf(n, load)
        assert erlang_b(n, load) == pytest.approx(expected, rel=1e-9)


def test_erlang_c_against_textbook_formula():
    # P(wait) = (a^n/n! * n/(n-a)) / (sum_{k<n} a^k/k! + a^n/n! * n/(n-a))
    for n, load in ((3, 2.5), (10, 7.0), (25, 24.2)):
        top = load**n / math.factorial(n) * n / (n - load)
        p_wait = top / (sum(load**k / math.factorial(k) for k in range(n)) + top)
        fig = erlang_c(n, load / 60.0, 60.0, 15.0)
        assert fig.p_wait == pytest.approx(p_wait, rel=1e-12)
        assert fig.service_level == pytest.approx(
            1 - p_wait * math.exp(-(n - load) * 15.0 / 60.0), rel=1e-12
        )
        assert fig.asa == pytest.approx(p_wait * 60.0 / (n - load), rel=1e-12)


@pytest.mark.parametrize(
    ("n", "load", "aht", "patience", "threshold"),
    [
        (14, 10.0, 180.0, 300.0, 20.0),  # the worked example
        (14, 10.0, 180.0, 300.0, 0.0),  # SL = answered immediately
        (5, 7.0, 120.0, 60.0, 30.0),  # overloaded: stable only thanks to abandonment
        (300, 310.0, 240.0, 90.0, 15.0),
        (120, 100.0, 30.0, 2_000.0, 60.0),
    ],
)
def test_erlang_a_against_birth_death_reference(n, load, aht, patience, threshold):
    ref = reference_erlang_a(n, load / aht, aht, patience, threshold)
    fig = erlang_a(n, load / aht, aht, patience, threshold)
    # P(abandon) two ways (Little: theta E[Q] / lam; summed fates of tagged arrivals).
    assert ref["p_abandon_little"] == pytest.approx(ref["p_abandon_fates"], rel=1e-9)
    assert fig.p_abandon == pytest.approx(ref["p_abandon_little"], rel=1e-9)
    assert fig.p_abandon == pytest.approx(ref["p_abandon_fates"], rel=1e-9)
    for key in ("p_wait", "service_level", "asa", "mean_wait", "occupancy"):
        assert getattr(fig, key) == pytest.approx(ref[key], rel=1e-8), key


def test_erlang_a_with_huge_patience_is_erlang_c():
    # The gap closes like 1/patience (it is ~1e-6 at 1e9 s next to saturation, n = 11).
    for n in (11, 14, 20):
        c = erlang_c(n, RATE, AHT, T)
        for patience, rel in ((1e9, 1e-5), (1e12, 1e-8)):
            a = erlang_a(n, RATE, AHT, patience, T)
            # To first order in 1/patience, abandonments are theta * (Erlang C mean wait).
            assert a.p_abandon == pytest.approx(c.mean_wait / patience, rel=1e-4)
            for key in ("p_wait", "service_level", "asa", "mean_wait", "occupancy"):
                assert getattr(a, key) == pytest.approx(getattr(c, key), rel=rel), key


def test_erlang_a_without_patience_is_erlang_c():
    assert erlang_a(14, RATE, AHT, None, T) == erlang_c(14, RATE, AHT, T)
    assert erlang_a(14, RATE, AHT, math.inf, T) == erlang_c(14, RATE, AHT, T)


def test_service_level_increases_with_agents():
    sl_c = [erlang_c(n, RATE, AHT, T).service_level for n in range(11, 30)]
    assert all(b > a for a, b in zip(sl_c, sl_c[1:], strict=False))
    figs = [erlang_a(n, RATE, AHT, 120.0, T) for n in range(1, 30)]
    assert all(b.service_level > a.service_level for a, b in zip(figs, figs[1:], strict=False))
    assert all(b.p_abandon < a.p_abandon for a, b in zip(figs, figs[1:], strict=False))


def test_erlang_c_unstable_figures():
    for n in (5, 10):  # load is exactly 10 Erlangs
        fig = erlang_c(n, RATE, AHT, T)
        assert fig == QueueFigures(n, fig.offered_load, 1.0, 0.0, 0.0, math.inf, math.inf, 1.0)


def test_erlang_a_below_load_is_stable():
    fig = erlang_a(8, RATE, AHT, 300.0, T)
    for value in (fig.p_wait, fig.p_abandon, fig.service_level, fig.occupancy):
        assert 0.0 < value < 1.0
    assert math.isfinite(fig.asa) and math.isfinite(fig.mean_wait)
    # Carried load a (1 - P(abandon)) cannot exceed the 8 agents.
    assert fig.p_abandon >= 1 - 8 / 10


def test_zero_traffic():
    assert agents_required(0.0, AHT, T, 0.8) == 0
    for fig in (erlang_c(3, 0.0, AHT, T), erlang_a(3, 0.0, AHT, 60.0, T)):
        assert (fig.p_wait, fig.service_level, fig.asa, fig.occupancy) == (0.0, 1.0, 0.0, 0.0)


def test_invalid_inputs():
    with pytest.raises(ValueError):
        erlang_c(-1, RATE, AHT, T)
    with pytest.raises(ValueError):
        erlang_c(3, RATE, 0.0, T)
    with pytest.raises(ValueError):
        erlang_a(3, RATE, AHT, -5.0, T)
    with pytest.raises(ValueError):
        agents_required(RATE, AHT, T, 1.0)
    with pytest.raises(TypeError):
        erlang_c(3.5, RATE, AHT, T)


# --------------------------------------------------------------------------- staffing


@pytest.mark.parametrize("patience", [None, 45.0, 600.0])
@pytest.mark.parametrize("load", [0.4, 3.0, 10.0, 57.5])
@pytest.mark.parametrize("target", [0.0, 0.5, 0.8, 0.95])
def test_agents_required_is_smallest(load, target, patience):
    def meets(n):
        fig = erlang_a(n, load / AHT, AHT, patience, T)
        return fig.service_level >= target and fig.p_abandon <= 0.05

    found = agents_required(load / AHT, AHT, T, target, patience=patience, max_abandon=0.05)
    stable = found > load if patience is None else found >= 0
    assert stable and meets(found)
    assert found == 0 or not meets(found - 1) or (patience is None and found - 1 <= load)


def test_agents_required_max_abandon_binds():
    loose = agents_required(RATE, AHT, T, 0.5, patience=60.0)
    tight = agents_required(RATE, AHT, T, 0.5, patience=60.0, max_abandon=0.002)
    assert tight > loose
    assert erlang_a(tight, RATE, AHT, 60.0, T).p_abandon <= 0.002
    assert erlang_a(tight - 1, RATE, AHT, 60.0, T).p_abandon > 0.002


# --------------------------------------------------------------------------- scale


def test_ten_thousand_agents_is_stable():
    rate = 9_900 / AHT
    c = erlang_c(10_000, rate, AHT, T)
    a = erlang_a(10_000, rate, AHT, 300.0, T)
    a_long = erlang_a(10_000, rate, AHT, 1e9, T)
    over = erlang_a(9_000, rate, AHT, 300.0, T)
    for fig in (c, a, a_long, over):
        for value in (fig.p_wait, fig.service_level, fig.occupancy):
            assert 0.0 < value <= 1.0 and math.isfinite(value)
        assert math.isfinite(fig.asa) and math.isfinite(fig.mean_wait)
    assert 0.0 < c.p_wait < 1.0 and 0.0 < c.service_level < 1.0
    assert 0.0 < a.p_abandon < 1.0 and 0.0 < a.service_level < 1.0
    assert a_long.p_wait == pytest.approx(c.p_wait, rel=1e-6)
    assert a_long.service_level == pytest.approx(c.service_level, rel=1e-9)
    # 1,000 agents short: in heavy overload P(abandon) -> 1 - n/a from above.
    assert over.p_abandon == pytest.approx(1 - 9_000 / 9_900, rel=1e-3)
    assert over.p_abandon >= 1 - 9_000 / 9_900


def test_agents_required_at_five_thousand_erlangs():
    rate = 5_000 / AHT
    n_c = agents_required(rate, AHT, T, 0.8)
    n_a = agents_required(rate, AHT, T, 0.8, patience=300.0, max_abandon=0.01)
    assert n_c > 5_000
    assert erlang_c(n_c, rate, AHT, T).service_level >= 0.8
    assert erlang_c(n_c - 1, rate, AHT, T).service_level < 0.8
    fig = erlang_a(n_a, rate, AHT, 300.0, T)
    before = erlang_a(n_a - 1, rate, AHT, 300.0, T)
    assert fig.service_level >= 0.8 and fig.p_abandon <= 0.01
    assert before.service_level < 0.8 or before.p_abandon > 0.01
