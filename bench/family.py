"""An independent family of marketing-mix data-generating processes with exact, noise-free truth.

    from bench.family import make, VARIANTS, WORLDS
    w = make('pulsed', 'earned', seed=0)
    w.frame, w.cols, w.n_train, w.truth.table()

Written apart from `deepcausalmmm.data.simulate_panel`, with its own assumptions, so that defaults are not judged
on one simulator only. Every (variant, world, seed) is reproducible: each building block draws from its own
numpy Generator stream, spawned from (variant, world, seed).

The process, per geo g, week t and channel c:
  planned activity P[g,t,c]        national flights ('pulsed'), a floor with a seasonal plan, noise and spikes
                                   ('always_on'), or a one-week-later copy of another channel ('follows')
  induced activity I[g,t,child]    = lam[g] * sum_l s[l] P[g,t-l,parent]  (spillover of a TV-like parent into a
                                   search-like child; its lag kernel s differs from the child's KPI carryover)
  activity X = P (+ I for the child); spend = cost[g,t,c] * P, plus cost * I for the child in the 'paid' world
  media term M[g,t,c] = beta[g,c] * hill(adstock(X / ref[g,c], kernel_c); K_c, n_c)
  KPI = b[g,t] + level[g] * sum_c M + events + controls + noise       (additive variants)
  KPI = b[g,t] * (1 + sum_c M) + noise                                 ('multiplicative')
A multiplier of a channel scales its planned activity and planned spend in the weeks < n_train (the window);
induced activity follows its parent's planned activity. `Truth` recomputes the expected KPI for any plan.
"""
from __future__ import annotations
import dataclasses, zlib
import numpy as np
import pandas as pd

__all__ = ['VARIANTS', 'WORLDS', 'HOLDOUT', 'World', 'Truth', 'make']

WORLDS = ('earned', 'paid')
HOLDOUT = 13
WEEKS_PER_YEAR = 52.18

VARIANTS = {
    'pulsed': '48 geos x 130 wk: national flights of tv, radio, video + always-on search; smooth baseline with trend and yearly seasonality',
    'always_on': '48 geos x 130 wk: always-on search, social, display (floor, noise, seasonal plan, spikes) + pulsed tv; slow national drift of the baseline',
    'single_geo': '1 geo x 156 wk: always-on search + pulsed tv, smooth trend, yearly seasonality, two one-week events as 0/1 controls',
    'drifting': '48 geos x 130 wk: pulsed tv, radio + always-on search, social; per-geo random-walk baselines plus a shared national drift',
    'multiplicative': '48 geos x 130 wk: pulsed tv, video + always-on search, display; baseline multiplies the media effects (they follow the seasonal level)',
    'events_controls': '24 geos x 130 wk: pulsed tv, radio + always-on search, social; 3-5 national one-week event dummies, a price control, a competitor-sales index ~0.9 correlated with the KPI',
    'co_scheduled': '48 geos x 130 wk: radio flights vary by geo and podcast runs exactly one week after radio in the same geos (no causal link) + pulsed tv + always-on search',
    'small': '8 geos x 104 wk: pulsed tv, radio + always-on search, social',
}

# channel name -> (pattern, curve type); the spillover always runs tv -> search
_CHANNELS = {
    'pulsed': ['tv', 'radio', 'video', 'search'],
    'always_on': ['search', 'social', 'display', 'tv'],
    'single_geo': ['search', 'tv'],
    'drifting': ['tv', 'radio', 'search', 'social'],
    'multiplicative': ['tv', 'video', 'search', 'display'],
    'events_controls': ['tv', 'radio', 'search', 'social'],
    'co_scheduled': ['tv', 'radio', 'podcast', 'search'],
    'small': ['tv', 'radio', 'search', 'social'],
}
_PATTERN = dict(tv='pulsed', radio='pulsed', video='pulsed', podcast='follows', search='always_on', social='always_on', display='always_on')
_SHAPE = dict(tv='s', radio='concave', video='s', podcast='concave', search='concave', social='concave', display='s')
_DIMS = dict(single_geo=(1, 156), events_controls=(24, 130), small=(8, 104))   # others: 48 geos x 130 weeks
PARENT, CHILD = 'tv', 'search'


# ----------------------------------------------------------------------------- building blocks

def streams(variant:str, world:str, seed:int, names:list) -> dict:
    "One independent numpy Generator per building block, spawned from (variant, seed); the world only changes the spend rule."
    ss = np.random.SeedSequence([zlib.crc32(variant.encode()), int(seed)])
    return dict(zip(names, (np.random.default_rng(s) for s in ss.spawn(len(names)))))

def kernel(kind:str, decay:float, peak:int=0, length:int=8) -> np.ndarray:
    "Carryover weights over lags 0..length-1, summing to 1: 'geometric' decay**l or 'delayed' decay**((l-peak)**2)."
    l = np.arange(length)
    w = decay ** l if kind == 'geometric' else decay ** ((l - peak) ** 2)
    return w / w.sum()

def adstock(x:np.ndarray, w:np.ndarray) -> np.ndarray:
    "Carryover along the week axis (axis 1) of (G, T) or (G, T, ...) arrays: sum_l w[l] x[t-l]."
    out = np.zeros_like(x, dtype=float)
    for l, wl in enumerate(w):
        if l == 0: out += wl * x
        else: out[:, l:] += wl * x[:, :-l]
    return out

def hill(a:np.ndarray, K:float, n:float) -> np.ndarray:
    "Saturation a**n / (a**n + K**n), 0 at a = 0."
    a = np.maximum(a, 0.)
    return a ** n / (a ** n + K ** n)

def geo_levels(rng, G:int) -> np.ndarray:
    "Baseline KPI level per geo: lognormal sizes, 1 geo = 50,000 a week."
    if G == 1: return np.array([50_000.])
    s = rng.lognormal(0., 0.8, G)
    return np.round(20_000. * s / s.mean(), 1)

def seasonal_shape(rng, T:int, amplitude:float) -> np.ndarray:
    "National yearly seasonality: two harmonics with random phases, max |value| = amplitude."
    yr = np.arange(T) / WEEKS_PER_YEAR
    s = np.sin(2 * np.pi * yr + rng.uniform(0, 2 * np.pi)) + 0.5 * np.sin(4 * np.pi * yr + rng.uniform(0, 2 * np.pi))
    return amplitude * s / np.abs(s).max()

def random_walk(rng, shape:tuple, sd:float, smooth:int=4) -> np.ndarray:
    "Centred random walk(s) along the last axis, lightly smoothed (moving average of `smooth` weeks)."
    rw = np.cumsum(rng.normal(0, sd, shape), -1)
    if smooth > 1:
        k = np.ones(smooth) / smooth
        rw = np.apply_along_axis(lambda v: np.convolve(np.r_[np.full(smooth - 1, v[0]), v], k, 'valid'), -1, rw)
    return rw - rw.mean(-1, keepdims=True)

def baseline(rng, variant:str, level:np.ndarray, T:int) -> np.ndarray:
    "Expected baseline (G, T): level x (1 + trend + seasonality [+ national drift] [+ per-geo random walk])."
    G = len(level)
    t = np.arange(T) / T
    trend = rng.uniform(-0.08, 0.15) * (t - 0.5)
    amp = 0.22 if variant == 'multiplicative' else 0.35 if variant == 'events_controls' else rng.uniform(0.08, 0.15)
    season = seasonal_shape(rng, T, amp)[None] * rng.uniform(0.9, 1.1, (G, 1))
    rel = 1 + trend[None] + season
    if variant in ('always_on', 'drifting'): rel = rel + random_walk(rng, (T,), 0.006, 6)[None]
    if variant == 'drifting': rel = rel + random_walk(rng, (G, T), 0.005, 4)
    return level[:, None] * rel

def flights(rng, T:int, duty:float=0.4) -> np.ndarray:
    "A national flight calendar (T,): bursts of 2-6 weeks with their own intensity, gaps of 2-10 weeks, about `duty` on."
    cal, t = np.zeros(T), int(rng.integers(0, 6))
    while t < T:
        d = int(rng.integers(2, 7)); cal[t:t + d] = rng.lognormal(0, 0.3)
        t += d + int(rng.integers(2, 11) if duty < 0.5 else rng.integers(1, 4))
    return cal

def pulsed_plan(rng, T:int, reach:np.ndarray, by_geo:bool=False) -> np.ndarray:
    "Pulsed activity (G, T): national flights (by_geo: each geo skips a flight with probability 0.3), geo weight, weekly noise."
    G = len(reach)
    cal = flights(rng, T)
    on = np.broadcast_to(cal, (G, T)).copy()
    if by_geo:   # geo-level opt-outs of whole flights
        starts = np.flatnonzero(np.diff(np.r_[0, cal > 0].astype(int)) == 1)
        ends = np.r_[starts[1:], T]
        for a, b in zip(starts, ends):
            skip = rng.random(G) < 0.3
            on[skip, a:b] = 0
    return reach[:, None] * on * rng.lognormal(0, 0.12, (G, T))

def always_on_plan(rng, T:int, reach:np.ndarray) -> np.ndarray:
    "Always-on activity (G, T): a floor that is never zero + a seasonal plan + weekly noise + 3-5 national spikes."
    G = len(reach)
    floor = rng.uniform(0.4, 0.7)
    plan = floor + (1 - floor) * (1 + seasonal_shape(rng, T, rng.uniform(0.3, 0.6)))
    spikes = np.ones(T)
    spikes[rng.choice(T, int(rng.integers(3, 6)), replace=False)] = rng.uniform(1.8, 2.6)
    return reach[:, None] * plan[None] * spikes[None] * rng.lognormal(0, 0.15, (G, T))

def follows_plan(rng, leader:np.ndarray) -> np.ndarray:
    "Activity that runs exactly when the leader ran one week earlier, in the same geos (planned together, no causal link)."
    out = np.zeros_like(leader)
    out[:, 1:] = leader[:, :-1] * rng.uniform(0.4, 0.8)
    return out

def channel_curve(rng, name:str) -> dict:
    "Carryover kernel and Hill curve of a channel: S-shaped (n ~ 2) or concave from zero (n <= 1); kernels <= 8 weeks."
    if name == 'tv': k = kernel('delayed', rng.uniform(0.4, 0.7), int(rng.integers(1, 3)))
    elif _SHAPE[name] == 's': k = kernel('geometric', rng.uniform(0.4, 0.7))
    else: k = kernel('geometric', rng.uniform(0.05, 0.5))
    if _SHAPE[name] == 's': K, n = rng.uniform(1.0, 1.8), rng.uniform(1.8, 2.4)
    else: K, n = rng.uniform(0.5, 1.5), rng.uniform(0.6, 1.0)
    return dict(kernel=k, K=float(K), n=float(n))

def target_shares(rng, C:int) -> np.ndarray:
    "Each channel's direct share of expected training KPI: 15-30% in all, each at least 2%."
    total = rng.uniform(0.15, 0.30)
    w = rng.dirichlet(np.full(C, 2.))
    return 0.02 + (total - 0.02 * C) * w

def event_weeks(rng, n_events:int, n_train:int) -> list:
    "One-week national events at distinct training weeks, at least 4 weeks apart, away from the window's edges."
    while True:
        w = np.sort(rng.choice(np.arange(8, n_train - 8), n_events, replace=False))
        if n_events < 2 or np.diff(w).min() >= 4: return [int(v) for v in w]

def price_series(rng, G:int, T:int) -> np.ndarray:
    "Per-geo price index around 1: an AR(1) wobble plus geo-specific 10-20% promotions a few weeks a year."
    p = np.ones((G, T))
    e = np.zeros(G)
    for t in range(T):
        e = 0.8 * e + rng.normal(0, 0.01, G); p[:, t] += e
    promo = rng.random((G, T)) < 0.06
    return p * np.where(promo, 1 - rng.uniform(0.1, 0.2, (G, T)), 1.)


# ----------------------------------------------------------------------------- truth

class Truth:
    """Exact expected KPI of one world under any plan. A plan is a dict (or (C,) array) of multipliers of each channel's
    planned activity and spend in the window (weeks < n_train); KPI totals run over weeks < n_train + tail."""
    def __init__(self, channels, n_train, world, planned, cost, spill, lam, ref, beta, curves, base, level, mult_base, fixed,
                 events, event_coef, controls, control_coef, always_on):
        self.channels, self.n_train, self.world = list(channels), n_train, world
        self.planned, self.cost, self.spill, self.lam, self.ref, self.beta = planned, cost, spill, lam, ref, beta
        self.curves, self.base, self.level, self.mult_base, self.fixed = curves, base, level, mult_base, fixed
        self.events, self.event_coef, self.controls, self.control_coef = events, event_coef, controls, control_coef
        self.always_on = list(always_on)
        self.G, self.T, self.C = planned.shape
        self.win = np.arange(self.T) < n_train
        self.p, self.k = self.channels.index(PARENT), self.channels.index(CHILD)

    def _m(self, mults) -> np.ndarray:
        if mults is None: return np.ones(self.C)
        if isinstance(mults, (dict, pd.Series)):
            m = np.ones(self.C)
            for c, v in dict(mults).items(): m[self.channels.index(c)] = v
            return m
        return np.asarray(mults, dtype=float)

    def planned_at(self, mults=None) -> np.ndarray:
        "Planned activity (G, T, C) under a plan: multiplied in the window only."
        return self.planned * np.where(self.win[None, :, None], self._m(mults)[None, None, :], 1.)

    def induced(self, P:np.ndarray) -> np.ndarray:
        "Activity the parent's planned activity induces in the child, (G, T)."
        return self.lam[:, None] * adstock(P[..., self.p], self.spill)

    def activity(self, mults=None, zero:str|None=None, direct:bool=False) -> np.ndarray:
        """Activity (G, T, C) under a plan; `zero`: that channel's activity is 0 in the window, and (unless `direct`) the
        activity it induces in the child disappears too; `direct`: other channels keep the activity they had."""
        P = self.planned_at(mults)
        X = P.copy(); X[..., self.k] += self.induced(P)
        if zero is not None:
            c = self.channels.index(zero)
            if not direct and c == self.p:
                P2 = P.copy(); P2[:, self.win, c] = 0.
                X = P2.copy(); X[..., self.k] += self.induced(P2)
            X[:, self.win, c] = 0.
        return X

    def media_terms(self, X:np.ndarray) -> np.ndarray:
        "Per-channel media terms (G, T, C) in units of the geo's level (or of the baseline, multiplicative)."
        out = np.empty_like(X)
        for c, name in enumerate(self.channels):
            cv = self.curves[name]
            out[..., c] = self.beta[:, None, c] * hill(adstock(X[..., c] / self.ref[:, None, c], cv['kernel']), cv['K'], cv['n'])
        return out

    def kpi(self, mults=None, zero:str|None=None, direct:bool=False) -> np.ndarray:
        "Expected KPI (G, T)."
        M = self.media_terms(self.activity(mults, zero, direct)).sum(-1)
        media = self.base * M if self.mult_base else self.level[:, None] * M
        return self.base + media + self.fixed

    def _sum(self, y:np.ndarray, tail:int) -> float: return float(y[:, :self.n_train + tail].sum())

    def outcome(self, mults=None, tail:int=0) -> float:
        "Expected KPI summed over geos and weeks < n_train + tail."
        return self._sum(self.kpi(mults), tail)

    def spend_at(self, mults=None) -> pd.Series:
        "Spend per channel in the window under a plan (the child's induced activity is bought in the 'paid' world)."
        P = self.planned_at(mults)
        S = self.cost * P
        if self.world == 'paid': S[..., self.k] += self.cost[..., self.k] * self.induced(P)
        return pd.Series(S[:, self.win].sum((0, 1)), index=self.channels)

    def spend(self, ch:str) -> float: return float(self.spend_at()[ch])
    def contribution(self, ch:str, tail:int=0) -> float:
        "Total: KPI now minus KPI with the channel's activity 0 in the window (and what it induces in the child gone)."
        return self.outcome(None, tail) - self._sum(self.kpi(zero=ch), tail)
    def direct(self, ch:str, tail:int=0) -> float:
        "Direct: the same with the other channels' activity held as observed."
        return self.outcome(None, tail) - self._sum(self.kpi(zero=ch, direct=True), tail)
    def spend_change(self, ch:str) -> float:
        "Total spend the channel's planned activity moves: spend now minus with its plan at 0 (the child's induced activity is bought in the 'paid' world)."
        return float(self.spend_at().sum() - self.spend_at({ch: 0.}).sum())
    def roi(self, ch:str, tail:int=0) -> float:
        "The package's one ROI: KPI the channel's planned activity makes (the response curve at m = 1) over the total spend it moves."
        return self.curve(ch, 1., tail) / self.spend_change(ch)
    def curve(self, ch:str, m:float, tail:int=0) -> float:
        "Incremental KPI with the channel's planned activity (and spend) x m, minus at m = 0 (its induced activity stays)."
        return self.outcome({ch: m}, tail) - self.outcome({ch: 0.}, tail)
    def mroi(self, ch:str, h:float=1e-3, tail:int=0) -> float:
        "Extra KPI per extra unit of total spend as the channel's plan grows (central difference)."
        dy = self.outcome({ch: 1 + h}, tail) - self.outcome({ch: 1 - h}, tail)
        return dy / (self.spend_at({ch: 1 + h}).sum() - self.spend_at({ch: 1 - h}).sum())

    def expected_total(self, tail:int=0) -> float: return self.outcome(None, tail)

    def table(self, tail:int=0) -> pd.DataFrame:
        "Per channel: contribution, direct, share (of expected KPI), spend, roi (the curve at m = 1 over the spend the plan moves, as the package defines it), mroi, curve_0.5, curve_1, curve_1.5, always_on."
        tot = self.outcome(None, tail)
        rows = {c: dict(contribution=self.contribution(c, tail), direct=self.direct(c, tail), spend=self.spend(c), mroi=self.mroi(c, tail=tail),
                        **{f'curve_{m:g}': self.curve(c, m, tail) for m in (0.5, 1., 1.5)}, always_on=c in self.always_on) for c in self.channels}
        df = pd.DataFrame(rows).T.rename_axis('channel')
        df = df.astype({k: float for k in df.columns if k != 'always_on'}).astype({'always_on': bool})
        df.insert(2, 'share', df.contribution / tot)
        df.insert(4, 'roi', df['curve_1'] / pd.Series({c: self.spend_change(c) for c in self.channels}))   # `roi`: planned activity's KPI over the spend it moves
        df.attrs.update(kpi=tot)
        return df

    def optimum(self, bounds=(0.5, 2.), tail:int=0, starts:int=4, seed:int=0) -> pd.Series:
        "Multipliers maximising `outcome` with total spend fixed at today's and each multiplier within bounds (`maximise_on_budget`)."
        s0 = float(self.spend_at().sum())
        a = np.array([self.spend_at({c: 2.}).sum() - s0 for c in self.channels])   # spend is linear in the multipliers
        m, f = maximise_on_budget(lambda m: self.outcome(m, tail), a, bounds, starts, seed)
        out = pd.Series(m, index=pd.Index(self.channels, name='channel'), name='multiplier')
        out.attrs.update(outcome=f, outcome_now=self.outcome(None, tail), spend=float(self.spend_at(m).sum()), spend_now=s0)
        return out

    def event_effects(self) -> dict:
        "Each event dummy's KPI over its (window) weeks attributable to it."
        return {k: float((self.event_coef[k][:, None] * self.events[k])[:, self.win].sum()) for k in self.events}

    def control_effects(self) -> dict:
        """Each continuous control's effect: KPI added over the window if it rose by one pooled within-geo std (training
        weeks) in every geo and week (the effect is linear: coefficient x std x weeks)."""
        out = {}
        for k, z in self.controls.items():
            zw = z[:, self.win]
            sd = np.sqrt(((zw - zw.mean(1, keepdims=True)) ** 2).mean())
            out[k] = float(self.control_coef[k].sum() * sd * self.n_train)
        return out

    def control_stds(self) -> dict:
        "Pooled within-geo std of each continuous control over the window (the unit of `control_effects`)."
        return {k: float(np.sqrt(((z[:, self.win] - z[:, self.win].mean(1, keepdims=True)) ** 2).mean())) for k, z in self.controls.items()}


def maximise_on_budget(outcome, # multipliers (C,) -> the outcome to maximise
                       a:np.ndarray, # (C,) spend per unit of each multiplier: a . m = sum(a) keeps today's total
                       bounds=(0.5, 2.), starts:int=4, seed:int=0) -> tuple:
    """(multipliers, outcome) at the best plan with today's total spend and each multiplier within bounds: projected gradient
    ascent in spend coordinates (numeric central-difference gradients), from today's plan and random feasible starts."""
    C = len(a)
    lo, hi = np.full(C, bounds[0], float), np.full(C, bounds[1], float)
    budget = a.sum()
    f = lambda z: outcome(z / a)
    def grad(z, h=1e-4):
        g = np.empty(C)
        for i in range(C):
            e = np.zeros(C); e[i] = h * a[i]
            g[i] = (f(z + e) - f(z - e)) / (2 * h * a[i])
        return g
    rng = np.random.default_rng(seed)
    best = None
    for s in range(starts):
        z0 = a * (np.ones(C) if s == 0 else rng.uniform(lo, hi))
        z = project_budget(z0, budget, a * lo, a * hi)
        fz, g = f(z), grad(z)
        eta = 0.05 * z.mean() / max(np.abs(g - g.mean()).max(), 1e-12)
        for it in range(400):
            zn = project_budget(z + eta * g, budget, a * lo, a * hi)
            if np.abs(zn - z).max() <= 1e-9 * z.mean(): break
            fn = f(zn)
            if fn > fz: z, fz, g, eta = zn, fn, grad(zn), eta * 1.5
            else: eta *= 0.4
        if best is None or fz > best[1]: best = (z / a, fz)
    return best


def project_budget(y:np.ndarray, total:float, lo:np.ndarray, hi:np.ndarray) -> np.ndarray:
    "Euclidean projection of y onto {sum z = total, lo <= z <= hi} (bisection on the common shift)."
    a, b = (y - hi).min(), (y - lo).max()
    for _ in range(200):
        mid = 0.5 * (a + b)
        if np.clip(y - mid, lo, hi).sum() > total: a = mid
        else: b = mid
    return np.clip(y - 0.5 * (a + b), lo, hi)


# ----------------------------------------------------------------------------- the world

@dataclasses.dataclass
class World:
    "One simulated data set: long frame, column roles, training weeks and the exact truth."
    variant: str
    world: str
    seed: int
    frame: pd.DataFrame
    cols: dict
    n_train: int
    truth: Truth
    info: dict

    def __repr__(self):
        return (f'World({self.variant!r}, {self.world!r}, seed={self.seed}): {self.frame.geo.nunique()} geos x {self.frame.week.nunique()} weeks, '
                f'channels {self.truth.channels}, n_train={self.n_train}')


def make(variant:str, world:str='earned', seed:int=0,
         saturation:str='geo', # what the curves saturate on: each geo's activity over its own mean ('geo'), or activity per unit of geo size with one national normaliser ('size': busier geos sit higher on the curve)
        ) -> World:
    "Build one (variant, world, seed): see `VARIANTS`; 'earned': the child's induced activity is free, 'paid': it is bought."
    if variant not in VARIANTS: raise ValueError(f'unknown variant {variant!r}: {list(VARIANTS)}')
    if world not in WORLDS: raise ValueError(f'world must be one of {WORLDS}, got {world!r}')
    G, T = _DIMS.get(variant, (48, 130))
    n = T - HOLDOUT
    names = _CHANNELS[variant]; C = len(names)
    r = streams(variant, world, seed, ['geo', 'base', 'plan', 'curve', 'share', 'cost', 'spill', 'events', 'controls', 'noise'])
    level = geo_levels(r['geo'], G)
    base = baseline(r['base'], variant, level, T)
    # planned activity: bigger geos buy more, with their own reach
    reach = (level / level.mean()) ** 0.9 * r['plan'].lognormal(0, 0.2, G) * 100.
    P = np.zeros((G, T, C))
    for c, name in enumerate(names):
        kind = _PATTERN[name]
        if kind == 'pulsed': P[..., c] = pulsed_plan(r['plan'], T, reach * r['plan'].uniform(0.5, 2), by_geo=(variant == 'co_scheduled' and name == 'radio'))
        elif kind == 'always_on': P[..., c] = always_on_plan(r['plan'], T, reach * r['plan'].uniform(0.5, 2))
        else: P[..., c] = follows_plan(r['plan'], P[..., names.index('radio')])
    # spillover tv -> search: free ('earned') or bought ('paid'); lag kernel peaks at 1-2 weeks, the child's carryover is short geometric
    p, k = names.index(PARENT), names.index(CHILD)
    spill = kernel('delayed', r['spill'].uniform(0.3, 0.6), int(r['spill'].integers(1, 3)))
    lam = r['spill'].uniform(0.2, 0.35) * P[:, :n, k].mean(1) / np.maximum(P[:, :n, p].mean(1), 1e-12)
    X = P.copy(); X[..., k] += lam[:, None] * adstock(P[..., p], spill)
    ref = X[:, :n].mean(1)                                       # fixed normaliser of activity (observed plan, training weeks)
    if saturation == 'size': ref = level[:, None] * ref.sum(0) / level.sum()   # per unit of geo size, one normaliser for the nation
    elif saturation != 'geo': raise ValueError(f"saturation must be 'geo' or 'size', got {saturation!r}")
    curves = {name: channel_curve(r['curve'], name) for name in names}
    cost = r['cost'].uniform(2, 20, C)[None, None] * r['cost'].lognormal(0, 0.15, (G, 1, C)) * r['cost'].lognormal(0, 0.04, (G, T, C))
    beta_geo = r['share'].lognormal(0, 0.1, (G, C))
    mult_base = variant == 'multiplicative'
    # events and controls (additive, in units of the geo's level)
    events, event_coef, controls, control_coef = {}, {}, {}, {}
    fixed = np.zeros((G, T))
    n_ev = 2 if variant == 'single_geo' else int(r['events'].integers(3, 6)) if variant == 'events_controls' else 0
    for i, wk in enumerate(event_weeks(r['events'], n_ev, n) if n_ev else []):
        d = np.zeros((G, T)); d[:, wk] = 1.
        e = r['events'].choice([-1, 1], p=[0.3, 0.7]) * r['events'].uniform(0.06, 0.15)
        events[f'event_{i + 1}'], event_coef[f'event_{i + 1}'] = d, e * level
        fixed += (e * level)[:, None] * d
    if variant == 'events_controls':
        price = price_series(r['controls'], G, T)
        controls['price'], control_coef['price'] = price, -0.8 * level          # a 10% price cut: +8% of the level
        fixed += control_coef['price'][:, None] * (price - 1.)
    # calibrate channel weights: direct share of expected training KPI hits its target
    shares = target_shares(r['share'], C)
    H = np.empty(C)
    for c, name in enumerate(names):
        cv = curves[name]
        h = beta_geo[:, None, c] * hill(adstock(X[..., c] / ref[:, None, c], cv['kernel']), cv['K'], cv['n'])
        H[c] = ((base if mult_base else level[:, None]) * h)[:, :n].sum()
    B = (base + fixed)[:, :n].sum()
    beta = beta_geo * (shares * B / (1 - shares.sum()) / H)[None]
    truth = Truth(names, n, world, P, cost, spill, lam, ref, beta, curves, base, level, mult_base, fixed,
                  events, event_coef, controls, control_coef, [c for c in names if _PATTERN[c] == 'always_on'])
    noise_sd = r['noise'].uniform(0.02, 0.05, G) * level
    eps = r['noise'].normal(0, 1, (G, T)) * noise_sd[:, None]
    info = dict(description=VARIANTS[variant], target_shares=dict(zip(names, shares.round(4).tolist())), noise_sd_rel=float((noise_sd / level).mean()))
    if variant == 'events_controls':   # competitor-sales index: market demand + its own AR(1) moves; its own moves sized so corr(KPI, index) within geo is closest to 0.9
        u = np.zeros((G, T)); e = np.zeros(G)
        for t in range(T): e = 0.85 * e + r['controls'].normal(0, 1, G); u[:, t] = e
        u /= u.std()
        demand = base / level[:, None] - 1
        gam = 0.3
        def corr(scale):
            comp = 100 * (1 + demand + scale * u)
            y = truth.kpi() + level[:, None] * gam * (comp / 100 - 1) + eps
            return np.mean([np.corrcoef(y[g, :n], comp[g, :n])[0, 1] for g in range(G)]), comp
        grid = np.linspace(0.02, 0.3, 29)                            # its own moves: 2-30% of the level (sd)
        rhos = [corr(s_)[0] for s_ in grid]
        rho, comp = corr(grid[int(np.argmin(np.abs(np.array(rhos) - 0.9)))])
        controls['competitor_index'], control_coef['competitor_index'] = comp, gam * level / 100
        truth.fixed = fixed = fixed + control_coef['competitor_index'][:, None] * (comp - 100)
        info['competitor_corr'] = float(rho)
    y = truth.kpi() + eps
    geos = [f'g{g:02d}' for g in range(G)]
    weeks = pd.date_range('2021-01-04', periods=T, freq='7D')
    df = pd.DataFrame({'geo': np.repeat(geos, T), 'week': np.tile(weeks, G), 'sales': y.ravel()})
    paid = world == 'paid'
    for c, name in enumerate(names):
        df[f'{name}_impressions'] = (X[..., c] * 1000.).ravel()
        S = cost[..., c] * (X[..., c] if (paid or c != k) else P[..., c])
        df[f'{name}_spend'] = S.ravel()
    for kname, z in {**controls, **events}.items(): df[kname] = z.ravel()
    cols = dict(geo='geo', time='week', target='sales', media=[f'{c}_impressions' for c in names], spend=[f'{c}_spend' for c in names],
                controls=list(controls) + list(events))
    info.update(events=list(events), controls=list(controls), always_on=truth.always_on, parent=PARENT, child=CHILD,
                induced_share_of_child=float((X[:, :n, k] - P[:, :n, k]).sum() / X[:, :n, k].sum()))
    return World(variant, world, seed, df, cols, n, truth, info)


if __name__ == '__main__':
    pd.set_option('display.width', 200)
    for v in VARIANTS:
        w = make(v, 'paid', 0)
        tab = w.truth.table()
        print(w, '\n', tab.round(3).to_string(), '\n', {k: round(x, 3) if isinstance(x, float) else x for k, x in w.info.items() if k != 'description'})
