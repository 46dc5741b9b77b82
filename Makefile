# dondoc — `make demo` (development server), `make serve` (production shape) and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
APT_PACKAGES := chromium fonts-liberation2 libreoffice-writer-nogui poppler-utils postgresql gettext
DEMO_ENV := DONDOC_DEBUG=1 DONDOC_TODAY=2020-10-05
DEV_ENV := DONDOC_DEBUG=1
# `make serve`: the production runtime (DEBUG off) on the demo data, plain HTTP on loopback, a secret kept in var/,
# e-mails printed (into each send_outbox run's output on /ops/) instead of sent.
SERVE_ENV = DONDOC_TODAY=2020-10-05 DONDOC_INSECURE_HTTP=1 DONDOC_SECRET_KEY="$$(cat var/secret_key)" \
	DONDOC_EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend

.PHONY: demo serve test test-parts checks venv system lint messages bench

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

system:
	@scripts/install-system-packages $(APT_PACKAGES)

demo: venv
	$(DEMO_ENV) $(BIN)/dondoc migrate --no-input -v 1
	$(DEMO_ENV) $(BIN)/dondoc load_demo
	@echo ""
	@echo "dondoc demo — http://127.0.0.1:8000  (today is pinned to 05/10/2020)"
	@echo "  accounts (password: demo):"
	@echo "    admin          province administrator (Sở KH&ĐT), also Django admin at /admin/"
	@echo "    lanhdao        PPC leader (UBND tỉnh), reads everything"
	@echo "    <code>         officer of that agency: skhdt, stc, kbnn, sct, tplc, bx, ... (codes in lower case)"
	@echo "    <code>_ld      head of that agency: skhdt_ld, stc_ld, kbnn_ld, ..."
	@echo ""
	$(DEMO_ENV) $(BIN)/dondoc runserver 127.0.0.1:8000

serve: venv
	@mkdir -p var && test -s var/secret_key || (umask 077 && $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(64))" > var/secret_key)
	$(SERVE_ENV) $(BIN)/dondoc migrate --no-input -v 1
	$(SERVE_ENV) $(BIN)/dondoc load_demo
	@echo ""
	@echo "dondoc (production shape: gunicorn + worker + scheduler, DEBUG off) — http://127.0.0.1:8000"
	@echo "  today is pinned to 05/10/2020; accounts as for make demo (password: demo); operations: /ops/ (admin)"
	@echo "  health: http://127.0.0.1:8000/healthz — Ctrl-C stops everything"
	@echo ""
	$(SERVE_ENV) $(BIN)/dondoc serve --bind 127.0.0.1:8000

lint: venv
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

# The parts run in a sub-make so that their times (scripts/timed) and the total are printed even if one fails.
test:
	@times=$$(mktemp); start=$$(date +%s); status=0; \
	TIMES_FILE=$$times $(MAKE) --no-print-directory test-parts || status=$$?; \
	echo "=== make test: elapsed time ==="; cat $$times; rm -f $$times; \
	printf '%-34s %5d s%s\n' "total" $$(( $$(date +%s) - start )) "$$([ $$status = 0 ] || echo '  (failed)')"; \
	exit $$status

test-parts:
	scripts/timed "set-up (venv, system packages)" $(MAKE) --no-print-directory venv system
	@# Every `dondoc` the tests start imports the product anew: with PYTHONDONTWRITEBYTECODE set (as on CI's machines)
	@# nothing writes the bytecode of a fresh checkout, and each process would compile it again (~0.4 s CPU each).
	scripts/timed "byte-compile dondoc/" $(BIN)/python -m compileall -q dondoc
	@# Two cores, four parts: the PostgreSQL run, the longest, keeps about one core (its server too); the others share
	@# the second one at a lower priority, then both cores once it is done, so that the parts end at about the same
	@# time. (nice 5, not more: on a machine busy with other work they must still get their share.)
	@echo "=== the checks and pytest (SQLite: everything but the browser; PostgreSQL: database tests; headless Chromium), side by side ==="
	@if [ -n "$$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null)" ] || [ "$$CI" = "true" ]; then \
	  scripts/side-by-side "checks" 'nice -n 5 $(MAKE) --no-print-directory checks' \
	    "pytest SQLite (not browser)" 'nice -n 5 $(BIN)/pytest -m "not browser" --basetemp=/tmp/dondoc-tests-sqlite' \
	    "pytest PostgreSQL (dbtest)" 'scripts/with-postgres $(BIN)/pytest -m "dbtest and not browser" --basetemp=/tmp/dondoc-tests-postgresql' \
	    "pytest browser" 'nice -n 5 $(BIN)/pytest -m browser --basetemp=/tmp/dondoc-tests-browser'; \
	else scripts/side-by-side "checks" '$(MAKE) --no-print-directory checks' \
	    "pytest SQLite (not browser)" '$(BIN)/pytest -m "not browser" --basetemp=/tmp/dondoc-tests-sqlite' \
	    "pytest browser" '$(BIN)/pytest -m browser --basetemp=/tmp/dondoc-tests-browser'; \
	  echo "SKIPPED locally: PostgreSQL is not installed (CI=true makes this a failure)"; \
	  printf '%-34s skipped\n' "pytest PostgreSQL (dbtest)" >> "$${TIMES_FILE:-/dev/null}"; fi

# Lint, import contracts, migrations in step with the models, known vulnerabilities (run beside the tests).
checks:
	scripts/timed "ruff" $(BIN)/ruff check .
	scripts/timed "import contracts" $(BIN)/lint-imports --no-cache
	$(DEV_ENV) scripts/timed "makemigrations --check" $(BIN)/dondoc makemigrations --check --dry-run
	scripts/timed "dependency audit" timeout 40 $(BIN)/python scripts/audit_deps.py

messages: venv
	cd dondoc && $(DEV_ENV) ../$(BIN)/dondoc makemessages -l vi --no-obsolete --ignore 'domain/*'
	cd dondoc && $(DEV_ENV) ../$(BIN)/dondoc compilemessages -l vi

bench: venv
	$(BIN)/python scripts/bench_parser.py
	$(BIN)/python scripts/bench_report.py
	$(BIN)/python scripts/bench_reallocate.py
	$(BIN)/python scripts/bench_import.py --rows 1000000 --runs 5
	$(BIN)/python scripts/bench_plans.py --projects 3000
	$(BIN)/python scripts/bench_load.py
	$(BIN)/python scripts/bench_pages.py --keep var/bench
	$(BIN)/python scripts/bench_load.py --scale large --duration 120 --sqlite-copy var/bench/sqlite-large/pages.sqlite3
