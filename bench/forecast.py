"""Holdout forecasts on the public panel against the naive ones, on two splits (issue 18's acceptance line).

    python bench/forecast.py [--settings JSON] [--seeds 0] [--splits published,early] [--select] [--data PATH] [--keep-outages] [--threads 1] [--tag NAME]

published: train weeks 0-95, score 96-108; early: train 0-82, score 83-95 (weeks 96- never read). Scored only on the
observed DMA-weeks of the scored weeks (the outage rows masked as in bench/benchmark.py), against the package's four
`naive_forecasts`. Per split and seed: RMSE, RMSE / best naive, MAPE, best naive's MAPE, fit seconds, and the placebo
Channel_10's share of the training KPI. With several seeds also the seeds' median forecast. --tag appends one JSON
line per split to bench/results/forecast.jsonl. --select: on each split, the rolling-origin backtest inside its training
weeks (`select_settings`, 13-week forecasts from its last two 13-week origins) first chooses between the settings and
the settings with geo_weight=2 (as bench/benchmark.py does); the scored weeks are not read for the choice.
"""
import argparse, dataclasses, json
from pathlib import Path
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SPLITS = {'published': (96, 109), 'early': (83, 96)}

def run(panel, split, settings, seeds, select=False):
    from deepcausalmmm.train import DeepCausalMMM, naive_forecasts, regression_metrics
    from deepcausalmmm.selection import select_settings
    n, end = SPLITS[split]
    full = dataclasses.replace(panel._take(end), n_train=n)
    train = full._take(n)
    if select:
        cands = {'settings': settings, 'geo_weight=2': {**settings, 'geo_weight': 2.0}}
        best, tab = select_settings(train, cands, seeds=tuple(seeds), progress=False)
        print(f"{split}: backtest inside weeks 0-{n - 1} (rmse / best naive): " + ', '.join(f'{k} {v:.3f}' for k, v in tab['rmse / best naive'].items()) + f'; chosen: {best}', flush=True)
        settings = cands[best]
    mask = full.observed & (np.arange(full.n_times) >= n)[None]
    naive = {k: regression_metrics(full.target, P, mask) for k, P in naive_forecasts(full).items()}
    best = min(naive.values(), key=lambda m: m['rmse'])
    rows, preds = [], []
    for s in seeds:
        m = DeepCausalMMM(**{'progress': False, **settings, 'seed': s}).fit(train)
        P = m.predict(full); preds.append(P)
        parts = m.decompose(train)
        tot = sum(v[train.observed].sum() for v in parts.values())
        null = [c for c in panel.channels if c.startswith('Channel_10')]
        r = regression_metrics(full.target, P, mask)
        rows.append(dict(split=split, seed=s, chosen=settings, rmse=r['rmse'], ratio=r['rmse'] / best['rmse'], mape=r['mape'], naive_mape=best['mape'],
                         seconds=m.fit_seconds_, null_share=100 * sum(parts[c][train.observed].sum() for c in null) / tot))
    if len(seeds) > 1:
        r = regression_metrics(full.target, np.median(preds, 0), mask)
        rows.append(dict(split=split, seed='median', chosen=settings, rmse=r['rmse'], ratio=r['rmse'] / best['rmse'], mape=r['mape'], naive_mape=best['mape'],
                         seconds=sum(x['seconds'] for x in rows), null_share=float(np.median([x['null_share'] for x in rows]))))
    return rows

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--settings', default='{}'); ap.add_argument('--seeds', default='0')
    ap.add_argument('--splits', default='published,early'); ap.add_argument('--data', default=None)
    ap.add_argument('--keep-outages', action='store_true'); ap.add_argument('--threads', type=int, default=1); ap.add_argument('--select', action='store_true'); ap.add_argument('--tag', default=None)
    a = ap.parse_args(argv)
    import torch; torch.set_num_threads(1)
    from deepcausalmmm.data import load_benchmark
    settings, seeds = json.loads(a.settings), [int(s) for s in a.seeds.split(',')]
    settings = {'threads': a.threads, **settings}   # the fit's own threads (the estimator sets them while it fits)
    panel = load_benchmark(a.data, mask_outages=not a.keep_outages)
    print(f'settings {settings}')
    print(f"{'split':10s} {'seed':>6s} {'rmse k':>8s} {'/naive':>7s} {'mape':>6s} {'naive':>6s} {'fit s':>6s} {'ch10 %':>7s}")
    out = []
    for sp in a.splits.split(','):
        for r in run(panel, sp, settings, seeds, a.select):
            out.append(r)
            print(f"{r['split']:10s} {str(r['seed']):>6s} {r['rmse']/1e3:8.1f} {r['ratio']:7.3f} {r['mape']:6.2f} {r['naive_mape']:6.2f} {r['seconds']:6.1f} {r['null_share']:7.3f}", flush=True)
    if a.tag:
        (ROOT/'bench'/'results').mkdir(parents=True, exist_ok=True)
        with open(ROOT/'bench'/'results'/'forecast.jsonl', 'a') as f:
            for r in out: f.write(json.dumps(dict(tag=a.tag, settings=settings, **r), default=float) + '\n')

if __name__ == '__main__': main()
