"""The GPU check of the benchmark: fit the real panel on CUDA and report seconds and holdout metrics next to a CPU fit.

Everything a user runs touches the device: fit, predict, decompose, save/load, the response analysis
(contributions, curves, the budget optimiser) and a small ensemble. Prints one JSON document (also written
to --out/cuda_check.json). Exits with a message, not a traceback, when CUDA or the data are missing.

On a session lent the device machine (the data folder beside the checkout does not travel, so copy it in):

    mkdir -p .devdata && cp "../shared/data/MMM Data.csv" .devdata/ && echo /.devdata/ >> .git/info/exclude
    mkdir -p .devpkgs && cp -r .venv/lib/python3.11/site-packages/{fastcore,tqdm} .devpkgs/ && echo /.devpkgs/ >> .git/info/exclude
    run(command='PYTHONUNBUFFERED=1 PYTHONPATH=.:.devpkgs python3 bench/cuda_check.py --data ".devdata/MMM Data.csv" --seeds 0 --out $OUT',
        carry=['.devdata', '.devpkgs'], timeout_s=450)

(the device machine has torch, numpy, pandas and matplotlib but not fastcore or tqdm, and reaches no registry).
Last run (this release's defaults, H200, seed 0): fit 22.3 s on CUDA against 17.9 s on its 16 CPU cores, predictions
equal to the CPU fit within 1.6e-7 (relative), decomposition exact, save/load identical, budget converged, a
3-member ensemble in 26.5 s.

Here (no GPU) `--device cpu --seeds 0` checks the script itself.

At scale (issue 22): `--geos 10000` fits the package's simulator panel instead (10,000 geos x 104 weeks x 10
channels, `--epochs` 20 as in bench/scale.py; no data file needed) on the device and on the CPU, and reports each
step's seconds (simulate, fit, contributions, response curves, curve points, budget, ensemble of 3), the peak GPU
memory (torch.cuda.max_memory_allocated), and the agreement of the device fit's predictions with the CPU fit's.
Prepared to run in under 10 minutes on one GPU (the CPU reference fit takes about 1-3 minutes on 16 cores):

    run(command='PYTHONUNBUFFERED=1 PYTHONPATH=.:.devpkgs python3 bench/cuda_check.py --geos 10000 --out $OUT',
        carry=['.devpkgs'], timeout_s=560)

Here `--geos 300 --device cpu` checks that path (not run on a GPU yet: no device was lent when it was written).
"""
import argparse, json, sys, tempfile, time, warnings
from pathlib import Path
import numpy as np
import torch

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--data', default=None, help='MMM Data.csv (default: benchmark_path())')
    ap.add_argument('--device', default='cuda')
    ap.add_argument('--seeds', default='0,1,2')
    ap.add_argument('--cpu-threads', type=int, default=0, help='threads of the CPU reference fit (0: all cores)')
    ap.add_argument('--out', default=None, help='folder for cuda_check.json')
    ap.add_argument('--geos', type=int, default=0, help='0: the benchmark panel; N: the simulator panel with N geos (the scale check)')
    ap.add_argument('--epochs', type=int, default=20, help='epochs of the scale check (--geos)')
    a = ap.parse_args(argv)
    if a.geos: return at_scale(a)
    from deepcausalmmm.data import load_benchmark, benchmark_path
    from deepcausalmmm.train import DeepCausalMMM, naive_forecasts, regression_metrics
    from deepcausalmmm.persist import load
    from deepcausalmmm.analysis import Scenarios, channel_summary, response_curves, optimize_budget, fit_ensemble
    if a.device.startswith('cuda') and not torch.cuda.is_available(): sys.exit('cuda_check: CUDA is not available on this machine')
    path = a.data or benchmark_path()
    if path is None or not Path(path).exists(): sys.exit(f'cuda_check: benchmark panel not found ({path}); pass --data')
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        panel = load_benchmark(path, mask_outages=True)
    train, full = panel.split(13)
    cells = full.observed & (np.arange(full.n_times) >= full.n_train)[None]
    naive = min(regression_metrics(full.target, f, cells)['rmse'] for f in naive_forecasts(full).values())
    seeds = [int(s) for s in a.seeds.split(',')]
    res = dict(device=a.device, device_name=torch.cuda.get_device_name(0) if a.device.startswith('cuda') else 'cpu',
               torch=torch.__version__, best_naive_rmse=naive, fits=[])
    say = lambda s: print(s, file=sys.stderr, flush=True)

    def one(device, seed, threads=None):
        kw = dict(progress=False, seed=seed, device=device, **({'threads': threads} if threads else {}))
        t0 = time.time(); m = DeepCausalMMM(**kw).fit(train); wall = time.time() - t0
        P = m.predict(full); s = regression_metrics(full.target, P, cells)
        row = dict(device=device, seed=seed, wall_s=round(wall, 2), fit_s=round(m.fit_seconds_, 2), rmse=s['rmse'], ratio=s['rmse'] / naive, mape=s['mape'])
        say(f"  {device} seed {seed}: fit {wall:.1f} s, holdout rmse {s['rmse'] / 1e3:.1f}k ({s['rmse'] / naive:.3f} x naive), mape {s['mape']:.2f}%")
        return m, P, row

    gpu = []
    for s in seeds:
        m, P, row = one(a.device, s); gpu.append((m, P)); res['fits'].append(row)
    cpu_m, cpu_P, row = one('cpu', seeds[0], a.cpu_threads or torch.get_num_threads()); res['fits'].append(row)
    m, P = gpu[0]
    res['max_abs_pred_diff_vs_cpu_rel'] = float(np.abs(P - cpu_P).max() / np.abs(cpu_P).max())
    parts = m.decompose(full)
    res['decomposition_max_rel_err'] = float(np.abs(sum(v for v in parts.values() if v.ndim == 2) - P).max() / np.abs(P).max())
    with tempfile.TemporaryDirectory() as d:
        m.save(d); back = load(d, device=a.device)
        res['save_load_identical'] = bool(np.array_equal(back.predict(full), P))
    t0 = time.time()
    sc = Scenarios(m, full)
    summ = channel_summary(m, full, scenarios=sc); curves = response_curves(m, full, scenarios=sc); plan = optimize_budget(m, full, scenarios=sc)
    res['analysis_s'] = round(time.time() - t0, 2)
    res['channel_10_share'] = float(summ.loc['Channel_10', 'share']) if 'Channel_10' in summ.index else None
    res['budget'] = dict(gain_pct=100 * plan.gain / plan.kpi_current, spend_matches=bool(np.isclose(plan.budget, sc.spend_now.sum(), rtol=1e-6)), converged=plan.converged)
    t0 = time.time(); ens = fit_ensemble(train, n=3, base=m); res['ensemble_3_s'] = round(time.time() - t0, 2)
    res['ensemble_share_ch10'] = ens.channel_summary(full).loc['Channel_10', ['share', 'share_lo', 'share_hi']].astype(float).tolist()
    res['curve_rows'] = int(len(curves))
    print(json.dumps(res, indent=1, default=float))
    if a.out:
        Path(a.out).mkdir(parents=True, exist_ok=True); (Path(a.out)/'cuda_check.json').write_text(json.dumps(res, indent=1, default=float))

def at_scale(a):
    "The whole job on a simulated panel of `a.geos` geos, on the device and (the fit) on the CPU."
    from deepcausalmmm.simulate import simulate_panel
    from deepcausalmmm.train import DeepCausalMMM
    from deepcausalmmm.analysis import Scenarios, channel_summary, response_curves, curve_points, optimize_budget, fit_ensemble
    if a.device.startswith('cuda') and not torch.cuda.is_available(): sys.exit('cuda_check: CUDA is not available on this machine')
    cuda = a.device.startswith('cuda')
    res = dict(device=a.device, device_name=torch.cuda.get_device_name(0) if cuda else 'cpu', torch=torch.__version__,
               geos=a.geos, weeks=104, channels=10, epochs=a.epochs, steps={})
    say = lambda s: print(s, file=sys.stderr, flush=True)
    def step(name, f):
        t0 = time.time(); out = f(); res['steps'][name] = round(time.time() - t0, 2)
        say(f"  {name}: {res['steps'][name]:.1f} s" + (f", peak GPU {torch.cuda.max_memory_allocated() / 2**30:.2f} GB" if cuda else ''))
        return out
    warnings.filterwarnings('ignore')
    sim = step('simulate', lambda: simulate_panel(n_geos=a.geos, n_weeks=104, n_channels=10, seed=0))
    train, full = sim.split()
    m = step('fit', lambda: DeepCausalMMM(epochs=a.epochs, progress=False, device=a.device).fit(train))
    sc = step('scenarios', lambda: Scenarios(m, full))
    step('contributions', lambda: channel_summary(m, full, scenarios=sc))
    step('response_curves', lambda: response_curves(m, full, scenarios=sc))
    step('curve_points', lambda: curve_points(m, full, scenarios=sc))
    plan = step('budget', lambda: optimize_budget(m, full, scenarios=sc))
    step('ensemble_3', lambda: fit_ensemble(train, n=3, base=m, jobs=1))
    if cuda: res['peak_gpu_gb'] = round(torch.cuda.max_memory_allocated() / 2**30, 2)
    P = m.predict(full)
    t0 = time.time()
    cpu = DeepCausalMMM(epochs=a.epochs, progress=False, device='cpu', threads=a.cpu_threads or torch.get_num_threads()).fit(train)
    res['cpu_fit_s'] = round(time.time() - t0, 2)
    Pc = cpu.predict(full)
    res['max_abs_pred_diff_vs_cpu_rel'] = float(np.abs(P - Pc).max() / np.abs(Pc).max())
    res['budget_converged'] = bool(plan.converged)
    say(f"  CPU fit {res['cpu_fit_s']:.1f} s; predictions differ by {res['max_abs_pred_diff_vs_cpu_rel']:.2e} of their largest value")
    print(json.dumps(res, indent=1, default=float))
    if a.out:
        Path(a.out).mkdir(parents=True, exist_ok=True); (Path(a.out)/'cuda_check_scale.json').write_text(json.dumps(res, indent=1, default=float))
    return res

if __name__ == '__main__': main()
