"""Exact CTMC of a small two-type, two-group call centre, for validating the simulator.

Model (all times in seconds, every distribution exponential, everything independent):

* Contact types A and B arrive as Poisson processes with rates ``lam_a`` and ``lam_b``.
* Group G1 has ``c1`` agents and serves type A only. Group G2 has ``c2`` agents and serves
  type B, and type A as overflow.
* Handling times: a G1 agent serves A at rate ``mu_a1``; a G2 agent serves A at rate
  ``mu_a2`` and B at rate ``mu_b2`` (the rate depends on the agent's group, not on the
  contact's history). No wrap-up, no transfers, no retrials, no callbacks.
* A waiting contact abandons at rate ``theta_a`` (A) or ``theta_b`` (B), independently of
  everything else (exponential patience; 0 means it never abandons). Contacts in service
  never abandon. Abandoners leave for good.
* Two separate FIFO queues, one per type, unlimited waiting room.
* Routing of an arriving A: to an idle G1 agent if any, else to an idle G2 agent if any
  (overflow without delay, i.e. a plain preference order G1 then G2), else it joins queue A.
  An arriving B: to an idle G2 agent if any, else it joins queue B.
* A G1 agent who finishes takes the head of queue A if any, else goes idle.
* A G2 agent who finishes picks by rank between the two queue heads, ``g2_prefers``:
  "B" -> head of B if any, else head of A, else idle; "A" -> head of A if any, else head
  of B, else idle. (The rank is strict: the other queue's head is never taken while the
  preferred queue is non-empty, however long it has waited.)
* Which idle agent within a group takes a contact does not matter (agents of a group are
  identical).

State: (x, y, z, qa, qb) = (G1 agents busy, G2 agents busy on A, G2 agents busy on B,
queue A length, queue B length). Only states reachable from the empty system are built;
qa > 0 implies x == c1 and y + z == c2, qb > 0 implies y + z == c2. The queues are
truncated at ``cap`` (arrivals finding a full truncated queue are dropped), and the
stationary probability of the boundary states (qa == cap_a or qb == cap_b) must be below
``tol`` (default 1e-9), else ``TruncationError`` is raised (or, with ``cap=None``, the caps
are enlarged until it holds).

Figures (steady state; per-arrival figures use PASTA). For a type with zero arrival rate the
per-type figures are NaN; for a group with no agents the occupancies are NaN.

* ``p_wait0``: probability an arrival finds an eligible idle agent (answered at once).
* ``p_abandon``: fraction of arrivals who abandon = theta * E[queue] / lam.
* ``mean_wait``: mean time in queue over all arrivals (zero waits included, abandoners up to
  abandonment) = E[queue] / lam (Little).
* ``asa``: mean time in queue of answered contacts (zero waits included).
* ``service_level(type, T)``: P(answered within T) over all arrivals, i.e. answered within T
  / (answered + abandoned). Computed from the tagged contact's absorbing chain (its position
  in its own queue, the state of the servers and of the other queue) with its own
  abandonment clock running, so "within T" means answered before T and before abandoning.
* per group: ``occupancy`` = mean busy agents / agents (G2 also split into A and B),
  throughputs (answered per second) per (group, type), and for type A the share of answered
  contacts answered by each group.

Usage::

    fig = solve(lam_a=1/20, lam_b=1/30, mu_a1=1/100, mu_a2=1/150, mu_b2=1/120,
                theta_a=1/200, theta_b=1/300, c1=3, c2=3, g2_prefers="B")
    fig.types["A"].p_abandon, fig.groups["G2"].occupancy_b, fig.service_level("B", 20.0)
    fig.throughput["G2", "A"], fig.answered_share_by_group["G2"], fig.abandoned_within("A", 60)

``service_level`` / ``abandoned_within`` cost grows with threshold x the largest rate in the
tagged chain (about cap x theta): milliseconds for thresholds of minutes at call-centre
rates; results are cached per threshold.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import breadth_first_order
from scipy.sparse.linalg import expm_multiply, splu

TYPES = ("A", "B")
GROUPS = ("G1", "G2")


class TruncationError(RuntimeError):
    """The truncated queues hold more than `tol` stationary probability at their boundary
    (the cap is too small, or the model has no steady state)."""


@dataclass(frozen=True)
class Params:
    lam_a: float
    lam_b: float
    mu_a1: float
    mu_a2: float
    mu_b2: float
    theta_a: float
    theta_b: float
    c1: int
    c2: int
    g2_prefers: str = "B"


@dataclass(frozen=True)
class TypeFigures:
    """Steady-state figures of one contact type, per arrival (PASTA)."""

    name: str
    arrival_rate: float  # per second
    p_wait0: float  # answered at once
    p_abandon: float  # abandoned / arrivals
    p_answered: float  # answered / arrivals (= 1 - p_abandon up to truncation)
    mean_queue: float  # E[queue length]
    mean_wait: float  # mean time in queue over all arrivals, s
    asa: float  # mean time in queue of answered contacts (zero waits included), s
    mean_wait_abandoned: float  # mean time to abandon of abandoners, s
    answered_rate: float  # per second
    abandon_rate: float  # per second


@dataclass(frozen=True)
class GroupFigures:
    """Steady-state figures of one agent group."""

    name: str
    agents: int
    occupancy: float  # mean busy agents / agents
    occupancy_a: float  # part busy on type A
    occupancy_b: float  # part busy on type B
    throughput_a: float  # A contacts answered per second
    throughput_b: float  # B contacts answered per second


@dataclass
class _Tagged:
    """A tagged waiting contact's absorbing chain: transient generator `q` (n x n), exit rates
    to answered / abandoned, and the initial (unnormalised: stationary mass of arrival states
    that must wait) distribution `p0`."""

    q: sp.csr_matrix
    r_ans: np.ndarray
    r_abn: np.ndarray
    p0: np.ndarray
    p_answered: float = 0.0  # over all arrivals, waiting ones only
    p_abandoned: float = 0.0
    mean_wait: float = 0.0  # E[wait] over all arrivals (zero for those not waiting)
    wait_answered: float = 0.0  # E[wait * 1{answered}] over all arrivals
    wait_abandoned: float = 0.0
    _full_t: sp.csr_matrix | None = None
    _at: dict[float, np.ndarray] = field(default_factory=dict)  # distributions computed

    def summarise(self) -> None:
        if self.p0.sum() == 0.0:
            return
        lu = splu(sp.csc_matrix(-self.q), permc_spec="MMD_AT_PLUS_A", **_LU)
        u = lu.solve(self.p0, trans="T")  # u = p0 N, N = (-Q)^-1: expected time per state
        w = lu.solve(u, trans="T")  # w = p0 N^2
        self.p_answered = float(u @ self.r_ans)
        self.p_abandoned = float(u @ self.r_abn)
        self.mean_wait = float(u.sum())
        self.wait_answered = float(w @ self.r_ans)
        self.wait_abandoned = float(w @ self.r_abn)

    def absorbed_by(self, t: float) -> tuple[float, float]:
        """(P(answered by t), P(abandoned by t)) summed over arrivals that must wait.

        The distribution at t is p0 exp(G t) for the generator G with the two absorbing
        states appended (scipy's expm_multiply); each computed time is kept, and a later
        time is reached from the latest kept one before it, so a rising series of
        thresholds costs about as much as the largest alone (the cost grows with t times the
        largest exit rate)."""
        if t <= 0 or self.p0.sum() == 0.0:
            return 0.0, 0.0
        n = len(self.p0)
        if self._full_t is None:
            full = sp.bmat(
                [
                    [
                        self.q,
                        sp.csr_matrix(self.r_ans[:, None]),
                        sp.csr_matrix(self.r_abn[:, None]),
                    ],
                    [None, sp.csr_matrix((2, 1)), sp.csr_matrix((2, 1))],
                ],
                format="csr",
            )
            self._full_t = full.T.tocsr()
            self._at = {0.0: np.concatenate([self.p0, [0.0, 0.0]])}
        if t not in self._at:
            base = max(s for s in self._at if s < t)
            step = t - base
            self._at[t] = expm_multiply(
                self._full_t * step, self._at[base], traceA=self.q.diagonal().sum() * step
            )
        out = self._at[t]
        return float(out[n]), float(out[n + 1])


@dataclass
class ExactFigures:
    """Solution of the model (see the module docstring)."""

    params: Params
    types: dict[str, TypeFigures]
    groups: dict[str, GroupFigures]
    throughput: dict[tuple[str, str], float]  # (group, type) -> answered per second
    answered_share_by_group: dict[str, float]  # type A: group -> share of answered A
    caps: tuple[int, int]  # queue truncation (cap_a, cap_b)
    truncation_mass: float  # stationary probability of the boundary states
    n_states: int
    states: np.ndarray = field(repr=False)  # (n, 5) int: x, y, z, qa, qb
    pi: np.ndarray = field(repr=False)  # stationary distribution over `states`
    _tagged: dict[str, _Tagged] = field(repr=False, default_factory=dict)

    def service_level(self, type_name: str, threshold_s: float) -> float:
        """P(answered within threshold_s) over all arrivals of the type (answered before the
        threshold and before abandoning); zero waits count as within any threshold >= 0."""
        t = self._type(type_name)
        threshold_s = _threshold(threshold_s)
        if math.isnan(t.p_wait0):
            return math.nan
        if math.isinf(threshold_s):
            return self.tagged_summary(type_name)["p_answered"]
        answered, _ = self._tagged[type_name].absorbed_by(threshold_s)
        return t.p_wait0 + answered

    def abandoned_within(self, type_name: str, threshold_s: float) -> float:
        """P(abandoned within threshold_s) over all arrivals of the type."""
        threshold_s = _threshold(threshold_s)
        if math.isnan(self._type(type_name).p_wait0):
            return math.nan
        if math.isinf(threshold_s):
            return self.tagged_summary(type_name)["p_abandoned"]
        return self._tagged[type_name].absorbed_by(threshold_s)[1]

    def tagged_summary(self, type_name: str) -> dict[str, float]:
        """The tagged-contact chain's own totals over all arrivals (for consistency checks):
        p_answered (incl. answered at once), p_abandoned, mean_wait."""
        t, g = self._type(type_name), self._tagged[type_name]
        return {
            "p_answered": t.p_wait0 + g.p_answered,
            "p_abandoned": g.p_abandoned,
            "mean_wait": g.mean_wait,
        }

    def _type(self, type_name: str) -> TypeFigures:
        if type_name not in self.types:
            raise KeyError(f"unknown type {type_name!r}; expected one of {TYPES}")
        return self.types[type_name]


def _threshold(value: float) -> float:
    value = float(value)
    if not value >= 0:
        raise ValueError(f"threshold must be >= 0 seconds, got {value}")
    return value


# --------------------------------------------------------------------------- building blocks


class _Index:
    """Maps integer state tuples to row numbers via sorted mixed-radix keys."""

    def __init__(self, columns: list[np.ndarray], radices: list[int]):
        self.radices = radices
        keys = self.key(columns)
        order = np.argsort(keys, kind="stable")
        self.keys = keys[order]
        self.columns = [np.asarray(c)[order] for c in columns]
        if len(self.keys) > 1 and np.any(np.diff(self.keys) == 0):
            raise AssertionError("duplicate states")

    def key(self, columns) -> np.ndarray:
        k = np.zeros(np.shape(columns[0]), dtype=np.int64)
        for col, radix in zip(columns, self.radices, strict=True):
            k = k * radix + np.asarray(col, dtype=np.int64)
        return k

    def find(self, columns) -> np.ndarray:
        k = self.key(columns)
        pos = np.searchsorted(self.keys, k)
        pos_c = np.minimum(pos, len(self.keys) - 1)
        if not np.all(self.keys[pos_c] == k):
            raise AssertionError("transition to a state outside the state space")
        return pos_c

    def __len__(self) -> int:
        return len(self.keys)


class _Triplets:
    """Collects (row, col, rate) of a generator; targets may be absorbing labels."""

    def __init__(self):
        self.rows, self.cols, self.vals = [], [], []

    def add(self, rows, cols, rates, mask=None):
        rows = np.asarray(rows)
        rates = np.broadcast_to(np.asarray(rates, dtype=float), rows.shape)
        cols = np.broadcast_to(np.asarray(cols), rows.shape)
        keep = rates > 0
        if mask is not None:
            keep &= np.broadcast_to(mask, rows.shape)
        self.rows.append(rows[keep])
        self.cols.append(cols[keep])
        self.vals.append(rates[keep])

    def matrix(self, n: int) -> sp.csr_matrix:
        """Off-diagonal rates among transient states 0..n-1 (cols >= n are absorbing)."""
        r, c, v = (
            np.concatenate(a) if a else np.zeros(0) for a in (self.rows, self.cols, self.vals)
        )
        inside = c < n
        return sp.csr_matrix(
            (v[inside], (r[inside].astype(int), c[inside].astype(int))), shape=(n, n)
        )

    def exit(self, n: int, label: int) -> np.ndarray:
        r, c, v = (np.concatenate(a) for a in (self.rows, self.cols, self.vals))
        return np.bincount(r[c == label].astype(int), weights=v[c == label], minlength=n)


def _grid(*ranges) -> list[np.ndarray]:
    mesh = np.meshgrid(*[np.asarray(r, dtype=np.int64) for r in ranges], indexing="ij")
    return [m.ravel() for m in mesh]


def _with_diagonal(off: sp.csr_matrix, extra_out: np.ndarray | None = None) -> sp.csr_matrix:
    out = np.asarray(off.sum(axis=1)).ravel()
    if extra_out is not None:
        out = out + extra_out
    return (off - sp.diags(out)).tocsr()


# --------------------------------------------------------------------------- stationary chain


def _stationary(p: Params, cap_a: int, cap_b: int):
    c1, c2 = p.c1, p.c2
    blocks = []
    # Queues empty: any x, any y + z <= c2.
    x, y, z = _grid(range(c1 + 1), range(c2 + 1), range(c2 + 1))
    ok = y + z <= c2
    blocks.append([x[ok], y[ok], z[ok], 0 * x[ok], 0 * x[ok]])
    y2 = np.arange(c2 + 1)
    if cap_b > 0:  # queue B only: G2 full, any x
        x, y, qb = _grid(range(c1 + 1), y2, range(1, cap_b + 1))
        blocks.append([x, y, c2 - y, 0 * x, qb])
    if cap_a > 0:  # queue A non-empty: both groups full, any qb
        y, qa, qb = _grid(y2, range(1, cap_a + 1), range(cap_b + 1))
        blocks.append([0 * y + c1, y, c2 - y, qa, qb])
    cols = [np.concatenate([b[i] for b in blocks]) for i in range(5)]
    idx = _Index(cols, [c1 + 1, c2 + 1, c2 + 1, cap_a + 1, cap_b + 1])
    x, y, z, qa, qb = idx.columns
    n = len(idx)
    s = np.arange(n)
    busy2 = y + z
    tr = _Triplets()

    def go(mask, rate, nx=None, ny=None, nz=None, nqa=None, nqb=None):
        m = np.asarray(mask, dtype=bool) & (np.broadcast_to(rate, s.shape) > 0)
        if not m.any():
            return
        tgt = [x, y, z, qa, qb]
        new = [
            t if v is None else np.broadcast_to(v, s.shape)
            for t, v in zip(tgt, (nx, ny, nz, nqa, nqb), strict=True)
        ]
        rate = np.broadcast_to(np.asarray(rate, dtype=float), s.shape)
        tr.add(s[m], idx.find([c[m] for c in new]), rate[m])

    # Arrivals of A: G1 idle -> G1; else G2 idle -> G2; else queue (dropped at the cap).
    go(x < c1, p.lam_a, nx=x + 1)
    go((x == c1) & (busy2 < c2), p.lam_a, ny=y + 1)
    go((x == c1) & (busy2 == c2) & (qa < cap_a), p.lam_a, nqa=qa + 1)
    # Arrivals of B.
    go(busy2 < c2, p.lam_b, nz=z + 1)
    go((busy2 == c2) & (qb < cap_b), p.lam_b, nqb=qb + 1)
    # G1 completion: next A from the queue, else idle.
    r1 = x * p.mu_a1
    go((x > 0) & (qa > 0), r1, nqa=qa - 1)
    go((x > 0) & (qa == 0), r1, nx=x - 1)
    # G2 completions: freed agent picks by rank.
    ra, rb = y * p.mu_a2, z * p.mu_b2
    if p.g2_prefers == "B":
        take_b, take_a = qb > 0, (qb == 0) & (qa > 0)
    else:
        take_a, take_b = qa > 0, (qa == 0) & (qb > 0)
    idle = (qa == 0) & (qb == 0)
    # ... after an A completion
    go((y > 0) & take_b, ra, ny=y - 1, nz=z + 1, nqb=qb - 1)
    go((y > 0) & take_a, ra, nqa=qa - 1)
    go((y > 0) & idle, ra, ny=y - 1)
    # ... after a B completion
    go((z > 0) & take_b, rb, nqb=qb - 1)
    go((z > 0) & take_a, rb, ny=y + 1, nz=z - 1, nqa=qa - 1)
    go((z > 0) & idle, rb, nz=z - 1)
    # Abandonment from the queues.
    go(qa > 0, qa * p.theta_a, nqa=qa - 1)
    go(qb > 0, qb * p.theta_b, nqb=qb - 1)

    off = tr.matrix(n)
    # Keep the states reachable from the empty system (key 0 sorts first).
    reach = np.sort(breadth_first_order(off, 0, directed=True, return_predecessors=False))
    off = off[reach][:, reach]
    states = np.stack([c[reach] for c in idx.columns], axis=1)
    q = _with_diagonal(off)
    pi = _solve_stationary(q)
    return states, pi


# Generators are (column or row) diagonally dominant M-matrices: diagonal pivots are stable,
# and SuperLU's symmetric mode keeps the fill-in (and time) low on these grid-like chains.
_LU = dict(diag_pivot_thresh=0.0, options=dict(SymmetricMode=True))


def _solve_stationary(q: sp.csr_matrix) -> np.ndarray:
    """pi Q = 0, sum(pi) = 1: fix pi[0] = 1, solve the other balance equations, normalise
    (no dense normalisation row, so the sparse LU stays sparse)."""
    n = q.shape[0]
    if n == 1:
        return np.ones(1)
    a = q.T.tocsc()
    rest = np.zeros(n)
    rest[0] = 1.0
    rest[1:] = splu(a[1:, 1:].tocsc(), permc_spec="MMD_AT_PLUS_A", **_LU).solve(
        -a[1:, 0].toarray().ravel()
    )
    pi = rest / rest.sum()
    resid = np.abs(q.T @ pi).max()
    if not np.isfinite(pi).all() or resid > 1e-10 * max(1.0, abs(q.diagonal()).max()):
        raise ArithmeticError(f"stationary solve failed (residual {resid:.3g})")
    return pi


# --------------------------------------------------------------------------- tagged contacts


ANS, ABN = -1, -2  # placeholders, mapped to n, n + 1


def _tagged_a(p: Params, cap_a: int, cap_b: int, states, pi) -> _Tagged:
    """Tagged A in queue A: G1 and G2 all busy throughout; state (y, j ahead, qb)."""
    c1, c2 = p.c1, p.c2
    y, j, qb = _grid(range(c2 + 1), range(max(cap_a, 1)), range(cap_b + 1))
    idx = _Index([y, j, qb], [c2 + 1, max(cap_a, 1), cap_b + 1])
    y, j, qb = idx.columns
    z = c2 - y
    n = len(idx)
    s = np.arange(n)
    tr = _Triplets()

    def go(mask, rate, ny=None, nj=None, nqb=None, label=None):
        m = np.asarray(mask, dtype=bool) & (np.broadcast_to(rate, s.shape) > 0)
        if not m.any():
            return
        rate = np.broadcast_to(np.asarray(rate, dtype=float), s.shape)
        if label is not None:
            tr.add(s[m], n if label == ANS else n + 1, rate[m])
            return
        new = [
            t if v is None else np.broadcast_to(v, s.shape)
            for t, v in zip((y, j, qb), (ny, nj, nqb), strict=True)
        ]
        tr.add(s[m], idx.find([c[m] for c in new]), rate[m])

    # A G1 agent frees: takes the head of queue A (someone ahead, or the tagged contact).
    go(j > 0, c1 * p.mu_a1, nj=j - 1)
    go(j == 0, c1 * p.mu_a1, label=ANS)
    ra, rb = y * p.mu_a2, z * p.mu_b2
    if p.g2_prefers == "B":
        # Freed G2 agent takes B if any, else the head of A.
        go((y > 0) & (qb > 0), ra, ny=y - 1, nqb=qb - 1)
        go((y > 0) & (qb == 0) & (j > 0), ra, nj=j - 1)
        go((y > 0) & (qb == 0) & (j == 0), ra, label=ANS)
        go((z > 0) & (qb > 0), rb, nqb=qb - 1)
        go((z > 0) & (qb == 0) & (j > 0), rb, ny=y + 1, nj=j - 1)
        go((z > 0) & (qb == 0) & (j == 0), rb, label=ANS)
    else:
        # Queue A is never empty while the tagged contact waits: freed G2 agents take A.
        go((y > 0) & (j > 0), ra, nj=j - 1)
        go((y > 0) & (j == 0), ra, label=ANS)
        go((z > 0) & (j > 0), rb, ny=y + 1, nj=j - 1)
        go((z > 0) & (j == 0), rb, label=ANS)
    go(j > 0, j * p.theta_a, nj=j - 1)  # someone ahead abandons
    go(np.ones(n, bool), p.theta_a, label=ABN)  # the tagged contact abandons
    go(qb < cap_b, p.lam_b, nqb=qb + 1)
    go(qb > 0, qb * p.theta_b, nqb=qb - 1)

    x_s, y_s, z_s, qa_s, qb_s = states.T
    waits = (x_s == c1) & (y_s + z_s == c2) & (qa_s < cap_a)
    p0 = np.bincount(
        idx.find([y_s[waits], qa_s[waits], qb_s[waits]]), weights=pi[waits], minlength=n
    )
    return _finish(tr, n, p0)


def _tagged_b(p: Params, cap_a: int, cap_b: int, states, pi) -> _Tagged:
    """Tagged B in queue B: G2 all busy throughout; state (x, y, j ahead, qa)."""
    c1, c2 = p.c1, p.c2
    jb = max(cap_b, 1)
    x0, y0, j0 = _grid(range(c1 + 1), range(c2 + 1), range(jb))
    y1, j1, qa1 = _grid(range(c2 + 1), range(jb), range(1, cap_a + 1))
    x = np.concatenate([x0, 0 * y1 + c1])
    y = np.concatenate([y0, y1])
    j = np.concatenate([j0, j1])
    qa = np.concatenate([0 * x0, qa1])
    idx = _Index([x, y, j, qa], [c1 + 1, c2 + 1, jb, cap_a + 1])
    x, y, j, qa = idx.columns
    z = c2 - y
    n = len(idx)
    s = np.arange(n)
    tr = _Triplets()

    def go(mask, rate, nx=None, ny=None, nj=None, nqa=None, label=None):
        m = np.asarray(mask, dtype=bool) & (np.broadcast_to(rate, s.shape) > 0)
        if not m.any():
            return
        rate = np.broadcast_to(np.asarray(rate, dtype=float), s.shape)
        if label is not None:
            tr.add(s[m], n if label == ANS else n + 1, rate[m])
            return
        new = [
            t if v is None else np.broadcast_to(v, s.shape)
            for t, v in zip((x, y, j, qa), (nx, ny, nj, nqa), strict=True)
        ]
        tr.add(s[m], idx.find([c[m] for c in new]), rate[m])

    # Type A traffic (G2 is full, so A arrivals go to G1 or queue A).
    go(x < c1, p.lam_a, nx=x + 1)
    go((x == c1) & (qa < cap_a), p.lam_a, nqa=qa + 1)
    go((x > 0) & (qa > 0), x * p.mu_a1, nqa=qa - 1)
    go((x > 0) & (qa == 0), x * p.mu_a1, nx=x - 1)
    go(qa > 0, qa * p.theta_a, nqa=qa - 1)
    ra, rb = y * p.mu_a2, z * p.mu_b2
    if p.g2_prefers == "B":
        # Queue B is never empty while the tagged contact waits: freed G2 agents take B.
        go((y > 0) & (j > 0), ra, ny=y - 1, nj=j - 1)
        go((y > 0) & (j == 0), ra, label=ANS)
        go((z > 0) & (j > 0), rb, nj=j - 1)
        go((z > 0) & (j == 0), rb, label=ANS)
    else:
        # Freed G2 agent takes A if any, else the head of B.
        go((y > 0) & (qa > 0), ra, nqa=qa - 1)
        go((y > 0) & (qa == 0) & (j > 0), ra, ny=y - 1, nj=j - 1)
        go((y > 0) & (qa == 0) & (j == 0), ra, label=ANS)
        go((z > 0) & (qa > 0), rb, ny=y + 1, nqa=qa - 1)
        go((z > 0) & (qa == 0) & (j > 0), rb, nj=j - 1)
        go((z > 0) & (qa == 0) & (j == 0), rb, label=ANS)
    go(j > 0, j * p.theta_b, nj=j - 1)
    go(np.ones(n, bool), p.theta_b, label=ABN)

    x_s, y_s, z_s, qa_s, qb_s = states.T
    waits = (y_s + z_s == c2) & (qb_s < cap_b)
    p0 = np.bincount(
        idx.find([x_s[waits], y_s[waits], qb_s[waits], qa_s[waits]]), weights=pi[waits], minlength=n
    )
    return _finish(tr, n, p0)


def _finish(tr: _Triplets, n: int, p0: np.ndarray) -> _Tagged:
    off = tr.matrix(n)
    r_ans, r_abn = tr.exit(n, n), tr.exit(n, n + 1)
    g = _Tagged(q=_with_diagonal(off, r_ans + r_abn), r_ans=r_ans, r_abn=r_abn, p0=p0)
    g.summarise()
    return g


# --------------------------------------------------------------------------- public entry

_MAX_GRID = 300_000  # automatic caps give up beyond (c2 + 1)(cap_a + 1)(cap_b + 1) states


def _grown(cap: int, marginal: np.ndarray, tol: float) -> int:
    """A larger queue cap from the truncated queue-length marginal: extrapolate its tail
    geometrically from a few places below the boundary (conservative when abandonment makes
    the tail decay faster than geometric); double when the tail does not decay."""
    if cap == 0 or marginal[cap] < tol:
        return cap
    lo, hi = marginal[max(cap - 4, 0)], marginal[cap - 1]
    ratio = (hi / lo) ** (1 / 3) if lo > 0 and cap >= 4 else 1.0
    if ratio < 0.999:
        new = cap + math.ceil(math.log(tol / (10 * marginal[cap])) / math.log(ratio)) + 5
    else:
        new = 2 * cap
    return max(new, int(cap * 1.25))


def solve(
    lam_a: float,
    lam_b: float,
    mu_a1: float,
    mu_a2: float,
    mu_b2: float,
    theta_a: float,
    theta_b: float,
    c1: int,
    c2: int,
    g2_prefers: str = "B",
    cap: int | tuple[int, int] | None = None,
    tol: float = 1e-9,
) -> ExactFigures:
    """Solve the model of the module docstring exactly (up to a queue truncation whose
    boundary holds < `tol` probability).

    `cap`: queue truncation, one int for both queues or (cap_a, cap_b); None (default)
    starts at 40 and enlarges each cap by half until its boundary mass is below `tol`.
    Raises TruncationError when an explicit cap is too small (or the automatic one would
    need a huge state space: an overloaded queue without abandonment).
    """
    if g2_prefers not in ("A", "B"):
        raise ValueError(f"g2_prefers must be 'A' or 'B', got {g2_prefers!r}")
    c1, c2 = int(c1), int(c2)
    if c1 < 0 or c2 < 0:
        raise ValueError("agent counts must be >= 0")
    rates = dict(lam_a=lam_a, lam_b=lam_b, theta_a=theta_a, theta_b=theta_b)
    for name, value in rates.items():
        if not (value >= 0 and math.isfinite(value)):
            raise ValueError(f"{name} must be finite and >= 0, got {value}")
    for name, value in dict(mu_a1=mu_a1, mu_a2=mu_a2, mu_b2=mu_b2).items():
        if not (value > 0 and math.isfinite(value)):
            raise ValueError(f"{name} must be finite and > 0, got {value}")
    p = Params(lam_a, lam_b, mu_a1, mu_a2, mu_b2, theta_a, theta_b, c1, c2, g2_prefers)

    # Plain capacity bounds: a queue without abandonment needs more service capacity than
    # its arrivals even if every eligible agent served only it.
    if theta_a == 0 and lam_a > 0 and lam_a >= c1 * mu_a1 + c2 * mu_a2:
        raise TruncationError(
            "type A has no steady state: lam_a >= c1 mu_a1 + c2 mu_a2, theta_a = 0"
        )
    if theta_b == 0 and lam_b > 0 and lam_b >= c2 * mu_b2:
        raise TruncationError("type B has no steady state: lam_b >= c2 mu_b2, theta_b = 0")
    auto = cap is None
    if auto:
        cap_a, cap_b = 40, 40
    elif isinstance(cap, tuple):
        cap_a, cap_b = (int(c) for c in cap)
    else:
        cap_a = cap_b = int(cap)
    if cap_a < 1 or cap_b < 1:
        raise ValueError("queue caps must be >= 1")
    # A queue that can never fill needs no room.
    cap_a = cap_a if lam_a > 0 else 0
    cap_b = cap_b if lam_b > 0 else 0
    while True:
        try:
            states, pi = _stationary(p, cap_a, cap_b)
        except (RuntimeError, ArithmeticError) as err:  # e.g. probabilities beyond float range
            raise TruncationError(
                f"stationary solve failed at caps ({cap_a}, {cap_b}): {err}"
            ) from err
        qa, qb = states[:, 3], states[:, 4]
        marg_a = np.bincount(qa, weights=pi, minlength=cap_a + 1)
        marg_b = np.bincount(qb, weights=pi, minlength=cap_b + 1)
        mass_a = marg_a[cap_a] if cap_a > 0 else 0.0
        mass_b = marg_b[cap_b] if cap_b > 0 else 0.0
        if mass_a < tol and mass_b < tol:
            break
        if not auto:
            raise TruncationError(
                f"queue cap too small: boundary mass A {mass_a:.3g}, B {mass_b:.3g} >= {tol:g}"
            )
        cap_a, cap_b = _grown(cap_a, marg_a, tol), _grown(cap_b, marg_b, tol)
        if (c2 + 1) * (cap_a + 1) * (cap_b + 1) > _MAX_GRID:
            raise TruncationError(
                f"queues would need caps ({cap_a}, {cap_b}): no steady state (overloaded without "
                "enough abandonment) or too close to it for this exact solver"
            )
    boundary = ((qa == cap_a) & (cap_a > 0)) | ((qb == cap_b) & (cap_b > 0))
    truncation_mass = float(pi[boundary].sum())

    x, y, z = states[:, 0], states[:, 1], states[:, 2]
    ex, ey, ez = pi @ x, pi @ y, pi @ z
    eqa, eqb = pi @ qa, pi @ qb
    throughput = {
        ("G1", "A"): float(ex * mu_a1),
        ("G2", "A"): float(ey * mu_a2),
        ("G2", "B"): float(ez * mu_b2),
        ("G1", "B"): 0.0,
    }
    tagged = {
        "A": _tagged_a(p, cap_a, cap_b, states, pi) if lam_a > 0 else None,
        "B": _tagged_b(p, cap_a, cap_b, states, pi) if lam_b > 0 else None,
    }
    immediate = {
        "A": pi[(x < c1) | (y + z < c2)].sum(),
        "B": pi[y + z < c2].sum(),
    }
    types = {}
    for name, lam, theta, eq, answered in (
        ("A", lam_a, theta_a, eqa, throughput[("G1", "A")] + throughput[("G2", "A")]),
        ("B", lam_b, theta_b, eqb, throughput[("G2", "B")]),
    ):
        if lam == 0:
            nan = math.nan
            types[name] = TypeFigures(name, 0.0, nan, nan, nan, 0.0, nan, nan, nan, 0.0, 0.0)
            continue
        g = tagged[name]
        p_abandon = theta * eq / lam
        p_answered = answered / lam
        types[name] = TypeFigures(
            name=name,
            arrival_rate=lam,
            p_wait0=float(immediate[name]),
            p_abandon=float(p_abandon),
            p_answered=float(p_answered),
            mean_queue=float(eq),
            mean_wait=float(eq / lam),
            asa=float(g.wait_answered / p_answered) if p_answered > 0 else math.nan,
            mean_wait_abandoned=float(g.wait_abandoned / p_abandon) if p_abandon > 0 else math.nan,
            answered_rate=float(answered),
            abandon_rate=float(theta * eq),
        )

    def share(v, agents):
        return float(v / agents) if agents > 0 else math.nan

    groups = {
        "G1": GroupFigures(
            "G1",
            c1,
            share(ex, c1),
            share(ex, c1),
            0.0 if c1 else math.nan,
            throughput[("G1", "A")],
            0.0,
        ),
        "G2": GroupFigures(
            "G2",
            c2,
            share(ey + ez, c2),
            share(ey, c2),
            share(ez, c2),
            throughput[("G2", "A")],
            throughput[("G2", "B")],
        ),
    }
    answered_a = throughput[("G1", "A")] + throughput[("G2", "A")]
    shares = {
        g: (float(throughput[(g, "A")] / answered_a) if answered_a > 0 else math.nan)
        for g in GROUPS
    }
    return ExactFigures(
        params=p,
        types=types,
        groups=groups,
        throughput={k: float(v) for k, v in throughput.items()},
        answered_share_by_group=shares,
        caps=(cap_a, cap_b),
        truncation_mass=truncation_mass,
        n_states=len(pi),
        states=states,
        pi=pi,
        _tagged={k: v for k, v in tagged.items() if v is not None},
    )
