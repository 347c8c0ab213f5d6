"""How much the family's panels decide when the curves are known (issue 18): an oracle regression.

    python bench/oracle.py [--variants pulsed,small] [--seeds 0,1,2]

For each (variant, seed) of `bench/family.py` (earned world; the worlds share their KPI): the KPI divided by each
geo's level regressed on geo intercepts, a national linear trend, two yearly harmonics (the family's own baseline
class for these variants), the event dummies and controls, and each channel's *true* media term (its true carryover and Hill curve applied to the
observed activity). Prints each channel's fitted weight over its true weight and the share error (pp of KPI) that
this error alone makes, mean and worst channel, and the worst event's fitted / true effect; then each weight's OLS
standard error over its true weight (session 22: in one geo, the always-on search's is 0.16-0.68), and
`noise_floor_pp_mean`: the mean share error (pp) that noise alone makes, sqrt(2/pi) x se x the channel's true share,
which no estimator without priors beats on average even knowing the curves and the baseline class. Weights near 1 say the panel carries
the information once the shape of the curves is known; the package's remaining error on the same channels then
comes from what the panel does not show (the curve below an always-on channel's floor) and from a baseline more
flexible than the simulator's. Variants with drifting baselines are left out (their baseline is not in this class).
"""
import argparse, sys
from pathlib import Path
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path: sys.path.append(str(ROOT))
from bench.family import make, adstock, hill, WEEKS_PER_YEAR

def true_terms(w) -> np.ndarray:
    "Each channel's true media term before its weight, (G, n_train, C): its true carryover and Hill curve applied to the observed activity."
    tr, n = w.truth, w.n_train
    G, T, C = tr.planned.shape
    X = np.stack([w.frame[f'{c}_impressions'].to_numpy().reshape(G, T) / 1000 for c in tr.channels], -1)
    return np.stack([hill(adstock(X[..., c] / tr.ref[:, None, c], tr.curves[nm]['kernel']), tr.curves[nm]['K'], tr.curves[nm]['n'])[:, :n]
                     for c, nm in enumerate(tr.channels)], -1)

def national_design(n:int) -> np.ndarray:
    "(n, 5): a national linear trend and two yearly harmonics, the family's own baseline class for these variants."
    yr = np.arange(n) / WEEKS_PER_YEAR
    return np.stack([np.arange(n) / n] + [f(2 * np.pi * k * yr) for k in (1, 2) for f in (np.sin, np.cos)], 1)

def oracle(variant:str, seed:int) -> pd.Series:
    "Fitted / true weight of each channel with the true media terms and the true baseline class."
    w = make(variant, 'earned', seed); tr, n = w.truth, w.n_train
    G, T, C = tr.planned.shape
    y = w.frame.sales.to_numpy().reshape(G, T)[:, :n] / tr.level[:, None]
    H, nat = true_terms(w), national_design(n)
    Z = [z[:, :n].reshape(-1, 1) for z in list(tr.events.values()) + list(tr.controls.values())]   # events and controls enter y / level linearly
    D = np.concatenate([np.kron(np.eye(G), np.ones((n, 1))), np.tile(nat, (G, 1))] + Z + [H.reshape(G * n, C)], 1)
    coef = np.linalg.lstsq(D, y.ravel(), rcond=None)[0]
    b, r = coef[-C:], coef[-C:] / tr.beta.mean(0)
    res = y.ravel() - D @ coef                                                                         # the weights' OLS standard errors, over the true weight
    se = np.sqrt(np.diag(np.linalg.pinv(D.T @ D))[-C:] * (res @ res) / max(len(res) - D.shape[1], 1)) / tr.beta.mean(0)
    ev = np.array([coef[G + nat.shape[1] + i] / (tr.event_coef[k].mean() / tr.level.mean()) for i, k in enumerate(tr.events)])   # each event's fitted / true effect
    share = (tr.level[:, None, None] * tr.beta[:, None, :] * H).sum((0, 1)) / tr.kpi()[:, :n].sum()   # each channel's true media term, share of the KPI
    err = np.abs(r - 1) * share * 100                                                                  # the oracle's share error (pp), as a common weight moves it
    floor = np.sqrt(2 / np.pi) * se * share * 100                                                      # its expected size from the noise alone: E|N(0, se)| x share
    return pd.Series([*r, *se, err.mean(), err.max(), floor.mean(), ev.min() if len(ev) else np.nan],
                     index=tr.channels + [f'{c} se' for c in tr.channels] + ['share_err_pp_mean', 'share_err_pp_max', 'noise_floor_pp_mean', 'event_recovered_min'])

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--variants', default='pulsed,small')
    ap.add_argument('--seeds', default='0,1,2')
    a = ap.parse_args(argv)
    rows = {(v, s): oracle(v, s) for v in a.variants.split(',') for s in map(int, a.seeds.split(','))}
    tab = pd.DataFrame(rows).T.rename_axis(['variant', 'seed'])
    err = ['share_err_pp_mean', 'share_err_pp_max', 'noise_floor_pp_mean', 'event_recovered_min']
    tab = tab[[c for c in tab.columns if c not in err] + err]
    se = [c for c in tab.columns if c.endswith(' se')]
    print('fitted / true weight, true curves and baseline class known:\n', tab[[c for c in tab.columns if c not in se]].round(2).to_string())
    print('\nstandard error of each fitted / true weight (OLS, iid noise): how much the panel alone decides each channel:\n', tab[se].round(3).to_string())
    print('\nmean over seeds:\n', tab.groupby(level=0)[err].mean().round(2).to_string())

if __name__ == '__main__': main()
