"""Panels the package was not built around (issue 18): three data-generating processes written apart from
`bench/family.py` and from the package's own simulator, with other curve families, other carryover shapes and other
ways of making a panel. The package's defaults are fitted as a user would fit them (no settings, no lift tests) and
scored against each panel's exact, noise-free truth.

    python bench/foreign.py [--dgps one_geo,per_capita,log_log] [--seeds 0,1,2] [--heldout 10] [--draws 20] [--ensemble 3] [--jobs 2] [--tag NAME]

The processes (seeds fixed before any run; nothing in the package was changed after seeing them):
- `one_geo`: one region, 156 weeks. TV in flights, search always on and planned with demand (its budget follows the
  season, so season and search move together), social in bursts. Saturation logistic in the adstocked activity over
  its maximum, concave from zero: (1 - e^(-lam x)) / (1 + e^(-lam x)). Carryover geometric over 10 weeks, not
  normalised (a channel's effect builds up). Linear trend, yearly season, two one-week events given as 0/1 controls.
- `per_capita`: 40 geos of very different size (population lognormal, sd 1), 117 weeks. Activity is bought per
  head with a national plan and geo noise; each channel's Hill curve reads activity per head, so geos that buy more
  per head sit higher on it. Carryover: a peak after a delay (TV) or geometric. Baseline per head: a geo intercept,
  a smooth national path (a random walk of its own) and the season; a price control per geo. KPI = per-head x population.
- `log_log`: 20 geos, 130 weeks, a multiplicative econometric model: log KPI = log baseline + sum_c beta_c
  log(1 + adstock_c / s_c) + noise, with Weibull-shaped carryover kernels. Contributions are not additive: each
  channel's truth is the KPI lost when it alone is removed (the package's own definition).

Each channel's truth: the KPI over the training weeks and an 8-week tail, as planned minus with the channel's
activity set to zero in the training weeks. Scored: share error (pp of the KPI, mean and worst channel), the median
relative error of ROI, each channel's relative contribution error, whether the 80% interval of `laplace_ensemble`
holds the truth, the holdout RMSE (13 weeks) against the best naive forecast, the events' recovery in `one_geo`, and
the budget: the model's optimum at today's total spend (multipliers 0.5-2, `optimize_budget(step=1)`), the plan at
`STEPS` of the way there, each scored as the share of the true attainable gain it realises (the truth's optimum by
projected gradient ascent on the same constraint; runs whose attainable gain is under 0.5% of the KPI left out); with `--ensemble N`, also the plan `dcmmm_fit` recommends
(an N-member ensemble, each channel moved as far as the members agree), and as `budget_draws` the same rule on the job's
Laplace draws (tag `s28bud` stored it as `budget_job`).
Rows go to bench/results/foreign_<tag>.csv and foreign_<tag>_channels.csv; acceptance and held-out seeds print apart.
"""
from __future__ import annotations
import argparse, sys, time, traceback, warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path: sys.path.append(str(ROOT))
HOLDOUT, TAIL = 13, 8
STEPS = (0.5, 0.75, 0.9, 1.0)   # how far the budget moves towards the model's optimum (the package's default: 0.75)
MIN_GAIN = 0.005                 # budgets scored only where the true attainable gain is at least 0.5% of the KPI
DGPS = ['one_geo', 'per_capita', 'log_log']


def carry(x:np.ndarray, w:np.ndarray) -> np.ndarray:
    "Causal carryover of x (..., T) with kernel w (lags 0..L-1)."
    out = np.zeros_like(x)
    for l, wl in enumerate(w): out[..., l:] += wl * x[..., :x.shape[-1] - l]
    return out


def weibull_kernel(shape:float, scale:float, L:int=10) -> np.ndarray:
    "A Weibull-density carryover over lags 0..L-1 (peak after a delay when shape > 1), summing to 1."
    l = np.arange(L) + 0.5
    w = (shape / scale) * (l / scale) ** (shape - 1) * np.exp(-(l / scale) ** shape)
    return w / w.sum()


class Sim:
    "A panel's activity (G, T, C), spend, and a KPI function of activity: the truth is that function."
    def __init__(self, name, channels, X, cost, kpi_fn, frame_extra, n_train, always_on, events=None):
        self.name, self.channels, self.X, self.cost, self.kpi_fn = name, channels, X, cost, kpi_fn
        self.extra, self.n_train, self.always_on, self.events = frame_extra, n_train, always_on, events or {}

    def contribution(self, c:int) -> float:
        "KPI over the training weeks and the tail lost when channel c's activity is zero in the training weeks."
        X0 = self.X.copy(); X0[:, :self.n_train, c] = 0.
        return float((self.kpi_fn(self.X) - self.kpi_fn(X0))[:, :self.n_train + TAIL].sum())

    def outcome(self, m) -> float:
        "KPI over the training weeks and the tail with each channel's activity in the training weeks times m (C,)."
        Xm = self.X.copy(); Xm[:, :self.n_train] *= np.asarray(m, dtype=float)
        return float(self.kpi_fn(Xm)[:, :self.n_train + TAIL].sum())

    def optimum(self, bounds=(0.5, 2.), starts:int=4) -> tuple:
        "The best plan at today's total spend with every multiplier within bounds, and its outcome (`bench.family.maximise_on_budget`)."
        from bench.family import maximise_on_budget
        return maximise_on_budget(self.outcome, (self.X * self.cost)[:, :self.n_train].sum((0, 1)), bounds, starts)

    def table(self) -> pd.DataFrame:
        kpi = float(self.kpi_fn(self.X)[:, :self.n_train + TAIL].sum())
        spend = (self.X * self.cost)[:, :self.n_train].sum((0, 1))
        rows = [dict(channel=ch, contribution=self.contribution(c), spend=spend[c], always_on=ch in self.always_on) for c, ch in enumerate(self.channels)]
        t = pd.DataFrame(rows).set_index('channel'); t['roi'] = t.contribution / t.spend; t['share'] = t.contribution / kpi
        t.attrs['kpi'] = kpi
        return t


def _calibrate(terms:np.ndarray, base_total:float, shares:np.ndarray, n:int) -> np.ndarray:
    "Weights making each channel's term (G, T, C) over the training weeks `shares` of the KPI (additive)."
    H = terms[:, :n].sum((0, 1))
    return shares * base_total / (1 - shares.sum()) / H


def one_geo(seed:int) -> Sim:
    r = np.random.default_rng([seed, 101])
    T, n = 156, 156 - HOLDOUT
    t = np.arange(T); season = np.sin(2 * np.pi * t / 52.18 + r.uniform(0, 6.28))
    demand = 1 + 0.25 * season
    tv = np.zeros(T)
    for start in np.sort(r.choice(np.arange(0, T - 8, 9), 8, replace=False)):
        tv[start:start + r.integers(3, 7)] = r.uniform(50, 150)
    search = np.clip(40 * demand * np.exp(r.normal(0, 0.15, T)), 5, None)            # always on, planned with demand
    social = np.where(r.random(T) < 0.35, r.lognormal(3, 0.5, T), 0.)
    X = np.stack([tv, search, social], -1)[None]                                     # (1, T, 3)
    decay = np.array([r.uniform(0.5, 0.75), r.uniform(0.1, 0.4), r.uniform(0.2, 0.5)])
    lam = r.uniform(1.0, 4.0, 3)
    peak = X[0, :n].max(0)
    def terms(X):
        A = np.stack([carry(X[..., c], decay[c] ** np.arange(10)) for c in range(3)], -1) / peak
        return (1 - np.exp(-lam * A)) / (1 + np.exp(-lam * A))
    base = 1000 + 0.8 * t + 150 * season
    ev_weeks = np.sort(r.choice(np.arange(10, n - 10), 2, replace=False))
    ev_eff = r.choice([-1, 1], 2, p=[0.3, 0.7]) * r.uniform(100, 200, 2)
    E = np.zeros((2, T)); E[[0, 1], ev_weeks] = 1.
    fixed = (base + ev_eff @ E)[None]
    beta = _calibrate(terms(X), fixed[:, :n].sum(), r.uniform(0.05, 0.15, 3), n)
    kpi_fn = lambda X: fixed + terms(X) @ beta
    noise = r.normal(0, 0.04 * 1000, (1, T))
    cost = np.array([20., 2.5, 5.])[None, None]
    events = {f'event_{i + 1}': (E[i][None], float(ev_eff[i])) for i in range(2)}
    return Sim('one_geo', ['tv', 'search', 'social'], X, cost, kpi_fn, dict(noise=noise, controls={k: v[0] for k, v in events.items()}),
               n, ['search'], events)


def per_capita(seed:int) -> Sim:
    r = np.random.default_rng([seed, 202])
    G, T = 40, 117; n = T - HOLDOUT
    pop = np.exp(r.normal(0, 1, G)) * 1e5
    t = np.arange(T); season = np.sin(2 * np.pi * t / 52.18 + r.uniform(0, 6.28))
    nat = np.cumsum(r.normal(0, 0.01, T)); nat = np.convolve(nat, np.ones(5) / 5, 'same')
    C = 4; names = ['tv', 'radio', 'search', 'display']
    X = np.zeros((G, T, C))
    for c in (0, 1):                                                                  # flights, national, geo intensity varies
        on = np.zeros(T)
        for s0 in r.choice(np.arange(0, T - 6, 7), 7, replace=False): on[s0:s0 + r.integers(2, 6)] = 1
        X[..., c] = on[None] * np.exp(r.normal(0, 0.4, (G, 1))) * np.exp(r.normal(0, 0.1, (G, T))) * r.uniform(2, 5)
    for c in (2, 3):                                                                  # always on, planned with the season
        X[..., c] = (1 + 0.2 * season)[None] * np.exp(r.normal(0, 0.35, (G, 1))) * np.exp(r.normal(0, 0.2, (G, T))) * r.uniform(1, 3)
    kern = [weibull_kernel(r.uniform(2, 3), r.uniform(2, 4)), r.uniform(0.3, 0.6) ** np.arange(8), r.uniform(0.0, 0.3) ** np.arange(8), r.uniform(0.3, 0.6) ** np.arange(8)]
    per_head = X                                                                      # activity per head (the panel shows totals)
    A0 = np.stack([carry(per_head[..., c], kern[c]) for c in range(C)], -1)
    ec = np.median(A0[:, :n].reshape(-1, C), 0) * r.uniform(0.6, 1.6, C)
    slope = r.uniform(0.8, 2.5, C)
    def terms(Xh):
        A = np.stack([carry(Xh[..., c], kern[c]) for c in range(C)], -1)
        return A ** slope / (A ** slope + ec ** slope)
    icpt = r.uniform(8, 12, G)
    base_ph = icpt[:, None] * (1 + 0.15 * season[None] + nat[None])
    price = 1 + 0.05 * np.sin(2 * np.pi * t / r.uniform(10, 30))[None] + r.normal(0, 0.02, (G, T))
    fixed_ph = base_ph - 6. * (price - 1)
    beta = _calibrate(terms(per_head) * pop[:, None, None], (fixed_ph * pop[:, None])[:, :n].sum(), r.uniform(0.04, 0.12, C), n)
    kpi_fn = lambda Xt: (fixed_ph + terms(Xt / pop[:, None, None]) @ beta) * pop[:, None]
    noise = r.normal(0, 0.03, (G, T)) * base_ph * pop[:, None]
    cost = np.array([30., 12., 1.5, 4.])[None, None] * np.exp(r.normal(0, 0.1, (G, 1, C)))
    return Sim('per_capita', names, X * pop[:, None, None], cost, kpi_fn, dict(noise=noise, controls={'price': price}), n, ['search', 'display'])


def log_log(seed:int) -> Sim:
    r = np.random.default_rng([seed, 303])
    G, T = 20, 130; n = T - HOLDOUT
    t = np.arange(T); season = np.sin(2 * np.pi * t / 52.18 + r.uniform(0, 6.28))
    lvl = np.exp(r.normal(8, 0.5, G))
    base = lvl[:, None] * np.exp(0.12 * season[None] + 0.002 * t[None] + np.cumsum(r.normal(0, 0.01, (G, T)), 1))
    C = 4; names = ['tv', 'video', 'search', 'social']
    X = np.zeros((G, T, C))
    for c in (0, 1):
        on = np.zeros(T)
        for s0 in r.choice(np.arange(0, T - 6, 8), 6, replace=False): on[s0:s0 + r.integers(3, 7)] = 1
        X[..., c] = on[None] * lvl[:, None] / 1000 * np.exp(r.normal(0, 0.3, (G, T))) * r.uniform(5, 10)
    for c in (2, 3):
        X[..., c] = lvl[:, None] / 1000 * (1 + 0.3 * season)[None] * np.exp(r.normal(0, 0.25, (G, T))) * r.uniform(2, 6)
    kern = [weibull_kernel(r.uniform(1.5, 2.5), r.uniform(2, 4)), weibull_kernel(r.uniform(1.0, 1.5), r.uniform(1, 3)),
            weibull_kernel(0.8, 1.0), weibull_kernel(1.0, r.uniform(1, 2))]
    s = np.stack([X[:, :n, c].mean(1) for c in range(C)], -1)                          # each geo's own scale (G, C)
    beta = r.uniform(0.04, 0.10, C)
    def kpi_fn(Xt):
        A = np.stack([carry(Xt[..., c], kern[c]) for c in range(C)], -1)
        return base * np.exp((np.log1p(A / s[:, None]) * beta).sum(-1))
    noise = r.normal(0, 0.03, (G, T)) * base
    cost = np.array([25., 15., 2., 3.])[None, None]
    return Sim('log_log', names, X, cost, kpi_fn, dict(noise=noise, controls={}), n, ['search', 'social'])


def frame(sim:Sim) -> tuple:
    "The panel a user would hand over: geo, week, KPI (with noise), impressions and spend per channel, controls."
    G, T, C = sim.X.shape
    y = sim.kpi_fn(sim.X) + sim.extra['noise']
    df = pd.DataFrame({'geo': np.repeat([f'g{g:02d}' for g in range(G)], T), 'week': np.tile(pd.date_range('2022-01-03', periods=T, freq='7D'), G),
                       'kpi': y.ravel()})
    for c, ch in enumerate(sim.channels):
        df[f'{ch}_impressions'] = sim.X[..., c].ravel(); df[f'{ch}_spend'] = (sim.X[..., c] * sim.cost[..., c]).ravel()
    for k, z in sim.extra['controls'].items(): df[k] = np.broadcast_to(z, (G, T)).ravel()
    cols = dict(geo='geo', time='week', target='kpi', media=[f'{c}_impressions' for c in sim.channels], spend=[f'{c}_spend' for c in sim.channels],
                controls=list(sim.extra['controls']))
    return df, cols


def run_one(dgp:str, seed:int, split:str, draws:int, ensemble:int=0):
    import torch; torch.set_num_threads(1); warnings.filterwarnings('ignore')
    from deepcausalmmm.data import Panel
    from deepcausalmmm.train import DeepCausalMMM, naive_forecasts, regression_metrics
    from deepcausalmmm.analysis import channel_summary
    row = dict(dgp=dgp, seed=seed, split=split); chrows = []
    try:
        sim = globals()[dgp](seed); truth = sim.table()
        df, cols = frame(sim)
        train, full = Panel.from_frame(df, **cols).split(HOLDOUT)
        t0 = time.time(); mmm = DeepCausalMMM(progress=False, seed=seed).fit(train); row['fit_seconds'] = time.time() - t0
        name = dict(zip(train.channels, sim.channels))
        summ = channel_summary(mmm, train).rename(index=name)
        kpi = truth.attrs['kpi']
        ens = None
        if draws:
            from deepcausalmmm.identify import laplace_ensemble
            ens = laplace_ensemble(mmm, train, draws=draws, level=0.8, seed=seed).channel_summary(train).rename(index=name)
        for ch in sim.channels:
            t, s = truth.loc[ch], summ.loc[ch]
            d = dict(dgp=dgp, seed=seed, split=split, channel=ch, always_on=bool(t.always_on), true_share=t.share,
                     share_err_pp=100 * (s.contribution - t.contribution) / kpi, contribution_rel_err=s.contribution / t.contribution - 1,
                     roi=s.roi, true_roi=t.roi, roi_rel_err=s.roi / t.roi - 1)
            if ens is not None: d['in_interval'] = bool(ens.loc[ch, 'contribution_lo'] <= t.contribution <= ens.loc[ch, 'contribution_hi'])
            chrows.append(d)
        cd = pd.DataFrame(chrows)
        row.update(share_err_pp_mean=cd.share_err_pp.abs().mean(), share_err_pp_max=cd.share_err_pp.abs().max(),
                   roi_rel_err_median=cd.roi_rel_err.abs().median(), always_on_rel_err_max=cd[cd.always_on].contribution_rel_err.abs().max(),
                   coverage=cd.in_interval.mean() if 'in_interval' in cd else np.nan,
                   true_media_share=truth.share.sum(), est_media_share=summ.contribution.sum() / kpi,
                   edges=' '.join(f'{sim.channels[i]}->{sim.channels[j]}' for i, j in zip(*np.nonzero(np.asarray(getattr(mmm, 'dag_earned_', np.zeros((1, 1))))))))
        if sim.events:
            P0 = mmm.predict(train)
            for k, (d01, eff) in sim.events.items():
                j = list(train.control_names).index(k); Z = train.controls.copy(); on = Z[..., j] != 0; Z[..., j] = 0.
                import dataclasses
                est = float(((P0 - mmm.predict(dataclasses.replace(train, controls=Z))) * on).sum())
                row[f'{k}_recovered'] = est / (eff * on.sum())
        # budget: the model's optimum (step 1) at today's total, then the plan at each step towards it, scored on the truth
        from deepcausalmmm.budget import optimize_budget
        bud = optimize_budget(mmm, train, bounds=(0.5, 2.), step=1.)
        m_full = bud.table.rename(index=name).multiplier.reindex(sim.channels).to_numpy()
        m_best, best = sim.optimum(); now = sim.outcome(np.ones(len(sim.channels)))
        row['budget_true_gain_pct'] = 100 * (best - now) / now
        score = lambda m: (sim.outcome(m) - now) / (best - now) if best - now > MIN_GAIN * now else np.nan
        for lam in STEPS: row[f'budget_step_{lam:g}'] = score(1 + lam * (m_full - 1))
        if ensemble > 1:   # what `dcmmm_fit` recommends: each channel moved as far as the ensemble's members agree
            from deepcausalmmm.ensemble import fit_ensemble
            ens = fit_ensemble(train, n=ensemble, seed=seed, base=mmm, jobs=1)
            plan = ens.optimize_budget(train, bounds=(0.5, 2.))
            row['budget_agreement'] = score(pd.Series(plan.multipliers, index=train.channels).rename(index=name).reindex(sim.channels).to_numpy())
            from deepcausalmmm.job import interval_ensemble   # for comparison: the same rule on the job's Laplace draws (where its intervals are draws)
            draws = interval_ensemble(mmm, train, ensemble, jobs=1)
            if draws.draws: row['budget_draws'] = score(pd.Series(draws.optimize_budget(train, bounds=(0.5, 2.)).multipliers, index=train.channels).rename(index=name).reindex(sim.channels).to_numpy())
        P = mmm.predict(full); mask = full.observed & (np.arange(full.n_times) >= full.n_train)[None]
        r_model = regression_metrics(full.target, P, mask)['rmse']
        naive = {k: regression_metrics(full.target, v, mask)['rmse'] for k, v in naive_forecasts(full).items()}
        row.update(holdout_rmse_vs_naive=r_model / min(naive.values()), status='ok')
    except Exception as e:
        row.update(status='error', error=f'{type(e).__name__}: {e}', traceback=traceback.format_exc()[-1500:])
    return row, chrows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--dgps', default=','.join(DGPS)); ap.add_argument('--seeds', default='0,1,2'); ap.add_argument('--heldout', default='10')
    ap.add_argument('--draws', type=int, default=20); ap.add_argument('--jobs', type=int, default=2); ap.add_argument('--ensemble', type=int, default=0, help="members of an ensemble whose agreement rule (dcmmm_fit's budget) is scored too (0: none)"); ap.add_argument('--tag', default='now')
    a = ap.parse_args(argv)
    jobs = [(d, s, 'acceptance', a.draws, a.ensemble) for d in a.dgps.split(',') for s in map(int, a.seeds.split(','))]
    jobs += [(d, s, 'heldout', a.draws, a.ensemble) for d in a.dgps.split(',') for s in map(int, filter(None, a.heldout.split(',')))]
    t0 = time.time()
    with ProcessPoolExecutor(a.jobs) as ex: out = list(ex.map(run_one, *zip(*jobs)))
    runs = pd.DataFrame([o[0] for o in out]); chans = pd.DataFrame([c for o in out for c in o[1]])
    res = ROOT / 'bench' / 'results'; res.mkdir(exist_ok=True)
    runs.to_csv(res / f'foreign_{a.tag}.csv', index=False); chans.to_csv(res / f'foreign_{a.tag}_channels.csv', index=False)
    pd.set_option('display.width', 220); pd.set_option('display.max_columns', 30)
    if (runs.status != 'ok').any(): print(runs[runs.status != 'ok'][['dgp', 'seed', 'error', 'traceback']].to_string())
    keep = [c for c in ['dgp', 'seed', 'share_err_pp_mean', 'share_err_pp_max', 'roi_rel_err_median', 'always_on_rel_err_max', 'coverage',
                        'true_media_share', 'est_media_share', 'holdout_rmse_vs_naive', 'event_1_recovered', 'event_2_recovered', 'budget_true_gain_pct'] + [f'budget_step_{l:g}' for l in STEPS] + ['fit_seconds', 'edges'] if c in runs]
    for split in ('acceptance', 'heldout'):
        r = runs[runs.split == split]
        if len(r): print(f'\n== {split} seeds\n' + r[keep].round(3).to_string(index=False))
        c = chans[chans.split == split] if len(chans) else chans
        if len(c): print(c.pivot_table(index=['dgp', 'channel'], values=['true_share', 'share_err_pp', 'contribution_rel_err', 'roi_rel_err'] + (['in_interval'] if 'in_interval' in c else []), aggfunc='mean').round(3).to_string())
    b = [f'budget_step_{l:g}' for l in STEPS] + [c for c in ('budget_agreement', 'budget_draws') if c in runs]
    if set(b) <= set(runs): print('\nbudget, share of the true attainable gain by step (mean, min):\n' + runs.groupby('split')[b].agg(['mean', 'min']).round(3).to_string())
    print(f'\n{time.time() - t0:.0f} s')


if __name__ == '__main__': main()
