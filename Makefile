# PledgeWatch: `make run` and `make test` do all the set-up on a fresh machine (README).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= data/portfolio.duckdb
PORT   ?= 8501

.PHONY: run test install install-dev db demo screenshots bench clean alerts

run: install $(DB)
	$(BIN)/streamlit run dashboard/app.py --server.headless true \
	  --server.address 127.0.0.1 --server.port $(PORT) --browser.gatherUsageStats false

test: install-dev
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps re-run pip only when a requirements file changes.
$(VENV)/.req: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.req-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.req

install: $(VENV)/.req
install-dev: $(VENV)/.req-dev

# Built through the real ingestion pipeline, only when missing; built aside and moved
# into place so that a failed build never leaves a half-loaded database behind.
$(DB):
	rm -f $(DB).building
	$(BIN)/python -m pipelines.ingest --db $(DB).building data/demo
	$(BIN)/python -m demo.accounts --db $(DB).building --password-file $(DB).passwords
	mv $(DB).building $(DB)

db: install
	rm -f $(DB)
	$(MAKE) $(DB)

demo: install
	$(BIN)/python -m demo --out data/demo

# The daily alert run (R-NOTIFY, README "Alerts"): every day since the last run up to today,
# delivered; SMTP and webhook settings from the environment (PLEDGEWATCH_SMTP_*), never here.
alerts: install $(DB)
	$(BIN)/python -m queries.alerts --db $(DB) --as-of $$(date +%F) --deliver

screenshots: install $(DB)
	$(BIN)/python tests/screenshots.py

bench: install-dev
	$(BIN)/python tests/benchmark.py --loans 100000

clean:
	rm -rf $(VENV) $(DB) data/archive
