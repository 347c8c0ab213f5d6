"""Bad-input matrix for the `dcmmm_fit` command line (run by `make test`).

Each case writes a small CSV, runs the installed console script against an output folder that already holds
a previous result, and checks the outcome:
- `error` cases must exit with status 2, print one line starting with `error:` that names the problem,
  show no traceback, and leave the existing output folder byte-for-byte as it was, with no temporary folder left;
- `ok` cases must exit 0 and write the full output folder with finite numbers only;
- `warn` cases are `ok` cases whose stderr must also hold a `warning:` line naming the problem.
An argument `@config` stands for a TOML file the case writes beside its data (`writer` gets the data path).
Prints one line per case and a final `N passed, M failed`.
"""
import hashlib, json, os, shutil, subprocess, sys, tempfile, time
from pathlib import Path
import numpy as np
import pandas as pd

EXE = str(Path(sys.executable).parent/'dcmmm_fit')
COLS = ['--geo', 'geo', '--time', 'week', '--target', 'kpi', '--media', 'tv,search,social', '--controls', 'price']

def base_frame(n_geos=3, n_weeks=40, seed=0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for g in range(n_geos):
        for t in range(n_weeks):
            tv, se, so = rng.gamma(2, 50), rng.gamma(3, 20), rng.gamma(2, 10)
            rows.append(dict(geo=f'g{g}', week=t, tv=tv, search=se, social=so, price=10 + rng.normal(),
                             kpi=1000 * (g + 1) + 2 * tv + 3 * se + so + rng.normal(0, 20)))
    return pd.DataFrame(rows)

def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob('*')):
        h.update(str(p.relative_to(folder)).encode())
        if p.is_file(): h.update(p.read_bytes())
    return h.hexdigest()

def cases():
    "(name, expected 'ok'|'error', text the error must contain, writer(path), extra args)"
    df = base_frame()
    def csv(frame, **kw): return lambda p: frame.to_csv(p, index=False, **kw)
    def edit(f): d = df.copy(); f(d); return d
    def text(s): return lambda p: Path(p).write_text(s, encoding='utf-8')
    yield 'empty file', 'error', 'empty', text(''), []
    yield 'header only', 'error', 'no rows', text('geo,week,kpi,tv,search,social,price\n'), []
    yield 'wrong delimiter', 'error', 'delimiter', csv(df, sep=';'), []
    yield 'missing target column', 'error', 'kpi', csv(df.drop(columns='kpi')), []
    yield 'missing geo column', 'error', 'geo', csv(df.drop(columns='geo')), []
    yield 'missing time column', 'error', 'week', csv(df.drop(columns='week')), []
    yield 'misspelt media column', 'error', 'search', csv(df.rename(columns={'search': 'serch'})), []
    yield 'string in a numeric column', 'error', 'tv', csv(edit(lambda d: d.__setitem__('tv', d.tv.astype(object)) or d.loc.__setitem__((5, 'tv'), 'abc'))), []
    yield 'NaN in media', 'error', 'tv', csv(edit(lambda d: d.loc.__setitem__((7, 'tv'), np.nan))), []
    yield 'inf in a control', 'error', 'price', csv(edit(lambda d: d.loc.__setitem__((7, 'price'), np.inf))), []
    yield 'NaN in the target', 'error', 'kpi', csv(edit(lambda d: d.loc.__setitem__((9, 'kpi'), np.nan))), []
    yield 'negative media', 'error', 'negative', csv(edit(lambda d: d.loc.__setitem__((3, 'social'), -5.0))), []
    yield 'duplicate geo-week rows', 'error', 'duplicate', csv(pd.concat([df, df.iloc[[4]]])), []
    yield 'a geo with gaps', 'error', '2 (geo, time) rows are missing', csv(df.drop(index=[10, 11])), []
    yield 'gaps: the message names the flag', 'error', 'run again with --fill interpolate', csv(df.drop(index=[10, 11])), []
    yield 'gaps filled with --fill interpolate', 'ok', '', csv(df.drop(index=[10, 11])), ['--fill', 'interpolate']
    yield 'an unknown --fill policy', 'error', '--fill must be one of zero, interpolate, ffill', csv(df), ['--fill', 'mean']
    outage = edit(lambda d: d.loc.__setitem__(((d.geo == 'g1') & d.week.between(10, 15), 'kpi'), 0.0))
    yield 'a reporting outage (warned)', 'warn', '--mask_outages keeps them out', csv(outage), []
    yield 'a reporting outage with --mask_outages', 'ok', '', csv(outage), ['--mask_outages', None]
    # data as people have it: one region, no geo column; spend as its own media; text events; day-first dates
    one = df[df.geo == 'g0'].drop(columns='geo').assign(week=lambda d: pd.date_range('2023-01-02', periods=len(d), freq='W-MON').strftime('%d/%m/%Y'))
    yield 'one region, no geo column, DD/MM/YYYY dates', 'ok', '', csv(one), ['--geo', None]
    yield 'a named geo column that is missing', 'error', 'leave out --geo', csv(one), []
    yield 'ambiguous dates', 'error', 'pass --dayfirst for DD/MM/YYYY or --monthfirst', csv(one.iloc[:2]), ['--geo', None, '--holdout_weeks', '0']
    yield 'contradicting date flags', 'error', '--dayfirst and --monthfirst contradict', csv(one), ['--geo', None, '--dayfirst', None, '--monthfirst', None]
    yield 'a column that is media and spend', 'ok', '', csv(df), ['--spend', 'tv,search,social']
    ev = edit(lambda d: d.__setitem__('events', np.where(d.week % 9 == 0, 'launch', np.where(d.week % 7 == 0, 'sale', ''))))
    yield 'text events as a control', 'error', 'pass --events events to turn each distinct value into a 0/1 control', csv(ev), ['--controls', 'price,events']
    yield 'text events with --events', 'ok', '', csv(ev), ['--events', 'events']
    paid = edit(lambda d: [d.__setitem__('tv', np.where(d.week % 3 == 0, 0., d.tv)), d.__setitem__('social', np.where(d.week % 4 == 1, 0., d.social)),
                           d.__setitem__('tv_usd', d.tv * 0.1), d.__setitem__('search_usd', d.search * 0.3), d.__setitem__('social_usd', d.social * 0.2)])
    yield 'spend paired with the wrong media (warned)', 'warn', 'the likely pairing, in media order: --spend tv_usd,search_usd,social_usd', csv(paid), ['--spend', 'social_usd,search_usd,tv_usd']
    # --config: refused before anything is read or written; flags override it; --select needs candidates
    def conf(text, frame=df):
        def w(p): frame.to_csv(p, index=False); (Path(p).parent/'c.toml').write_text(text, encoding='utf-8')
        return w
    yield 'config: unknown key', 'error', "unknown key 'geo_wieght' in [model]; did you mean 'geo_weight'?", conf('[model]\ngeo_wieght = 2.0\n'), ['--config', '@config']
    yield 'config: wrong type', 'error', "[model] lr must be a number, got 'fast'", conf('[model]\nlr = "fast"\n'), ['--config', '@config']
    yield 'config: out of range', 'error', '[job] ensemble must be a whole number >= 1', conf('[job]\nensemble = 0\n'), ['--config', '@config']
    yield 'config: prior on an unknown channel', 'error', "roi_prior: unknown channel 'tvv'; did you mean 'tv'?", conf('[model]\nroi_prior = {tvv = [2.0, 0.5]}\n'), ['--config', '@config']
    yield 'config: prior not a (mean, sd) pair', 'error', '[model] share_prior must be a table {channel = [mean, sd], ..}', conf('[model]\nshare_prior = {tv = 0.1}\n'), ['--config', '@config']
    yield 'config: bad candidates block', 'error', 'candidates.fast must be a table [candidates.fast]', conf('[candidates]\nfast = 1\n'), ['--config', '@config']
    yield 'config: not TOML', 'error', 'is not valid TOML', conf('[model\n'), ['--config', '@config']
    yield 'config: missing file', 'error', '--config file', csv(df), ['--config', 'no_such.toml']
    yield '--select without candidates', 'error', '--select needs candidates', csv(df), ['--select', None]
    yield 'config with settings (flags override it)', 'ok', '', conf('[data]\nfill = "interpolate"\n[job]\nensemble = 2\nbounds = [0.8, 1.25]\n[model]\nhidden = 4\n',
                                                                      df.drop(index=[10])), ['--config', '@config', '--ensemble', '1']
    yield 'fewer weeks than the holdout needs', 'error', 'holdout', csv(df), ['--holdout_weeks', '38']
    yield 'unknown option value', 'error', 'epochs', csv(df), ['--epochs', '0']
    yield 'no processes for the members', 'error', 'jobs', csv(df), ['--jobs', '0']
    yield 'a single geo', 'ok', '', csv(df[df.geo == 'g0']), []
    yield 'ensemble members in two processes', 'ok', '', csv(df), ['--ensemble', '3', '--jobs', '2']
    yield 'intervals from Laplace draws', 'ok', '', csv(df), ['--intervals', 'laplace']
    yield 'unknown --intervals', 'error', "--intervals must be one of 'auto', 'bootstrap', 'laplace'", csv(df), ['--intervals', 'normal']
    yield 'a constant channel', 'ok', '', csv(edit(lambda d: d.__setitem__('social', 5.0))), []
    yield 'an all-zero channel', 'ok', '', csv(edit(lambda d: d.__setitem__('social', 0.0))), []
    yield 'a channel present only in the holdout', 'ok', '', csv(edit(lambda d: d.__setitem__('social', np.where(d.week >= 33, d.social, 0.0)))), []
    yield 'extremely large values (1e12)', 'ok', '', csv(edit(lambda d: [d.__setitem__(c, d[c] * 1e10) for c in ('tv', 'kpi')])), []
    yield 'tiny values (1e-9)', 'ok', '', csv(edit(lambda d: [d.__setitem__(c, d[c] * 1e-12) for c in ('search', 'kpi')])), []
    uni = df.rename(columns={'tv': 'télé', 'search': 'recherche_検索'})
    yield 'unicode column names', 'ok', '', csv(uni), ['--media', 'télé,recherche_検索,social']

def _args(extra, config=None):
    "COLS with `extra` applied: a flag given again replaces its value; a value None drops the flag (or adds it alone)."
    args = list(COLS)
    for i in range(0, len(extra), 2):
        flag, val = extra[i], extra[i + 1]
        val = str(config) if val == '@config' else val
        if flag in args:
            j = args.index(flag)
            if val is None: del args[j:j + 2]
            else: args[j + 1] = val
        else: args += [flag] if val is None else [flag, val]
    return args

def run_case(tmp: Path, name, expect, must, writer, extra, previous: Path):
    src = tmp/'data.csv'; writer(src)
    out = tmp/'out'
    if out.exists(): shutil.rmtree(out)
    shutil.copytree(previous, out)
    before = _digest(out)
    t0 = time.time()
    r = subprocess.run([EXE, str(src), '--out', str(out), '--epochs', '5', '--quiet', *_args(extra, tmp/'c.toml')],
                       capture_output=True, text=True, timeout=300, cwd=tmp)
    secs = time.time() - t0
    leftovers = [p.name for p in tmp.iterdir() if p.name.startswith('.out')]
    problems = []
    if expect == 'error':
        lines = [l for l in r.stderr.strip().splitlines() if l.strip()]
        if r.returncode != 2: problems.append(f'exit {r.returncode}, expected 2')
        if 'Traceback' in r.stderr: problems.append('traceback shown')
        if not lines or not lines[-1].startswith('error:'): problems.append(f'no error line: {r.stderr.strip()[-200:]!r}')
        elif must.lower() not in lines[-1].lower(): problems.append(f'message does not name {must!r}: {lines[-1]!r}')
        if _digest(out) != before: problems.append('existing output folder was changed')
        msg = lines[-1] if lines else ''
    else:
        if r.returncode != 0: problems.append(f'exit {r.returncode}: {r.stderr.strip()[-300:]!r}')
        else:
            need = {'metrics.json', 'predictions.csv', 'contributions.csv', 'dag.csv', 'channels.csv', 'response_curves.csv', 'budget.csv',
                    'settings.toml', 'model', 'figures'}
            have = {p.name for p in out.iterdir()}
            if not need <= have: problems.append(f'missing outputs {sorted(need - have)}')
            m = json.loads((out/'metrics.json').read_text())
            pr = pd.read_csv(out/'predictions.csv')
            if not np.isfinite(pr.predicted).all(): problems.append('non-finite predictions')
            if not np.isfinite(m['train']['rmse']): problems.append('non-finite metrics')
        warned = [l for l in r.stderr.splitlines() if l.startswith('warning:')]
        if expect == 'warn' and not any(must.lower() in l.lower() for l in warned): problems.append(f'no warning naming {must!r}: {warned}')
        msg = ('fitted' if expect == 'ok' else (warned[0] if warned else '')) if not problems else ''
    if leftovers: problems.append(f'temporary folders left: {leftovers}')
    return problems, msg, secs

def check_reproducible(tmp: Path):
    "Same data and seed twice: byte-identical CSV and JSON outputs (fit_seconds aside)."
    src = tmp/'repro.csv'; base_frame(seed=3).to_csv(src, index=False)
    outs = []
    for k in range(2):
        o = tmp/f'repro{k}'
        r = subprocess.run([EXE, str(src), '--out', str(o), '--epochs', '8', '--quiet', *COLS], capture_output=True, text=True, timeout=300)
        if r.returncode: return [f'run {k} failed: {r.stderr[-200:]}']
        outs.append(o)
    probs = []
    for f in ('predictions.csv', 'contributions.csv', 'dag.csv'):
        if (outs[0]/f).read_bytes() != (outs[1]/f).read_bytes(): probs.append(f'{f} differs between two identical runs')
    m = [json.loads((o/'metrics.json').read_text()) for o in outs]
    for x in m: x.pop('fit_seconds')
    if m[0] != m[1]: probs.append('metrics.json differs between two identical runs')
    return probs

def check_fresh_process_load(tmp: Path):
    "A saved model, loaded in a new Python process, predicts exactly what the run wrote to predictions.csv."
    src = tmp/'load.csv'; base_frame(seed=4).to_csv(src, index=False)
    out = tmp/'load_out'
    r = subprocess.run([EXE, str(src), '--out', str(out), '--epochs', '6', '--quiet', *COLS], capture_output=True, text=True, timeout=300)
    if r.returncode: return [f'fit failed: {r.stderr[-200:]}']
    code = f"""
import numpy as np, pandas as pd
from deepcausalmmm.data import Panel
from deepcausalmmm.train import DeepCausalMMM
m = DeepCausalMMM.load({str(out/'model')!r})
df = pd.read_csv({str(src)!r})
_, full = Panel.from_frame(df, **m.spec_.kwargs()).split(13)
p = pd.read_csv({str(out/'predictions.csv')!r}).predicted.to_numpy()
assert np.array_equal(m.predict(full).ravel(), p), 'predictions differ after loading'
k = {{**m.spec_.kwargs(), 'media': ['tv', 'search'], 'channels': None}}
try: m.predict(Panel.from_frame(df, **k).split(13)[1])
except Exception as e: print('refused:', e)
"""
    r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, timeout=300)
    probs = [] if r.returncode == 0 else [f'fresh-process load failed: {r.stderr.strip()[-300:]}']
    if r.returncode == 0 and 'refused:' not in r.stdout: probs.append('a panel with other columns was not refused')
    return probs

def check_many_geos(tmp: Path):
    "2,000 geos: fits in mini-batches with bounded memory (peak RSS under 3 GB)."
    rng = np.random.default_rng(0)
    G, T = 2000, 30
    m = rng.gamma(2, 10, (G, T, 3))
    df = pd.DataFrame(dict(geo=np.repeat(np.arange(G), T), week=np.tile(np.arange(T), G), tv=m[..., 0].ravel(), search=m[..., 1].ravel(),
                           social=m[..., 2].ravel(), price=rng.normal(10, 1, G * T), kpi=(100 + m.sum(-1)).ravel()))
    src = tmp/'many.csv'; df.to_csv(src, index=False)
    code = f"""
import resource, subprocess, sys
r = subprocess.run([{EXE!r}, {str(src)!r}, '--out', {str(tmp/'many_out')!r}, '--epochs', '2', '--holdout_weeks', '5', '--quiet', *{COLS!r}], capture_output=True, text=True)
print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024, r.stderr[-300:].replace(chr(10), ' '))
"""
    r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, timeout=600)
    rc, mb, *err = r.stdout.split(' ', 2)
    probs = [] if rc == '0' else [f'exit {rc}: {err}']
    if int(mb) > 3000: probs.append(f'peak memory {mb} MB')
    print(f'     (2,000 geos x {T} weeks: peak RSS {mb} MB)')
    return probs

def check_version(tmp: Path):
    "`dcmmm_fit --version` prints the package version and exits 0, writing nothing."
    from deepcausalmmm import __version__
    r = subprocess.run([EXE, '--version'], capture_output=True, text=True, timeout=120, cwd=tmp)
    return [] if r.returncode == 0 and r.stdout.strip() == f'dcmmm_fit {__version__}' and not (tmp/'dcmmm_out').exists() else [f'exit {r.returncode}: {r.stdout!r} {r.stderr[-200:]!r}']

def check_report(tmp: Path):
    "The bundled run's report.html: self-contained (no script, link or remote address), every figure inlined, rendered by headless Chromium."
    import base64, re, shutil
    out = tmp/'bundled'
    r = subprocess.run([EXE, '--out', str(out), '--epochs', '30', '--ensemble', '2', '--quiet'], capture_output=True, text=True, timeout=600)
    if r.returncode: return [f'bundled run failed: {r.stderr.strip()[-300:]}']
    page = (out/'report.html').read_text(encoding='utf-8')
    figs = len(list((out/'figures').glob('*.png')))
    probs = []
    text = re.sub(r'base64,[A-Za-z0-9+/=]+', 'base64,', page)             # the inlined figures aside
    if re.search(r'<script|<link|(https?:)?//[a-z]', text, re.I): probs.append('the page refers to something outside itself')
    exe = shutil.which('chromium') or shutil.which('chromium-browser') or shutil.which('google-chrome')
    if exe is None:
        print('     (Chromium not found: `make chromium` installs it; the static page was checked only)')
        dom = page
    else:
        flags = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update',
                 '--disable-sync', '--disable-dev-shm-usage', '--dump-dom']
        with tempfile.TemporaryDirectory() as prof:
            dom = subprocess.run([exe, *flags, f'--user-data-dir={prof}', (out/'report.html').as_uri()], capture_output=True, text=True, timeout=180).stdout
    srcs = re.findall(r'<img [^>]*src="data:image/png;base64,([^"]+)"', dom)
    ok = [s for s in srcs if base64.b64decode(s[:64] + '==')[:8] == b'\x89PNG\r\n\x1a\n']
    if len(ok) != figs or figs < 8: probs.append(f'{len(ok)} PNG figures in the rendered page, {figs} in figures/')
    for h in ('Warnings', 'The data at a glance', 'Fit and holdout, against naive forecasts', 'Decomposition', 'Budget plan', 'Channel graph (DAG)'):
        if f'<h2>{h}</h2>' not in dom: probs.append(f'section {h!r} missing')
    print(f'     (report.html: {len(page) / 1024:.0f} kB, {len(ok)} figures' + (', rendered in Chromium)' if exe else ')'))
    return probs

def check_interrupt(tmp: Path, sig=None):
    "Ctrl-C (or SIGTERM) during a fit: exit 130, no output folder, no temporary folder."
    import signal
    sig = sig or signal.SIGINT
    tmp = tmp/f'interrupt_{int(sig)}'; tmp.mkdir()
    out = tmp/'interrupted'
    # as from a terminal: a shell without job control starts background jobs with SIGINT ignored, and the child would inherit that
    p = subprocess.Popen([EXE, '--out', str(out), '--quiet', '--epochs', '400'], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    t0 = time.time()   # signal once the job is fitting (its temporary folder exists), however slow the start on a busy machine
    while not any(q.name.startswith('.interrupted.tmp-') for q in tmp.iterdir()) and p.poll() is None and time.time() - t0 < 120: time.sleep(0.1)
    time.sleep(1)
    p.send_signal(sig)
    _, err = p.communicate(timeout=120)
    probs = []
    if p.returncode != 130: probs.append(f'exit {p.returncode}, expected 130 ({err.strip()[-200:]!r})')
    if 'Traceback' in err: probs.append('traceback shown')
    if out.exists(): probs.append('an output folder was written')
    left = [q.name for q in tmp.iterdir() if q.name.startswith('.interrupted')]
    if left: probs.append(f'temporary folders left: {left}')
    return probs

def main():
    t0, bad, n = time.time(), 0, 0
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        prev = tmp/'previous'; prev.mkdir()
        (prev/'metrics.json').write_text('{"from": "an earlier run"}'); (prev/'figures').mkdir(); (prev/'figures'/'fit.png').write_bytes(b'png')
        for name, expect, must, writer, extra in cases():
            n += 1
            problems, msg, secs = run_case(tmp, name, expect, must, writer, extra, prev)
            bad += bool(problems)
            print(f"{'FAIL' if problems else 'ok  '} {name:42s} {expect:5s} {secs:5.1f} s  {msg[:110]}" + ''.join(f'\n     - {p}' for p in problems), flush=True)
        for name, check in (('same data and seed -> identical files', check_reproducible), ('saved model loads in a fresh process', check_fresh_process_load),
                            ('thousands of geos', check_many_geos), ('--version', check_version),
                            ("the bundled run's report.html", check_report), ('Ctrl-C during a fit', check_interrupt),
                            ('SIGTERM during a fit', lambda t: check_interrupt(t, __import__('signal').SIGTERM))):
            n += 1; t1 = time.time()
            problems = check(tmp)
            bad += bool(problems)
            print(f"{'FAIL' if problems else 'ok  '} {name:42s} {'':5s} {time.time()-t1:5.1f} s" + ''.join(f'\n     - {p}' for p in problems), flush=True)
    print(f'cli-matrix: {n - bad} passed, {bad} failed ({time.time() - t0:.0f} s)')
    sys.exit(1 if bad else 0)

if __name__ == '__main__': main()
