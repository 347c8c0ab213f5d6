"""How the whole job scales with the number of geos: fit, contributions, response curves, curve points, budget and an ensemble.

For each geo count the simulator's panel (104 weeks, 10 channels, seed 0) is fitted for 20 epochs (one cycle: `cycles=1`, as the fits of
session 22 and before; the ensemble's members inherit it) and every step of
the job is timed on its own, each geo count in a fresh Python process so that the peak memory is its own.

    OMP_NUM_THREADS=2 .venv/bin/python bench/scale.py --geos 200,2000

prints one table and writes bench/results/scale.csv: geos, step, seconds, microseconds per geo-week (geos x 104
weeks) and the process's peak resident memory after the step (GB; a running peak, so the step that raised it is the
first one showing it).
"""
import argparse, json, os, resource, subprocess, sys, time, warnings
from pathlib import Path

WEEKS, CHANNELS = 104, 10

def one(G:int, epochs:int, ensemble:int) -> list:
    "Time each step for G geos in this process; one dict per step."
    from deepcausalmmm.data import simulate_panel
    from deepcausalmmm.train import DeepCausalMMM
    from deepcausalmmm.analysis import Scenarios, channel_summary, response_curves, curve_points, optimize_budget, fit_ensemble
    warnings.filterwarnings('ignore')
    rows = []
    def step(name, f):
        t0 = time.perf_counter(); out = f(); s = time.perf_counter() - t0
        rows.append(dict(geos=G, step=name, seconds=round(s, 2), us_per_geo_week=round(1e6 * s / (G * WEEKS), 1),
                         peak_gb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, 2)))
        print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
        return out
    sim = step('simulate', lambda: simulate_panel(n_geos=G, n_weeks=WEEKS, n_channels=CHANNELS, seed=0))
    train, full = sim.split()
    mmm = step('fit', lambda: DeepCausalMMM(epochs=epochs, cycles=1, progress=False).fit(train))
    sc = step('scenarios', lambda: Scenarios(mmm, full))
    step('contributions', lambda: channel_summary(mmm, full, scenarios=sc))
    step('response_curves', lambda: response_curves(mmm, full, scenarios=sc))
    step('curve_points', lambda: curve_points(mmm, full, scenarios=sc))
    step('budget', lambda: optimize_budget(mmm, full, scenarios=sc))
    if ensemble > 1: step(f'ensemble_{ensemble}', lambda: fit_ensemble(train, n=ensemble, base=mmm, jobs=1))
    return rows

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--geos', default='200,2000,10000', help='comma-separated geo counts')
    ap.add_argument('--epochs', type=int, default=20)
    ap.add_argument('--ensemble', type=int, default=3, help='members of the ensemble step (1: skip it)')
    ap.add_argument('--out', default=str(Path(__file__).parent/'results'/'scale.csv'))
    ap.add_argument('--one', type=int, default=None, help=argparse.SUPPRESS)   # the child: one geo count, JSON rows on stdout
    a = ap.parse_args(argv)
    if a.one is not None:
        print(json.dumps(one(a.one, a.epochs, a.ensemble))); return
    import pandas as pd
    rows = []
    for G in [int(g) for g in a.geos.split(',')]:
        r = subprocess.run([sys.executable, __file__, '--one', str(G), '--epochs', str(a.epochs), '--ensemble', str(a.ensemble)],
                           stdout=subprocess.PIPE, text=True, check=True)
        rows += json.loads(r.stdout.strip().splitlines()[-1])
    df = pd.DataFrame(rows)
    print(df.to_string(index=False))
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(a.out, index=False)
    print(f'written {a.out} (threads: OMP_NUM_THREADS={os.environ.get("OMP_NUM_THREADS", "unset")}, cores: {os.cpu_count()})')

if __name__ == '__main__': main()
