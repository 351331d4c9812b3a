# Two entry points, documented at the top of README.md:
#   make run   - set up and run the product on embedded defaults
#   make test  - set up and run the whole test suite (with its lint and import checks)
.PHONY: run test setup test-tools lock clean bench

VENV ?= .venv
PY := $(VENV)/bin/python

$(VENV)/.installed: pyproject.toml requirements/test.txt scripts/bootstrap.sh
	./scripts/bootstrap.sh $(VENV)
	touch $@

setup: $(VENV)/.installed

# Test-only npm packages, pinned in package-lock.json: GitHub's official OpenAPI description and
# recorded interactions (@octokit/openapi, @octokit/fixtures) and axe-core.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

test-tools: node_modules/.package-lock.json

run: setup
	$(PY) scripts/run_demo.py

test: setup test-tools
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	VAR_DIR=$(CURDIR)/var/mypy $(VENV)/bin/mypy
	$(PY) -m pytest -n auto -m "not serial" $(PYTEST_ARGS) || [ $$? -eq 5 ]  # in parallel (5: none selected)
	$(PY) -m pytest -m serial $(PYTEST_ARGS) || [ $$? -eq 5 ]  # then alone: worker, browser, serial

# Every benchmark (benchmarks/run_all.py), on SQLite and, if DATABASE_URL points to PostgreSQL, there
# too; rewrites README.md's benchmark tables. Smaller: make bench BENCH_ARGS="--quick --runs 1".
bench: setup
	$(PY) benchmarks/run_all.py $(BENCH_ARGS)

# The pinned dependency sets, with hashes, from pyproject.toml's ranges (needs the package index).
lock: setup
	$(VENV)/bin/python -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --extra test --generate-hashes --python-version 3.13 --universal \
		--upgrade -q -o requirements/test.txt
	$(VENV)/bin/uv pip compile pyproject.toml --generate-hashes --python-version 3.13 --universal \
		--upgrade -q -o requirements/production.txt

clean:
	rm -rf $(VENV) var node_modules
