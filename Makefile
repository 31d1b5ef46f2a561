# The front door: `make run` to serve the site, `make test` to run the whole suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
GOVUK_FRONTEND_VERSION := 6.6.0
GOVUK_STATIC := static/govuk
SASS_VERSION := 1.108.2
NODE_BUILD := .build
GOVUK_DIST := $(NODE_BUILD)/node_modules/govuk-frontend/dist/govuk
CSS_BUNDLE := static/build/site.css
# The same stylesheet in GDS Transport, for a deployment on GOV.UK (GOVUK_BRANDING=true).
CSS_BUNDLE_GOVUK := static/build/site-govuk.css
VNU_VERSION := 26.9.27
VNU_BUILD := $(NODE_BUILD)/vnu
HOST ?= 127.0.0.1
PORT ?= 8000

# The first interpreter on PATH that is Python 3.12 or newer (PYTHON=... overrides).
PYTHON_CANDIDATES := $(PYTHON) python3.14 python3.13 python3.12 python3
SYSTEM_PYTHON := $(firstword $(foreach p,$(PYTHON_CANDIDATES),$(shell command -v $(p) >/dev/null 2>&1 && $(p) -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && echo $(p))))

.PHONY: help install install-dev assets run test test-fast lint format check ci serve superuser load-content bench worker scheduler clearsessions clean

help:
	@echo "make run        set everything up and serve the site on http://$(HOST):$(PORT)"
	@echo "make test       set everything up and run the whole test suite"
	@echo "make test-fast  the suite without the browser and system tests, for while you work"
	@echo "make lint       ruff, django-upgrade, djhtml, Django's system checks, the migrations check"
	@echo "make ci         lint, then test"
	@echo "make serve      production settings under gunicorn (needs SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL)"
	@echo "make worker     the background task worker (sends enquiry email), production settings"
	@echo "make scheduler  queues the daily and weekly jobs for the worker, production settings"
	@echo "make superuser  create the first admin account"
	@echo "make bench      load-test pages under gunicorn and report ratios to a baseline"
	@echo "make clearsessions  delete expired sessions now (the scheduler does it daily)"

$(PY):
	@if [ -z "$(SYSTEM_PYTHON)" ]; then \
		echo "Python 3.12 or newer is needed and none was found: install Python 3.12 (or set PYTHON=/path/to/python3.12)."; \
		exit 1; \
	fi
	$(SYSTEM_PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(PY) requirements.txt
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# GOV.UK Frontend and the Sass compiler come from the npm registry, into .build/ (ignored).
# The stylesheets are compiled from GOV.UK Frontend's Sass source with only the components the
# templates use, plus the site's own CSS (frontend/_bundle.scss): site.css in Arial and
# site-govuk.css in GDS Transport for a deployment on GOV.UK. Its JavaScript, images, icons
# and fonts are copied as published.
$(NODE_BUILD)/.installed-$(GOVUK_FRONTEND_VERSION)-$(SASS_VERSION):
	@command -v npm >/dev/null 2>&1 || { echo "npm is needed to fetch GOV.UK Frontend: install Node.js and npm."; exit 1; }
	@rm -rf $(NODE_BUILD) && mkdir -p $(NODE_BUILD)
	npm install --silent --no-save --no-package-lock --no-audit --no-fund --prefix $(NODE_BUILD) \
		govuk-frontend@$(GOVUK_FRONTEND_VERSION) sass@$(SASS_VERSION)
	@touch $@

$(GOVUK_STATIC)/.version-$(GOVUK_FRONTEND_VERSION): $(NODE_BUILD)/.installed-$(GOVUK_FRONTEND_VERSION)-$(SASS_VERSION)
	@rm -rf $(GOVUK_STATIC) && mkdir -p $(GOVUK_STATIC)
	cp -r $(GOVUK_DIST)/assets $(GOVUK_DIST)/govuk-frontend.min.js $(GOVUK_DIST)/govuk-frontend.min.js.map $(GOVUK_STATIC)/
	@touch $@

static/build/%.css: frontend/%.scss frontend/_bundle.scss $(NODE_BUILD)/.installed-$(GOVUK_FRONTEND_VERSION)-$(SASS_VERSION) $(wildcard static/css/*.css)
	@mkdir -p $(dir $@)
	$(NODE_BUILD)/node_modules/.bin/sass --load-path=$(NODE_BUILD)/node_modules --style=compressed \
		--no-source-map --quiet-deps $< $@

assets: $(GOVUK_STATIC)/.version-$(GOVUK_FRONTEND_VERSION) $(CSS_BUNDLE) $(CSS_BUNDLE_GOVUK)

# The Nu HTML Checker (the vnu-jar package on the npm registry) in a folder of its own in
# .build/; tests/portal/test_html_validity.py runs it with Java over every kind of public page.
$(VNU_BUILD)/.installed-$(VNU_VERSION):
	@command -v npm >/dev/null 2>&1 || { echo "npm is needed to fetch the HTML checker: install Node.js and npm."; exit 1; }
	@rm -rf $(VNU_BUILD) && mkdir -p $(VNU_BUILD)
	npm install --silent --no-save --no-package-lock --no-audit --no-fund --prefix $(VNU_BUILD) \
		vnu-jar@$(VNU_VERSION)
	@touch $@

run: install assets
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_content
	@# Saving content keeps the site search current; this catches rows from before it existed.
	$(PY) manage.py rebuild_search_documents
	@# The development server, the task worker that sends email and the scheduler that queues
	@# the daily jobs, side by side (Procfile).
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" HOST=$(HOST) $(VENV)/bin/honcho start -f Procfile -p $(PORT)

load-content: install
	$(PY) manage.py load_content

superuser: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py createsuperuser

# ruff, django-upgrade and djhtml as .pre-commit-config.yaml runs them, without git hooks and
# changing no file.
PY_FILES = $(shell find manage.py portal guides casestudies enquiries tests -name '*.py')
DJANGO_TARGET := 6.1
DJHTML_TABWIDTH := 2

lint: install-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	@echo "$(VENV)/bin/django-upgrade --target-version $(DJANGO_TARGET) --check <every .py file>"
	@$(VENV)/bin/django-upgrade --target-version $(DJANGO_TARGET) --check $(PY_FILES)
	$(VENV)/bin/djhtml --check --tabwidth $(DJHTML_TABWIDTH) templates
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run

format: install-dev
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .
	@echo "$(VENV)/bin/django-upgrade --target-version $(DJANGO_TARGET) <every .py file>"
	@$(VENV)/bin/django-upgrade --target-version $(DJANGO_TARGET) --exit-zero-even-if-changed $(PY_FILES)
	$(VENV)/bin/djhtml --tabwidth $(DJHTML_TABWIDTH) templates

# pytest exits 5 when it collects no test, so neither target passes having run nothing.
# The whole suite in three runs: what test-fast runs, then the browser tests, each spread over
# one worker per CPU, then the tests that start real processes, one at a time and alone on the
# machine: they share Redis's test database and wait on servers of their own. Every run
# happens; the suite passes when none failed and at least one ran a test (a PYTEST_ARGS that
# picks tests of one kind leaves the other runs with none, which pytest reports as 5).
FAST_TESTS := -m "not e2e and not system" --numprocesses auto
BROWSER_TESTS := -m e2e --numprocesses auto
PROCESS_TESTS := -m "system and not e2e"
test: install-dev assets $(VNU_BUILD)/.installed-$(VNU_VERSION)
	@fast=0; browser=0; process=0; \
	echo '$(PY) -m pytest $(FAST_TESTS) $(PYTEST_ARGS)'; \
	$(PY) -m pytest $(FAST_TESTS) $(PYTEST_ARGS) || fast=$$?; \
	echo '$(PY) -m pytest $(BROWSER_TESTS) $(PYTEST_ARGS)'; \
	$(PY) -m pytest $(BROWSER_TESTS) $(PYTEST_ARGS) || browser=$$?; \
	echo '$(PY) -m pytest $(PROCESS_TESTS) $(PYTEST_ARGS)'; \
	$(PY) -m pytest $(PROCESS_TESTS) $(PYTEST_ARGS) || process=$$?; \
	if [[ "$$fast $$browser $$process" == "5 5 5" ]]; then \
	  echo "make test: no test was collected"; exit 5; fi; \
	for code in $$fast $$browser $$process; do [[ $$code == 0 || $$code == 5 ]] || exit $$code; done

# Everything but the browser tests (e2e) and those that start real processes (system), spread
# over one pytest worker per CPU (pytest-xdist), each with a test database of its own.
test-fast: install-dev assets $(VNU_BUILD)/.installed-$(VNU_VERSION)
	$(PY) -m pytest $(FAST_TESTS) $(PYTEST_ARGS)

ci: lint test

serve: install assets
	DJANGO_SETTINGS_MODULE=portal.settings.production $(PY) manage.py check --deploy
	DJANGO_SETTINGS_MODULE=portal.settings.production $(PY) manage.py collectstatic --no-input --verbosity 0
	DJANGO_SETTINGS_MODULE=portal.settings.production $(PY) manage.py migrate --no-input
	DJANGO_SETTINGS_MODULE=portal.settings.production $(VENV)/bin/gunicorn portal.wsgi --bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-2} --access-logfile -

# Sends queued email; run it beside `make serve` as a second long-running process.
worker: install
	DJANGO_SETTINGS_MODULE=portal.settings.production $(PY) manage.py db_worker

# Queues the scheduled jobs (portal/schedule.py) for the worker; run it beside `make worker` as
# a third long-running process. With Redis in CACHE_URL, a second one waits to take over.
scheduler: install
	DJANGO_SETTINGS_MODULE=portal.settings.production $(PY) manage.py crontask --no-heartbeat

# Speed and memory under gunicorn on loopback, as ratios to a baseline from the same run.
bench: install assets
	$(PY) manage.py benchmark $(BENCH_ARGS)

clearsessions: install
	$(PY) manage.py clearsessions

clean:
	rm -rf $(VENV) $(GOVUK_STATIC) $(NODE_BUILD) static/build staticfiles test-output
