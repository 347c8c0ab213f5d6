"""How the seasonal profile's penalty moves the linear estimates when the media transforms are known (issue 18).

For each family panel (`bench/family.py`) the network is built by a 1-epoch fit (scaler, bases), then its channel
features are replaced by the TRUE ones (the simulator's carryover and Hill curves, in the model's scaled units) and
the linear block (levels, seasonal profile, controls, channel weights) is solved exactly with `solve_linear` at
several effective weights of the seasonal curvature penalty (mean-loss units, i.e. after any division by the
number of geos). A weight of 1 is the weight every geo count got before the penalty was divided by the number of
geos. Printed: each channel's solved weight / its true weight (1 = unbiased), and the continuous controls' effect /
true effect. Plain least squares (no Huber down-weighting).

    python bench/shared_prior.py            # writes bench/results/shared_prior.csv
"""
from __future__ import annotations
import sys, warnings
from pathlib import Path
import numpy as np
import pandas as pd
import torch

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path: sys.path.append(str(ROOT))
from bench.family import make, HOLDOUT

CASES = [('always_on', 0), ('always_on', 1), ('multiplicative', 0), ('multiplicative', 1), ('drifting', 0),
         ('pulsed', 0), ('events_controls', 0), ('single_geo', 0)]
WEIGHTS = [1.0, 0.3, 0.1, 0.02, 0.0]


def ratios(variant:str, seed:int, weights=WEIGHTS) -> list:
    "One row per effective seasonal weight: solved / true weight of each channel and control."
    from deepcausalmmm.data import Panel
    from deepcausalmmm.train import DeepCausalMMM, solve_linear
    w = make(variant, 'earned', seed); tr = w.truth
    with warnings.catch_warnings():
        warnings.simplefilter('ignore'); panel = Panel.from_frame(w.frame, **w.cols)
    train, _ = panel.split(HOLDOUT)
    m = DeepCausalMMM(progress=False, epochs=1, dag=None).fit(train)
    n = m.n_train_
    X = {k: (v[:, :n] if k in ('media', 'controls', 'target', 'observed') else v[:n] if k == 'calendar' else v) for k, v in m._tensors(train).items()}
    G = X['target'].shape[0]
    ref = np.asarray(m.scaler_.target_ref_)
    base = tr.base[:, :n] if tr.mult_base else tr.level[:, None]
    H = base[..., None] * tr.media_terms(tr.activity())[:, :n] / ref[:, None, None]      # true media terms, scaled units
    rows = []
    for lam_s in weights:
        net = m.net_
        with torch.no_grad(): o = dict(net(X['media'], X['controls'], X['calendar']))
        o['per_weight'] = torch.tensor(H, dtype=torch.float32)
        lam = {**m._penalty_weights(), 'season_smoothness': lam_s}
        b = solve_linear(net, X, o, X['observed'].float(), lam, huber_delta=1e9, with_beta=True).numpy()
        row = dict(variant=variant, seed=seed, geos=G, season_weight=lam_s, **{f'w_{c}': float(v) for c, v in zip(tr.channels, b)})
        g = net.gamma.detach().numpy()
        for k, name in enumerate(train.control_names):
            if name in tr.controls:                                   # continuous controls: scaled by each geo's own std
                sd = tr.controls[name][:, :n].std(1)
                row[f'control_{name}'] = float(g[k] / (tr.control_coef[name] * sd / ref).mean())
        rows.append(row)
    return rows


if __name__ == '__main__':
    torch.set_num_threads(1)
    df = pd.DataFrame([r for v, s in CASES for r in ratios(v, s)])
    out = ROOT / 'bench' / 'results' / 'shared_prior.csv'
    df.to_csv(out, index=False)
    pd.set_option('display.width', 250); pd.set_option('display.max_columns', 30)
    print(df.round(3).to_string(index=False))
    print(f'\nsolved / true weight with the true transforms; season_weight is the effective (mean-loss) weight; rows: {out}')
