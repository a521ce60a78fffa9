# memwall: `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.8
export DVC_NO_ANALYTICS := 1
# Tools run by name (dvc, memwall): the venv's bin comes first. Stages pick .venv/bin/python
# themselves (pipeline/run-stage).
export PATH := $(CURDIR)/$(BIN):$(PATH)
# The dependencies are byte-compiled once when the venv is made (uv --compile-bytecode), so no
# process compiles great-expectations, pandas or dvc from source. memwall's own modules are
# compiled on first use into pipeline/memwall/**/__pycache__/, which git (.gitignore) and DVC
# (.dvcignore: the `code` stage depends on pipeline/memwall) both ignore.

.DEFAULT_GOAL := help

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip sync --quiet --compile-bytecode --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

venv: $(VENV)/.installed ## create .venv from the lock file

lock: ## re-resolve requirements.lock from pyproject.toml
	$(BIN)/uv pip compile pyproject.toml --extra pipeline --extra dev -p 3.11 --no-header -o requirements.lock

repro: venv web ## build the dataset (dvc repro)
	$(BIN)/dvc repro

test: venv web ## run the whole test suite (one worker per core; a file's tests stay together)
	$(BIN)/ruff check pipeline tests
	$(BIN)/python -m pytest -n auto --dist loadfile --no-loadscope-reorder

lint: venv ## ruff check and format check; every stage depends on its code manifest
	$(BIN)/ruff check pipeline tests
	$(BIN)/ruff format --check pipeline tests
	$(BIN)/python -m memwall.tools.stagedeps --check

publish: repro ## push the built artifacts to the default DVC remote (../memwall-dvc-remote)
	$(BIN)/dvc push

release: venv ## record v<dataset.version> at HEAD in releases.yaml and tag it (commit first; `--tags` recreates tags)
	$(BIN)/python -m memwall.tools.release

changelog: venv ## CHANGELOG.md section for NEW (tag; default: checkout) against OLD (tag)
	$(BIN)/python -m memwall.tools.changelog $(if $(NEW),--new $(NEW)) $(if $(OLD),--old $(OLD)) \
	  $(if $(TITLE),--title $(TITLE)) --write CHANGELOG.md

citation: venv ## validate CITATION.cff with cffconvert (in its own tool env: it needs jsonschema<4)
	$(BIN)/uv tool run --from cffconvert==2.0.0 cffconvert --validate -i CITATION.cff

web: pipeline/web/build/plots.html ## offline `dvc plots show` template (npm ci, libraries inlined)

pipeline/web/node_modules/.package-lock.json: pipeline/web/package.json pipeline/web/package-lock.json
	cd pipeline/web && npm ci --no-audit --no-fund --ignore-scripts
	touch $@

pipeline/web/build/plots.html: pipeline/web/node_modules/.package-lock.json pipeline/web/plots_template.html pipeline/memwall/plots_html.py | venv
	$(BIN)/python -m memwall.plots_html --web pipeline/web --out $@

bench: venv ## print speed figures (validate; pipeline per stage and whole, no-op dvc repro)
	$(BIN)/python tests/bench/bench_validate.py
	$(BIN)/python tests/bench/bench_pipeline.py

clean: ## remove the environment and build outputs
	rm -rf $(VENV) interim/* processed/* reports/*

.PHONY: help venv lock repro test lint publish release changelog citation web bench clean
