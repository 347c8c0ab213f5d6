"""Is what is left of the attribution error the panel's or the optimiser's? (issue 18, session 15)

    python bench/true_shapes.py [--variants pulsed,co_scheduled,events_controls,always_on] [--seeds 0,1,2]

Per (variant, seed) of `bench/family.py` (earned world): the package's default fit, and the package's own model with
the *true* carryover and Hill curves put in (each channel's kind as the simulator's: tv delayed, the others
geometric; a short fit for the scaler, then the shapes overwritten and the linear block solved exactly). Prints each
one's direct-contribution error per channel (pp of the true KPI over the window and its 8-week tail) and the
penalised training loss of the true shapes against the default fit's. A lower loss at the true shapes means the
default fit stopped at a worse optimum of its own objective: the error is the optimiser's, not the panel's.
"""
import argparse, sys, warnings
from pathlib import Path
import numpy as np
import pandas as pd
import torch

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path: sys.path.append(str(ROOT))
from bench.family import make, HOLDOUT
from bench.multistart import penalised_loss

def set_true_shapes(mmm, truth):
    "Overwrite each channel's carryover (decay, peak week) and Hill K and n with the simulator's."
    net = mmm.net_; co = net.carryover
    with torch.no_grad():
        for c, name in enumerate(truth.channels):
            k, cv = truth.curves[name]['kernel'], truth.curves[name]
            peak = int(np.argmax(k)) if co.kinds[c] == 'delayed' else 0
            co.decay_logit[c] = torch.logit(torch.tensor(float(k[peak + 1] / k[peak])))
            co.delay_logit[c] = torch.logit(torch.tensor(max(peak / co.max_lag, 1e-4)))
            net.hill.log_K[c] = float(np.log(cv['K'])); net.hill.n_raw[c] = float(net.hill.raw_slope(cv['n']))

def direct_error_pp(mmm, train, truth) -> np.ndarray:
    "Each channel's direct contribution from a fit minus the truth's, in pp of the true KPI over the window and an 8-week tail."
    from deepcausalmmm.analysis import channel_summary
    t = truth.table(tail=8)
    return (channel_summary(mmm, train, edges=None).direct_contribution.to_numpy() - t.direct.to_numpy()) / t.attrs['kpi'] * 100

def run(variant:str, seed:int) -> dict:
    from deepcausalmmm.data import Panel
    from deepcausalmmm.train import DeepCausalMMM, solve_linear
    w = make(variant, 'earned', seed); tr = w.truth
    train, _ = Panel.from_frame(w.frame, **w.cols).split(HOLDOUT)
    default = DeepCausalMMM(progress=False, seed=seed).fit(train)
    m = DeepCausalMMM(progress=False, seed=seed, epochs=100, kinds=['delayed' if c == 'tv' else 'geometric' for c in tr.channels]).fit(train)
    set_true_shapes(m, tr)
    X = m._tensors(train); T = X['media'].shape[1]
    mask = X['observed'].float() * (torch.arange(T) < m.n_train_)
    wg = torch.as_tensor(m.scaler_.target_ref_ ** m.geo_weight, dtype=torch.float32); wg = wg / wg.mean()
    for _ in range(5):
        with torch.no_grad(): o = m.net_(X['media'], X['controls'], X['calendar'])
        solve_linear(m.net_, X, o, mask * wg[:, None], m._penalty_weights(), m.huber_delta)
    e_true, e_def = direct_error_pp(m, train, tr), direct_error_pp(default, train, tr)
    return dict(variant=variant, seed=seed, loss_change_pct=(penalised_loss(m, train) / penalised_loss(default, train) - 1) * 100,
                err_true_shapes=np.abs(e_true).mean(), err_default=np.abs(e_def).mean(),
                **{f'{c} (true shapes)': e for c, e in zip(tr.channels, e_true)}, **{f'{c} (default)': e for c, e in zip(tr.channels, e_def)})

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--variants', default='pulsed,co_scheduled,events_controls,always_on')
    ap.add_argument('--seeds', default='0,1,2')
    a = ap.parse_args(argv)
    warnings.filterwarnings('ignore'); torch.set_num_threads(1)
    rows = [run(v, s) for v in a.variants.split(',') for s in map(int, a.seeds.split(','))]
    tab = pd.DataFrame(rows)
    pd.set_option('display.width', 200)
    print(tab[['variant', 'seed', 'loss_change_pct', 'err_true_shapes', 'err_default']].round(3).to_string(index=False))
    print('\nmean |direct error| (pp) by variant:\n', tab.groupby('variant')[['err_true_shapes', 'err_default']].mean().round(2).to_string())
    print(f'\nruns where the true shapes have the lower loss: {(tab.loss_change_pct < 0).sum()} of {len(tab)}')

if __name__ == '__main__': main()
