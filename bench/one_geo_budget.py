"""Which budget rule for one region, where intervals come from the Laplace approximation? (issues 18 and 20, session 24)

    python bench/one_geo_budget.py [--seeds 0,1,2,10] [--jobs 2]

With one geo a bootstrap of geos has nothing to resample, so `dcmmm_fit` takes its intervals from draws of the Laplace
approximation (`laplace_ensemble`). Its budget then needs a rule for those draws. Per panel (`bench/foreign.py`'s
`one_geo` and `bench/family.py`'s `single_geo`, earned world), the default fit and five plans, each scored as the share
of the true attainable gain at today's total spend (multipliers 0.5-2):
- `step 0.75`, `step 1`: the main fit's plan, ¾ of the way to its optimum and the optimum itself;
- `seeds, agreement`: two refits that differ by seed only (what the job did before), each channel moved as far as the
  three agree (t on the standard error of their mean);
- `draws, agreement on sd`: 30 Laplace draws, a move counts where the draws put its sign beyond doubt (z = mean / sd);
- `draws, agreement on se`: the same draws read as refits (z from mean / (sd / sqrt(K))): in effect their mean optimum.
"""
import argparse, sys, warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path: sys.path.append(str(ROOT))

def run(src, seed):
    import torch; torch.set_num_threads(1); warnings.filterwarnings('ignore')
    from deepcausalmmm.data import Panel
    from deepcausalmmm.train import DeepCausalMMM
    from deepcausalmmm.ensemble import fit_ensemble, Ensemble
    from deepcausalmmm.identify import laplace_ensemble
    if src == 'one_geo':
        from bench.foreign import one_geo, frame, HOLDOUT
        sim = one_geo(seed); df, cols = frame(sim); chans = sim.channels
        best = sim.optimum()[1]; now = sim.outcome(np.ones(len(chans))); outcome = sim.outcome
    else:
        from bench.family import make, HOLDOUT
        w = make('single_geo', 'earned', seed); tr = w.truth; df, cols = w.frame, w.cols; chans = tr.channels
        opt = tr.optimum((0.5, 2.)); best, now = opt.attrs['outcome'], opt.attrs['outcome_now']; outcome = lambda m: tr.outcome(m)
    train, _ = Panel.from_frame(df, **cols).split(HOLDOUT)
    mmm = DeepCausalMMM(progress=False, seed=seed).fit(train)
    share = lambda m: (outcome(np.asarray(m, float)) - now) / (best - now)
    row = dict(panel=src, seed=seed, gain_pct=100 * (best - now) / now)
    full = mmm.optimize_budget(train, step=1.).multipliers
    row['step 0.75'], row['step 1'] = share(1 + 0.75 * (full - 1)), share(full)
    row['seeds, agreement'] = share(fit_ensemble(train, n=3, seed=seed, base=mmm, jobs=1).optimize_budget(train).multipliers)
    lap = laplace_ensemble(mmm, train, draws=30, level=0.9, seed=seed)
    row['draws, agreement on sd'] = share(lap.optimize_budget(train).multipliers)
    row['draws, agreement on se'] = share(Ensemble(lap.models, 0.9, 'quantile', draws=False).optimize_budget(train).multipliers)
    return row

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--seeds', default='0,1,2,10'); ap.add_argument('--jobs', type=int, default=2)
    a = ap.parse_args(argv)
    jobs = [(p, s) for p in ('one_geo', 'single_geo') for s in map(int, a.seeds.split(','))]
    with ProcessPoolExecutor(a.jobs) as ex: rows = list(ex.map(run, *zip(*jobs)))
    t = pd.DataFrame(rows); pd.set_option('display.width', 200)
    print(t.round(3).to_string(index=False))
    print('\nmean by panel:\n' + t.drop(columns='seed').groupby('panel').mean().round(3).to_string())

if __name__ == '__main__': main()
