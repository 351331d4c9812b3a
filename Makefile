# Two entry points, documented at the top of README.md:
#   make run   - set up and run the product on embedded defaults
#   make test  - set up and run the whole test suite
.PHONY: run test setup clean

VENV ?= .venv
PY := $(VENV)/bin/python

$(VENV)/.installed: pyproject.toml scripts/bootstrap.sh
	./scripts/bootstrap.sh $(VENV)
	touch $@

setup: $(VENV)/.installed

run: setup
	$(PY) scripts/run_demo.py

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var
