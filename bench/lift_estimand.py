"""Lift tests the panel itself records (issue 20): is the model's lift matched to the measured one?

    python bench/lift_estimand.py --seeds 0,1,2 [--tag NAME]

Per seed: `simulate_panel(seed=s)` and one test per channel (`simulate_lift_tests`, half the geos, 8 weeks + 2 post). A
second panel *records* the tests: the simulator's truth recomputed with each tested channel scaled by the multiplier in
its test cells (children's induced activity follows), the same noise and outliers added. Measured:
  bau_err        reconstruction of business-as-usual activity in the go-dark cells (`bau_media`) against the truth's:
                 |sum ratio - 1| per test, and the cell-by-cell relative error (sum |rec - true| / sum true)
  cal_*          a fit calibrated with the tests: share error of the tested channels (pp of KPI, against the truth's
                 total contributions), mean |z|, fitted / true lift; for the BAU panel (recorded=False, the reference),
                 the recorded panel read as recorded=True, and (scale tests only, multiplier 0.5) the recorded panel read
                 the old way (recorded=False: f(m·x) - f(x) on the test's media)
Rows go to bench/results/lift_estimand_<tag>.csv.
"""
from __future__ import annotations
import argparse, sys
from pathlib import Path
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path: sys.path.append(str(ROOT))


def recorded_panel(sim, tests):
    "The simulation's panel with the tests in it: media, spend and KPI of a world where they ran (same noise and outliers), and the (G, T, C) scale."
    import dataclasses
    from deepcausalmmm.lift import check_lift_tests
    tr, p = sim.truth, sim.panel()
    assert list(p.geos) == list(tr.geos) and list(p.channels) == tr.channels
    S = np.ones_like(tr.planned)
    for r in check_lift_tests(tests, p).itertuples():
        S[np.ix_(r.geo_idx, np.arange(r.t0, r.t1 + 1), [tr.channels.index(r.channel)])] = r.multiplier
    A = tr.activity(scale=S) * tr.activity_ref[:, None]
    y = tr.expected_kpi(scale=S) + (p.target - tr.kpi_mean)
    return dataclasses.replace(p, media=A, target=y, spend=None if p.spend is None else p.spend * S), S


def main(seeds, tag):
    import torch
    torch.set_num_threads(1)
    from deepcausalmmm.data import simulate_panel, simulate_lift_tests
    from deepcausalmmm.train import DeepCausalMMM
    from deepcausalmmm.lift import bau_media, check_lift_tests
    rows = []
    for s in seeds:
        sim = simulate_panel(seed=s)
        tr = sim.truth
        kpi = tr.kpi_mean[:, :tr.n_train].sum()
        n_hold = sim.holdout_weeks
        for mult in (0., 0.5):
            lt = simulate_lift_tests(sim, seed=s, multiplier=mult)
            rec, S = recorded_panel(sim, lt)
            bau_p, rec_p = sim.panel().split(n_hold)[0], rec.split(n_hold)[0]
            if mult == 0:
                chk = check_lift_tests(lt.assign(recorded=True), rec_p)
                true_bau = tr.activity() * tr.activity_ref[:, None]
                for r in chk.itertuples():
                    c = tr.channels.index(r.channel)
                    t = true_bau[np.ix_(r.geo_idx, np.arange(r.t0, r.t1 + 1), [c])][..., 0]
                    rows.append(dict(seed=s, multiplier=mult, what='bau_reconstruction', channel=r.channel,
                                     bau_sum_err=abs(r.bau.sum() / t.sum() - 1), bau_cell_err=np.abs(r.bau - t).sum() / t.sum()))
            cases = [('bau panel, recorded=False', bau_p, False), ('recorded panel, recorded=True', rec_p, True)]
            if mult > 0: cases.append(('recorded panel, recorded=False (old)', rec_p, False))
            for name, p, flag in cases:
                m = DeepCausalMMM(progress=False, seed=s).fit(p, lift_tests=lt.assign(recorded=flag))
                dec = m.decompose(p)
                est = np.array([dec[c][:, :tr.n_train].sum() for c in tr.channels])
                share = (est - tr.total.to_numpy()) / kpi * 100
                t = m.lift_tests_
                rows.append(dict(seed=s, multiplier=mult, what=name, share_err_pp_mean=np.abs(share).mean(), share_err_pp_max=np.abs(share).max(),
                                 z_abs_mean=t.z.abs().mean(), fitted_over_true_median=float(np.median(t.fitted_lift / lt.true_lift)),
                                 fitted_over_true_mean=float(np.mean(t.fitted_lift / lt.true_lift))))
                print(pd.DataFrame(rows[-1:]).round(3).to_string(), flush=True)
    df = pd.DataFrame(rows)
    df.to_csv(ROOT/'bench'/'results'/f'lift_estimand_{tag}.csv', index=False)
    num = [c for c in df if c not in ('seed', 'multiplier', 'what', 'channel')]
    print(df.groupby(['multiplier', 'what'])[num].mean().round(3).to_string())


if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--seeds', default='0,1,2')
    ap.add_argument('--tag', default='run')
    a = ap.parse_args()
    main([int(x) for x in a.seeds.split(',')], a.tag)
