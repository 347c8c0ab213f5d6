"""Channels the exact solve left at weight 0 revived, then the curve shapes polished by L-BFGS (issue 18, session 16).

A channel at weight 0 gets no gradient, so Adam leaves its carryover and curve where they were when it died
(`bench/carryover_sweep.py`). After the package's run this patch (1) tries, for each such channel, a small grid of
carryover kernels and Hill slopes, each scored with the linear block solved exactly, and keeps the best if it lowers
the penalised loss; (2) runs L-BFGS on every channel's carryover and curve parameters with the linear block solved
exactly inside each evaluation (variable projection), to a stationary point of the package's own objective.

    python bench/revive.py [--no-revive] [--no-polish] [identification arguments...]
    python bench/revive.py [--no-revive] [--no-polish] forecast [bench/forecast.py arguments...]

The prototype of the package's `settle` step (chapter 06e: `revive=True`, `polish_iters`), kept to reproduce the tagged
runs `rv`, `ho_rv` and `pol` (a larger kernel grid, slopes 0.7/1/1.5, and an L-BFGS without the package's loss
scaling, which stopped after 4-8 evaluations in most fits). The package's own runs are `s16r` (revival, the default),
`s16a` and `s16` (with polishing).
"""
import math, sys
from pathlib import Path
import torch

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path: sys.path.append(str(ROOT))
KERNELS = [(0., d) for d in (0.1, 0.3, 0.5, 0.7)] + [(p, d) for p in (1., 2.) for d in (0.3, 0.6)]   # (peak week, decay)
SLOPES = (0.7, 1.0, 1.5)
VERBOSE = False

def _logit(p): return math.log(p / (1 - p))

def shape_params(net):
    co, h = net.carryover, net.hill
    return [p for p in (co.decay_logit, co.delay_logit, co.shape_logit, h.log_K, h.n_raw) if p is not None]

def make_loss(mmm, X, fit_mask, wgeo, rounds=2):
    from deepcausalmmm.train import solve_linear
    net, lam = mmm.net_, mmm._penalty_weights()
    def project():
        for _ in range(rounds):
            with torch.no_grad(): o = net(X['media'], X['controls'], X['calendar'])
            solve_linear(net, X, o, fit_mask * wgeo[:, None], lam, mmm.huber_delta)
    def loss(grad=False):
        project()
        with torch.set_grad_enabled(grad):
            d, r = mmm._loss_terms(net(X['media'], X['controls'], X['calendar']), X['target'], fit_mask, wgeo)
        return d + r
    return loss

@torch.no_grad()
def revive(mmm, loss, floor=1e-5) -> int:
    from deepcausalmmm.hill import _inv_softplus
    net = mmm.net_; co, h = net.carryover, net.hill
    revived = 0
    for c in range(co.n_channels):
        if float(net.beta[c]) > floor: continue
        keep = [p.detach().clone() for p in shape_params(net)]
        best, pick = float(loss()), None
        base = best
        for peak, dec in KERNELS:
            for n in SLOPES:
                co.decay_logit[c] = _logit(dec); co.delay_logit[c] = _logit(min(max(peak / co.max_lag, 1e-4), 1 - 1e-4))
                if co.shape_logit is not None: co.shape_logit[c] = 6. if peak else -6.
                h.n_raw[c] = float(_inv_softplus(n))
                l = float(loss())
                if l < best * (1 - 1e-5) and float(net.beta[c]) > floor: best, pick = l, [p.detach().clone() for p in shape_params(net)]
        for p, v in zip(shape_params(net), pick or keep): p.copy_(v)
        revived += pick is not None
        if VERBOSE: print(f'channel {c}: ' + (f'revived, loss {(best / base - 1) * 100:+.3f}%' if pick else 'stays at 0'), flush=True)
    loss()
    return revived

def polish(mmm, loss, iters=100):
    ps = shape_params(mmm.net_)
    opt = torch.optim.LBFGS(ps, lr=1, max_iter=iters, history_size=20, line_search_fn='strong_wolfe', tolerance_grad=1e-10, tolerance_change=1e-12)
    def closure():
        opt.zero_grad(); l = loss(True); l.backward(); return l
    opt.step(closure)
    with torch.no_grad(): return float(loss())

def install(do_revive=True, do_polish=True):
    import copy
    from deepcausalmmm.train import DeepCausalMMM
    run = DeepCausalMMM._run
    def _run(self, X, fit_mask, val_mask, wgeo, epochs, desc):
        state, ep, hist = run(self, X, fit_mask, val_mask, wgeo, epochs, desc)
        if not (self.exact_linear and X['media'].shape[0] <= self.batch_geos and self._lift is None and val_mask is None): return state, ep, hist
        self.net_.load_state_dict(state)
        loss = make_loss(self, X, fit_mask, wgeo)
        for _ in range(2):
            n = revive(self, loss) if do_revive else 0
            if do_polish: polish(self, loss)
            if not n: break
        return copy.deepcopy(self.net_.state_dict()), ep, hist
    DeepCausalMMM._run = _run

if __name__ == '__main__':
    argv = sys.argv[1:]
    r, p = '--no-revive' not in argv, '--no-polish' not in argv
    VERBOSE = '--verbose' in argv; argv = [a for a in argv if a != '--verbose']
    install(r, p)
    argv = [a for a in argv if a not in ('--no-revive', '--no-polish')]
    if argv and argv[0] == 'forecast':
        from bench.forecast import main; argv = argv[1:]
    else: from bench.identification import main
    main(argv)
