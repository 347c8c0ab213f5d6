"""Why the family's always-on `search` comes out low (issue 18): on `pulsed` (earned world), fit the defaults, then
re-solve everything linear with search's Hill K and n moved on a grid, and refit with other carryover kinds.

    python bench/search_probe.py [--seed 0] [--settings JSON ...]

Prints the fitted weights, the loss and search's weight at each (K, n) of the grid (its weight staying 0 everywhere
means the panel, given the rest of the fit, prefers no search effect: not an optimiser stuck at a boundary), and
each refit's contributions next to the truth's.
"""
import argparse, copy, json, sys, warnings
from pathlib import Path
import torch

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path: sys.path.append(str(ROOT))
from bench.family import make, HOLDOUT

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--settings', nargs='*', default=['{}', '{"kinds": "geometric"}', '{"knot_every": 13}'])
    a = ap.parse_args(argv)
    warnings.filterwarnings('ignore'); torch.set_num_threads(1)
    from deepcausalmmm.data import Panel
    from deepcausalmmm.train import DeepCausalMMM, solve_linear
    from deepcausalmmm.analysis import channel_summary
    w = make('pulsed', 'earned', a.seed)
    train, _ = Panel.from_frame(w.frame, **w.cols).split(HOLDOUT)
    print('truth (contribution, millions):', (w.truth.table().contribution / 1e6).round(2).to_dict())
    mmm = DeepCausalMMM(progress=False, seed=a.seed).fit(train)
    c = list(mmm.scaler_.channels_).index('search_impressions')
    X = mmm._tensors(train); T = X['media'].shape[1]
    wm = X['observed'].float() * (torch.arange(T) < mmm.n_train_)
    lam = mmm._penalty_weights()
    def resolve(dlogK, n):
        m = copy.deepcopy(mmm); net = m.net_
        with torch.no_grad():
            net.hill.log_K[c] += dlogK
            net.hill.n_raw[c] = torch.log(torch.expm1(torch.tensor(float(n))))
        for _ in range(3):
            with torch.no_grad(): o = net(X['media'], X['controls'], X['calendar'])
            solve_linear(net, X, o, wm, lam, m.huber_delta)
        with torch.no_grad():
            d, r = m._loss_terms(net(X['media'], X['controls'], X['calendar']), X['target'], wm, torch.ones(train.n_geos))
        return float(d + r), float(net.beta[c])
    base, _ = resolve(0., float(mmm.net_.hill.n[c]))
    print(f'fit: weights {mmm.net_.beta.detach().numpy().round(3).tolist()}, loss {base:.4e}')
    for dk in (-2, -1, -0.5, 0, 0.5, 1):
        for n in (0.5, 1., 2.):
            l, b = resolve(dk, n)
            print(f'  search log K {dk:+.1f}, n {n}: loss {(l - base) / base * 100:+.3f}%, search weight {b:.4f}')
    for s in a.settings:
        m = DeepCausalMMM(progress=False, seed=a.seed, **json.loads(s)).fit(train)
        print(s, 'contribution (millions):', (channel_summary(m, train).contribution / 1e6).round(2).to_dict())

if __name__ == '__main__': main()
