"""How far should a single model's budget move towards its optimum? (issues 18 and 20: the cautious step, `step=0.75`)

    python bench/budget_step.py family TAG        # re-scores a saved `bench/identification.py` run (no refit)
    python bench/budget_step.py sim SEEDS         # the package's own simulator: one default fit per seed and world

family: each run's plan at `step` λ is rebuilt from its ¾-step multipliers (1 + (m - 1) λ/0.75, within the bounds), put
on today's true spend as `bench/identification.py` does, and scored as the share of the attainable true gain it realises
(runs whose attainable gain is under 0.5% of the KPI left out, as there). At λ = 0.75 this reproduces the run's own
`budget_gain_share_on_budget`. sim: `simulate_panel(seed, world)`, the default fit, `optimize_budget(step=1)`, then
the plan at each λ put on today's true spend (the same projection as for the family) and scored against `truth_optimum`.
Prints the mean and the worst share per split and world, for λ = 0.5, 0.75, 0.9, 1.
"""
import sys, warnings, json
from pathlib import Path
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path: sys.path.append(str(ROOT))
STEPS = (0.5, 0.75, 0.9, 1.0)

def family(tag:str) -> pd.DataFrame:
    from bench.family import make
    from bench.identification import _on_true_budget, MIN_GAIN_PCT
    res = ROOT / 'bench' / 'results'
    runs = pd.read_csv(res / f'identification_{tag}.csv'); runs = runs[runs.status == 'ok']
    ch = pd.read_csv(res / f'identification_{tag}_channels.csv')
    tail = json.load(open(res / f'identification_{tag}_summary.json'))['tail']
    rows = []
    for _, r in runs.iterrows():
        tr = make(r.variant, r.world, int(r.seed)).truth
        c = ch[(ch.variant == r.variant) & (ch.world == r.world) & (ch.seed == r.seed) & (ch.split == r.split)].set_index('channel').reindex(tr.channels)
        now, best = tr.outcome(None, tail), tr.optimum((0.5, 2.), tail).attrs['outcome']
        if best - now < MIN_GAIN_PCT / 100 * now: continue
        m75 = c.model_multiplier.to_numpy()
        rows.append(dict(split=r.split, world=r.world, variant=r.variant, seed=r.seed,
                         **{f'step {s:g}': (tr.outcome(_on_true_budget(tr, np.clip(1 + (m75 - 1) * s / 0.75, 0.5, 2.)), tail) - now) / (best - now) for s in STEPS}))
    return pd.DataFrame(rows)

def sim(seeds:list) -> pd.DataFrame:
    import torch; torch.set_num_threads(1)
    from deepcausalmmm.simulate import simulate_panel
    from deepcausalmmm.train import DeepCausalMMM
    from deepcausalmmm.analysis import optimize_budget
    from deepcausalmmm.truth import truth_optimum
    from bench.identification import _on_true_budget
    rows = []
    for seed in seeds:
        for world in ('earned', 'paid'):
            s = simulate_panel(seed=seed, world=world); train, _ = s.split(); tr = s.truth
            m1 = optimize_budget(DeepCausalMMM(progress=False, seed=seed).fit(train), train, bounds=(0.5, 2.), step=1.).table.multiplier.reindex(tr.channels).to_numpy()
            opt = truth_optimum(tr, (0.5, 2.)); now, best = opt.attrs['outcome_now'], opt.attrs['outcome']
            rows.append(dict(split='sim', world=world, variant='package simulator', seed=seed, gain_pct=100 * (best - now) / now,
                             **{f'step {st:g}': (tr.outcome(dict(zip(tr.channels, _on_true_budget(tr, 1 + st * (m1 - 1))))) - now) / (best - now) for st in STEPS}))
            print(rows[-1], flush=True)
    return pd.DataFrame(rows)

if __name__ == '__main__':
    warnings.filterwarnings('ignore'); pd.set_option('display.width', 200)
    what, arg = sys.argv[1], sys.argv[2]
    d = family(arg) if what == 'family' else sim([int(s) for s in arg.split(',')])
    cols = [f'step {s:g}' for s in STEPS]
    print(d.groupby(['split', 'world'])[cols].agg(['mean', 'min']).round(3).to_string())
