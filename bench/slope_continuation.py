"""A measured lead, not adopted yet (issue 18, session 15): the Hill slope prior relaxed over the fit.

The first `frac` of the epochs run with the slope prior `factor` times its setting (every slope held near 1, the
shapes settle with the carryover), the rest at the setting, from where the first part stopped. Same epochs in all.

    python bench/slope_continuation.py identification 300 0.5 --worlds earned --seeds 0,1,2,10 --jobs 2 --tag cont300
    python bench/slope_continuation.py benchmark 300 0.5 --seeds 0 --skip-sim --skip-backtest

Measured (2 cores, earned world): family share error 1.344 -> 1.279 pp on seeds 0-2 and 10 (factor 30: 1.290;
factor 30 after the carryover sweep: 1.296), 1.307 -> 1.298 on held-out seeds 11-13; better on pulsed (0.73 -> 0.53),
drifting (1.29 -> 0.99), events (1.14 -> 1.00) and always-on (1.69 -> 1.63), worse on multiplicative (1.51 -> 1.66;
held-out 1.85 -> 2.30), within 0.05 pp elsewhere. Benchmark
(published split, seed 0): holdout 1.16 -> 1.06x the best naive, MAPE 6.99% -> 8.96% (naive 7.45%), placebo 0%.
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path: sys.path.append(str(ROOT))

def install(factor:float, frac:float):
    "Patch the estimator's training run: `frac` of the epochs with the slope prior's weight x factor (its sd / sqrt(factor)), then the rest at the setting."
    from deepcausalmmm.train import DeepCausalMMM
    run = DeepCausalMMM._run
    def _run(self, X, fit_mask, val_mask, wgeo, epochs, desc):
        hs, first = self.hill_slope_sd, max(1, int(epochs * frac))
        self.hill_slope_sd = hs / factor ** 0.5
        try: state, _, _ = run(self, X, fit_mask, val_mask, wgeo, first, desc)
        finally: self.hill_slope_sd = hs
        self.net_.load_state_dict(state)
        return run(self, X, fit_mask, val_mask, wgeo, epochs - first, desc)
    DeepCausalMMM._run = _run

if __name__ == '__main__':
    what, factor, frac, argv = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4:]
    install(factor, frac)
    if what == 'identification': from bench.identification import main
    elif what == 'benchmark': from bench.benchmark import main
    else: raise SystemExit("first argument: 'identification' or 'benchmark'")
    main(argv)
