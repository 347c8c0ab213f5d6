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

--continuation FACTOR,FRAC adds bench/slope_continuation.py's patch (the slope prior FACTOR times its setting for the
first FRAC of the epochs).
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path: sys.path.append(str(ROOT))

def install(lo:float=0.2, hi:float=5., parts:str='all'):
    "Patch MMMNet.forward: media terms times the detached baseline index ('all': level and season; 'season': the mean level and the season)."
    from deepcausalmmm.model import MMMNet
    fwd = MMMNet.forward
    def forward(self, media, controls, calendar, geo_idx=None):
        out = fwd(self, media, controls, calendar, geo_idx)
        n = self.dims['n_train']
        b = (out['baseline'] + (out['trend'] if parts == 'all' else 0.) + out['seasonality']).detach()
        ref = b[:, :n].mean(1, keepdim=True)
        idx = (b / ref.where(ref.abs() > 1e-6, ref.new_ones(()))).clamp(lo, hi)
        med = out['media'] * idx[..., None]
        out['pred'] = out['pred'] - out['media'].sum(-1) + med.sum(-1)
        out['media'], out['per_weight'] = med, out['per_weight'] * idx[..., None]
        return out
    MMMNet.forward = forward

if __name__ == '__main__':
    what, argv = sys.argv[1], sys.argv[2:]
    parts = 'all'
    if '--parts' in argv: i = argv.index('--parts'); parts = argv[i + 1]; del argv[i:i + 2]
    install(parts=parts)
    if '--continuation' in argv:
        i = argv.index('--continuation'); factor, frac = map(float, argv[i + 1].split(','))
        del argv[i:i + 2]
        from bench.slope_continuation import install as continuation
        continuation(factor, frac)
    if what == 'identification': from bench.identification import main
    elif what == 'benchmark': from bench.benchmark import main
    else: raise SystemExit("first argument: 'identification' or 'benchmark'")
    main(argv)
