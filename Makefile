# Two commands do all the set-up on a fresh Debian machine with Python 3.11 and make:
#   make run    start the dashboard on the demo data (http://localhost:8501)
#   make test   run the whole test suite (ruff + pytest)
# A deployment runs `make serve` instead: the same dashboard, never loading the demo, so a new
# database starts empty. Both take PORT=... (default 8501) and IPDATA_DB=... (see README).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PORT ?= 8501

.PHONY: run serve test setup sysdeps demo lint clean

run: setup
	$(BIN)/python -m ipdata demo --if-empty
	$(BIN)/streamlit run dashboard.py --server.port $(PORT)

serve: setup
	$(BIN)/streamlit run dashboard.py --server.port $(PORT)

# pytest exits 5 when it collects no test: that is not a failure of the suite.
test: setup
	$(BIN)/ruff check .
	$(BIN)/python -m pytest; rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected"; rc=0; fi; exit $$rc

setup: $(STAMP) sysdeps

$(STAMP): pyproject.toml
	@# Debian's python3 needs python3-venv for `-m venv`; install it where we are root.
	$(PY) -m venv $(VENV) || { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv && $(PY) -m venv --clear $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Chromium (image export, browser tests) and Noto CJK fonts (Chinese in charts) come from Debian.
sysdeps:
	@if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi 'Noto Sans CJK'; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing chromium and fonts-noto-cjk from Debian"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	else echo "warning: chromium / fonts-noto-cjk missing; run as root: apt-get install -y chromium fonts-noto-cjk"; fi

demo: setup
	$(BIN)/python -m ipdata demo

lint: setup
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
