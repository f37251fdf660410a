# Two commands do everything on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/ageo_network
DEMO_ENV := DEBUG=true

# The first Python >= 3.12 found: the pyenv version named in .python-version, then python3.13/3.12 on PATH.
FIND_PYTHON := for c in "$$(pyenv root 2>/dev/null)/versions/$$(cat .python-version 2>/dev/null)"*/bin/python \
	$$HOME/.pyenv/versions/3.1[23]*/bin/python python3.13 python3.12 python3; do \
	  p=$$(command -v "$$c" 2>/dev/null) || continue; \
	  "$$p" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo "$$p"; break; }; \
	done

# The restore drill (README "Backups and the restore drill"): dump the test database, restore it into a fresh one, read back.
restore-drill: install-test check-postgres
	DATABASE_URL="$${DATABASE_URL:-$(TEST_DATABASE_URL)}" $(VENV)/bin/pytest tests/drill -m restore_drill -q

.PHONY: restore-drill bench run test lint install install-test system-packages check-postgres demo-db clean messages screenshots

$(VENV)/.created:
	@py="$$($(FIND_PYTHON))"; \
	if [ -z "$$py" ]; then echo "Python 3.12 以上が見つかりません (No Python >= 3.12 found: install it, e.g. with pyenv, and retry)." >&2; exit 1; fi; \
	echo "Using $$py"; "$$py" -m venv $(VENV) && $(PIP) install -q --upgrade pip && touch $@

$(VENV)/.installed: pyproject.toml $(VENV)/.created
	$(PIP) install -q -e '.[demo]'
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(PIP) install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed messages
install-test: $(VENV)/.installed-test messages

# The project's Japanese for third-party strings (locale/README.md), compiled from the .po on every build.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))
messages: $(MO_FILES)
%.mo: %.po
	@command -v msgfmt >/dev/null || { echo "msgfmt がありません (GNU gettext is missing: sudo apt-get install gettext)." >&2; exit 1; }
	msgfmt --check -o $@ $<

# Debian packages the tests need; installed only when missing and only as root.
SYSTEM_PACKAGES := fonts-ipaexfont-gothic libharfbuzz-subset0 poppler-utils chromium gettext
system-packages:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then echo "Installing:$$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Missing Debian packages:$$missing (run as root, or: sudo apt-get install$$missing)" >&2; exit 1; fi; \
	fi

check-postgres: install
	@DATABASE_URL="$${DATABASE_URL:-$(TEST_DATABASE_URL)}" $(PY) -m ageo_network.checkdb

demo-db: install
	@mkdir -p var
	$(DEMO_ENV) $(PY) manage.py migrate --noinput -v 0
	$(DEMO_ENV) $(PY) manage.py load_bodies
	$(DEMO_ENV) $(PY) manage.py demo_accounts
	$(DEMO_ENV) $(PY) manage.py load_demo

# The mail worker runs beside the web server and stops with it.
RUN_ADDR ?= 127.0.0.1:8000
run: demo-db
	@$(DEMO_ENV) $(PY) manage.py db_worker --queue-name='*' --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEMO_ENV) $(PY) manage.py runserver $(RUN_ADDR)

test: system-packages install-test check-postgres
	DATABASE_URL="$${DATABASE_URL:-$(TEST_DATABASE_URL)}" $(VENV)/bin/pytest $(PYTEST_ARGS)

# The README's pictures of the demo, one per main role (docs/screenshots/), from headless Chromium on port 8150.
screenshots: install-test
	$(PY) docs/screenshots.py

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) var/db.sqlite3 var/staticfiles

# The benchmark of issue 12 (not part of `make test`): BENCH_ARGS=--quick for a few minutes' run,
# --reuse to keep the generated data sets. Report in var/bench/report.md.
bench: install-test
	$(PY) bench/run.py $(BENCH_ARGS)
