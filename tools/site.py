"""The documentation site, built offline from the notebooks (no Quarto needed).

    python tools/site.py execute [NB ...]   # re-run notebooks in place, storing outputs + widget state
    python tools/site.py build              # nbs/*.ipynb -> _docs/*.html (+ local JS assets)
    python tools/site.py check              # open every page in headless Chromium and verify it
    python tools/site.py readme [--stdout]  # README.md from nbs/index.ipynb
    python tools/site.py shrink [NB ...]    # stored figures as palette PNGs, unused widget state dropped (execute does it)

Pages go through nbdev's own notebook processors (the ones `nbdev_docs` hands to Quarto:
`show_doc` for every export, hidden and export cells removed, ...) and are rendered by
nbconvert's HTML exporter. Widget state stored in a notebook's metadata is embedded, and the
widget renderer, require.js and MathJax are served from `_docs/static/`, never a CDN.
Headings also answer to their lowercase slugs (`#the-budget-optimiser`, the form the notebooks' links
use), and the check follows every local link to its page and its `#fragment`.
"""
import base64, contextlib, functools, http.server, json, os, re, shutil, socketserver, subprocess, sys, tempfile, threading, time
from pathlib import Path
from urllib.parse import unquote
import html as _html

ROOT = Path(__file__).resolve().parents[1]
NBS, DOCS, NODE = ROOT/'nbs', ROOT/'_docs', ROOT/'node_modules'
WIDGET_STATE = 'application/vnd.jupyter.widget-state+json'
WIDGET_VIEW = 'application/vnd.jupyter.widget-view+json'
# A code cell that draws: calls into matplotlib/seaborn, or one of the package's plot_*/show_* helpers.
_RE_FIG = re.compile(r'^(?!\s*#).*(\bplt\.|\bsns\.|\.plot\(|\bplot_\w+\(|\.plot_\w+\()', re.M)
# A code cell that shows a widget: an explorer/what-if helper or ipywidgets' interact.
_RE_WIDGET = re.compile(r'^(?!\s*#).*(\b\w*explorer\w*\(|\b\w*what_if\w*\(|\binteract(ive)?\(|\bdisplay\(\s*\w*widget)', re.M)
_RE_DIRECTIVE = re.compile(r'^\s*#\|\s*([\w-]+)\s*:?\s*(.*)$')

def notebooks():
    "Every documented notebook (nbdev skips names starting with `_` or `.`)."
    return sorted(p for p in NBS.rglob('*.ipynb')
                  if not any(part.startswith(('_', '.')) for part in p.relative_to(NBS).parts)
                  and '.ipynb_checkpoints' not in p.parts)

def page_name(nb: Path) -> str: return nb.relative_to(NBS).with_suffix('.html').as_posix()

def directives(src: str) -> dict:
    "The `#| key: value` lines at the top of a cell."
    d = {}
    for line in src.splitlines():
        m = _RE_DIRECTIVE.match(line)
        if not m:
            if line.strip(): break
            continue
        d[m.group(1).lower()] = m.group(2).strip()
    return d

def _strip_directives(src: str) -> str:
    lines = src.splitlines()
    while lines and (_RE_DIRECTIVE.match(lines[0]) or not lines[0].strip()): lines.pop(0)
    return '\n'.join(lines)

# ---------------------------------------------------------------- execute
def execute(paths):
    "Run notebooks top to bottom in their folder, storing outputs and widget state in place."
    import nbformat
    from nbclient import NotebookClient
    for p in [Path(p).resolve() for p in paths] or notebooks():
        t0 = time.time()
        nb = nbformat.read(p, as_version=4)
        NotebookClient(nb, timeout=1800, kernel_name='python3', store_widget_state=True,
                       resources={'metadata': {'path': str(p.parent)}}).execute()
        nbformat.write(nb, p)
        print(f'executed {p.relative_to(ROOT)} in {time.time()-t0:.0f} s')
        shrink([p])

# ---------------------------------------------------------------- shrink
PNG_COLOURS = 128   # matplotlib's flat colours and their anti-aliasing fit; 256 kept the notebooks above 4 MB

def _small_png(b64: str) -> str:
    "A figure re-encoded as a palette PNG of at most `PNG_COLOURS` colours (about a third of the bytes)."
    import io
    from PIL import Image
    raw = base64.b64decode(b64)
    im = Image.open(io.BytesIO(raw))
    if im.mode == 'P' and im.getcolors(PNG_COLOURS) is not None: return b64   # already small enough: never quantize twice
    if im.mode == 'RGBA' and im.getchannel('A').getextrema()[0] < 255: return b64   # transparency: keep as it is
    q = im.convert('RGB').quantize(colors=PNG_COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    buf = io.BytesIO()
    q.save(buf, 'PNG', optimize=True, **({'dpi': im.info['dpi']} if 'dpi' in im.info else {}))
    return base64.b64encode(buf.getvalue()).decode() if buf.tell() < len(raw) else b64

def _shrink_outputs(outputs) -> None:
    for o in outputs:
        d = o.get('data', {})
        if 'image/png' in d:
            png = d['image/png']
            d['image/png'] = _small_png(''.join(png) if isinstance(png, list) else png)

def _widget_models_in_use(nb, state: dict) -> set:
    "The widget models the outputs show, and every model they refer to (`IPY_MODEL_<id>`), transitively."
    todo = [o['data'][WIDGET_VIEW]['model_id'] for c in nb.get('cells', []) for o in c.get('outputs', [])
            if WIDGET_VIEW in o.get('data', {})]
    seen = set()
    while todo:
        k = todo.pop()
        if k in seen or k not in state: continue
        seen.add(k)
        todo += re.findall(r'IPY_MODEL_([0-9a-f]+)', json.dumps(state[k]))
    return seen

def shrink(paths=()):
    "Stored outputs kept small: figures as palette PNGs (in outputs and in widget state); widget state only for widgets an output shows."
    for p in [Path(p).resolve() for p in paths] or notebooks():
        before = p.stat().st_size
        nb = json.loads(p.read_text())
        for c in nb['cells']: _shrink_outputs(c.get('outputs', []))
        ws = nb.get('metadata', {}).get('widgets', {}).get(WIDGET_STATE)
        if ws:
            keep = _widget_models_in_use(nb, ws['state'])
            ws['state'] = {k: v for k, v in ws['state'].items() if k in keep}
            for v in ws['state'].values(): _shrink_outputs(v.get('state', {}).get('outputs', []))
        p.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + '\n')
        print(f'shrunk {p.relative_to(ROOT)}: {before/1e3:.0f} -> {p.stat().st_size/1e3:.0f} kB')

# ---------------------------------------------------------------- build
def _nbdev_process(p: Path):
    "nbdev's documentation processors (show_doc for exports, hidden/export cells dropped, ...)."
    from execnb.nbio import read_nb
    from nbdev.processors import FilterDefaults
    nb = read_nb(p)
    widgets = nb.metadata.get('widgets')
    cwd = os.getcwd(); os.chdir(p.parent)
    try: FilterDefaults()(nb)
    finally: os.chdir(cwd)
    if widgets: nb.metadata['widgets'] = widgets   # keep the stored state, not the build process's
    else: nb.metadata.pop('widgets', None)
    return nb

def _to_nbformat(nb):
    "Apply the Quarto cell options nbdev leaves in place, then hand over to nbconvert."
    import nbformat
    # reads() (not from_dict) joins multi-line sources and outputs stored as lists of lines
    out = nbformat.reads(json.dumps(dict(nb), default=lambda o: None), as_version=4)
    cells = []
    for c in out.cells:
        if c.cell_type == 'raw' and c.source.startswith('---'):   # nbdev's frontmatter: show it as a title
            fm = _frontmatter(c.source)
            c = nbformat.v4.new_markdown_cell(f"# {fm.get('title', '')}\n\n" + (f"*{fm['description']}*" if fm.get('description') else ''))
            out.metadata['title'] = fm.get('title', '')
        if not c.get('source', '').strip() and not c.get('outputs'): continue
        d = directives(c.source) if c.cell_type == 'code' else {}
        if d.get('include') == 'false': continue
        if c.cell_type == 'code':
            c.source = _strip_directives(c.source)
            if d.get('output') == 'false': c.outputs = []
            if d.get('echo') == 'false' or not c.source.strip(): c.metadata.setdefault('tags', []).append('hide-input')
            for o in c.get('outputs', []):   # links between chapters point at pages, not notebooks
                md = o.get('data', {}).get('text/markdown')
                if md: o['data']['text/markdown'] = _fix_links(md if isinstance(md, str) else ''.join(md))
        else: c.source = _fix_links(c.source)
        for k in [k for k in c.metadata if k not in ('tags',)]: c.metadata.pop(k)
        cells.append(c)
    out.cells = cells
    return out

def _fix_links(s: str) -> str:
    "Chapter links point at pages; Quarto-only link attributes (`{target=...}`) are dropped."
    s = re.sub(r'(\]\([^)]*\))\{[^}]*\}', r'\1', s)
    return re.sub(r'\]\(([\w./-]+)\.ipynb(#[\w-]*)?\)', r'](\1.html\2)', s)

def _frontmatter(src: str) -> dict:
    "The YAML frontmatter block nbdev writes from a `# Title` / `> description` cell."
    import yaml
    return yaml.safe_load(src.strip().strip('-')) or {}

def _title(nb) -> str:
    if nb.metadata.get('title'): return nb.metadata['title']
    for c in nb.cells:
        if c.cell_type == 'markdown':
            m = re.search(r'^#\s+(.+)$', c.source, re.M)
            if m: return m.group(1).strip()
    return 'deepcausalmmm'

_NAV_CSS = """
<style>
body { margin: 0; }
#dc-nav { position: fixed; top: 0; left: 0; bottom: 0; width: 15rem; overflow-y: auto; padding: 1rem;
          background: #f6f8fa; border-right: 1px solid #ddd; font: 14px/1.5 system-ui, sans-serif; }
#dc-nav a { display: block; color: #24292f; text-decoration: none; padding: .15rem 0; }
#dc-nav a.current { font-weight: 600; color: #0969da; }
#dc-nav .brand { font-size: 1.1rem; font-weight: 700; margin-bottom: .6rem; }
main { margin-left: 17rem !important; max-width: 1100px; }
.jp-Cell.hide-input .jp-InputArea, .hide-input .jp-Cell-inputWrapper { display: none; }
</style>
"""

def _nav(pages, current):
    links = '\n'.join(f'<a href="{href}"{" class=current" if href == current else ""}>{t}</a>' for href, t in pages)
    return f'<nav id="dc-nav"><div class="brand">deepcausalmmm</div>\n{links}\n</nav>'

def _copy_assets():
    st = DOCS/'static'
    if not (NODE/'requirejs').exists(): sys.exit('node_modules missing: run `make npm` (npm ci) first.')
    shutil.copytree(NODE/'@jupyter-widgets'/'html-manager'/'dist', st/'html-manager', dirs_exist_ok=True)
    shutil.copy(NODE/'requirejs'/'require.js', st/'require.js')
    mj = NODE/'mathjax'
    keep = ['MathJax.js', 'config/TeX-AMS_CHTML-full.js', 'config/Safe.js', 'jax/input/TeX', 'jax/output/CommonHTML',
            'jax/element', 'extensions', 'fonts/HTML-CSS/TeX/woff', 'localization/en']
    for k in keep:
        src, dst = mj/k, st/'mathjax'/k
        if src.is_dir(): shutil.copytree(src, dst, dirs_exist_ok=True)
        elif src.exists(): dst.parent.mkdir(parents=True, exist_ok=True); shutil.copy(src, dst)

def _slug(text: str) -> str:
    "A heading's lowercase slug, as GitHub and Quarto make it: `The budget optimiser` -> `the-budget-optimiser`."
    return '-'.join(re.sub(r'[^\w\s]', '', unquote(_html.unescape(text)).replace('-', ' ').lower()).split())

def _add_slugs(page: str) -> str:
    "Every heading also answers to its slug (the form the notebooks' `#...` links use); nbconvert's own ids keep the case."
    def add(m):
        slug = _slug(m.group(2))
        return m.group(1) if slug == m.group(2) else f'{m.group(1)}<a id="{slug}" class="dc-slug"></a>'
    return re.sub(r'(<h[1-6][^>]*?\bid="([^"]+)"[^>]*>)', add, page)

def build():
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor
    t0 = time.time()
    DOCS.mkdir(exist_ok=True)
    _copy_assets()
    nbs = notebooks()
    processed = {p: _to_nbformat(_nbdev_process(p)) for p in nbs}
    pages = [(page_name(p), _title(nb)) for p, nb in processed.items()]
    pages.sort(key=lambda x: (x[0] != 'index.html', x[0]))
    for p, nb in processed.items():
        name = page_name(p)
        up = '../' * name.count('/')
        ex = HTMLExporter(template_name='lab', exclude_anchor_links=False, exclude_input_prompt=True, exclude_output_prompt=True,
                          require_js_url=f'{up}static/require.js',
                          widget_renderer_url=f'{up}static/html-manager/embed-amd.js',
                          mathjax_url=f'{up}static/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe')
        ex.register_preprocessor(TagRemovePreprocessor(remove_input_tags={'hide-input'}, enabled=True), enabled=True)
        html, _ = ex.from_notebook_node(nb, resources={'metadata': {'name': _title(nb)}})
        html = _add_slugs(html.replace('</head>', _NAV_CSS + '</head>', 1))
        html = re.sub(r'(<body[^>]*>)', lambda m: m.group(1) + _nav([(up + h, t) for h, t in pages], up + name), html, count=1)
        dst = DOCS/name
        dst.parent.mkdir(parents=True, exist_ok=True)
        dst.write_text(html, encoding='utf-8')
    print(f'built {len(processed)} pages into {DOCS.relative_to(ROOT)}/ in {time.time()-t0:.1f} s')

# ---------------------------------------------------------------- check
def expectations(p: Path):
    "What a notebook's page must show: figures and widgets its visible code produces."
    nb = json.loads(p.read_text())
    figs = wids = 0
    for c in nb['cells']:
        if c['cell_type'] != 'code': continue
        src = ''.join(c['source'])
        d = directives(src)
        if d.get('eval') == 'false' or d.keys() & {'export', 'exporti', 'hide'} or d.get('include') == 'false': continue
        body = _strip_directives(src)
        w = bool(_RE_WIDGET.search(body))
        wids += w
        figs += bool(_RE_FIG.search(body)) and not w   # a widget cell's plots live inside the widget
    return figs, wids

class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a): pass

@contextlib.contextmanager
def serve(folder):
    handler = functools.partial(_Quiet, directory=str(folder))
    with socketserver.ThreadingTCPServer(('127.0.0.1', 0), handler) as srv:
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        try: yield f'http://127.0.0.1:{srv.server_address[1]}'
        finally: srv.shutdown()

CHROME_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                '--disable-background-networking', '--disable-component-update', '--disable-sync',
                '--disable-dev-shm-usage', '--virtual-time-budget=20000', '--dump-dom']

def render(url: str) -> str:
    exe = shutil.which('chromium') or shutil.which('chromium-browser') or shutil.which('google-chrome')
    if not exe: sys.exit('Chromium not found: `make chromium` installs it (apt).')
    with tempfile.TemporaryDirectory() as prof:
        r = subprocess.run([exe, *CHROME_FLAGS, f'--user-data-dir={prof}', url], capture_output=True, text=True, timeout=180)
    return r.stdout

def _png_ok(src: str) -> bool:
    if not src.startswith('data:image/png;base64,'): return src.endswith(('.png', '.svg', '.jpg'))
    return base64.b64decode(src.split(',', 1)[1][:64] + '==')[:8] == b'\x89PNG\r\n\x1a\n'

@functools.lru_cache(None)
def _page_ids(page: Path) -> set:
    "The element ids of a built page (its static HTML)."
    return {_html.unescape(i) for i in re.findall(r'\bid="([^"]*)"', page.read_text(encoding='utf-8'))}

def check_page(html: str, name: str, figs: int, wids: int):
    "Problems found in one rendered page (its DOM after scripts ran)."
    from bs4 import BeautifulSoup
    soup = BeautifulSoup(html, 'html.parser')
    probs = []
    if not soup.select('.jp-Cell'): probs.append('no notebook cells rendered')
    # static figures only: an image drawn inside a widget's output does not stand in for a missing plot
    imgs = [i for i in soup.find_all('img') if _png_ok(i.get('src', '')) and not i.find_parent(class_='jupyter-widgets')]
    if len(imgs) < figs: probs.append(f'{figs} figure(s) expected from the code, {len(imgs)} rendered')
    rendered = [w for w in soup.select('.jupyter-widgets') if not w.find_parent(class_='jupyter-widgets')]
    if len(rendered) < wids:
        probs.append(f'{wids} widget(s) expected, {len(rendered)} rendered (widget state missing or renderer failed)')
    if wids and not soup.select('.widget-readout, .widget-slider, .widget-dropdown, .widget-button, .widget-output'):
        probs.append('widgets rendered empty')
    for err in soup.select('[data-mime-type="application/vnd.jupyter.stderr"], .jp-OutputArea-output pre'):
        txt = err.get_text()
        if 'Traceback (most recent call last)' in txt or re.search(r'^\w*Error: ', txt, re.M):
            probs.append('a Python error is shown in an output: ' + txt.strip().splitlines()[-1][:120]); break
    for s in soup.find_all(['script', 'link']):   # nothing fetched from elsewhere
        ref = s.get('src') or s.get('href') or ''
        if re.match(r'(https?:)?//', ref): probs.append(f'external asset {ref}')
    ids = {t['id'] for t in soup.find_all(id=True)}
    for a in soup.find_all('a', href=True):
        h, _, frag = a['href'].partition('#')
        if re.match(r'(https?:|mailto:|data:|javascript:)', h): continue
        target = (DOCS/Path(name).parent/h).resolve()
        if h and not target.exists(): probs.append(f'broken link {a["href"]}'); continue
        if frag and not {frag, unquote(frag)} & (_page_ids(target) if h else ids): probs.append(f'broken anchor {a["href"]}')   # as browsers do: raw, then decoded
    return probs, len(imgs), len(rendered)

def check():
    t0 = time.time()
    nbs, bad = notebooks(), 0
    with serve(DOCS) as base:
        for p in nbs:
            name = page_name(p)
            if not (DOCS/name).exists():
                print(f'FAIL {name}: page missing'); bad += 1; continue
            figs, wids = expectations(p)
            probs, nimg, nwid = check_page(render(f'{base}/{name}'), name, figs, wids)
            status = 'FAIL' if probs else 'ok  '
            print(f'{status} {name}: {nimg} figures (>= {figs}), {nwid} widgets (>= {wids})' + ''.join(f'\n     - {x}' for x in probs))
            bad += bool(probs)
    print(f'site-check: {len(nbs)-bad} pages ok, {bad} failed ({time.time()-t0:.0f} s)')
    sys.exit(1 if bad else 0)

# ---------------------------------------------------------------- readme
README_IMAGES = 'images'   # README figures (echo: false cells of index.ipynb), committed next to README.md

def readme_parts():
    "(README text, {relative path: PNG bytes}) from nbs/index.ipynb: markdown cells, visible code, and the figures of `echo: false` cells."
    nb = json.loads((NBS/'index.ipynb').read_text())
    parts, images = [], {}
    for i, c in enumerate(nb['cells']):
        src = ''.join(c['source'])
        if c['cell_type'] == 'markdown': parts.append(src.strip()); continue
        d = directives(src)
        if d.keys() & {'hide', 'export', 'exporti'} or d.get('include') == 'false': continue
        if d.get('echo') == 'false':
            for o in c.get('outputs', []):
                png = o.get('data', {}).get('image/png')
                if png:
                    rel = f'{README_IMAGES}/readme_{i:02d}_{len(images)}.png'
                    images[rel] = base64.b64decode(''.join(png) if isinstance(png, list) else png)
                    alt = ''.join(o['data'].get('text/plain', 'figure')).strip('<>').replace(']', '')
                    parts.append(f'![{d.get("fig-alt", alt).strip(chr(34))}]({rel})')
            continue
        body = _strip_directives(src).strip()
        if body: parts.append(f'```python\n{body}\n```')
    body = re.sub(r'\]\(([\w./-]+\.ipynb)', r'](nbs/\1', '\n\n'.join(parts))   # chapters, seen from the repo root
    return '<!-- generated from nbs/index.ipynb by tools/site.py readme; edit the notebook -->\n\n' + body + '\n', images

def readme_stale() -> list:
    "What in README.md (or its figures) differs from what nbs/index.ipynb generates."
    text, images = readme_parts()
    bad = [] if (ROOT/'README.md').exists() and (ROOT/'README.md').read_text() == text else ['README.md']
    bad += [rel for rel, data in images.items() if not (ROOT/rel).exists() or (ROOT/rel).read_bytes() != data]
    folder = ROOT/README_IMAGES
    if folder.exists(): bad += [f'{README_IMAGES}/{p.name} (no longer generated)' for p in folder.glob('readme_*.png') if f'{README_IMAGES}/{p.name}' not in images]
    return bad

def readme(to_stdout=False):
    "Write README.md (and its figures) from nbs/index.ipynb."
    text, images = readme_parts()
    if to_stdout: sys.stdout.write(text); return
    folder = ROOT/README_IMAGES
    if folder.exists():
        for p in folder.glob('readme_*.png'): p.unlink()
    for rel, data in images.items(): (ROOT/rel).parent.mkdir(exist_ok=True); (ROOT/rel).write_bytes(data)
    (ROOT/'README.md').write_text(text); print(f'wrote README.md and {len(images)} figure(s)')

if __name__ == '__main__':
    cmd, args = (sys.argv[1] if len(sys.argv) > 1 else ''), sys.argv[2:]
    if cmd == 'execute': execute(args)
    elif cmd == 'build': build()
    elif cmd == 'check': check()
    elif cmd == 'readme': readme('--stdout' in args)
    elif cmd == 'shrink': shrink(args)
    else: sys.exit(__doc__)
