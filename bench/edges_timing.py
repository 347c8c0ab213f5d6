"""The package simulator with a spillover whose timing differs from its parent's carryover (`simulate_panel(edge_lags=...)`):
the edge kernel the fit keeps (earn_edges) against the truth, seeds 0-2. Run: python bench/edges_timing.py"""
import numpy as np, warnings; warnings.simplefilter('ignore')
from deepcausalmmm.data import simulate_panel, PanelScaler
from deepcausalmmm.dag import fit_notears, earn_edges, induced
for s in range(3):
    for el in (None, {('tv', 'search'): [1.]}):
        sim = simulate_panel(seed=s, edge_lags=el); tr = sim.truth; train, _ = sim.split()
        sc = PanelScaler().fit(train); X = sc.transform(train).media[:, :train.n_train].astype(float)
        ch = tr.channels; p, k = ch.index('tv'), ch.index('search')
        W = fit_notears(X); ev = earn_edges(X, W, ch)
        K = ev.kernels[p, k]
        true_ind = (tr.activity() - tr.activity(remove=('tv',)))[:, :train.n_train, k] * tr.activity_ref[:, None, k]
        Kp = np.zeros_like(ev.kernels); Kp[p, k] = K
        model_ind = induced(X, Kp)[..., k] * sc.media_ref_[:, None, k]
        # truth's removal also removes tv's own activity effect on downstream of search? search's children not counted here
        print(s, 'same-week' if el else 'parent-carry', 'earned', ev.earned[p, k], 'peak', int(np.argmax(K)), 'kernel', np.round(K[:4], 3), f'induced err {model_ind.sum() / true_ind.sum() - 1:+.3f}')
