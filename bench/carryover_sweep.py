"""A rejected alternative (issue 18, session 15): choose each channel's carryover start from a grid by profile loss.

A channel whose weight the exact solve sets to 0 gets no gradient, so its carryover stays wherever it was: on the
family's `pulsed` panel (seed 0) search ends with its kernel peaking at week 2 and weight 0, while the same fit with
search's kernel moved to a short geometric one and the linear block re-solved has a 0.2% lower loss and a positive
weight. This script starts every fit with a coordinate sweep: for each channel in turn, its carryover is set to each
(peak week, decay) of a grid, the linear block solved exactly, and the kernel with the lowest penalised loss kept.
Then training goes on as the package does. It runs the identification harness (or the benchmark) with that patch:

    python bench/carryover_sweep.py identification --worlds earned --seeds 0,1,2 --heldout 10 --jobs 2 --tag sw_0
    python bench/carryover_sweep.py benchmark --seeds 0 --skip-sim --skip-backtest

Measured (2 cores): family share error (mean |pp| over channels, earned world, seeds 0-2, 10-13) 1.362 -> 1.360,
better on pulsed, drifting, events, co-scheduled, always-on, worse on multiplicative (1.65 -> 2.29: an always-on
S-shaped channel then fitted concave, 3.8x its truth at a 0.26% lower loss); benchmark holdout 1.163 -> 1.258 of the
best naive, MAPE 6.99% -> 7.58%, the placebo Channel_10 0% -> 3.8% of the KPI, fit 30 -> 37 s. Not adopted.
"""
import math, sys
from pathlib import Path
import torch

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path: sys.path.append(str(ROOT))
GRID = dict(delay=(0., 1., 2., 3.), decay=(0.1, 0.3, 0.5, 0.7))

def _logit(p): return math.log(p / (1 - p))

@torch.no_grad()
def sweep(mmm, X, fit_mask, wgeo, grid=GRID) -> int:
    "Coordinate sweep over the channels' carryover (peak week x decay), each point scored with the linear block solved exactly; returns how many kernels moved."
    from deepcausalmmm.train import solve_linear
    net, lam = mmm.net_, mmm._penalty_weights()
    co, moved = net.carryover, 0
    def loss():
        o = net(X['media'], X['controls'], X['calendar'])
        solve_linear(net, X, o, fit_mask * wgeo[:, None], lam, mmm.huber_delta)
        d, r = mmm._loss_terms(net(X['media'], X['controls'], X['calendar']), X['target'], fit_mask, wgeo)
        return float(d + r)
    for c in range(co.n_channels):
        keep, best, pick = (co.decay_logit[c].clone(), co.delay_logit[c].clone()), loss(), None
        for dl in ((0.,) if co.kinds[c] == 'geometric' else grid['delay']):
            for dc in grid['decay']:
                co.decay_logit[c], co.delay_logit[c] = _logit(dc), _logit(min(max(dl / co.max_lag, 1e-4), 1 - 1e-4))
                if (l := loss()) < best * (1 - 1e-4): best, pick = l, (co.decay_logit[c].clone(), co.delay_logit[c].clone())
        co.decay_logit[c], co.delay_logit[c] = pick or keep
        moved += pick is not None
    loss()
    return moved

def install():
    "Patch the estimator's training run: the sweep first (full batch with the exact solve only), then the run as it was."
    from deepcausalmmm.train import DeepCausalMMM
    run = DeepCausalMMM._run
    def _run(self, X, fit_mask, val_mask, wgeo, epochs, desc):
        if self.exact_linear and X['media'].shape[0] <= self.batch_geos and self._lift is None: sweep(self, X, fit_mask, wgeo)
        return run(self, X, fit_mask, val_mask, wgeo, epochs, desc)
    DeepCausalMMM._run = _run

if __name__ == '__main__':
    what, argv = sys.argv[1], sys.argv[2:]
    install()
    if what == 'identification':
        from bench.identification import main
    elif what == 'benchmark':
        from bench.benchmark import main
    else: raise SystemExit("first argument: 'identification' or 'benchmark'")
    main(argv)
