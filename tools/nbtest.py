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
    started = set(re.findall(r'^Starting (\S+)', out, re.M))
    done = set(re.findall(r'^- Completed (\S+)', out, re.M))
    failed = sorted(started - done)
    if p.returncode and not failed: failed = ['(nbdev_test itself)']
    for f in failed: print(f'FAILED: {f}')
    print(f'{len(done)} passed, {len(failed)} failed  ({time.time()-t0:.0f} s)')
    sys.exit(1 if failed or p.returncode else 0)

if __name__ == '__main__': main(sys.argv[1:])
