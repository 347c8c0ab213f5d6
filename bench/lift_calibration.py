"""Lift-test calibration checks (issue 20): the response-analysis acceptance check with one lift test per channel.

    python bench/lift_calibration.py acceptance --seeds 0,1,2 --members 3 --tag after [--settings JSON]

Per seed: `simulate_panel(world=w, seed=seed)` for both worlds (they share impressions and KPI), one simulated go-dark
test per channel (`simulate_lift_tests`, half the geos, 8 weeks + 2 post), a calibrated main fit and an ensemble
(`fit_ensemble(jobs=1)`), scored with `compare_with_truth` in both worlds (ensemble of `--members` and the main fit alone).
Rows are appended to bench/results/lift_<tag>.csv as each seed finishes. One torch thread.

To score the package as committed while the working tree changes, put a clean export first on the path:
    git archive HEAD deepcausalmmm | tar -x -C /tmp/pkg && PYTHONPATH=/tmp/pkg python bench/lift_calibration.py ...
"""
from __future__ import annotations
import argparse, json, sys, time
from pathlib import Path
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path: sys.path.append(str(ROOT))


def acceptance(seeds, members, tag, settings):
    import torch
    torch.set_num_threads(1)
    import deepcausalmmm.analysis as A
    A._cores = lambda: 1
    from deepcausalmmm.data import simulate_panel, simulate_lift_tests
    from deepcausalmmm.train import DeepCausalMMM
    out = ROOT/'bench'/'results'/f'lift_{tag}.csv'
    for seed in seeds:
        sims = {w: simulate_panel(world=w, seed=seed) for w in ('earned', 'paid')}
        train, _ = sims['earned'].split()
        tests = simulate_lift_tests(sims['earned'], seed=seed)
        t0 = time.time(); main = DeepCausalMMM(progress=False, seed=seed, **settings).fit(train, lift_tests=tests); t_fit = time.time() - t0
        t0 = time.time(); ens = A.fit_ensemble(train, n=members, base=main, jobs=1); t_ens = time.time() - t0
        z = main.lift_tests_.z.to_numpy()
        ratio = (main.lift_tests_.fitted_lift / tests.true_lift).to_numpy()
        rows = []
        for w, s in sims.items():
            full = s.split()[1]
            opt = A.truth_optimum(s.truth)
            for who, e in (('ensemble', ens), ('main', A.Ensemble([main]))):
                met, _ = A.compare_with_truth(s.truth, e.channel_summary(full), e.response_curves(full), e.optimize_budget(full), opt)
                rows.append(dict(seed=seed, world=w, who=who, members=len(e), **met, z_abs_mean=np.abs(z).mean(), z_mean=z.mean(),
                                 fitted_over_true_median=np.median(ratio), fit_s=t_fit, ensemble_fit_s=t_ens,
                                 lift_noise_var=getattr(main, 'lift_noise_var_', np.nan)))
        df = pd.DataFrame(rows)
        df.to_csv(out, mode='a', header=not out.exists(), index=False)
        print(df[['seed', 'world', 'who', 'share_err_pp_mean', 'share_err_pp_max', 'roi_rel_err_median', 'curve_err_0_5', 'curve_err_1_5',
                  'budget_gain_share', 'coverage', 'z_abs_mean', 'fit_s', 'ensemble_fit_s']].round(3).to_string(), flush=True)


def summary(tag):
    df = pd.read_csv(ROOT/'bench'/'results'/f'lift_{tag}.csv')
    cols = ['share_err_pp_mean', 'share_err_pp_max', 'roi_rel_err_median', 'curve_err_0_5', 'curve_err_1_5', 'budget_gain_share', 'coverage', 'z_abs_mean']
    g = df.groupby(['who', 'world'])[cols]
    return (g.mean().round(3).astype(str) + ' ± ' + g.sem().round(3).astype(str)).T


if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('mode', choices=['acceptance', 'summary'])
    ap.add_argument('--seeds', default='0,1,2')
    ap.add_argument('--members', type=int, default=3)
    ap.add_argument('--tag', default='run')
    ap.add_argument('--settings', default='{}')
    a = ap.parse_args()
    if a.mode == 'acceptance': acceptance([int(s) for s in a.seeds.split(',')], a.members, a.tag, json.loads(a.settings))
    else: print(summary(a.tag).to_string())
