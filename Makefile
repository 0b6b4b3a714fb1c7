# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
# `make run`'s stand-in national portal (scripts/run-platform; another free port when this one is taken).
SANDBOX_PORT ?= 8001
# `make run` answers to the local names, and with HOST=0.0.0.0 also to this machine's name and addresses; its
# links (e-mails, QR codes) use the first of them (README "Configuration": ALLOWED_HOSTS, MOTCUA_PUBLIC_URL).
LAN_ADDRESSES = $(if $(filter 0.0.0.0,$(HOST)),$(shell hostname 2>/dev/null) $(shell hostname -I 2>/dev/null | tr ' ' '\n' | sed '/:/s/.*/[&]/'))
RUN_HOSTS ?= $(subst $(eval) ,$(comma),$(strip localhost 127.0.0.1 [::1] $(HOST) $(LAN_ADDRESSES)))
RUN_PUBLIC_URL ?= http://$(if $(filter 0.0.0.0,$(HOST)),$(or $(word 2,$(LAN_ADDRESSES)),localhost),$(HOST)):$(PORT)
comma := ,
PG_TEST_URL ?= $(or $(TEST_DATABASE_URL),postgres://postgres@127.0.0.1:5432/motcua)

.PHONY: run test install browser e2e screenshots bench-pages bench-reports lint typecheck test-sqlite test-postgres clean

$(BIN)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found; set PYTHON=..."; exit 1; }
	scripts/system-packages
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# Browser libraries (Chart.js for the dashboards) from npm, exactly as package-lock.json pins them.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "npm not found: install Node.js (apt-get install nodejs npm)"; exit 1; }
	npm ci --no-audit --no-fund
	touch $@

install: $(BIN)/.installed node_modules/.installed

run: install
	$(BIN)/motcua migrate --no-input
	$(BIN)/motcua loaddemo
	$(BIN)/motcua pki demo
	$(BIN)/motcua simulate --days 365 --per-day 6 --if-empty
	@echo
	@echo "motcua is starting on http://$(HOST):$(PORT)/"
	@echo "  API docs      http://$(HOST):$(PORT)/api/docs"
	@echo "  OpenAPI       http://$(HOST):$(PORT)/api/v1/openapi.json"
	@echo "  Admin         http://$(HOST):$(PORT)/admin/   (quantri / demo12345)"
	@echo "  Health        http://$(HOST):$(PORT)/healthz"
	@echo "  Demo accounts: see the table above (password demo12345); API token: $(BIN)/motcua apitoken USERNAME"
	@echo "  National portal: a sandbox on port $(SANDBOX_PORT) unless MOTCUA_DVCQG_URL is set; the worker beside"
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-$(RUN_HOSTS)}" MOTCUA_PUBLIC_URL="$${MOTCUA_PUBLIC_URL:-$(RUN_PUBLIC_URL)}" \
		SANDBOX_PORT=$(SANDBOX_PORT) scripts/run-platform $(BIN) $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check src bench
	$(BIN)/ruff format --check src bench

typecheck: install
	$(BIN)/mypy -p motcua.core -p motcua.delivery -p motcua.exchange -p motcua.worktime -m motcua.org.services -m motcua.org.selectors -m motcua.org.auth -m motcua.dossiers.api \
		-m motcua.dossiers.lifecycle -m motcua.dossiers.domain_events \
		-m motcua.catalog.services -m motcua.catalog.importer -p motcua.dossiers.services -m motcua.dossiers.policy -m motcua.dossiers.applicants -m motcua.dossiers.inbox -m motcua.dossiers.punctuality -m motcua.dossiers.timing -m motcua.demo.simulation \
		-m motcua.org.accounts -p motcua.printing -m motcua.portal.applications -m motcua.portal.my_dossiers -m motcua.catalog.eform -m motcua.catalog.widgets \
		-m motcua.portal.selectors -m motcua.portal.identity -m motcua.portal.views_public -m motcua.backoffice.action_forms -m motcua.backoffice.access \
		-m motcua.stats.facts -m motcua.stats.contributions -m motcua.stats.tallies -m motcua.stats.periods \
		-m motcua.stats.report -m motcua.stats.scan -m motcua.stats.recount -m motcua.stats.receivers \
		-m motcua.stats.reporting -m motcua.stats.xlsx_report -m motcua.stats.index766 -m motcua.stats.evaluation \
		-m motcua.stats.scorecards -m motcua.stats.dashboards -m motcua.stats.indicators_input \
		-m motcua.stats.receivers_officers -m motcua.stats.counters -m motcua.stats.charts -p motcua.alerts -p motcua.notify -p motcua.signing -m motcua.portal.views_verify \
		-m motcua.backoffice.views_alerts -m motcua.backoffice.templatetags.alerts_nav -m motcua.backoffice.views_inbound -m motcua.backoffice.views_reports \
		-m motcua.backoffice.views_indicators -m motcua.backoffice.views_dashboard -m motcua.portal.views_dashboard \
		-p motcua.privacy -m motcua.backoffice.views_audit -m motcua.backoffice.views_outbox -m motcua.backoffice.templatetags.audit_nav -m motcua.portal.views_data \
		-m motcua.org.signin -m motcua.org.twofactor -m motcua.org.mail_limits -m motcua.org.passwords \
		-m motcua.org.api_token -m motcua.backoffice.twofactor_gate -m motcua.backoffice.views_twofactor \
		-p motcua.audit -m motcua.dossiers.chain -p motcua.sandbox \
		-m motcua.backoffice.views_exchange

# The end-to-end tests drive Debian's Chromium; install it when it is missing.
browser:
	scripts/system-packages --browser

test-sqlite: install browser
	$(BIN)/pytest -p no:cacheprovider -q

# PostgreSQL runs when the server answers; otherwise say so loudly rather than pass in silence.
test-postgres: install browser
	@if $(BIN)/python -m motcua.core.dbcheck "$(PG_TEST_URL)"; then \
		DATABASE_URL="$(PG_TEST_URL)" $(BIN)/pytest -p no:cacheprovider -q; \
	else \
		echo "*** PostgreSQL at $(PG_TEST_URL) is not reachable: PostgreSQL tests SKIPPED ***"; \
	fi

test: lint typecheck test-sqlite test-postgres

# The browser tests alone (they also run within `make test`); `make screenshots` refreshes docs/screenshots.
e2e: install browser
	$(BIN)/pytest -p no:cacheprovider -q src/motcua/e2e

screenshots: install browser
	MOTCUA_SCREENSHOTS=1 $(BIN)/pytest -p no:cacheprovider -q src/motcua/e2e

bench-pages: install
	$(BIN)/python bench/pages.py $(if $(QUICK),--quick)

bench-reports: install
	$(BIN)/python bench/reports.py $(if $(QUICK),--quick) $(if $(REUSE),--reuse)

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache node_modules
