"""An experiment (issue 18, session 19): channel effects that follow the baseline's seasonal level.

The package's media terms are additive and static: a channel adds the same KPI for the same activity in a high and
a low week. The family's `multiplicative` variant does not (KPI = b[g,t] * (1 + sum_c M)), and there a lower loss has
meant a worse attribution, which kept the optimiser changes that help every other variant out (carryover sweep,
L-BFGS polish, slope continuation). This patch multiplies every media term by the baseline's index in its geo,
idx[g,t] = (level + seasonal)[g,t] / its mean over the training weeks, held out of the gradient (clamped to
[0.2, 5]); the exact solve sees the index of the forward pass before it, and counterfactuals keep it (the baseline does
not depend on media).

    python bench/media_follows_baseline.py identification --seeds 0,1,2 --heldout 10 --jobs 2 --tag mfb
    python bench/media_follows_baseline.py identification --continuation 300,0.5 --seeds 0,1,2 --heldout 10 --jobs 2 --tag mfbc
    python bench/media_follows_baseline.py benchmark --seeds 0 --skip-sim --skip-backtest
    python bench/media_follows_baseline.py world multiplicative 10 --learned 0.05    # one earned-world fit: rho, direct errors

--learned RHO0 raises the index to a power rho in [0, 1] that the fit learns with the media parameters, started at RHO0
(session 21, `--learned 0.05`, earned world, defaults otherwise): rho came out 0.18 on the multiplicative variant's seed 10
and 0.30 on pulsed seed 2, whose media are additive. On the multiplicative panel the always-on display then took
+40 pp of the KPI (an always-on channel times the baseline index is a second baseline the solve trades freely); on
pulsed the mean direct error went 0.82 -> 0.89 pp. Not adopted.

--continuation FACTOR,FRAC adds bench/slope_continuation.py's patch (the slope prior FACTOR times its setting for the
first FRAC of the epochs).
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path: sys.path.append(str(ROOT))

def install(lo:float=0.2, hi:float=5., parts:str='all', learned:float|None=None):
    """Patch MMMNet.forward: media terms times the detached baseline index ('all': level and season; 'season': the mean level and the season).
    `learned`: the index is raised to a power rho in [0, 1] that the fit learns with the media parameters, started at `learned`."""
    import torch
    from deepcausalmmm.model import MMMNet
    fwd, init = MMMNet.forward, MMMNet.__init__
    if learned is not None:
        def __init__(self, *a, **k):
            init(self, *a, **k)
            self.rho_raw = torch.nn.Parameter(torch.logit(torch.tensor(float(learned))))
        MMMNet.__init__ = __init__
    def forward(self, media, controls, calendar, geo_idx=None):
        out = fwd(self, media, controls, calendar, geo_idx)
        n = self.dims['n_train']
        b = (out['baseline'] + (out['trend'] if parts == 'all' else 0.) + out['seasonality']).detach()
        ref = b[:, :n].mean(1, keepdim=True)
        idx = (b / ref.where(ref.abs() > 1e-6, ref.new_ones(()))).clamp(lo, hi)
        if learned is not None: idx = idx ** torch.sigmoid(self.rho_raw)
        med = out['media'] * idx[..., None]
        out['pred'] = out['pred'] - out['media'].sum(-1) + med.sum(-1)
        out['media'], out['per_weight'] = med, out['per_weight'] * idx[..., None]
        return out
    MMMNet.forward = forward

def one_world(variant:str, seed:int):
    "Fit one earned-world panel of the family with the patch installed; print rho (when learned) and each channel's direct error (pp)."
    import warnings, numpy as np, torch
    from bench.family import make, HOLDOUT
    from deepcausalmmm.data import Panel
    from deepcausalmmm.train import DeepCausalMMM
    from bench.true_shapes import direct_error_pp
    warnings.filterwarnings('ignore'); torch.set_num_threads(1)
    w = make(variant, 'earned', seed); tr = w.truth
    train, _ = Panel.from_frame(w.frame, **w.cols).split(HOLDOUT)
    m = DeepCausalMMM(progress=False, seed=seed).fit(train)
    err = direct_error_pp(m, train, tr)
    rho = float(torch.sigmoid(m.net_.rho_raw)) if hasattr(m.net_, 'rho_raw') else None
    print(f'{variant} seed {seed}: rho {rho}, direct error (pp)', dict(zip(tr.channels, err.round(2).tolist())), f'mean |error| {np.abs(err).mean():.2f}')

if __name__ == '__main__':
    what, argv = sys.argv[1], sys.argv[2:]
    parts, learned = 'all', None
    if '--parts' in argv: i = argv.index('--parts'); parts = argv[i + 1]; del argv[i:i + 2]
    if '--learned' in argv: i = argv.index('--learned'); learned = float(argv[i + 1]); del argv[i:i + 2]
    install(parts=parts, learned=learned)
    if '--continuation' in argv:
        i = argv.index('--continuation'); factor, frac = map(float, argv[i + 1].split(','))
        del argv[i:i + 2]
        from bench.slope_continuation import install as continuation
        continuation(factor, frac)
    if what == 'world': main = lambda argv: one_world(argv[0], int(argv[1]))
    elif what == 'identification': from bench.identification import main
    elif what == 'benchmark': from bench.benchmark import main
    else: raise SystemExit("first argument: 'world', 'identification' or 'benchmark'")
    main(argv)
