# The front door: `make help` lists every target.
SHELL := /bin/bash
.SHELLFLAGS := -o errexit -o pipefail -o nounset -c
.DEFAULT_GOAL := help

PYTHON ?= python3
ROOT := $(abspath .)
API_VENV := services/api/.venv
MAILER_VENV := services/mailer/.venv
TEST_VENV := .venv
CHECKS_VENV := .venv-checks
# Semgrep runs on local rule files only: no metrics, no version check, no registry.
SEMGREP := SEMGREP_SEND_METRICS=off SEMGREP_ENABLE_VERSION_CHECK=0 $(CHECKS_VENV)/bin/semgrep
APT_PACKAGES := nginx redis-server chromium docker-compose gettext-base gettext postgresql
PG_BIN ?= /usr/lib/postgresql/15/bin

##@ General
.PHONY: help
help: ## Show this help
	@awk 'BEGIN {FS = ":.*##"; printf "Usage: make \033[36m<target>\033[0m\n"} /^[a-zA-Z0-9_-]+:.*?##/ { printf "  \033[36m%-18s\033[0m %s\n", $$1, $$2 } /^##@/ { printf "\n\033[1m%s\033[0m\n", substr($$0, 5) }' $(MAKEFILE_LIST)

##@ Run
.PHONY: run
run: install ## Start the whole stack natively (nginx, gunicorn, worker, Redis, MailDev) on http://127.0.0.1:8080
	$(PYTHON) -m deploy.native.stack run

.PHONY: manage
manage: ## Run a Django management command against the native stack, e.g. make manage ARGS="promote_admin ada@example.com"
	$(PYTHON) -m deploy.native.stack manage $(ARGS)

##@ Install
.PHONY: install
install: system-packages $(API_VENV)/.installed $(MAILER_VENV)/.installed $(TEST_VENV)/.installed $(CHECKS_VENV)/.installed services/web/dist/index.html deploy/native/node_modules/.installed ## Install everything the stack and the tests need

.PHONY: system-packages
system-packages: ## Install Debian packages (nginx, redis, chromium, postgresql, docker-compose, gettext) when root and missing
	@missing=""; \
	for tool in nginx redis-server chromium envsubst msgfmt docker-compose psql; do \
	  command -v $$tool >/dev/null 2>&1 || PATH="$$PATH:/usr/sbin" command -v $$tool >/dev/null 2>&1 || missing="$$missing $$tool"; \
	done; \
	[ -x $(PG_BIN)/initdb ] || missing="$$missing initdb"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian packages (missing:$$missing)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(APT_PACKAGES) >/dev/null; \
	  else \
	    echo "missing:$$missing; run as root or: sudo apt-get install $(APT_PACKAGES)"; exit 1; \
	  fi; \
	fi

$(API_VENV)/.installed: services/api/requirements.txt services/api/requirements-dev.txt
	$(PYTHON) -m venv $(API_VENV)
	$(API_VENV)/bin/pip install -q --disable-pip-version-check -r services/api/requirements-dev.txt
	touch $@

$(MAILER_VENV)/.installed: services/mailer/requirements.txt services/mailer/requirements-dev.txt
	$(PYTHON) -m venv $(MAILER_VENV)
	$(MAILER_VENV)/bin/pip install -q --disable-pip-version-check -r services/mailer/requirements-dev.txt
	touch $@

$(TEST_VENV)/.installed: tests/requirements.txt
	$(PYTHON) -m venv $(TEST_VENV)
	$(TEST_VENV)/bin/pip install -q --disable-pip-version-check -r tests/requirements.txt
	touch $@

$(CHECKS_VENV)/.installed: tests/checks-requirements.txt
	$(PYTHON) -m venv $(CHECKS_VENV)
	$(CHECKS_VENV)/bin/pip install -q --disable-pip-version-check -r tests/checks-requirements.txt
	touch $@

services/web/node_modules/.installed: services/web/package.json services/web/package-lock.json
	cd services/web && npm ci --no-audit --no-fund --loglevel=error
	touch $@

services/web/dist/index.html: services/web/node_modules/.installed $(shell find services/web/src services/web/index.html services/web/vite.config.js services/web/tsconfig.json services/web/package-lock.json -type f 2>/dev/null)
	cd services/web && npm run build --silent

deploy/native/node_modules/.installed: deploy/native/package.json deploy/native/package-lock.json
	cd deploy/native && npm ci --no-audit --no-fund --loglevel=error
	touch $@

##@ Test
.PHONY: test
test: install lint test-api test-mailer test-web compose-check compose-test k8s-check test-integration ## Run every suite (static checks, API, mailer, web, container and Kubernetes checks, the compose stack run for real, integration and browser tests)

.PHONY: test-api
test-api: $(API_VENV)/.installed ## API tests (pytest-django, in-process)
	cd services/api && .venv/bin/python -m pytest

.PHONY: test-mailer
test-mailer: system-packages $(MAILER_VENV)/.installed ## Mailer tests (real SMTP and Redis servers started by the tests)
	cd services/mailer && .venv/bin/python -m pytest

.PHONY: test-web
test-web: services/web/node_modules/.installed services/web/dist/index.html ## Web unit tests (Vitest), lint, and the first-load JavaScript budget (100 KB gzipped)
	cd services/web && npm test --silent && npm run lint --silent && npm run size --silent

.PHONY: test-integration
test-integration: install ## Integration and browser tests through the gateway, on a native stack with PostgreSQL
	$(TEST_VENV)/bin/python -m pytest tests/integration

# mutmut runs in a copy of services/api (.run/mutation): edits made meanwhile do not mix into the
# run, and the mutated sources never sit where lint, git or the image build look.
MUTATION_DIR := .run/mutation
MUTATION_MIN_SCORE ?= 85
.PHONY: test-mutation
test-mutation: $(API_VENV)/.installed ## Mutation testing of the API's security core with mutmut (~10 min on 2 cores, not in make test; docs/testing.md)
	rm -rf $(MUTATION_DIR) && mkdir -p $(MUTATION_DIR)
	tar -C services/api --exclude=./.venv --exclude=./mutants --exclude=__pycache__ -cf - . | tar -C $(MUTATION_DIR) -xf -
	cd $(MUTATION_DIR) && { $(ROOT)/$(API_VENV)/bin/mutmut run --max-children 2 >run.log 2>&1 || { tail -n 40 run.log; exit 1; }; }
	cd $(MUTATION_DIR) && $(ROOT)/$(API_VENV)/bin/mutmut export-cicd-stats >/dev/null \
	  && $(ROOT)/$(API_VENV)/bin/mutmut results | tee survivors.txt \
	  && echo "see one: cd $(MUTATION_DIR) && $(ROOT)/$(API_VENV)/bin/mutmut show NAME" \
	  && $(ROOT)/$(API_VENV)/bin/python -c 'import json, sys; s = json.load(open("mutants/mutmut-cicd-stats.json")); s["score"] = 100 * s["killed"] / s["total"]; print("mutants {total}: killed {killed}, survived {survived}, timeout {timeout}, no tests {no_tests}; score {score:.1f}%".format(**s)); sys.exit(s["score"] < float(sys.argv[1]))' $(MUTATION_MIN_SCORE)

##@ Checks
.PHONY: messages
messages: system-packages $(API_VENV)/.installed ## Refresh the API's translation catalogues from the code and templates, and compile them (translate what is new, then commit both files)
	cd services/api && DJANGO_SETTINGS_MODULE=config.test_settings .venv/bin/python manage.py makemessages --all --no-obsolete --no-location \
	  --ignore=.venv --ignore=tests --ignore=bench --ignore=staticfiles
	cd services/api && DJANGO_SETTINGS_MODULE=config.test_settings .venv/bin/python manage.py compilemessages --ignore=.venv

.PHONY: fmt
fmt: $(API_VENV)/.installed $(MAILER_VENV)/.installed services/web/node_modules/.installed ## Format the Python code (ruff format) and sort imports; the web app's with ESLint --fix
	cd services/api && .venv/bin/ruff format . && .venv/bin/ruff check --select I --fix .
	cd services/mailer && .venv/bin/ruff format . && .venv/bin/ruff check --select I --fix .
	$(API_VENV)/bin/ruff format tests deploy bench && $(API_VENV)/bin/ruff check --select I --fix tests deploy bench
	cd services/web && npx eslint --fix .

.PHONY: lint
lint: $(API_VENV)/.installed $(MAILER_VENV)/.installed $(TEST_VENV)/.installed $(CHECKS_VENV)/.installed services/web/node_modules/.installed ## Static checks, failing on any finding: ruff (lint and format), mypy, bandit, semgrep (tests/semgrep), hadolint, tsc + ESLint
	cd services/api && .venv/bin/ruff format --check . && .venv/bin/ruff check . && .venv/bin/mypy
	cd services/mailer && .venv/bin/ruff format --check . && .venv/bin/ruff check . && .venv/bin/mypy
	$(API_VENV)/bin/ruff format --check tests deploy bench && $(API_VENV)/bin/ruff check tests deploy bench && $(TEST_VENV)/bin/mypy
	$(CHECKS_VENV)/bin/bandit --quiet --recursive services/api services/mailer \
	  --exclude services/api/.venv,services/mailer/.venv,services/api/tests,services/mailer/tests
	$(SEMGREP) --test --quiet --metrics=off --disable-version-check tests/semgrep/
	$(SEMGREP) scan --error --quiet --metrics=off --disable-version-check --config tests/semgrep/ \
	  --exclude .venv --exclude node_modules services/api services/mailer services/web/src
	$(CHECKS_VENV)/bin/hadolint services/api/Dockerfile services/mailer/Dockerfile services/web/Dockerfile
	cd services/web && npm run lint --silent

.PHONY: compose-check
compose-check: system-packages $(CHECKS_VENV)/.installed $(API_VENV)/.installed ## Check compose.yaml (+ override) and every Dockerfile: docker-compose config, compose rules, hadolint, checkov
	bash deploy/compose/check.sh $(CHECKS_VENV)/bin

.PHONY: compose-test
compose-test: $(TEST_VENV)/.installed ## Build the images and run compose.yaml + override for real in a private Docker engine: user journey, container checks (root on Debian; COMPOSE_TEST=skip elsewhere)
	$(TEST_VENV)/bin/python -m tests.compose.run

.PHONY: bench
bench: ## Benchmark auth, login, sign-up mail and token cleanup on a native stack (under 15 min): bench/results/latest.md, .png
	@started=$$(date +%s.%N); \
	$(MAKE) --no-print-directory system-packages $(API_VENV)/.installed $(MAILER_VENV)/.installed \
	  services/web/dist/index.html deploy/native/node_modules/.installed; \
	if ! command -v wrk >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing wrk"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null; \
	  else \
	    echo "missing: wrk; run as root or: sudo apt-get install wrk"; exit 1; \
	  fi; \
	fi; \
	if [ ! -f bench/.venv/.installed ] || [ bench/requirements.txt -nt bench/.venv/.installed ]; then \
	  $(PYTHON) -m venv bench/.venv; \
	  bench/.venv/bin/pip install -q --disable-pip-version-check -r bench/requirements.txt; \
	  touch bench/.venv/.installed; \
	fi; \
	bench/.venv/bin/python -m bench.run --started-at "$$started" $(BENCH_ARGS)

.PHONY: k8s-check
k8s-check: $(CHECKS_VENV)/.installed ## Render the Kubernetes overlays (kustomize) and check them: kubernetes-validate --strict, workload rules, checkov
	bash deploy/k8s/check.sh $(CHECKS_VENV)/bin

##@ Housekeeping
.PHONY: clean
clean: ## Remove virtualenvs, node_modules, builds and run state
	rm -rf $(API_VENV) $(MAILER_VENV) $(TEST_VENV) $(CHECKS_VENV) services/web/node_modules services/web/dist deploy/native/node_modules .run
