"""What an ROI prior on the always-on channels buys (issue 18, session 19), on the simulator family.

The family's always-on channels are where the data decide least: their totals extrapolate the curve below a floor the
panel never leaves. A user who knows such a channel's ROI roughly (from earlier experiments or an earlier model) can
say so with `roi_prior`. This script fits the identification harness with, for every always-on channel, a prior whose
mean is FACTOR times the channel's true direct ROI over the training weeks and whose sd is SD times that truth:

    python bench/roi_prior.py FACTOR SD [identification arguments...]
    python bench/roi_prior.py 1.0 0.3 --seeds 0,1,2 --heldout 10 --jobs 2 --tag s19roi_1_03

FACTOR 1 is a right belief, 1.5 a belief 50% too high; SD 0.3 a belief within about 30%.
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path: sys.path.append(str(ROOT))

def install(factor:float, sd:float):
    "Patch the harness: each world's fit gets ROI priors on its always-on channels from that world's truth."
    import bench.identification as ident
    from deepcausalmmm.train import DeepCausalMMM
    make, fit = ident.make, DeepCausalMMM.fit
    state = {}
    def _make(*a, **k):
        w = make(*a, **k); state['w'] = w; return w
    def _fit(self, panel, *a, **k):
        w = state.get('w')
        if w is not None and not self.roi_prior:
            tab = w.truth.table(0)
            pri = {}
            for col, c in zip(panel.channels, w.truth.channels):
                t = tab.loc[c]
                if t.always_on and t.spend > 0:
                    roi = float(t.direct / t.spend)
                    pri[col] = (factor * roi, sd * roi)
            self.roi_prior = pri or None
        return fit(self, panel, *a, **k)
    ident.make, DeepCausalMMM.fit = _make, _fit

if __name__ == '__main__':
    factor, sd, argv = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3:]
    install(factor, sd)
    from bench.identification import main
    main(argv)
