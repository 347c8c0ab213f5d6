"""Would moving the K prior's centre fix the always-on channels, or only trade one simulator for another? (issue 18, session 24)

    python bench/prior_centre.py FACTOR identification [identification arguments...]
    python bench/prior_centre.py FACTOR foreign [foreign arguments...]

The package starts each channel's Hill K at the median week of its adstocked, scaled activity and centres the prior on
log K there (`hill_K_sd`). FACTOR multiplies that start and centre for every channel (0.6: curves that saturate
earlier, closer to the family's always-on truth; 1: the package as it is). Running the family (`bench/identification.py`)
and the panels built by other hands (`bench/foreign.py`) under the same FACTOR shows whether a centre that helps one
set of simulators hurts the other.
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path: sys.path.append(str(ROOT))

def install(factor:float):
    import torch
    from deepcausalmmm.hill import Hill
    init = Hill.init_from_data
    def _init(self, x, q=0.5):
        init(self, x, q)
        with torch.no_grad():
            self.log_K.add_(float(torch.log(torch.tensor(factor)))); self.log_K0.copy_(self.log_K)
        return self
    Hill.init_from_data = _init

if __name__ == '__main__':
    install(float(sys.argv[1]))
    if sys.argv[2] == 'identification': from bench.identification import main
    elif sys.argv[2] == 'foreign': from bench.foreign import main
    else: raise SystemExit(f'unknown benchmark {sys.argv[2]!r}: identification or foreign')
    main(sys.argv[3:])
