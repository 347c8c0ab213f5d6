"""What the data decide and what the curve extrapolates, on the simulator family (issue 18): each channel's direct
contribution split at each geo's lowest week in the training window (`extrapolated_share`), fitted against true.

    python bench/extrapolated.py [--seeds 0,1,2] [--heldout 10] [--variants ...] [--foreign one_geo,per_capita,log_log] [--jobs 2] [--tag NAME]

Earned world, default settings. Per channel: the fit's and the truth's direct contribution (window + 8-week tail),
their extrapolated shares (the part from activity below each geo's lowest week), and the relative error of each part:
`observed_err` (above the floor: the part of the curve the data show) and `below_err` (the part below it). Writes
bench/results/extrapolated_TAG.csv and prints the medians by kind of channel. --foreign also scores the panels built by
other hands (`bench/foreign.py`: no spillover there, so the direct contribution is the whole one).
"""
import argparse, sys, warnings
from pathlib import Path
import numpy as np, pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / 'bench'))
TAIL = 8

def truth_parts(tr, c:str, tail:int=TAIL) -> tuple:
    "The truth's direct contribution of channel c and its part from activity below each geo's lowest window week."
    k = tr.channels.index(c)
    X = tr.activity()
    def y(Xp):
        M = tr.media_terms(Xp).sum(-1)
        return tr._sum(tr.base + (tr.base * M if tr.mult_base else tr.level[:, None] * M) + tr.fixed, tail)
    Xf, X0 = X.copy(), X.copy()
    Xf[:, tr.win, k] = X[:, tr.win, k].min(1, keepdims=True)
    X0[:, tr.win, k] = 0.
    y1, yf, y0 = y(X), y(Xf), y(X0)
    return y1 - y0, yf - y0

def foreign_parts(sim, k:int) -> tuple:
    "A `bench/foreign.py` panel's direct contribution of channel k and its part from activity below each geo's lowest training week."
    from bench.foreign import TAIL as FT
    n = sim.n_train
    Xf, X0 = sim.X.copy(), sim.X.copy()
    Xf[:, :n, k] = sim.X[:, :n, k].min(1, keepdims=True); X0[:, :n, k] = 0.
    y = lambda X: float(sim.kpi_fn(X)[:, :n + FT].sum())
    y1, yf, y0 = y(sim.X), y(Xf), y(X0)
    return y1 - y0, yf - y0

def _fitted(frame, cols:dict, holdout:int, seed:int) -> tuple:
    "The default fit of a panel's training weeks: (training panel, each channel's direct contribution, its extrapolated share), one thread."
    import torch; torch.set_num_threads(1)
    warnings.simplefilter('ignore')
    from deepcausalmmm.data import Panel
    from deepcausalmmm.train import DeepCausalMMM
    from deepcausalmmm.analysis import Scenarios, contributions, extrapolated_share
    train, full = Panel.from_frame(frame, **cols).split(holdout)
    mmm = DeepCausalMMM(progress=False, seed=seed).fit(train)
    sc = Scenarios(mmm, full)
    return train, contributions(mmm, full, scenarios=sc).direct_contribution, extrapolated_share(mmm, full, scenarios=sc)

def run_foreign(dgp:str, seed:int, split:str) -> list:
    sys.path.insert(0, str(ROOT))
    from bench import foreign
    sim = getattr(foreign, dgp)(seed)
    train, md, xs = _fitted(*foreign.frame(sim), foreign.HOLDOUT, seed)
    return [_row(f'foreign:{dgp}', seed, split, c, c in sim.always_on, float(md[pc]), float(xs[pc]), *foreign_parts(sim, k))
            for k, (pc, c) in enumerate(zip(train.channels, sim.channels))]

def _row(variant, seed, split, c, always_on, md, x, td, tb) -> dict:
    mb = md * x
    return dict(variant=variant, seed=seed, split=split, channel=c, always_on=always_on,
                direct=md, true_direct=td, extrapolated_share=x, true_extrapolated_share=tb / td if td else np.nan,
                direct_err=md / td - 1, observed_err=(md - mb) / (td - tb) - 1 if td - tb else np.nan,
                below_err=mb / tb - 1 if tb else np.nan)

def run_one(variant:str, seed:int, split:str) -> list:
    if variant.startswith('foreign:'): return run_foreign(variant.split(':', 1)[1], seed, split)
    from family import make, HOLDOUT
    w = make(variant, 'earned', seed); tr = w.truth
    train, md, xs = _fitted(w.frame, w.cols, HOLDOUT, seed)
    return [_row(variant, seed, split, c, c in tr.always_on, float(md[pc]), float(xs[pc]), *truth_parts(tr, c))
            for pc, c in zip(train.channels, tr.channels)]

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--seeds', default='0,1,2'); ap.add_argument('--heldout', default='10')
    ap.add_argument('--variants', default='pulsed,always_on,single_geo,drifting,multiplicative,events_controls,co_scheduled,small')
    ap.add_argument('--foreign', default='', help='comma-separated bench/foreign.py processes to score as well')
    ap.add_argument('--jobs', type=int, default=2); ap.add_argument('--tag', default='default')
    a = ap.parse_args(argv)
    variants = [v for v in a.variants.split(',') if v] + [f'foreign:{d}' for d in a.foreign.split(',') if d]
    runs = [(v, int(s), 'acceptance') for v in variants for s in a.seeds.split(',')]
    runs += [(v, int(s), 'heldout') for v in variants for s in a.heldout.split(',') if s]
    from concurrent.futures import ProcessPoolExecutor
    rows = []
    with ProcessPoolExecutor(a.jobs) as ex:
        for r in ex.map(run_one, *zip(*runs)): rows += r; print(r[0]['variant'], r[0]['seed'], 'done', flush=True)
    df = pd.DataFrame(rows)
    out = ROOT / 'bench' / 'results' / f'extrapolated_{a.tag}.csv'; df.to_csv(out, index=False)
    pd.set_option('display.width', 200)
    for (split, src), d in df.assign(source=np.where(df.variant.str.startswith('foreign:'), 'foreign', 'family')).groupby(['split', 'source']):
        t = d.assign(kind=np.where(d.always_on, 'always-on', 'pulsed')).groupby('kind').agg(
            channels=('channel', 'size'), extrapolated_share=('extrapolated_share', 'median'), true_extrapolated_share=('true_extrapolated_share', 'median'),
            direct_err=('direct_err', lambda s: s.abs().median()), observed_err=('observed_err', lambda s: s.abs().median()),
            below_err=('below_err', lambda s: s.abs().median()))
        print(f'\n{src}, {split} seeds (median |relative error|):\n{t.round(3).to_string()}')
    print(f'\nwrote {out}')

if __name__ == '__main__': main()
