"""How the baseline's flexibility moves attribution error and forecast error (issue 18, item 2).

    python bench/flexibility.py [--variants always_on,drifting,pulsed] [--seed 0] [--tag NAME]

For each variant of the simulator family (`bench/family.py`, earned world) and each baseline flexibility (the
level's random-walk weight `level_smoothness`, knots every 2 weeks), fit the package with its defaults otherwise
and record the mean contribution-share error (pp of KPI, against the exact truth) and the holdout RMSE over the
best naive forecast. Writes bench/results/flexibility_<tag>.csv and .png (one picture: both errors against the
flexibility, one line per variant).
"""
from __future__ import annotations
import argparse, sys, time
from pathlib import Path
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path: sys.path.append(str(ROOT))
from bench.family import make

WEIGHTS = [1e-4, 1e-3, 1e-2, 1e-1, 1.]

def one(variant:str, seed:int, weight:float) -> dict:
    import torch
    torch.set_num_threads(1)
    import deepcausalmmm.analysis as A
    A._cores = lambda: 1
    from deepcausalmmm.data import Panel
    from deepcausalmmm.train import DeepCausalMMM, naive_forecasts, regression_metrics
    w = make(variant, 'earned', seed)
    panel = Panel.from_frame(w.frame, **w.cols)
    train, full = panel.split(13)
    t0 = time.time()
    m = DeepCausalMMM(progress=False, seed=seed, level_smoothness=weight).fit(train)
    s = A.channel_summary(m, train)
    tt = w.truth.table()
    kpi = tt.attrs['kpi']
    share_err = np.abs(s.contribution.to_numpy() - tt.contribution.to_numpy()) / kpi * 100
    mask = full.observed & (np.arange(full.n_times) >= full.n_train)[None]
    rmse = regression_metrics(full.target, m.predict(full), mask)['rmse']
    naive = min(regression_metrics(full.target, v, mask)['rmse'] for v in naive_forecasts(full).values())
    return dict(variant=variant, seed=seed, level_smoothness=weight, share_err_pp=share_err.mean(), worst_pp=share_err.max(),
                holdout_vs_naive=rmse / naive, seconds=time.time() - t0)

def plot(df:pd.DataFrame, path:Path):
    import matplotlib; matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, axs = plt.subplots(1, 2, figsize=(10, 3.4))
    for v, d in df.groupby('variant'):
        axs[0].plot(d.level_smoothness, d.share_err_pp, 'o-', label=v)
        axs[1].plot(d.level_smoothness, d.holdout_vs_naive, 'o-', label=v)
    for ax, t in zip(axs, ['attribution: mean share error (pp of KPI)', 'forecast: holdout RMSE / best naive']):
        ax.set_xscale('log'); ax.set_xlabel('level_smoothness (left: a flexible baseline, right: a stiff one)'); ax.set_title(t, fontsize=10)
    axs[0].legend(fontsize=8)
    fig.tight_layout(); fig.savefig(path, dpi=110)

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--variants', default='always_on,drifting,pulsed')
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--tag', default='default')
    a = ap.parse_args()
    rows = []
    for v in a.variants.split(','):
        for wt in WEIGHTS:
            rows.append(one(v, a.seed, wt)); r = rows[-1]
            print(f"{v:12s} level_smoothness={wt:g}: share err {r['share_err_pp']:.2f} pp (worst {r['worst_pp']:.2f}), holdout/naive {r['holdout_vs_naive']:.3f}, {r['seconds']:.0f} s", flush=True)
    df = pd.DataFrame(rows)
    out = ROOT / 'bench' / 'results'; out.mkdir(parents=True, exist_ok=True)
    df.to_csv(out / f'flexibility_{a.tag}.csv', index=False)
    plot(df, out / f'flexibility_{a.tag}.png')
    print(df.groupby('level_smoothness')[['share_err_pp', 'holdout_vs_naive']].mean().round(3).to_string())
