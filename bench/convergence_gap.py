"""How far the default fit stops from its own loss's optimum (issue 18, session 21).

    python bench/convergence_gap.py [--variant pulsed] [--seed 2] [--settings JSON ...]

Fits one world of `bench/family.py` (earned world) with each settings JSON (default: the defaults, `media_lr` 3 and
1500 epochs) and prints the penalised training loss, each channel's direct-contribution error (pp of the true KPI over
the window and an 8-week tail), the fitted Hill K and n, and the fit's `convergence_` (since session 22 its
`rel_change` is `deepcausalmmm.train.lr_change`: the loss's relative change over the last tenth of the last cosine
cycle divided by the mean learning-rate factor there; session 21 printed the raw change beside this
`rel_change_full_lr`, the same number for a one-cycle fit).
"""
import argparse, json, sys, warnings
from pathlib import Path
import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path: sys.path.append(str(ROOT))
from bench.family import make, HOLDOUT
from bench.multistart import penalised_loss
from bench.true_shapes import direct_error_pp

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--variant', default='pulsed')
    ap.add_argument('--seed', type=int, default=2)
    ap.add_argument('--settings', nargs='*', default=['{}', '{"media_lr": 3}', '{"epochs": 1500}'])
    a = ap.parse_args(argv)
    warnings.filterwarnings('ignore'); torch.set_num_threads(1)
    from deepcausalmmm.data import Panel
    from deepcausalmmm.train import DeepCausalMMM
    w = make(a.variant, 'earned', a.seed); tr = w.truth
    train, _ = Panel.from_frame(w.frame, **w.cols).split(HOLDOUT)
    print(f'{a.variant} seed {a.seed}, earned world; channels {tr.channels}')
    for s in a.settings:
        m = DeepCausalMMM(progress=False, seed=a.seed, **json.loads(s)).fit(train)
        err = direct_error_pp(m, train, tr)
        with torch.no_grad(): K, n = m.net_.hill.log_K.exp().double().numpy(), m.net_.hill.slope().double().numpy()
        c = m.convergence_
        print(f'\nsettings {s}: fit {m.fit_seconds_:.0f} s, penalised loss {penalised_loss(m, train):.4e}')
        print('  direct error (pp):', dict(zip(tr.channels, err.round(2).tolist())), f' mean |error| {np.abs(err).mean():.2f}')
        print('  Hill K:', K.round(2).tolist(), ' n:', n.round(2).tolist())
        print(f"  convergence_: rel_change {c['rel_change']:.2e} (per unit of lr), converged {c['converged']}, epochs {c['epochs']}, grad_max {c['grad_max']:.0f}", flush=True)

if __name__ == '__main__': main()
