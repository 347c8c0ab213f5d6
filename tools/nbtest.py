"""Run `nbdev_test` and finish with one line `N passed, M failed` (counting notebooks).

nbdev_test prints only "Success." or the failures; with `--do_print` it also names each
notebook as it starts and completes, which is what we count here.
"""
import os, re, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

def main(argv):
    env = {**os.environ, 'OMP_NUM_THREADS': os.environ.get('OMP_NUM_THREADS', '1'), 'MPLBACKEND': 'Agg'}
    cmd = [str(Path(sys.executable).parent/'nbdev_test'), '--do_print', *argv]
    t0 = time.time()
    p = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    out = p.stdout + p.stderr
    print(out)
    # parallel workers share stdout, so lines can run together: match each notebook path on its own
    started = set(re.findall(r'Starting (\S+?\.ipynb)', out))
    done = set(re.findall(r'- Completed (\S+?\.ipynb)', out))
    listed = set(re.findall(r'^\t(\S+\.ipynb)\s*$', out.split('Failed On The Following Notebooks', 1)[-1], re.M)) if 'Failed On' in out else set()
    failed = sorted((started - done) | {f for f in listed if not any(d.endswith('/' + f) or d == f for d in done)})
    if p.returncode and not failed: failed = ['(nbdev_test itself)']
    for f in failed: print(f'FAILED: {f}')
    print(f'{len(done)} passed, {len(failed)} failed  ({time.time()-t0:.0f} s)')
    sys.exit(1 if failed or p.returncode else 0)

if __name__ == '__main__': main(sys.argv[1:])
