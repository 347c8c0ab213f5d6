"""A stronger Hill-slope prior for always-on channels (issue 18, session 16): the data never show such a channel's
curve below its floor, so its total contribution is decided by the curve's shape there, i.e. by the slope prior.

    python bench/always_on_prior.py WEIGHT [identification arguments...]

WEIGHT multiplies the weight of the package's slope prior (`_penalty_weights()['hill_slope']`) for the channels `always_on(train)` flags, and that part of the prior
is not divided by the number of geos (it counts once per geo instead of once for the panel).
"""
import sys
from pathlib import Path
import numpy as np
import torch
import torch.nn.functional as F

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path: sys.path.append(str(ROOT))

def install(weight:float):
    from deepcausalmmm.train import DeepCausalMMM, always_on
    fit, terms = DeepCausalMMM.fit, DeepCausalMMM._loss_terms
    def _fit(self, panel, *a, **k):
        self._ao = torch.as_tensor(always_on(panel), dtype=torch.float32)
        return fit(self, panel, *a, **k)
    def _loss_terms(self, out, target, mask, wgeo):
        d, r = terms(self, out, target, mask, wgeo)
        ao = getattr(self, '_ao', None)
        if ao is not None and ao.any():
            r = r + weight * self._penalty_weights()['hill_slope'] * self.net_.dims['n_geos'] * (ao.to(out['pred'].device) * torch.log(self.net_.hill.slope()).pow(2)).sum()
        return d, r
    DeepCausalMMM.fit, DeepCausalMMM._loss_terms = _fit, _loss_terms

if __name__ == '__main__':
    install(float(sys.argv[1]))
    from bench.identification import main
    main(sys.argv[2:])
