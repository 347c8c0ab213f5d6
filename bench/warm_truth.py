"""Started at the true curves, does the default fit stay there? (issue 18, session 23)

    python bench/warm_truth.py [--variants pulsed,always_on,co_scheduled] [--seeds 0,1,2] [--jobs 2]

`bench/true_shapes.py` found the package's own objective lower at the true carryover and Hill curves than where the
default fit stops in 9 of 12 runs. Per (variant, seed) of `bench/family.py` (earned world) this fits three ways:
  default  the default fit;
  kinds    the default fit with each channel's carryover kind as the simulator's (tv delayed, the others geometric);
  warm     as `kinds`, with every channel's carryover and Hill K, n started at the truth (the K prior's centre stays
           where the data put it) and then trained as usual.
A warm fit that stays near the truth at a lower loss means the default stops in another basin of the same objective
(a start problem); one that drifts back means the objective itself prefers the default's curves.
"""
import argparse, sys, warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
import numpy as np
import pandas as pd
import torch

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path: sys.path.append(str(ROOT))

def fit(variant, seed, how):
    warnings.filterwarnings('ignore'); torch.set_num_threads(1)
    from bench.family import make, HOLDOUT
    from bench.true_shapes import set_true_shapes, direct_error_pp
    from bench.multistart import penalised_loss
    from deepcausalmmm.data import Panel
    from deepcausalmmm.train import DeepCausalMMM
    from deepcausalmmm.hill import Hill
    w = make(variant, 'earned', seed); tr = w.truth
    train, _ = Panel.from_frame(w.frame, **w.cols).split(HOLDOUT)
    kw = {} if how == 'default' else dict(kinds=['delayed' if c == 'tv' else 'geometric' for c in tr.channels])
    orig = Hill.init_from_data
    holder = {}
    def warm_init(self, x, q=0.5):
        orig(self, x, q)
        set_true_shapes(holder['m'], tr)
        return self
    m = DeepCausalMMM(progress=False, seed=seed, **kw); holder['m'] = m
    if how == 'warm': Hill.init_from_data = warm_init
    try: m.fit(train)
    finally: Hill.init_from_data = orig
    e = direct_error_pp(m, train, tr)
    s = tr.channels.index('search')
    return dict(variant=variant, seed=seed, how=how, loss=penalised_loss(m, train), err=np.abs(e).mean(), search_err=e[s],
                search_n=float(m.net_.hill.n[s]), search_K=float(m.net_.hill.K[s]), true_n=tr.curves['search']['n'], true_K=tr.curves['search']['K'],
                epochs=m.convergence_['epochs'])

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--variants', default='pulsed,always_on,co_scheduled')
    ap.add_argument('--seeds', default='0,1,2')
    ap.add_argument('--hows', default='default,kinds,warm')
    ap.add_argument('--jobs', type=int, default=2)
    a = ap.parse_args(argv)
    jobs = [(v, s, h) for v in a.variants.split(',') for s in map(int, a.seeds.split(',')) for h in a.hows.split(',')]
    with ProcessPoolExecutor(a.jobs) as ex: rows = list(ex.map(fit, *zip(*jobs)))
    tab = pd.DataFrame(rows); pd.set_option('display.width', 200)
    ref = tab[tab.how == 'default'].set_index(['variant', 'seed']).loss
    tab['loss_vs_default_pct'] = (tab.loss / ref.reindex(pd.MultiIndex.from_frame(tab[['variant', 'seed']])).to_numpy() - 1) * 100
    print(tab.drop(columns='loss').round(3).to_string(index=False))
    print('\nmean |direct error| (pp) and loss by variant:')
    print(tab.pivot_table(index='variant', columns='how', values=['err', 'loss_vs_default_pct']).round(3).to_string())

if __name__ == '__main__': main()
