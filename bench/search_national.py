"""What decides the always-on search's weight on the family's 48-geo panels (issue 18, session 21).

    python bench/search_national.py [--variant pulsed] [--seed 2]

One earned-world panel of `bench/family.py`:
1. the default fit, and the same fit with search's *true* carryover and Hill curve put in and everything linear
   re-solved (each channel's direct-contribution error, pp of the true KPI over the window and an 8-week tail);
2. a regression of each geo's KPI over its mean on geo intercepts, a national linear trend, two yearly harmonics and one
   term per channel, solved by least squares: with every channel's true term, then with the fitted model's term for one
   channel at a time in place of its true one (search's weight over its true weight each time);
3. the same terms with week fixed effects (each week's mean over geos removed): only the deviations between geos
   decide, and search's weight comes with its standard error.

A weight that holds in (3) but swings in (2) is decided by the national time series, which is precise only when every
other channel's shape is exact.
"""
import argparse, sys, warnings
from pathlib import Path
import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path: sys.path.append(str(ROOT))
from bench.family import make, HOLDOUT, CHILD
from bench.oracle import true_terms, national_design
from bench.true_shapes import direct_error_pp

def ols(ys, D, n):
    "Weights of the channel terms D (G, n, C) with geo intercepts, a national trend and two yearly harmonics."
    G = ys.shape[0]
    A = np.concatenate([np.kron(np.eye(G), np.ones((n, 1))), np.tile(national_design(n), (G, 1)), D.reshape(G * n, -1)], 1)
    return np.linalg.lstsq(A, ys.ravel(), rcond=None)[0][-D.shape[-1]:]

def within(ys, D):
    "Weights and standard errors with geo and week fixed effects (a balanced panel)."
    f = lambda a: a - a.mean(0, keepdims=True) - a.mean(1, keepdims=True) + a.mean()
    X = np.stack([f(D[..., c]) for c in range(D.shape[-1])], -1).reshape(-1, D.shape[-1]); y = f(ys).ravel()
    b = np.linalg.lstsq(X, y, rcond=None)[0]
    r = y - X @ b; s2 = r @ r / (len(y) - sum(ys.shape) - X.shape[1])
    return b, np.sqrt(np.diag(s2 * np.linalg.inv(X.T @ X)))

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--variant', default='pulsed')
    ap.add_argument('--seed', type=int, default=2)
    a = ap.parse_args(argv)
    warnings.filterwarnings('ignore'); torch.set_num_threads(1)
    from deepcausalmmm.data import Panel
    from deepcausalmmm.train import DeepCausalMMM, projected_loss
    from deepcausalmmm.settle import set_kernel
    w = make(a.variant, 'earned', a.seed); tr = w.truth
    train, _ = Panel.from_frame(w.frame, **w.cols).split(HOLDOUT)
    m = DeepCausalMMM(progress=False, seed=a.seed).fit(train)
    t = tr.table(tail=8)
    err = lambda: dict(zip(tr.channels, direct_error_pp(m, train, tr).round(2).tolist()))
    s = tr.channels.index(CHILD)
    print(f'{a.variant} seed {a.seed}, earned world; search is {t.share.iloc[s]:.1%} of the KPI')
    print('1. direct error (pp), default fit:', err())
    loss = projected_loss(m, train)
    with torch.no_grad():
        cv = tr.curves[CHILD]; k = cv['kernel']
        m.net_.hill.log_K[s] = float(np.log(cv['K']))
        set_kernel(m.net_, s, 0, float(k[1] / k[0]), cv['n'])
    loss()
    print('   with search\'s true carryover and curve, the rest re-solved:', err())
    G, T, C = tr.planned.shape; n = tr.n_train
    fitted = m._forward(train)['per_weight'].numpy()[:, :n].astype(float)
    true = true_terms(w)
    ys = w.frame['sales'].to_numpy().reshape(G, T)[:, :n] / m.scaler_.target_ref_[:, None]
    tb = (tr.beta * (tr.level / m.scaler_.target_ref_)[:, None]).mean(0)   # true weights in the same units
    print('2. search\'s weight over its true weight, national regression:')
    print(f'   every channel\'s true term: {ols(ys, true, n)[s] / tb[s]:.2f}')
    for c, nm in enumerate(tr.channels):
        D = true.copy(); D[..., c] = fitted[..., c]
        print(f'   the fitted term for {nm}: {ols(ys, D, n)[s] / tb[s]:.2f}')
    for name, D in (('true terms', true), ('fitted terms', fitted)):
        b, se = within(ys, D)
        print(f'3. week fixed effects, {name}: search {b[s] / tb[s]:.2f} ± {se[s] / tb[s]:.2f} of its true weight')

if __name__ == '__main__': main()
