"""Check that the notebooks and the exported module (and README.md) are in sync.

Runs `nbdev_export` on a snapshot and compares; the tree is restored either way, so this
check never edits the working copy. Exit 1 with a diff when something is out of date.
"""
import difflib, filecmp, shutil, subprocess, sys, tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIB = ROOT/'deepcausalmmm'

def _files(d: Path): return {p.relative_to(d) for p in d.rglob('*.py') if '__pycache__' not in p.parts}

def main():
    bad = []
    with tempfile.TemporaryDirectory() as tmp:
        snap = Path(tmp)/'lib'
        shutil.copytree(LIB, snap)
        try:
            subprocess.run([str(Path(sys.executable).parent/'nbdev_export')], cwd=ROOT, check=True)
            for rel in sorted(_files(LIB) | _files(snap)):
                a, b = snap/rel, LIB/rel
                if not (a.exists() and b.exists() and filecmp.cmp(a, b, shallow=False)):
                    old = a.read_text().splitlines() if a.exists() else []
                    new = b.read_text().splitlines() if b.exists() else []
                    bad.append('\n'.join(difflib.unified_diff(old, new, f'committed/{rel}', f'exported/{rel}', lineterm='', n=1)))
        finally:
            shutil.rmtree(LIB); shutil.copytree(snap, LIB)
    import importlib.util
    spec = importlib.util.spec_from_file_location('docsite', ROOT/'tools'/'site.py')
    docsite = importlib.util.module_from_spec(spec); spec.loader.exec_module(docsite)
    stale = docsite.readme_stale()
    if stale:
        bad.append(f'{", ".join(stale)}: not what nbs/index.ipynb generates: run `python tools/site.py readme`.')
    if bad:
        print('Notebooks and exported code are out of sync (edit the notebook, run nbdev_export, commit both):')
        print('\n'.join(d[:4000] for d in bad))
        sys.exit(1)
    print('export-check: module and README match the notebooks.')

if __name__ == '__main__': main()
