"""Revival against a placebo (issue 18, session 16): a channel at weight 0 is revived only when its best kernel lowers
the loss more than the same kernels do on its own activity shifted by half the training weeks in every geo (same
levels, same autocorrelation, wrong timing).

    python bench/revive_null.py identification|forecast [arguments...]
"""
import sys
from pathlib import Path
import torch

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path: sys.path.append(str(ROOT))
LOG = []

def install():
    import deepcausalmmm.settle as S, deepcausalmmm.train as T
    mk = T._projected_loss
    def _projected_loss(mmm, X, fit_mask, wgeo, rounds=2):
        f = mk(mmm, X, fit_mask, wgeo, rounds); f.X = X; return f
    @torch.no_grad()
    def revive_channels(net, loss, kernels=S.REVIVE_KERNELS, floor=1e-5):
        X, revived = loss.X, []
        for c in range(len(net.beta)):
            if float(net.beta[c]) > floor: continue
            keep = [p.detach().clone() for p in S.shape_parameters(net)]
            base = float(loss())
            def best_gain():
                best, pick = base, None
                for peak, decay in kernels:
                    S.set_kernel(net, c, peak, decay)
                    l = float(loss())
                    if l < best and float(net.beta[c]) > floor: best, pick = l, [p.detach().clone() for p in S.shape_parameters(net)]
                return base - best, pick
            g, pick = best_gain()
            if pick:
                x = X['media'][:, :, c].clone()
                X['media'][:, :, c] = torch.roll(x, x.shape[1] // 2, dims=1)
                g0, _ = best_gain()
                X['media'][:, :, c] = x
                print(f'channel {c}: gain {g / base * 100:.3f}% against placebo {g0 / base * 100:.3f}%', flush=True)
                if g <= g0: pick = None
            for p, v in zip(S.shape_parameters(net), pick or keep): p.copy_(v)
            if pick: revived.append(c)
        loss()
        return revived
    S.revive_channels, T._projected_loss = revive_channels, _projected_loss

if __name__ == '__main__':
    install()
    what, argv = sys.argv[1], sys.argv[2:]
    if what == 'forecast': from bench.forecast import main
    else: from bench.identification import main
    main(argv)
