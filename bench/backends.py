"""Do the ensemble, the backtest and the settings sweep give the same numbers whichever way their fits are run?

Each run writes one pickle of results (a small ensemble's channel summary and member predictions, a backtest table,
a select_settings table); `--compare` then checks two such files cell by cell, exactly (no tolerance).

    .venv/bin/python bench/backends.py --save /tmp/a.pkl --backend local --jobs 2
    .venv/bin/python bench/backends.py --save /tmp/b.pkl --backend ray --jobs 2
    .venv/bin/python bench/backends.py --compare /tmp/a.pkl /tmp/b.pkl

`--backend sequential` runs every fit one after another in this process (jobs=1). A package without the `backend`
parameter (before Ray support) is run with its own parallel path (`jobs` only), so that old and new can be compared.
"""
import argparse, inspect, pickle, sys, time, warnings

def results(backend:str, jobs:int) -> dict:
    from deepcausalmmm.data import simulate_panel
    from deepcausalmmm.train import DeepCausalMMM
    from deepcausalmmm.selection import backtest, select_settings
    from deepcausalmmm.analysis import fit_ensemble
    warnings.filterwarnings('ignore')
    if backend == 'sequential': jobs, backend = 1, 'local'
    kw = dict(backend=backend) if 'backend' in inspect.signature(fit_ensemble).parameters else {}
    if backend == 'ray' and not kw: sys.exit('this version of the package has no Ray backend')
    out, t0 = {}, time.time()
    sim = simulate_panel(n_geos=6, n_weeks=60, n_channels=3, seed=0, holdout_weeks=8)
    train, full = sim.split()
    main = DeepCausalMMM(epochs=40, progress=False).fit(train)
    ens = fit_ensemble(train, n=3, base=main, jobs=jobs, **kw)
    out['ensemble_summary'] = ens.channel_summary(full)
    out['ensemble_predictions'] = [m.predict(full) for m in ens.models]
    out['seconds_ensemble'] = time.time() - t0
    sim_b = simulate_panel(n_geos=4, n_weeks=70, n_channels=2, seed=2, start=None)
    pb = sim_b.panel().split(10)[1]
    bkw = dict(kw, jobs=jobs) if kw else {}
    t0 = time.time()
    bt = backtest(pb, horizon=8, seeds=(0, 1), progress=False, epochs=15, patience=5, hidden=4, dag=None, **bkw)
    out['backtest'] = bt.drop(columns='seconds')   # fit times differ from run to run
    cands = {'small': dict(epochs=10, hidden=4, dag=None), 'smaller': dict(epochs=5, hidden=2, dag=None)}
    _, tab = select_settings(pb, cands, horizon=8, progress=False, **bkw)
    out['select_settings'] = tab.loc[sorted(tab.index)]   # the order the table comes in changed with the sweep
    out['seconds_backtests'] = time.time() - t0
    return out

def compare(a:dict, b:dict) -> bool:
    import numpy as np, pandas as pd
    ok = True
    for k in a:
        if k.startswith('seconds'): continue
        x, y = a[k], b[k]
        if isinstance(x, pd.DataFrame): same = x.shape == y.shape and x.index.equals(y.index) and x.columns.equals(y.columns) and (x.to_numpy() == y.to_numpy()).all()
        else: same = all(np.array_equal(u, v) for u, v in zip(x, y)) and len(x) == len(y)
        print(f'{k}: {"identical" if same else "DIFFERENT"}')
        ok &= bool(same)
    print(f"seconds (ensemble, backtests): {a['seconds_ensemble']:.1f}, {a['seconds_backtests']:.1f} vs {b['seconds_ensemble']:.1f}, {b['seconds_backtests']:.1f}")
    return ok

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--save', help='write the results to this pickle')
    ap.add_argument('--backend', default='local', choices=['local', 'ray', 'sequential'])
    ap.add_argument('--jobs', type=int, default=2)
    ap.add_argument('--compare', nargs=2, metavar=('A', 'B'), help='compare two saved results exactly')
    a = ap.parse_args(argv)
    if a.compare:
        ok = compare(*[pickle.load(open(p, 'rb')) for p in a.compare])
        print('all identical' if ok else 'results differ'); sys.exit(0 if ok else 1)
    if a.backend == 'ray':
        import ray; ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    r = results(a.backend, a.jobs)
    pickle.dump(r, open(a.save, 'wb'))
    print(f"saved {a.save}: ensemble {r['seconds_ensemble']:.1f} s, backtests {r['seconds_backtests']:.1f} s")

if __name__ == '__main__': main()
