# Every target sets up .venv first if needed, so each works on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Test processes: three per core, as the UI tests spend about half their time waiting
# on the app; idle ones take queued tests from busy ones (worksteal). Whole suite with
# PostgreSQL on 2 cores: -n 6 4 min 40 s - 5 min, -n 8 slower (more CPU lost to switching).
TEST_WORKERS ?= $(shell $(PYTHON) -c "import os; print(3 * (os.cpu_count() or 1))")

.PHONY: demo test lint snapshots bench clean

$(BIN)/dext-tui: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

demo: $(BIN)/dext-tui  ## open the TUI on a fresh demo practice
	$(BIN)/dext-tui --demo

test: $(BIN)/dext-tui  ## lint, import contracts, the whole test suite (three workers per core)
	$(BIN)/ruff check dext_tui tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal

snapshots: $(BIN)/dext-tui  ## accept changed snapshots (look at the SVGs first!)
	$(BIN)/pytest tests/snapshots --snapshot-update

bench: $(BIN)/dext-tui  ## scale figures at 100k clients, as JSON
	$(BIN)/python benchmarks/client_list.py --clients 100000

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
