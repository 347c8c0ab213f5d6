"""Acceptance harness (issue 18): are channel effects decided by the data? DeepCausalMMM fitted on an independent
simulator family (`bench/family.py`) and scored against its exact truth with the package's analysis API.

    python bench/identification.py [--variants all|a,b] [--worlds earned,paid] [--seeds 0,1,2] [--heldout 10,11,12]
                                   [--settings JSON] [--tag NAME] [--tail N] [--starts] [--ensemble N] [--laplace N] [--job-intervals HOW]
                                   [--jobs 1] [--quick]
    python bench/identification.py --from-csv TAG      # re-print a saved run's tables

To judge the package as committed while others edit the working tree, put a clean export first on the path:
    git archive HEAD deepcausalmmm | tar -x -C /tmp/pkg && PYTHONPATH=/tmp/pkg python bench/identification.py ...

Acceptance seeds (--seeds) and held-out seeds (--heldout; none by default) are scored and tabulated separately;
fix variants and seeds before tuning. Per run: the panel from `Panel.from_frame(frame, **cols)`, `panel.split(13)`,
`DeepCausalMMM(progress=False, seed=seed, **settings).fit(train)`, then `channel_summary`, `response_curves` and
`optimize_budget` on the training panel (the package's window: the training weeks, no tail) against the truth over
the same window (`--tail N` sums the true KPI N weeks past the window; the model side stays as the package has it).
Rows go to bench/results/identification_<tag>.csv (one per run), ..._channels.csv (one per run and channel) and
..._summary.json. Torch runs one thread per process (the analysis passes too).
"""
from __future__ import annotations
import argparse, dataclasses, json, os, sys, time, traceback, warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path: sys.path.append(str(ROOT))     # appended: a PYTHONPATH copy of the package (e.g. a clean export of a commit) wins
from bench.family import VARIANTS, WORLDS, HOLDOUT, make

QUICK_VARIANTS = ['pulsed', 'always_on', 'single_geo', 'events_controls']
# (column, bar text, test on the aggregated value)
BARS = [('share_err_pp_mean', '<= 0.3 pp', lambda v: v <= 0.3), ('share_err_pp_max', '<= 1 pp', lambda v: v <= 1.),
        ('roi_rel_err_median', '<= 0.08', lambda v: v <= 0.08), ('curve_0.5_rel_err', '<= 0.08', lambda v: v <= 0.08),
        ('curve_1.5_rel_err', '<= 0.08', lambda v: v <= 0.08), ('budget_gain_share', '>= 0.85', lambda v: v >= 0.85),
        ('always_on_rel_err_max', '<= 0.15', lambda v: v <= 0.15), ('event_recovered_min', '>= 0.8', lambda v: v >= 0.8),
        ('control_rel_err_max', '<= 0.2', lambda v: v <= 0.2), ('coverage_contribution', '0.7-0.9', lambda v: 0.7 <= v <= 0.9),
        ('coverage_roi', '0.7-0.9', lambda v: 0.7 <= v <= 0.9), ('holdout_rmse_vs_naive', '< 1 (info)', lambda v: v < 1),
        ('start_change_max', '<= 0.15 (info)', lambda v: v <= 0.15)]


def _one_thread():
    "Torch on one thread in this process, including the analysis passes that would otherwise take every core."
    import torch
    torch.set_num_threads(1)
    import deepcausalmmm.analysis as A
    A._cores = lambda: 1          # harness-local: the package's large passes ask _cores() for their thread count


def _rel(est, true): return float(abs(est / true - 1)) if true != 0 else float('nan')


def _on_true_budget(tr, m:np.ndarray, bounds=(0.5, 2.)) -> np.ndarray:
    "The plan put on today's true total spend (projection in true spend coordinates, within the bounds): the model's plan may cost more or less under the truth."
    from bench.family import project_budget
    s0 = float(tr.spend_at().sum())
    a = np.array([tr.spend_at({c: 2.}).sum() - s0 for c in tr.channels])
    return project_budget(a * m, a.sum(), a * bounds[0], a * bounds[1]) / a


def _with_controls(panel, controls):
    return dataclasses.replace(panel, controls=controls)


def control_effects(mmm, train, world) -> dict:
    """The model's effect of each event dummy (KPI over its weeks, predicted with the dummy as is minus set to 0, through
    the whole network) and of each continuous control (predicted KPI over the window with the control + one pooled
    within-geo std, as the package's scaler measures it, minus as is)."""
    out = {}
    P0 = mmm.predict(train)
    names = list(train.control_names)
    for k, name in enumerate(names):
        Z = train.controls.copy()
        if name in world.truth.events:
            on = Z[..., k] != 0
            Z[..., k] = 0.
            out[name] = float(((P0 - mmm.predict(_with_controls(train, Z))) * on).sum())
        else:
            Z[..., k] += float(mmm.scaler_.control_pooled_std_[k])
            out[name] = float((mmm.predict(_with_controls(train, Z)) - P0).sum())
    return out


def run_one(variant:str, world:str, seed:int, settings:dict, tail:int=0, starts:bool=False, ensemble:int=0, split:str='acceptance', laplace:int=0,
            job_intervals:str|None=None) -> tuple:
    "Fit and score one (variant, world, seed): (run row, per-channel rows)."
    _one_thread()
    from deepcausalmmm.data import Panel
    from deepcausalmmm.train import DeepCausalMMM, naive_forecasts, regression_metrics
    from deepcausalmmm.analysis import channel_summary, response_curves, optimize_budget, fit_ensemble
    row = dict(variant=variant, world=world, seed=seed, split=split)
    t_start = time.time()
    try:
        w = make(variant, world, seed)
        tr = w.truth
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            panel = Panel.from_frame(w.frame, **w.cols)
        row['panel_warnings'] = ' | '.join(str(c.message)[:160] for c in caught)
        train, full = panel.split(HOLDOUT)
        assert train.n_train == w.n_train
        mmm = DeepCausalMMM(progress=False, seed=seed, **settings).fit(train)
        row['fit_seconds'] = mmm.fit_seconds_
        W = getattr(mmm, 'dag_', None)                                    # the learned channel DAG (true: tv -> search only)
        row['dag_edges'] = '' if W is None else ' '.join(f'{tr.channels[i]}->{tr.channels[j]}:{W[i, j]:.2f}' for i, j in zip(*np.nonzero(np.asarray(W))))
        row['best_epoch'] = int(mmm.best_epoch_)
        row['lr_change'], row['epochs_run'] = mmm.convergence_['rel_change'], mmm.convergence_['epochs']   # the convergence criterion and the epochs it took
        # --- truth
        kpi = tr.outcome(None, tail)
        ttab = tr.table(tail)
        # --- model
        t0 = time.time()
        name = dict(zip(train.channels, tr.channels))                     # panel channel (media column) -> truth channel
        summ = channel_summary(mmm, train).rename(index=name)
        cur = response_curves(mmm, train, multipliers=[0., 0.5, 1., 1.5]).replace({'channel': name}).set_index(['channel', 'multiplier']).incremental
        bud = optimize_budget(mmm, train, bounds=(0.5, 2.))
        bud.table = bud.table.rename(index=name)
        row['analysis_seconds'] = time.time() - t0
        ch = tr.channels
        chrows = []
        for c in ch:
            t, s = ttab.loc[c], summ.loc[c]
            chrows.append(dict(variant=variant, world=world, seed=seed, split=split, channel=c, always_on=bool(t.always_on),
                               true_share=t.share, contribution=s.contribution, true_contribution=t.contribution,
                               share_err_pp=100 * (s.contribution - t.contribution) / kpi,
                               direct_err_pp=100 * (s.direct_contribution - t.direct) / kpi,
                               contribution_rel_err=_rel(s.contribution, t.contribution),
                               spend=s.spend, true_spend=t.spend, roi=s.roi, true_roi=t.roi, roi_rel_err=_rel(s.roi, t.roi),
                               mroi=s.mroi, true_mroi=t.mroi,
                               **{f'curve_{m:g}': cur.loc[(c, m)] for m in (0.5, 1.5)},
                               **{f'true_curve_{m:g}': t[f'curve_{m:g}'] for m in (0.5, 1.5)},
                               **{f'curve_{m:g}_rel_err': _rel(cur.loc[(c, m)], t[f'curve_{m:g}']) for m in (0.5, 1.5)},
                               model_multiplier=float(bud.table.loc[c, 'multiplier'])))
        cd = pd.DataFrame(chrows)
        row.update(share_err_pp_mean=cd.share_err_pp.abs().mean(), share_err_pp_max=cd.share_err_pp.abs().max(),
                   direct_err_pp_mean=cd.direct_err_pp.abs().mean(), roi_rel_err_median=cd.roi_rel_err.median(),
                   **{f'curve_{m:g}_rel_err': cd[f'curve_{m:g}_rel_err'].median() for m in (0.5, 1.5)},
                   always_on_rel_err_max=cd[cd.always_on].contribution_rel_err.max() if cd.always_on.any() else np.nan,
                   true_media_share=ttab.share.sum(), est_media_share=summ.contribution.sum() / kpi)
        # --- budget: share of the attainable true gain the model's plan realises (its cautious step, and all the way)
        opt = tr.optimum((0.5, 2.), tail)
        now, best = tr.outcome(None, tail), opt.attrs['outcome']
        m_model = bud.table.multiplier.reindex(ch).to_numpy()
        step = bud.step if bud.step else 1.
        m_full = np.clip(1 + (m_model - 1) / step, 0.5, 2.)
        gain = best - now
        row.update(budget_true_gain_pct=100 * gain / now, budget_gain_share=(tr.outcome(m_model, tail) - now) / gain if gain > 1e-9 * now else np.nan,
                   budget_gain_share_full_step=(tr.outcome(m_full, tail) - now) / gain if gain > 1e-9 * now else np.nan,
                   budget_true_spend_change=float(tr.spend_at(m_model).sum() / tr.spend_at().sum() - 1),
                   budget_gain_share_on_budget=(tr.outcome(_on_true_budget(tr, m_model), tail) - now) / gain if gain > 1e-9 * now else np.nan,
                   budget_model_step=step)
        for c, m in zip(ch, opt.to_numpy()): cd.loc[cd.channel == c, 'true_opt_multiplier'] = m
        # --- events and controls
        if train.n_controls:
            est = control_effects(mmm, train, w)
            tev, tco = tr.event_effects(), tr.control_effects()
            rec = {k: est[k] / v for k, v in tev.items()}
            cerr = {k: _rel(est[k], v) for k, v in tco.items()}
            row.update(event_recovered_min=min(rec.values()) if rec else np.nan, event_recovered_mean=np.mean(list(rec.values())) if rec else np.nan,
                       control_rel_err_max=max(cerr.values()) if cerr else np.nan,
                       **{f'event_{k}': v for k, v in rec.items()}, **{f'control_err_{k}': v for k, v in cerr.items()},
                       **{f'control_est_{k}': est[k] for k in tco}, **{f'control_true_{k}': v for k, v in tco.items()})
            if 'competitor_corr' in w.info: row['competitor_corr'] = w.info['competitor_corr']
        # --- holdout forecast against the best naive forecast
        P = mmm.predict(full)
        mask = full.observed & (np.arange(full.n_times) >= full.n_train)[None]
        r_model = regression_metrics(full.target, P, mask)['rmse']
        naive = {k: regression_metrics(full.target, v, mask)['rmse'] for k, v in naive_forecasts(full).items()}
        row.update(holdout_rmse=r_model, best_naive=min(naive, key=naive.get), holdout_rmse_vs_naive=r_model / min(naive.values()))
        # --- does the start decide? beta_init x0.5 and x2
        if starts:
            b0 = mmm.beta_init
            fits = [DeepCausalMMM(progress=False, seed=seed, **{**settings, 'beta_init': b0 * f}).fit(train) for f in (0.5, 2.)]
            cs = [channel_summary(f, train).rename(index=name).contribution.reindex(ch) for f in fits]
            ratio = (cs[1] / cs[0] - 1).abs()
            big = ttab.share.reindex(ch) >= 0.01
            row.update(start_change_max=ratio[big].max(), start_change_mean=ratio[big].mean())
            for c in ch: cd.loc[cd.channel == c, 'start_change'] = ratio[c]
        # --- intervals: 80% from an ensemble of N fits
        if (ensemble and ensemble > 1) or laplace or job_intervals:
            votes = None
            if job_intervals:   # what dcmmm_fit builds: its intervals' members (scored at 80%) and the members its budget's agreement uses
                from deepcausalmmm.job import interval_ensemble, budget_ensemble
                ens = interval_ensemble(mmm, train, ensemble or 3, jobs=1, how=job_intervals)
                votes = budget_ensemble(mmm, train, ens, ensemble or 3, jobs=1)
                ens.level = 0.8
                row['job_intervals'] = 'laplace' if ens.draws else 'bootstrap'
            elif laplace:
                from deepcausalmmm.identify import laplace_ensemble
                ens = laplace_ensemble(mmm, train, draws=laplace, level=0.8, seed=seed)
            else: ens = fit_ensemble(train, n=ensemble, seed=seed, base=mmm, level=0.8, jobs=1)
            es = ens.channel_summary(train).rename(index=name).reindex(ch)
            if (votes is not None or not laplace) and gain > 1e-9 * now:   # the plan dcmmm_fit recommends: each channel moved as far as the members agree
                m_agree = pd.Series((votes if votes is not None else ens).optimize_budget(train, bounds=(0.5, 2.)).multipliers, index=train.channels).rename(index=name).reindex(ch).to_numpy()
                row.update(budget_agreement=(tr.outcome(m_agree, tail) - now) / gain,
                           budget_agreement_on_budget=(tr.outcome(_on_true_budget(tr, m_agree), tail) - now) / gain)
                if votes is not None and ens.draws:   # for comparison: the same rule on the Laplace draws instead of the refits
                    m_draws = pd.Series(ens.optimize_budget(train, bounds=(0.5, 2.)).multipliers, index=train.channels).rename(index=name).reindex(ch).to_numpy()
                    row.update(budget_draws=(tr.outcome(m_draws, tail) - now) / gain,
                               budget_draws_on_budget=(tr.outcome(_on_true_budget(tr, m_draws), tail) - now) / gain)
            ec, er = es.contribution, es.roi                  # the ensemble's own point estimates (its members' medians): what dcmmm_fit's tables report
            row.update(share_err_pp_mean_ens=(100 * (ec - ttab.contribution.reindex(ch)).abs() / kpi).mean(),
                       roi_rel_err_median_ens=np.median([_rel(a, b) for a, b in zip(er, ttab.roi.reindex(ch))]))
            cd['ens_contribution'], cd['ens_roi'] = ec.to_numpy(), er.to_numpy()
            if getattr(ens, 'laplace_', None): row.update(laplace_tries=ens.laplace_.get('tries', np.nan), laplace_dropped=ens.laplace_.get('dropped', np.nan))
            inside = lambda col, true: ((es[f'{col}_lo'] <= true) & (true <= es[f'{col}_hi'])).to_numpy()
            ic, ir = inside('contribution', ttab.contribution.reindex(ch)), inside('roi', ttab.roi.reindex(ch))
            row.update(coverage_contribution=ic.mean(), coverage_roi=ir.mean())
            cd['in_interval_contribution'], cd['in_interval_roi'] = ic, ir
        row['status'] = 'ok'
    except Exception as e:
        row.update(status='error', error=f'{type(e).__name__}: {e}', traceback=traceback.format_exc()[-2000:])
        cd = pd.DataFrame()
    row['run_seconds'] = time.time() - t_start
    return row, cd.to_dict('records')


MIN_GAIN_PCT = 0.5   # budget ratio scored only where the true attainable gain is at least this % of the window's KPI

COLS = ['share_err_pp_mean', 'share_err_pp_max', 'roi_rel_err_median', 'curve_0.5_rel_err', 'curve_1.5_rel_err', 'budget_gain_share', 'budget_regret_pct',
        'always_on_rel_err_max', 'event_recovered_min', 'control_rel_err_max', 'coverage_contribution', 'coverage_roi',
        'holdout_rmse_vs_naive', 'start_change_max', 'fit_seconds']
SHORT = {'share_err_pp_mean': 'share_pp', 'share_err_pp_max': 'worst_pp', 'roi_rel_err_median': 'roi', 'curve_0.5_rel_err': 'crv0.5',
         'curve_1.5_rel_err': 'crv1.5', 'budget_gain_share': 'budget', 'budget_regret_pct': 'regret%', 'always_on_rel_err_max': 'alw_on', 'event_recovered_min': 'events',
         'control_rel_err_max': 'control', 'coverage_contribution': 'cov_c', 'coverage_roi': 'cov_roi', 'holdout_rmse_vs_naive': 'hold/naive',
         'start_change_max': 'starts', 'fit_seconds': 'fit_s'}


def table(df:pd.DataFrame, world:str, split:str) -> pd.DataFrame|None:
    "Rows: variants (mean over the seeds), then the mean over variants, the bar, and how many variants pass it."
    d = df[(df.world == world) & (df.split == split) & (df.status == 'ok')].copy()
    if d.empty: return None
    if 'budget_true_gain_pct' in d:   # the ratio is noise when today's plan is already (nearly) the true optimum
        d['budget_regret_pct'] = d.budget_true_gain_pct * (1 - d.budget_gain_share)
        d.loc[d.budget_true_gain_pct < MIN_GAIN_PCT, 'budget_gain_share'] = np.nan
    cols = [c for c in COLS if c in d and d[c].notna().any()]
    t = d.groupby('variant', sort=False)[cols].mean()
    t['seeds'] = d.groupby('variant', sort=False).seed.count()
    if 'budget_gain_share' in t: t['bud_n'] = d.groupby('variant', sort=False).budget_gain_share.count()
    t.loc['mean'] = t[cols].mean()
    t = t.astype(object)
    bars = {c: b for c, b, _ in BARS}
    tests = {c: f for c, _, f in BARS}
    extra = [c for c in t.columns if c not in cols]
    t.loc['bar'] = [bars.get(c, '') for c in cols] + [''] * len(extra)
    t.loc['pass'] = [f'{int(sum(tests[c](v) for v in t.loc[t.index[:-2], c] if pd.notna(v)))}/{int(t.loc[t.index[:-2], c].notna().sum())}'
                     if c in tests else '' for c in cols] + [''] * len(extra)
    return t.rename(columns=SHORT)


def fmt(t:pd.DataFrame) -> str:
    return t.map(lambda v: f'{v:.3g}' if isinstance(v, (float, np.floating)) and pd.notna(v) else ('' if v is None or (isinstance(v, float) and np.isnan(v)) else str(v))).to_string()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--variants', default='all')
    ap.add_argument('--worlds', default='earned,paid')
    ap.add_argument('--seeds', default='0,1,2', help='acceptance seeds')
    ap.add_argument('--heldout', default='', help='held-out seeds, reported apart (e.g. 10,11,12)')
    ap.add_argument('--settings', default='{}', help='JSON of DeepCausalMMM settings')
    ap.add_argument('--tag', default='run')
    ap.add_argument('--tail', type=int, default=0, help='true KPI summed this many weeks past the window (model side unchanged)')
    ap.add_argument('--starts', action='store_true', help='refit with beta_init x0.5 and x2: relative change of each channel contribution')
    ap.add_argument('--ensemble', type=int, default=0, help='fit_ensemble of N (80%% intervals): coverage of contribution and ROI')
    ap.add_argument('--laplace', type=int, default=0, help='laplace_ensemble with N draws (80%% intervals): coverage of contribution and ROI')
    ap.add_argument('--job-intervals', default=None, help="auto|bootstrap|laplace: the intervals and budget members dcmmm_fit builds (job.interval_ensemble, budget_ensemble; --ensemble sets its members, default 3), intervals scored at 80%%")
    ap.add_argument('--jobs', type=int, default=1)
    ap.add_argument('--from-csv', default=None, help='re-print the tables of a saved run (its tag) without fitting')
    ap.add_argument('--quick', action='store_true', help=f'epochs=150, seed 0, variants {QUICK_VARIANTS}')
    a = ap.parse_args(argv)
    settings = json.loads(a.settings)
    variants = list(VARIANTS) if a.variants == 'all' else a.variants.split(',')
    seeds = [int(s) for s in a.seeds.split(',') if s != '']
    held = [int(s) for s in a.heldout.split(',') if s != '']
    if a.quick:
        settings = {'epochs': 150, **settings}; seeds = seeds[:1]; held = []
        if a.variants == 'all': variants = QUICK_VARIANTS
    worlds = a.worlds.split(',')
    bad = [v for v in variants if v not in VARIANTS] + [w for w in worlds if w not in WORLDS]
    if bad: ap.error(f'unknown variant/world {bad}; variants: {list(VARIANTS)}, worlds: {WORLDS}')
    out = ROOT / 'bench' / 'results'; out.mkdir(parents=True, exist_ok=True)
    if a.from_csv:
        df = pd.read_csv(out / f'identification_{a.from_csv}.csv')
        js = out / f'identification_{a.from_csv}_summary.json'
        summary = json.loads(js.read_text()) if js.exists() else dict(tag=a.from_csv)
        summary.update(bars={c: b for c, b, _ in BARS}, tables={}, retabulated=time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime()))
        return report(df, summary, worlds, out, a.from_csv)
    jobs = [(v, w, s, sp) for sp, ss in (('acceptance', seeds), ('heldout', held)) for s in ss for w in worlds for v in variants]
    note = lambda s: print(s, file=sys.stderr, flush=True)
    rows, chans = [], []
    t0 = time.time()
    def done(r, c):
        rows.append(r); chans.extend(c)
        msg = (f"fit {r.get('fit_seconds', float('nan')):.1f} s, run {r['run_seconds']:.1f} s, share err {r.get('share_err_pp_mean', float('nan')):.2f} pp, "
               f"budget {r.get('budget_gain_share', float('nan')):.2f}") if r['status'] == 'ok' else r['error']
        note(f"[{len(rows)}/{len(jobs)} {time.time() - t0:.0f}s] {r['variant']} {r['world']} seed {r['seed']} ({r['split']}): {msg}")
        pd.DataFrame(rows).to_csv(out / f'identification_{a.tag}.csv', index=False)       # written as it goes
        pd.DataFrame(chans).to_csv(out / f'identification_{a.tag}_channels.csv', index=False)
    kw = dict(settings=settings, tail=a.tail, starts=a.starts, ensemble=a.ensemble, laplace=a.laplace, job_intervals=a.job_intervals)
    if a.jobs <= 1:
        _one_thread()
        for v, w, s, sp in jobs: done(*run_one(v, w, s, split=sp, **kw))
    else:
        with ProcessPoolExecutor(a.jobs, initializer=_one_thread) as ex:
            futs = [ex.submit(run_one, v, w, s, split=sp, **kw) for v, w, s, sp in jobs]
            for f in futs: done(*f.result())
    df = pd.DataFrame(rows)
    pd.set_option('display.width', 250); pd.set_option('display.max_columns', 30)
    print(f"identification, tag {a.tag!r}: settings {settings or 'package defaults'}, tail {a.tail}, {len(jobs)} runs in {time.time() - t0:.0f} s "
          f"({int((df.status != 'ok').sum())} failed); acceptance seeds {seeds}, held-out seeds {held or 'none'}")
    import deepcausalmmm
    pkg = str(Path(deepcausalmmm.__file__).parent)
    print(f'package: {pkg} (version {getattr(deepcausalmmm, "__version__", "?")})')
    summary = dict(tag=a.tag, package_path=pkg, package_version=getattr(deepcausalmmm, '__version__', None), pythonpath=os.environ.get('PYTHONPATH'), settings=settings, tail=a.tail, job_intervals=a.job_intervals, seeds=seeds, heldout=held, variants=variants, worlds=worlds,
                   seconds=time.time() - t0, failed=df[df.status != 'ok'][['variant', 'world', 'seed', 'error']].to_dict('records') if 'error' in df else [],
                   bars={c: b for c, b, _ in BARS}, tables={})
    report(df, summary, worlds, out, a.tag)


def report(df:pd.DataFrame, summary:dict, worlds:list, out:Path, tag:str):
    "Print one table per world and split (acceptance, held-out), with the bars; write the summary json."
    pd.set_option('display.width', 250); pd.set_option('display.max_columns', 30)
    for sp, name in (('acceptance', 'acceptance seeds'), ('heldout', 'HELD-OUT seeds')):
        for w in worlds:
            t = table(df, w, sp)
            if t is None: continue
            print(f'\n== {w} world, {name} (mean over seeds) ==')
            print(fmt(t))
            summary['tables'][f'{sp}/{w}'] = json.loads(t.astype(object).where(t.notna(), None).to_json(orient='index'))
    print('\ncolumns: share_pp/worst_pp = |contribution share error| mean/worst channel (pp of true training KPI); roi = median |ROI rel err|; '
          'crv0.5/crv1.5 = median |curve rel err|; budget = share of the attainable true gain realised by optimize_budget\'s plan (its default 0.75 step; '
          f'runs whose true attainable gain is < {MIN_GAIN_PCT}% of KPI left out, bud_n = runs kept); regret% = true optimum minus the plan\'s true KPI, % of KPI; '
          'alw_on = worst always-on channel |contribution rel err|; events = worst event dummy recovered/true; control = worst control |rel err| of '
          'the +1 sd effect; cov_c/cov_roi = 80% interval coverage; hold/naive = holdout rmse / best naive; starts = worst |contribution change| '
          'between beta_init x0.5 and x2; fit_s = fit seconds')
    (out / f'identification_{tag}_summary.json').write_text(json.dumps(summary, indent=1, default=str))
    print(f'\nrows: {out / f"identification_{tag}.csv"}; per channel: ..._channels.csv; summary: ..._summary.json')


if __name__ == '__main__':
    main()
