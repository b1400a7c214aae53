# Two commands do all the set-up on a fresh Debian machine with Python 3.11 and make:
#   make run    start the dashboard on the demo data (http://localhost:8501)
#   make test   run the whole test suite (ruff + pytest)
# A deployment runs `make serve` instead: the same dashboard, never loading the demo, so a new
# database starts empty. Both take PORT=... (default 8501) and IPDATA_DB=... (see README).
# Both listen on 127.0.0.1 only: serve a network through nginx (deploy/nginx.conf: HTTPS and
# security headers), or knowingly with ADDRESS=0.0.0.0 (plain HTTP, no headers).
# PLAN=<plan id> (a file of data/plans, or IPDATA_PLANS_DIR) shows that plan by default, and
# `make run` / `make demo` load the demo made for it: make run PLAN=<id>.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PORT ?= 8501
ADDRESS ?= 127.0.0.1
PLAN ?=
# the plan for the commands below; without PLAN the default plan (IPDATA_PLAN, else the newest)
WITH_PLAN := $(if $(PLAN),IPDATA_PLAN=$(PLAN))

.PHONY: run serve test pytest setup sysdeps demo lint clean

run: setup
	$(WITH_PLAN) $(BIN)/python -m ipdata demo --if-empty
	$(WITH_PLAN) $(BIN)/streamlit run app.py --server.port $(PORT) --server.address $(ADDRESS)

serve: setup
	$(WITH_PLAN) $(BIN)/streamlit run app.py --server.port $(PORT) --server.address $(ADDRESS)

test: setup
	$(BIN)/ruff check .
	@$(MAKE) --no-print-directory pytest

# pytest exits 5 when it collects no test: a run that tested nothing fails, and says so
# (tests/test_make.py). PYTEST_ARGS=... narrows the run.
pytest:
	@$(BIN)/python -m pytest $(PYTEST_ARGS) || { rc=$$?; if [ $$rc -eq 5 ]; then \
		echo "make test: FAILED - pytest collected no test (exit 5): nothing was tested." >&2; fi; exit $$rc; }

setup: $(STAMP) sysdeps

$(STAMP): pyproject.toml
	@# Debian's python3 needs python3-venv for `-m venv`; install it where we are root.
	$(PY) -m venv $(VENV) || { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv && $(PY) -m venv --clear $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# From Debian: Chromium (image export, browser tests), Noto CJK fonts (Chinese in charts),
# LibreOffice Writer and Impress without GUI (the 自评报告's and the deck's PDF; poppler-utils' pdftotext
# checks them in tests), and
# nginx + openssl (the HTTPS front of deploy/nginx.conf, tested for real by tests/test_deploy.py).
# RUNLEVEL=1: installing nginx must not start Debian's default site on port 80.
sysdeps:
	@if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi 'Noto Sans CJK' \
		&& [ -x /usr/sbin/nginx ] && command -v openssl >/dev/null \
		&& dpkg -s libreoffice-writer-nogui libreoffice-impress-nogui >/dev/null 2>&1 && command -v pdftotext >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing chromium, fonts-noto-cjk, libreoffice-writer-nogui, libreoffice-impress-nogui, poppler-utils, nginx and openssl from Debian"; \
		apt-get update -qq && RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq chromium fonts-noto-cjk libreoffice-writer-nogui libreoffice-impress-nogui poppler-utils nginx openssl >/dev/null; \
	else echo "warning: chromium / fonts-noto-cjk / libreoffice-writer-nogui / libreoffice-impress-nogui / poppler-utils / nginx / openssl missing; run as root:" \
		"apt-get install -y chromium fonts-noto-cjk libreoffice-writer-nogui libreoffice-impress-nogui poppler-utils nginx openssl"; fi

demo: setup
	$(WITH_PLAN) $(BIN)/python -m ipdata demo

lint: setup
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
