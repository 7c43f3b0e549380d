# Shopware data pipeline. `make demo` and `make test` work on a fresh machine: they set up what they need.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: help setup demo test test-unit test-integration lint format bench clean

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk -F':.*?## ' '{printf "  %-18s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP) ## Create the virtualenv and install the project with its dev tools

demo: $(STAMP) ## Generate synthetic data for all sources, run the pipeline, print every team's KPIs
	$(VENV)/bin/shopware-pipeline --lake $${SHOPWARE_LAKE:-lake-demo} demo

test: $(STAMP) tf-test ## Unit and integration tests (Python and `terraform test`)
	$(PY) -m pytest tests/unit tests/integration

test-unit: $(STAMP) ## Unit tests only (no network)
	$(PY) -m pytest tests/unit

test-integration: $(STAMP) ## Integration tests only (local servers, real files)
	$(PY) -m pytest tests/integration

lint: $(STAMP) lint-docker tf-validate tf-scan ## ruff (lint + format check), mypy, hadolint, terraform validate, checkov
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy pipeline transforms kpi batch-connectors api-gw-webhooks

format: $(STAMP) ## Apply ruff's fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: $(STAMP) bench-ingestion ## Benchmarks: the pipeline on 4.5M records (records/s, peak RSS); webhook events/s
	$(PY) bench/pipeline_bench.py

clean: ## Remove generated lakes and caches (not the virtualenv)
	rm -rf lake lake-demo bench-data .pytest_cache .mypy_cache .ruff_cache

-include make/*.mk
