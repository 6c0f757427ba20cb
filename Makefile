# OneWindow (一窗通办). `make` alone lists the targets.
#
# Every recipe line runs in bash with -eu -o pipefail, and every recipe is a plain chain of
# lines, so the first failure stops make. Nothing here raises parallelism (no -j): cargo
# already uses every core of the machine.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

CARGO ?= cargo
# The binary `make run` builds; follows CARGO_TARGET_DIR when that is set.
BIN := $(or $(CARGO_TARGET_DIR),./target)/release/onewindow
# Where `make run`, `make seed` and `make audit` keep the demo centre.
LISTEN ?= 127.0.0.1:8080
DEMO_DATABASE ?= sqlite://data/onewindow.db
# `make seed-volume`: how many generated cases, into which (empty) database.
CASES ?= 1000000
VOLUME_DATABASE ?= sqlite://data/volume.db

.PHONY: help build run seed seed-volume audit clean-data deps test lint openapi fuzz fuzz-quick fuzz-api bench bench-quick

help: ## list the targets (default)
	@echo "OneWindow: make <target>"
	@awk 'BEGIN { FS = ":[^#]*## " } /^[a-z][a-z0-9-]*:[^#]*## / { printf "  %-11s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

build: web ## build the web app, then the release binary with it inside (target/release/onewindow)
	$(CARGO) build --release -p onewindow-server

run: build ## build, then serve the demo centre on http://127.0.0.1:8080 from ./data/onewindow.db
	mkdir -p data
	$(BIN) seed demo --if-empty --database $(DEMO_DATABASE)
	$(BIN) serve --listen $(LISTEN) --database $(DEMO_DATABASE) --sms-outbox data/sms-outbox.jsonl

seed: build ## build, then load the demo centre into ./data/onewindow.db
	mkdir -p data
	$(BIN) seed demo --database $(DEMO_DATABASE)

seed-volume: build ## build, then load the demo centre with CASES generated cases into an empty ./data/volume.db
	mkdir -p data
	$(BIN) seed volume --cases $(CASES) --database $(VOLUME_DATABASE)

audit: build ## build, then verify the SM3 hash chains of ./data/onewindow.db
	$(BIN) audit verify --database $(DEMO_DATABASE)

clean-data: ## remove ./data (the demo databases and the development data key)
	rm -rf data

# What a fresh Debian machine lacks for the tests. Idempotent, never sudo. PostgreSQL: normally
# already running; if it does not answer and we are root, start it. If it still does not answer,
# the tests skip their PostgreSQL half, or fail under CI=true. Then Chromium, CJK fonts and
# poppler-utils from Debian when missing (scripts/install-debian-packages.sh).
deps: ## PostgreSQL on 127.0.0.1:5432 (started if root), Chromium, CJK fonts, poppler-utils
	@if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then \
	  echo "deps: PostgreSQL answers on 127.0.0.1:5432"; \
	elif [ "$$(id -u)" = 0 ] && [ -d /etc/postgresql ] && command -v pg_ctlcluster >/dev/null; then \
	  echo "deps: starting PostgreSQL"; \
	  pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start \
	    || echo "deps: pg_ctlcluster could not start PostgreSQL"; \
	else \
	  echo "deps: PostgreSQL does not answer on 127.0.0.1:5432 and cannot be started here"; \
	fi
	bash scripts/install-debian-packages.sh

# The PostgreSQL the tests use; each test creates and drops a database of its own on it.
test: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
# web first: the server embeds web/dist, and a build made before it exists serves no pages.
test: deps web ## every test: Rust on SQLite and PostgreSQL (DATABASE_URL), web unit tests, browser tests, short fuzzing
	$(CARGO) test --workspace --locked
	$(MAKE) web-test
	E2E_SKIP_BUILD=1 $(MAKE) e2e # cargo test built target/debug/onewindow
	$(MAKE) fuzz-quick

# ---- Benchmarks (docs/PERFORMANCE.md) ---------------------------------------------------
# The bench drives the release server over HTTP on SQLite (./data/bench) and on the PostgreSQL
# at BENCH_POSTGRES, measures the limits in the same run, and rewrites the generated part of
# docs/PERFORMANCE.md. BENCH_ARGS passes more flags (e.g. --engines sqlite, --cases 10000000).
BENCH_POSTGRES ?= postgres://postgres@127.0.0.1:5432
BENCH_ARGS ?=

bench: build ## every scenario on both engines at full volume (about 25 minutes); writes docs/PERFORMANCE.md
	$(CARGO) build --release --locked -p onewindow-bench
	BENCH_POSTGRES=$(BENCH_POSTGRES) $(or $(CARGO_TARGET_DIR),./target)/release/onewindow-bench --bin $(BIN) $(BENCH_ARGS)

bench-quick: build ## the same scenarios at small volume in under 3 minutes; writes docs/PERFORMANCE.md
	$(CARGO) build --release --locked -p onewindow-bench
	BENCH_POSTGRES=$(BENCH_POSTGRES) $(or $(CARGO_TARGET_DIR),./target)/release/onewindow-bench --quick --bin $(BIN) $(BENCH_ARGS)

# ---- Fuzzing (docs/TESTING.md) -----------------------------------------------------------
# Seconds per cargo-fuzz target: a short run in `make test`, a long one on demand.
FUZZ_QUICK_SECONDS ?= 5
FUZZ_SECONDS ?= 600

fuzz-quick: ## a few seconds of each cargo-fuzz target in fuzz/ (installs cargo-fuzz if missing)
	bash scripts/fuzz.sh $(FUZZ_QUICK_SECONDS)

fuzz: ## FUZZ_SECONDS (default 600) of each cargo-fuzz target; crashes are kept in fuzz/artifacts
	bash scripts/fuzz.sh $(FUZZ_SECONDS)

fuzz-api: ## schemathesis against `onewindow serve` on a seeded SQLite database: no 5xx, no off-schema answer
	bash scripts/fuzz-api.sh

openapi: ## rewrite web/openapi.json and the web client's types from the server's routes
	$(CARGO) run --quiet -p onewindow-server -- openapi > web/openapi.json.new
	mv web/openapi.json.new web/openapi.json
	$(call NPM_CI,web)
	cd web && npm run gen:api

lint: ## rustfmt check and clippy with warnings as errors
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

# ---- Web app (web/) and browser tests (e2e/) ---------------------------------------------
# npm ci runs only when node_modules is missing or older than the lock file.
NPM_CI = if [ ! -d $(1)/node_modules ] || [ $(1)/package-lock.json -nt $(1)/node_modules/.package-lock.json ]; then cd $(1) && npm ci --no-audit --no-fund; fi

.PHONY: web web-test e2e

# web/dist is rebuilt only when a source of it changed: an unchanged dist leaves the embedding
# release binary alone, so `make run` on a built tree starts in seconds.
WEB_SOURCES := $(shell find web/src web/public web/scripts -type f 2>/dev/null) $(wildcard web/index.html web/package.json web/package-lock.json web/vite.config.ts web/openapi.json web/tsconfig*.json)

web: web/dist/index.html ## install web deps if needed, check the generated API types, build web/dist (when its sources changed)

web/dist/index.html: $(WEB_SOURCES)
	$(call NPM_CI,web)
	cd web && npm run check:api
	cd web && npm run build
	touch $@

web-test: ## web unit tests (Vitest) and the vue-tsc type check
	$(call NPM_CI,web)
	cd web && npm test
	cd web && npm run typecheck

e2e: web ## browser tests: Debian's Chromium against the real server (screenshots in docs/screenshots)
	bash scripts/install-debian-packages.sh
	$(call NPM_CI,e2e)
	cd e2e && npm test
