"""The response-analysis acceptance check: fits of the package's own simulator scored against its exact truth.

    python bench/truth_check.py realistic                      # one fit + analysis + 3-member ensemble, timed (48 geos x 130 weeks x 6 channels)
    python bench/truth_check.py check --seeds 0,1,2,3,4,5 --members 5 --tag now
    python bench/truth_check.py check --seeds 0 --members 2 --tag smoke --quick   # a small panel, few epochs: the mechanics only

`check`: per seed, `simulate_panel(world=w, seed=seed)` for both worlds (they share impressions, KPI and controls; only the
spend columns differ, so one set of fits serves both); a main fit and an ensemble of `--members` (its first 3 members are the
default-size ensemble), once from the panel alone and once calibrated with one simulated go-dark test per channel
(`simulate_lift_tests`: half of the geos, 8 weeks + 2 post). Point estimates are ensemble medians, scored with
`compare_with_truth`; the budget also with the members' median ¾ step and median optimum, for comparison.
Writes bench/results/truth_check_<tag>_seeds.csv (one row per calibrated x world x seed x ensemble size),
_means.csv (means over seeds) and _channels.csv (per channel, 5-member ensembles).

This was the end of the response-analysis chapter (its `slow` cells). The files without a tag
(truth_check_seeds.csv, _means.csv, _channels.csv) are that chapter's stored outputs as last executed
(commit d2b207f, 6 seeds, 5 members; `_channels` is seed 0, paid world only); the validation page reads them.
One torch thread; wall-clock seconds on a 2-core machine shared with other work.
"""
from __future__ import annotations
import argparse, sys, time
from pathlib import Path
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path: sys.path.append(str(ROOT))


def _small(quick):
    "Panel and fit settings: the default 48-geo panel, or a small one for a smoke run."
    return (dict(n_geos=6, n_weeks=60, n_channels=3, holdout_weeks=8), dict(epochs=20)) if quick else ({}, {})


def realistic(quick=False):
    "The realistic run: fit, analysis and a 3-member ensemble on the paid world of seed 0, timed."
    import torch
    from deepcausalmmm.data import simulate_panel
    from deepcausalmmm.train import DeepCausalMMM
    from deepcausalmmm.analysis import Scenarios, channel_summary, response_curves, optimize_budget, fit_ensemble, start_sensitivity
    panel_kw, fit_kw = _small(quick)
    sim = simulate_panel(world='paid', seed=0, **panel_kw)
    train, full = sim.split()
    t0 = time.time(); big = DeepCausalMMM(progress=False, seed=0, **fit_kw).fit(train); t_fit = time.time() - t0
    t0 = time.time()
    sc = Scenarios(big, full)
    channel_summary(big, full, scenarios=sc); response_curves(big, full, scenarios=sc); optimize_budget(big, full, scenarios=sc)
    t_an = time.time() - t0
    print(f'fit {t_fit:.1f} s + analysis {t_an:.1f} s on {torch.get_num_threads()} thread(s); holdout r2 {big.score(full)["r2"]:.3f}')
    t0 = time.time(); ens = fit_ensemble(train, n=3, base=big)
    print(ens.channel_summary(full).round(3).to_string()); ens.optimize_budget(full)
    print(f'ensemble of {len(ens)}: {time.time() - t0:.1f} s more')
    t0 = time.time(); print(start_sensitivity(big, full).round(3).to_string()); print(f'start_sensitivity {time.time() - t0:.1f} s')


def truth_check(seed:int, n:int=5, calibrated:bool=False, quick:bool=False):
    "Metrics per world for one seed: ensemble-median estimates against the truth (calibrated: with one lift test per channel)."
    from deepcausalmmm.data import simulate_panel, simulate_lift_tests
    from deepcausalmmm.train import DeepCausalMMM
    from deepcausalmmm.analysis import (Scenarios, Ensemble, channel_summary, response_curves, optimize_budget, fit_ensemble,
                                        truth_optimum, compare_with_truth)
    panel_kw, fit_kw = _small(quick)
    sims = {w: simulate_panel(world=w, seed=seed, **panel_kw) for w in ('earned', 'paid')}
    a, b = sims['earned'].df, sims['paid'].df
    assert a.drop(columns=[c for c in a if c.endswith('_spend')]).equals(b.drop(columns=[c for c in b if c.endswith('_spend')]))
    train, _ = sims['earned'].split()
    tests = simulate_lift_tests(sims['earned'], seed=seed) if calibrated else None   # the same experiments in both worlds
    t0 = time.time(); main = DeepCausalMMM(progress=False, seed=seed, **fit_kw).fit(train, lift_tests=tests); t_fit = time.time() - t0
    t0 = time.time(); ens = fit_ensemble(train, n=n, base=main); t_ens = time.time() - t0
    rows, tabs = [], []
    for w, s in sims.items():
        full = s.split()[1]
        t0 = time.time()
        sc = Scenarios(main, full); channel_summary(main, full, scenarios=sc); response_curves(main, full, scenarios=sc); optimize_budget(main, full, scenarios=sc)
        t_an = time.time() - t0
        opt = truth_optimum(s.truth)
        for size in sorted({n, min(3, n)}, reverse=True):
            e = Ensemble(ens.models[:size]); cs, rc = e.channel_summary(full), e.response_curves(full)
            met, tab = compare_with_truth(s.truth, cs, rc, e.optimize_budget(full), opt)
            for k, st in (('step1', 1.), ('step075', 0.75)):   # the members' median optimum and median ¾ step, for comparison
                met[f'budget_gain_share_{k}'] = compare_with_truth(s.truth, cs, rc, e.optimize_budget(full, step=st), opt)[0]['budget_gain_share']
            rows.append(dict(calibrated=calibrated, seed=seed, world=w, members=size, **met, fit_s=t_fit, analysis_s=t_an, ensemble_fit_s=t_ens))
            if size == n: tabs.append(tab.rename_axis('channel').reset_index().assign(calibrated=calibrated, seed=seed, world=w))
    return rows, tabs


def check(seeds, members, tag, quick=False):
    import torch
    torch.set_num_threads(1)
    t0 = time.time()
    out = [truth_check(s, n=members, calibrated=c, quick=quick) for c in (False, True) for s in seeds]
    acc = pd.DataFrame([r for rows, _ in out for r in rows])
    per_channel = pd.concat([t for _, tabs in out for t in tabs])
    means = acc.groupby(['calibrated', 'world', 'members']).mean(numeric_only=True).drop(columns='seed').reset_index()
    res = ROOT/'bench'/'results'
    for name, df in (('seeds', acc), ('means', means), ('channels', per_channel)):
        df.round(6).to_csv(res/f'truth_check_{tag}_{name}.csv', index=False)
    key = ['share_err_pp_mean', 'share_err_pp_max', 'roi_rel_err_median', 'curve_err_0_5', 'curve_err_1_5', 'budget_gain_share', 'coverage']
    print(means.set_index(['calibrated', 'world', 'members'])[key].round(3).T.to_string())
    print(f'{time.time() - t0:.0f} s')


if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('what', choices=['realistic', 'check'])
    ap.add_argument('--seeds', default='0,1,2,3,4,5')
    ap.add_argument('--members', type=int, default=5)
    ap.add_argument('--tag', default='now')
    ap.add_argument('--quick', action='store_true', help='a small panel and 20 epochs: checks the mechanics, not the accuracy')
    a = ap.parse_args()
    if a.what == 'realistic': realistic(a.quick)
    else: check([int(s) for s in a.seeds.split(',')], a.members, a.tag, a.quick)
