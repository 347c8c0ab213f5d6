"""Curves that saturate on activity per unit of geo size, not on each geo's own mean (issue 18, session 23).

    python bench/shared_saturation.py [--variants pulsed,always_on] [--seeds 0,1,2] [--jobs 2]

The package divides each geo's media by that geo's training mean, so it reads every geo as sitting at the same place
on a shared curve; `bench/family.py` builds its truth the same way. Other simulators (and markets) saturate on
activity per head with one curve for the nation, so a geo that buys more per head sits higher on it. Per (variant,
seed), earned world, this builds both truths from the same draws (`make(..., saturation='geo' | 'size')`) and fits
the package's defaults and the defaults with `geo_effects=True` (shrunk per-geo deviations of each channel's weight
and K) on each. Prints the mean |direct contribution error| (pp of the true KPI, window and 8-week tail) and the
spread of the geos' activity per unit of size.
"""
import argparse, sys, warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path: sys.path.append(str(ROOT))

def fit(variant, seed, saturation, geo_effects):
    import torch; torch.set_num_threads(1); warnings.filterwarnings('ignore')
    from bench.family import make, HOLDOUT
    from bench.true_shapes import direct_error_pp
    from deepcausalmmm.data import Panel
    from deepcausalmmm.train import DeepCausalMMM
    w = make(variant, 'earned', seed, saturation=saturation); tr = w.truth
    train, _ = Panel.from_frame(w.frame, **w.cols).split(HOLDOUT)
    m = DeepCausalMMM(progress=False, seed=seed, geo_effects=geo_effects).fit(train)
    e = direct_error_pp(m, train, tr)
    X = w.frame[w.cols['media']].to_numpy().reshape(train.n_geos, -1, len(tr.channels))[:, :tr.n_train]
    intensity = X.mean(1) / tr.level[:, None]
    return dict(variant=variant, seed=seed, saturation=saturation, geo_effects=geo_effects, err=np.abs(e).mean(), worst=np.abs(e).max(),
                intensity_sd=float(np.log(intensity / intensity.mean(0)).std(0).mean()), **{f'{c}': v for c, v in zip(tr.channels, e)})

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--variants', default='pulsed,always_on'); ap.add_argument('--seeds', default='0,1,2'); ap.add_argument('--jobs', type=int, default=2)
    a = ap.parse_args(argv)
    jobs = [(v, s, sat, ge) for v in a.variants.split(',') for s in map(int, a.seeds.split(',')) for sat in ('geo', 'size') for ge in (False, True)]
    with ProcessPoolExecutor(a.jobs) as ex: rows = list(ex.map(fit, *zip(*jobs)))
    tab = pd.DataFrame(rows); pd.set_option('display.width', 220); pd.set_option('display.max_columns', 30)
    print(tab.round(3).to_string(index=False))
    print('\nmean |direct error| (pp) by variant, truth (saturation) and fit (geo_effects):')
    print(tab.pivot_table(index='variant', columns=['saturation', 'geo_effects'], values='err').round(3).to_string())
    print('\nlog-sd of activity per unit of size over geos (mean over channels):', tab.groupby('variant').intensity_sd.mean().round(3).to_dict())

if __name__ == '__main__': main()
