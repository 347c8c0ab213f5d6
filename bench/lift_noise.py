"""The noise variance that weighs lift tests (issue 20), against the simulator's true noise.

    python bench/lift_noise.py --seeds 0,1,2 --noise 0.03,0.01,0.003 [--tag NAME]

Per seed and noise level (`simulate_panel(seed=s, noise=v)`): the true noise variance of the scaled target (the
simulator's Gaussian noise / each geo's training mean KPI, squared, averaged over the training cells with the fit's
geo weights; the outlier spikes are not noise) and the estimates:
  diff_mad     the former estimator: (1.4826 MAD of week-to-week changes of the scaled target)² / 2 (no fit)
  resid_ms     mean square of a default fit's residuals (geo-weighted)
  resid_mad    (1.4826 MAD of the fit's residuals)²: robust, but it counts the model's misfit as noise
  resid_d2     (1.4826 MAD of the residuals' second differences)² / 6: the model's slow misfit drops out (`_noise_var`)
  fit_noise    the value the calibrated fit ends with (`lift_noise_var_`, one lift test per channel)
(bench/results/lift_noise_candidate_resid_mad.csv: a run when the training loop used resid_mad; its fit_noise is that.)
Rows go to bench/results/lift_noise_<tag>.csv.
"""
from __future__ import annotations
import argparse, sys
from pathlib import Path
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path: sys.path.append(str(ROOT))


def mad2(a): return float((1.4826 * np.median(np.abs(a - np.median(a)))) ** 2)


def main(seeds, noises, tag):
    import torch
    torch.set_num_threads(1)
    from deepcausalmmm.data import simulate_panel, simulate_lift_tests
    from deepcausalmmm.train import DeepCausalMMM
    rows = []
    for v in noises:
        for s in seeds:
            sim = simulate_panel(seed=s, noise=v)
            train, _ = sim.split()
            m = DeepCausalMMM(progress=False, seed=s).fit(train)
            n, ref = train.n_train, m.scaler_.target_ref_
            w = ref / ref.mean()                                   # the fit's geo weights (geo_weight=1)
            obs = train.observed[:, :n]
            W = (w[:, None] * obs)
            true = float(((sim.truth.noise[:, :n] / ref[:, None]) ** 2 * W).sum() / W.sum())
            y = train.target[:, :n] / ref[:, None]
            d = np.diff(y, axis=1)[obs[:, 1:] & obs[:, :-1]]
            r = (m.predict(train)[:, :n] - train.target[:, :n]) / ref[:, None]
            row = dict(seed=s, noise=v, true=true, diff_mad=mad2(d) / 2, resid_ms=float((r ** 2 * W).sum() / W.sum()), resid_mad=mad2(r[obs]))
            d2 = (r[:, 2:] - 2 * r[:, 1:-1] + r[:, :-2])[obs[:, 2:] & obs[:, 1:-1] & obs[:, :-2]]
            row['resid_d2'] = mad2(d2) / 6
            cal = DeepCausalMMM(progress=False, seed=s).fit(train, lift_tests=simulate_lift_tests(sim, seed=s))
            row['fit_noise'] = getattr(cal, 'lift_noise_var_', np.nan)
            for k in ('diff_mad', 'resid_ms', 'resid_mad', 'resid_d2', 'fit_noise'): row[f'{k}/true'] = row[k] / true
            rows.append(row); print(pd.DataFrame([row]).round(4).to_string(), flush=True)
    df = pd.DataFrame(rows)
    df.to_csv(ROOT/'bench'/'results'/f'lift_noise_{tag}.csv', index=False)
    print(df.groupby('noise')[[c for c in df if c.endswith('/true')]].agg(['min', 'max']).round(2).to_string())


if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--seeds', default='0,1,2')
    ap.add_argument('--noise', default='0.03,0.01,0.003')
    ap.add_argument('--tag', default='run')
    a = ap.parse_args()
    main([int(s) for s in a.seeds.split(',')], [float(v) for v in a.noise.split(',')], a.tag)
