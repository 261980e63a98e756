# Saksflyt: two set-up commands, `make demo` and `make test`. Both install what they need.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STORE ?= saksflyt.duckdb
PORT ?= 8501
# Debian packages the project needs: graphviz (`dot`, for model layout), chromium (browser tests),
# postgresql (SQL extraction tests), a Java runtime (Spark's JVM for `mine --engine spark`).
APT_PACKAGES := graphviz chromium postgresql openjdk-17-jre-headless

.PHONY: system-deps venv demo test faults sample-logs clean bench

system-deps:
	@missing=""; \
	command -v dot >/dev/null || missing="$$missing graphviz"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v java >/dev/null || missing="$$missing java"; \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(APT_PACKAGES) >/dev/null \
	    || { echo "system-deps: could not install$$missing" >&2; exit 1; }; \
	fi

$(BIN)/saksflyt: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	@touch $@

venv: $(BIN)/saksflyt

sample-logs: venv
	@test -f sample_logs/byggesak.csv || $(BIN)/saksflyt generate --cases 3000 --seed 7 --out sample_logs/byggesak.csv

demo: system-deps venv sample-logs
	$(BIN)/saksflyt --store $(STORE) ingest sample_logs/receipt.csv --log receipt --quiet
	$(BIN)/saksflyt --store $(STORE) ingest sample_logs/byggesak.csv --log byggesak --external "Statens vegvesen" --quiet
	$(BIN)/saksflyt --store $(STORE) ingest sample_logs/samhandling.csv --log samhandling --quiet
	$(BIN)/saksflyt --store $(STORE) logs
	$(BIN)/saksflyt --store $(STORE) mine --log receipt --out out/receipt
	$(BIN)/saksflyt --store $(STORE) mine --log byggesak --out out/byggesak --config sample_logs/saksflyt.toml
	$(BIN)/saksflyt --store $(STORE) mine --log samhandling --out out/samhandling --config sample_logs/saksflyt.toml
	$(BIN)/saksflyt --store $(STORE) candidates --log byggesak --top 10
	$(BIN)/saksflyt --store $(STORE) monitor --log byggesak --config sample_logs/saksflyt.toml --out out/byggesak
	$(BIN)/saksflyt --store $(STORE) simulate --log byggesak --validate --out out/byggesak --quiet
	@echo "Reports: out/receipt/report.html, out/byggesak/report.html, out/samhandling/report.html, out/byggesak/monitor.html, out/byggesak/simulation_validation.html. Starting the explorer on http://127.0.0.1:$(PORT)"
	$(BIN)/saksflyt --store $(STORE) explore --port $(PORT)

test: system-deps venv
	OMP_NUM_THREADS=1 $(BIN)/python -m pytest -q -n 2 --dist loadfile --no-loadscope-reorder $(PYTEST_ARGS)

# The long fault suite (issue 22): 30 kills per command, 5 minutes of concurrent reads and writes;
# -s shows the counts each test prints (kills, faults, rows lost). `make test` runs the short version.
faults: system-deps venv
	SAKSFLYT_FAULTS=long $(BIN)/python -m pytest -q -s tests/faults

bench: venv
	for b in benchmarks/*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) out saksflyt.duckdb saksflyt.duckdb.wal
