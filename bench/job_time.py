"""`dcmmm_fit` on the public benchmark panel, timed end to end (issue 18's speed line: <= 90 s in all on 2 cores).

    python bench/job_time.py [--data PATH] [--runs 1] [--tag NAME]

Runs the README's benchmark command in a fresh process per run (imports included) into a temporary folder and prints
the wall seconds (machine timings here vary by 10-20% run to run: compare versions interleaved, e.g. an older checkout
through PYTHONPATH=/path/to/checkout, run from outside the repository) with the job's own split (main fit, analysis: the ensemble's other members, contributions, curves,
budget, figures, report). --tag appends one JSON line per run to bench/results/job_time.jsonl.
"""
import argparse, json, os, platform, re, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--data', default=str(ROOT.parent/'shared'/'data'/'MMM Data.csv'))
    ap.add_argument('--runs', type=int, default=1); ap.add_argument('--tag', default=None)
    a = ap.parse_args(argv)
    exe = Path(sys.executable).parent/'dcmmm_fit'
    rows = []
    for r in range(a.runs):
        with tempfile.TemporaryDirectory() as d:
            t0 = time.time()
            p = subprocess.run([str(exe), a.data, '--geo', 'dmacode', '--time', 'weekid', '--target', 'target_visits', '--fill', 'interpolate',
                                '--mask_outages', '--out', str(Path(d)/'out')], capture_output=True, text=True)
            wall = time.time() - t0
        if p.returncode: sys.exit(p.stdout[-2000:] + p.stderr[-2000:])
        m = re.search(r'fit ([\d.]+) s \+ analysis ([\d.]+) s', p.stdout)
        pkg = subprocess.run([sys.executable, '-c', 'import deepcausalmmm; print(deepcausalmmm.__file__)'], capture_output=True, text=True, cwd=tempfile.gettempdir()).stdout.strip()
        row = dict(run=r, wall_s=round(wall, 1), fit_s=float(m[1]), analysis_s=float(m[2]), cores=os.cpu_count(), machine=platform.machine(), package=str(Path(pkg).parent))
        rows.append(row); print(row, flush=True)
    if a.tag:
        with open(ROOT/'bench'/'results'/'job_time.jsonl', 'a') as f:
            for row in rows: f.write(json.dumps(dict(tag=a.tag, **row)) + '\n')

if __name__ == '__main__': main()
