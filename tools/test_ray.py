"""The Ray backend against the local one (`make test-ray`; slow, and needs the optional extra: pip install -e '.[distributed]').

On a local Ray of two CPUs (`ray.init(num_cpus=2)`): the tasks run in Ray's worker processes; an ensemble, a
backtest and a settings sweep give the same numbers to the last digit under backend='local' (in this process and in
worker processes) and backend='ray'; a task's error arrives with its own type; and `dcmmm_fit --backend ray` on the
bundled panel writes the same tables as the local run. Prints one line per check and a final `N passed, M failed`.
"""
import os, subprocess, sys, tempfile, time, warnings
from pathlib import Path
import numpy as np

CHECKS = []
def check(f): CHECKS.append(f); return f

def same_frame(a, b, drop=()):
    a, b = a.drop(columns=list(drop)), b.drop(columns=list(drop))
    assert a.shape == b.shape and a.index.equals(b.index) and a.columns.equals(b.columns), 'tables differ in shape or labels'
    assert (a.to_numpy() == b.to_numpy()).all(), 'tables differ in value'

@check
def tasks_run_on_ray_workers():
    from deepcausalmmm.parallel import run_tasks
    pids = run_tasks(os.getpid, [()] * 4, backend='ray')
    assert os.getpid() not in pids, 'a Ray task ran in this process'

@check
def ensemble_local_vs_ray():
    from deepcausalmmm.data import simulate_panel
    from deepcausalmmm.train import DeepCausalMMM
    from deepcausalmmm.analysis import fit_ensemble
    train, full = simulate_panel(n_geos=6, n_weeks=60, n_channels=3, seed=0, holdout_weeks=8).split()
    main = DeepCausalMMM(epochs=40, progress=False).fit(train)
    ens = {k: fit_ensemble(train, n=3, base=main, **kw) for k, kw in
           dict(here=dict(jobs=1), processes=dict(jobs=2), ray=dict(backend='ray')).items()}
    for k in ('processes', 'ray'):
        same_frame(ens['here'].channel_summary(full), ens[k].channel_summary(full))
        for a, b in zip(ens['here'].models, ens[k].models): assert np.array_equal(a.predict(full), b.predict(full)), f'{k}: a member differs'

@check
def backtest_here_processes_ray():
    from deepcausalmmm.data import simulate_panel
    from deepcausalmmm.selection import backtest
    p = simulate_panel(n_geos=4, n_weeks=70, n_channels=2, seed=2, start=None).panel().split(10)[1]
    kw = dict(horizon=8, seeds=(0, 1), progress=False, epochs=15, hidden=4, dag=None)
    here = backtest(p, **kw)
    same_frame(here, backtest(p, jobs=2, **kw), drop=['seconds'])                 # two worker processes
    same_frame(here, backtest(p, backend='ray', **kw), drop=['seconds'])
    same_frame(here, backtest(p, backend='ray', jobs=1, **kw), drop=['seconds'])   # one task in flight at a time

@check
def sweep_local_vs_ray():
    from deepcausalmmm.data import simulate_panel
    from deepcausalmmm.selection import select_settings
    p = simulate_panel(n_geos=4, n_weeks=70, n_channels=2, seed=2, start=None).panel().split(10)[1]
    kw = dict(horizon=8, progress=False, epochs=5, dag=None)
    grid = dict(hidden=[2, 4], knot_every=[2, 4])
    (b1, t1), (b2, t2) = select_settings(p, grid, **kw), select_settings(p, grid, backend='ray', **kw)
    assert b1 == b2, 'another candidate chosen'
    same_frame(t1, t2)

@check
def a_task_error_keeps_its_type():
    from deepcausalmmm.parallel import run_tasks
    try: run_tasks(divmod, [(1, 1), (1, 0)], backend='ray', name=lambda i: f'fit {i + 1}')
    except ZeroDivisionError as e: assert '(raised by fit 2)' in getattr(e, '__notes__', []), 'the task is not named'
    else: raise AssertionError('no error raised')

@check
def cli_local_vs_ray():
    exe = str(Path(sys.executable).parent/'dcmmm_fit')
    with tempfile.TemporaryDirectory() as d:
        for b in ('local', 'ray'):
            subprocess.run([exe, '--epochs', '10', '--ensemble', '2', '--jobs', '2', '--backend', b, '--quiet', '--out', f'{d}/{b}'], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, 'RAY_ADDRESS': ''})
        for f in ('channels.csv', 'response_curves.csv', 'budget.csv', 'contributions.csv', 'predictions.csv'):
            assert Path(f'{d}/local/{f}').read_bytes() == Path(f'{d}/ray/{f}').read_bytes(), f'{f} differs'

def main():
    try: import ray
    except ImportError: sys.exit('Ray is not installed: pip install -e ".[distributed]" (make test-ray installs it)')
    warnings.filterwarnings('ignore')
    ray.init(num_cpus=2, include_dashboard=False, logging_level='WARNING', log_to_driver=False)
    ok = bad = 0
    for f in CHECKS:
        t0 = time.time()
        try: f(); ok += 1; print(f'ok   {f.__name__} ({time.time() - t0:.1f} s)', flush=True)
        except Exception as e: bad += 1; print(f'FAIL {f.__name__}: {type(e).__name__}: {e}', flush=True)
    ray.shutdown()
    print(f'{ok} passed, {bad} failed')
    sys.exit(1 if bad else 0)

if __name__ == '__main__': main()
