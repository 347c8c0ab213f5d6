# Two commands matter: `make demo` and `make test`. Everything else is a step they call.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_OUT ?= demo_out

.PHONY: demo test test-ray install export-check nbtest cli-matrix docs site-check npm chromium bench nbs clean

demo: $(STAMP)
	$(BIN)/dcmmm_fit --out $(DEMO_OUT)

test: $(STAMP) export-check nbtest cli-matrix docs site-check

# Editable install with the dev extras; constraints pin torch (CPU wheel) and nbdev 2.
$(STAMP): setup.py settings.ini constraints.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e '.[dev]'
	touch $(STAMP)
install: $(STAMP)

# The exported module must be exactly what the notebooks say.
export-check: $(STAMP)
	$(BIN)/python tools/export_check.py

nbtest: $(STAMP)
	$(BIN)/python tools/nbtest.py

# The Ray backend against the local one (slow; not part of `make test`): installs the optional extra `distributed`.
test-ray: $(STAMP)
	$(BIN)/python -c 'import ray' 2>/dev/null || $(BIN)/pip install -q -c constraints.txt -e '.[dev,distributed]'
	OMP_NUM_THREADS=1 $(BIN)/python tools/test_ray.py

# Bad input through the command line: one clear error line, exit 2, the output folder untouched.
cli-matrix: $(STAMP)
	OMP_NUM_THREADS=1 $(BIN)/python tools/cli_matrix.py

# Offline site: notebooks (with their stored outputs and widget state) -> _docs/*.html
docs: $(STAMP) npm
	$(BIN)/python tools/site.py build

site-check: $(STAMP) npm chromium
	$(BIN)/python tools/site.py check

npm: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Re-execute notebooks in place so their stored outputs and widget state are fresh (for the docs).
nbs: $(STAMP)
	$(BIN)/python tools/site.py execute $(NB)
	$(BIN)/nbdev_clean

bench: $(STAMP)
	$(BIN)/python bench/benchmark.py

clean:
	rm -rf _docs $(DEMO_OUT) .pytest_cache
