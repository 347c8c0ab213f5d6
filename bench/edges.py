"""Edges earned before they are propagated (issue 20): on the simulator family (`bench/family.py`), does the fit's
edge test keep co-scheduled channels apart and recover a real spillover whose timing differs from its parent's carryover?

    python bench/edges.py [--variants pulsed,co_scheduled] [--worlds earned,paid] [--seeds 0,1,2] [--heldout 10] [--tag NAME]

The family's only true edge is tv -> search (its lag kernel peaks 1-2 weeks after tv; tv's KPI carryover is its own);
in `co_scheduled`, podcast runs exactly one week after radio in the same geos with no causal link. Per run, with the
package's defaults (`edges='earned'`):
- learned and earned edges; `false_earned`: earned edges that are not tv -> search;
- for every channel without a true edge to another: |total / direct - 1| (should be 0: nothing propagated);
- the spillover: the model's activity induced in search by tv over the window (its earned kernel over tv's observed
  activity) against the truth's, the extra KPI tv's total contribution counts for it (total - direct) against the
  truth's, and the kernel's peak week against the truth's.
Rows go to bench/results/edges_<tag>.csv; acceptance and held-out seeds are printed apart.
"""
from __future__ import annotations
import argparse, sys, time, warnings
from pathlib import Path
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path: sys.path.append(str(ROOT))
from bench.family import make, HOLDOUT, PARENT, CHILD


def run_one(variant, world, seed, split):
    import torch; torch.set_num_threads(1)
    from deepcausalmmm.data import Panel
    from deepcausalmmm.train import DeepCausalMMM
    from deepcausalmmm.analysis import Scenarios, contributions
    w = make(variant, world, seed); tr = w.truth
    with warnings.catch_warnings():
        warnings.simplefilter('ignore'); panel = Panel.from_frame(w.frame, **w.cols)
    train, _ = panel.split(HOLDOUT)
    mmm = DeepCausalMMM(progress=False, seed=seed).fit(train)
    name = dict(zip(train.channels, tr.channels)); ch = tr.channels
    p, k = ch.index(PARENT), ch.index(CHILD)
    learned = [(ch[i], ch[j]) for i, j in zip(*np.nonzero(mmm.dag_))]
    earned = [(ch[i], ch[j]) for i, j in zip(*np.nonzero(mmm.dag_earned_))]
    sc = Scenarios(mmm, train)
    ct = contributions(mmm, train, scenarios=sc).rename(index=name)
    ttab = tr.table()
    ratio = (ct.contribution / ct.direct_contribution - 1).abs()
    lonely = [c for c in ch if c not in (PARENT,)]           # channels with no true child: total must equal direct
    ref = np.asarray(mmm.scaler_.media_ref_, float)
    ind = sc.induced.cpu().numpy()[..., k] * (ref[:, None, k] if ref.ndim == 2 else ref[k])
    win = sc.window
    unit = train.media[..., p].sum() / tr.activity()[:, :train.n_times, p].sum()          # panel units per unit of the truth's activity
    true_ind = unit * tr.induced(tr.planned_at())[:, :train.n_times][:, win].sum()
    K = mmm.edge_kernels('learned')[p, k]
    ev = mmm.dag_evidence_.table if mmm.dag_evidence_ is not None else pd.DataFrame(columns=['source', 'target', 'p_value'])
    pv = {(name.get(r.source, r.source), name.get(r.target, r.target)): r.p_value for r in ev.itertuples()}
    row = dict(variant=variant, world=world, seed=seed, split=split, fit_seconds=round(mmm.fit_seconds_, 1),
               learned=' '.join(f'{a}->{b}' for a, b in learned), earned=' '.join(f'{a}->{b}' for a, b in earned),
               false_earned=sum((a, b) != (PARENT, CHILD) for a, b in earned),
               spill_earned=(PARENT, CHILD) in earned, spill_p=pv.get((PARENT, CHILD), np.nan),
               total_vs_direct_max=float(ratio[lonely].max()),
               induced_rel_err=float(ind[:, win].sum() / true_ind - 1),
               spill_kpi_rel_err=float((ct.contribution[PARENT] - ct.direct_contribution[PARENT]) / (ttab.contribution[PARENT] - ttab.direct[PARENT]) - 1),
               kernel_peak=int(np.argmax(np.abs(K))) if K.any() else -1, true_peak=int(np.argmax(tr.spill)))
    if variant == 'co_scheduled': row['radio_podcast_p'] = pv.get(('radio', 'podcast'), np.nan)
    return row


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--variants', default='pulsed,co_scheduled'); ap.add_argument('--worlds', default='earned,paid')
    ap.add_argument('--seeds', default='0,1,2'); ap.add_argument('--heldout', default='10'); ap.add_argument('--tag', default='run')
    a = ap.parse_args()
    jobs = [(v, wd, int(s), sp) for sp, ss in (('acceptance', a.seeds), ('heldout', a.heldout)) for s in ss.split(',') if s
            for v in a.variants.split(',') for wd in a.worlds.split(',')]
    rows = []
    for j in jobs:
        t0 = time.time(); rows.append(run_one(*j)); print(f'{j}: {time.time() - t0:.0f} s', flush=True)
    df = pd.DataFrame(rows)
    out = ROOT/'bench'/'results'/f'edges_{a.tag}.csv'; out.parent.mkdir(exist_ok=True); df.to_csv(out, index=False)
    pd.set_option('display.width', 250)
    for sp, d in df.groupby('split', sort=False):
        print(f'\n== {sp} seeds ==')
        print(d.drop(columns=['split']).to_string(index=False, float_format=lambda x: f'{x:.3f}'))
        print(f"false earned edges: {int(d.false_earned.sum())} in {len(d)} runs; spillover earned in {int(d.spill_earned.sum())}/{len(d)}; "
              f"max |total/direct - 1| of channels with no true child: {d.total_vs_direct_max.max():.4f}; "
              f"induced activity error median {d.induced_rel_err.abs().median():.3f} (max {d.induced_rel_err.abs().max():.3f}); "
              f"spillover KPI error median {d.spill_kpi_rel_err.abs().median():.3f}")


if __name__ == '__main__': main()
