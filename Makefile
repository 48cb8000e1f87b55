# dkr — developer tasks. `make demo` and `make test` work on a fresh Debian machine (as root they install and
# start a Docker Engine when none answers: scripts/ensure-engine).
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
DKR := $(VENV)/bin/dkr
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help install engine sshd lint format test test-unit test-integration test-main test-beside test-podman demo bench dist clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

install: $(VENV)/.installed ## create .venv and install dkr with its dev tools

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@# an editable install writes no bytecode, and with PYTHONDONTWRITEBYTECODE set nothing ever would:
	@# every call would compile dkr's sources again (tens of ms of start-up)
	$(PY) -m compileall -q src
	touch $@

engine: ## make sure a Docker Engine answers (installs and starts Debian's dockerd as root if needed)
	@scripts/ensure-engine

sshd: ## make sure OpenSSH's sshd is installed for the ssh:// tests (Debian's openssh-server, never started)
	@scripts/ensure-sshd

lint: install ## ruff (lint + format check) and mypy --strict
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
	$(VENV)/bin/mypy

format: install ## apply ruff's fixes and formatting
	$(VENV)/bin/ruff check --fix src tests bench
	$(VENV)/bin/ruff format src tests bench

test: test-unit ## unit tests (no engine), then the integration suites on real Engines, three at once
	@# The main Engine's suite, the tests marked `beside` (Engines of their own only: a two-node swarm, a
	@# remote Engine, dockerd's TLS) and the Podman run share no Engine, so they run at the same time (each
	@# one test at a time); lines of their output interleave, each pytest's summary comes whole.
	@$(MAKE) --no-print-directory -j3 --output-sync=line test-main test-beside test-podman

test-unit: install ## unit tests: no Docker Engine needed
	@# pytest's exit 5 means it collected no test: a suite that ran nothing is a failure, said plainly
	$(PY) -m pytest tests/unit $(PYTEST_ARGS) || { rc=$$?; [ $$rc -ne 5 ] || echo "make: no unit test was collected" >&2; exit $$rc; }

test-integration: install engine sshd ## every integration test, one at a time, against real Engines (no mocks)
	$(PY) -m pytest tests/integration $(PYTEST_ARGS) || { rc=$$?; [ $$rc -ne 5 ] || echo "make: no integration test was collected" >&2; exit $$rc; }

test-main: install engine sshd ## the integration tests that use the main Engine (all but those marked beside)
	$(PY) -m pytest -m "not beside" tests/integration $(PYTEST_ARGS) || { rc=$$?; [ $$rc -ne 5 ] || echo "make: no integration test was collected" >&2; exit $$rc; }

test-beside: install engine ## the integration tests marked beside: Engines of their own, never the main one
	$(PY) -m pytest -m beside tests/integration $(PYTEST_ARGS) || { rc=$$?; [ $$rc -ne 5 ] || echo "make: no beside test was collected" >&2; exit $$rc; }

test-podman: install engine ## the integration tests marked podman, against Podman's API (scripts/podman-engine)
	@# The whole pytest process runs in Podman's network namespace: the ports Podman publishes are on that
	@# namespace's loopback, 127.0.0.1 for the tests and for dkr's --wait. Podman goes down even on failure.
	@dir=$$(mktemp -d /tmp/dkrpod-XXXXXX) && trap 'scripts/podman-engine down "$$dir"' EXIT && \
	env=$$(scripts/podman-engine up "$$dir") && eval "$$env" && \
	nsenter --net=/run/netns/$$NETNS env DOCKER_HOST=$$DOCKER_HOST $(PY) -m pytest -m podman tests/integration \
	  $(PYTEST_ARGS) || { rc=$$?; [ $$rc -ne 5 ] || echo "make: no podman test was collected" >&2; exit $$rc; }

demo: install engine ## the whole job end to end: build, run, wait, ps, fetch, stop, clean up
	@scripts/demo

bench: install engine ## dkr vs the docker CLI, side by side; writes bench/README.md
	$(PY) bench/bench.py

dist: install ## build the sdist and wheel in a scratch folder, list them, check what they must hold
	@PY=$(PY) scripts/check-dist

clean: ## remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
