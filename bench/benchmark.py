"""Benchmark: DeepCausalMMM on the public panel against the naive forecasts, and on simulated panels against the truth.

    python bench/benchmark.py [--data PATH] [--seeds 0,1,2] [--sim-seeds 0,1,2] [--threads 2] [--skip-sim] [--skip-backtest] [--keep-outages]

Real panel (`MMM Data.csv`, Table-1 split: weeks 0-95 train, 96-108 holdout), scored only on DMA-weeks present
in the file. First the rolling-origin backtest inside the training weeks (origins at weeks 70 and 83, 13-week
forecasts) chooses between the package defaults and geo_weight=2, squared error in KPI units (`select_settings`);
the holdout is never used to choose anything. Then one table with the defaults and the chosen settings (each seed
and the seed-median), the four naive forecasts and the published numbers, plus fit seconds and the share of
`Channel_10_null`. The 13 DMAs' zero-visit outage in training weeks 16-23 is masked
(`load_benchmark(mask_outages=True)`, also chosen on that backtest; no holdout row changes); --keep-outages fits
those rows as real zeros. Results also go to bench/results/benchmark.json.
Simulated panels: direct shares against the truth, fitted from the panel alone and with one simulated lift test
per channel (calibrated). Skips the real panel cleanly when the file is absent.
"""
import argparse, json, os, platform, sys, time
from pathlib import Path
import numpy as np
import pandas as pd
import torch

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = [('DeepCausalMMM 1.0.21 (published, default settings, run here)', dict(rmse=230e3, mape=19.9, seconds=1.75 * 3600)),
             ('PyMC-Marketing (published)', dict(rmse=482e3, seconds=6000))]

def _row(name, m, seconds=None):
    return dict(method=name, r2=m.get('r2'), rmse=m.get('rmse'), mae=m.get('mae'), mape=m.get('mape'), within_r2=m.get('within_r2'), seconds=seconds)

CANDIDATES = {'defaults': {}, 'geo_weight=2': dict(geo_weight=2.0)}

def select(train, seeds, note):
    "The rolling-origin backtest inside the training weeks picks the settings the holdout is forecast with."
    from deepcausalmmm.selection import select_settings
    t0 = time.time(); best, tab = select_settings(train, CANDIDATES, seeds=seeds, progress=False)
    note(f'  backtest of {len(CANDIDATES)} candidates: {time.time() - t0:.0f} s; chosen: {best}')
    return best, tab

def real_panel(panel, seeds, note, chosen='defaults', threads=1):
    from deepcausalmmm.train import DeepCausalMMM, naive_forecasts, regression_metrics
    train, full = panel.split(13)
    mask = full.observed & (np.arange(full.n_times) >= full.n_train)[None]
    rows, shares = [], {}
    for name in dict.fromkeys(['defaults', chosen]):
        preds, sh, first = [], [], len(rows)
        for s in seeds:
            m = DeepCausalMMM(seed=s, progress=False, threads=threads, **CANDIDATES[name]).fit(train)   # the estimator's own threads, not torch's setting
            P = m.predict(full); preds.append(P)
            rows.append(_row(f'DeepCausalMMM, {name} (seed {s})', regression_metrics(full.target, P, mask), m.fit_seconds_))
            parts = m.decompose(train)
            tot = sum(v[train.observed].sum() for v in parts.values())
            sh.append({c: parts[c][train.observed].sum() / tot for c in panel.channels})
            note(f'  {name}, seed {s}: fit {m.fit_seconds_:.1f} s, {m.best_epoch_} epochs, holdout rmse {rows[-1]["rmse"]/1e3:.1f}k')
        if len(seeds) > 1:
            rows.append(_row(f'DeepCausalMMM, {name} (median of {len(seeds)} seeds\' predictions)', regression_metrics(full.target, np.median(preds, 0), mask),
                             sum(r['seconds'] for r in rows[first:])))
        shares[name] = pd.DataFrame(sh).median()
    naive = {k: regression_metrics(full.target, v, mask) for k, v in naive_forecasts(full).items()}
    rows += [_row(f'naive: {k}', v) for k, v in naive.items()]
    rows += [dict(method=k, **v) for k, v in PUBLISHED]
    best_naive = min(v['rmse'] for v in naive.values())
    table = pd.DataFrame(rows)
    table['rmse / best naive'] = table.rmse / best_naive
    long = panel.spec.channel_columns if panel.spec is not None else {}
    null = [c for c in panel.channels if 'null' in str(long.get(c, c)).lower()]
    return dict(table=table, best_naive_rmse=best_naive, shares=shares, null_share={k: {c: float(v[c]) for c in null} for k, v in shares.items()})

def simulated(seeds, note, calibrated=(False, True)):
    "Contribution shares of the additive decomposition against the simulator's direct contributions, from the panel alone and with one lift test per channel."
    from deepcausalmmm.data import simulate_panel, simulate_lift_tests
    from deepcausalmmm.train import DeepCausalMMM
    out = []
    for cal, world, s in [(c, w, s) for c in calibrated for w in ('earned', 'paid') for s in seeds]:
        sim = simulate_panel(seed=s, world=world); train, full = sim.split()
        m = DeepCausalMMM(seed=s, progress=False).fit(train, lift_tests=simulate_lift_tests(sim, seed=s) if cal else None)
        parts = m.decompose(train); n = train.n_train
        kpi = train.target[:, :n][train.observed[:, :n]].sum()
        tr = sim.truth.contributions
        for c in train.channels:
            out.append(dict(calibrated=cal, world=world, seed=s, channel=c, true_direct_share=100 * tr.loc[c, 'direct'] / sim.truth.kpi_mean[:, :n].sum(),
                            est_direct_share=100 * parts[c][train.observed].sum() / kpi, fit_seconds=m.fit_seconds_))
        note(f'  simulated {world} seed {s}{" with lift tests" if cal else ""}: fit {m.fit_seconds_:.1f} s')
    df = pd.DataFrame(out)
    df['abs_error_pp'] = (df.est_direct_share - df.true_direct_share).abs()
    return df

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--data', default=None, help='path of MMM Data.csv (default: shared/data/ found above this folder, or $DCMMM_BENCHMARK)')
    ap.add_argument('--seeds', default='0,1,2')
    ap.add_argument('--sim-seeds', default='0,1,2')
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--skip-sim', action='store_true')
    ap.add_argument('--skip-backtest', action='store_true')
    ap.add_argument('--keep-outages', action='store_true', help='fit the outage weeks as real zero visits')
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    note = lambda s: print(s, file=sys.stderr, flush=True)
    from deepcausalmmm.data import benchmark_path
    path = Path(a.data) if a.data else benchmark_path()
    res = dict(machine=dict(platform=platform.platform(), cpus=os.cpu_count(), torch_threads=torch.get_num_threads(), torch=torch.__version__))
    pd.set_option('display.width', 200); pd.set_option('display.max_columns', 20)
    print(f"machine: {res['machine']}")
    if path is None or not Path(path).exists():
        print('real panel: MMM Data.csv not found (pass --data or set DCMMM_BENCHMARK); skipped')
    else:
        note(f'real panel: {path}')
        seeds = [int(s) for s in a.seeds.split(',')]
        from deepcausalmmm.data import load_benchmark
        t0 = time.time(); panel = load_benchmark(path, mask_outages=not a.keep_outages); load_s = time.time() - t0
        chosen = 'defaults'
        if not a.skip_backtest:
            chosen, sel = select(panel.split(13)[0], seeds, note)
            print('\nSettings chosen on the backtest inside the training weeks (13-week forecasts from origins 70 and 83, '
                  f'median of {len(seeds)} seeds; rmse in thousands); the holdout is not read')
            print(sel.assign(**{c: sel[c] / 1e3 for c in sel.columns if c.startswith('rmse @')}).round(3).to_string())
            print(f'chosen: {chosen}')
            res['selection'] = dict(chosen=chosen, table=sel.reset_index().to_dict('records'))
        r = real_panel(panel, seeds, note, chosen, a.threads)
        t = r['table']
        fmt = t.assign(rmse=(t.rmse / 1e3).round(1), mae=(t.mae / 1e3).round(1), r2=t.r2.round(4), within_r2=t.within_r2.round(3),
                       mape=t.mape.round(2), seconds=t.seconds.round(1), **{'rmse / best naive': t['rmse / best naive'].round(3)})
        print(f"\nHoldout (weeks 96-108, observed DMA-weeks only; rmse/mae in thousands); panel loaded in {load_s:.2f} s")
        print(fmt.to_string(index=False))
        for name, sh in r['shares'].items():
            print(f"\nChannel shares of the KPI over the training window, {name} (median over seeds): "
                  + ', '.join(f'{c.split("_")[1] if c.startswith("Channel_") else c} {100*v:.2f}%' for c, v in sh.items()))
            print(f"null channel share: {', '.join(f'{c} {100*v:.3f}%' for c, v in r['null_share'][name].items())}")
        res['real'] = dict(table=t.to_dict('records'), load_seconds=load_s, best_naive_rmse=r['best_naive_rmse'], chosen=chosen,
                           shares={k: v.to_dict() for k, v in r['shares'].items()}, null_share=r['null_share'])
    if not a.skip_sim:
        s = simulated([int(x) for x in a.sim_seeds.split(',')], note)
        print('\nSimulated panels (48 geos × 130 weeks × 6 channels): direct contribution share of the KPI, estimate vs truth (pp);'
              ' calibrated = fitted with one simulated lift test per channel (simulate_lift_tests)')
        print(s.groupby(['calibrated', 'world', 'channel'], sort=False)[['true_direct_share', 'est_direct_share', 'abs_error_pp']].mean().round(2).to_string())
        print(s.groupby(['calibrated', 'world'])[['abs_error_pp', 'fit_seconds']].agg(['mean', 'max']).round(2).to_string())
        res['simulated'] = s.to_dict('records')
    out = ROOT/'bench'/'results'; out.mkdir(parents=True, exist_ok=True)
    (out/'benchmark.json').write_text(json.dumps(res, indent=1, default=float))
    print(f'\nwrote {out/"benchmark.json"}')

if __name__ == '__main__': main()
