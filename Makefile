# One entry point for everything CI runs. `make test` sets up .venv if needed, then lints and tests.
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin

.PHONY: setup lint test pytest demo format eval bench golden fuzz clean screenshot

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

setup: $(VENV)/.installed

lint: setup
	$(BIN)/ruff check audit tests bench examples fuzz
	$(BIN)/ruff format --check audit tests bench examples fuzz
	$(BIN)/mypy

# pytest exits 5 when it collects no tests: that is a broken suite, not a pass.
pytest: setup
	$(BIN)/pytest $(TESTS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests" >&2; exit 1; fi; exit $$rc

test: lint pytest

format: setup
	$(BIN)/ruff check --fix audit tests bench examples fuzz
	$(BIN)/ruff format audit tests bench examples fuzz

demo: setup
	@$(BIN)/citeaudit check examples/field-notes.md --replay cassettes/demo.json \
		--rules examples/demo-rules.toml --format table --format html --no-cache --fail-on never

eval: setup
	$(PY) bench/eval_meta.py

bench: setup
	$(PY) bench/extract_speed.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache

# Refresh docs/report-screenshot.png from the demo report, in headless Chromium.
screenshot: setup
	CITEAUDIT_UPDATE_DOCS=1 $(BIN)/pytest -q tests/browser -k demo_report

# Fuzz the extraction entry point with atheris for FUZZ_SECONDS (not part of `make test` or CI).
# New corpus entries go to FUZZ_WORK/corpus (fuzz/corpus holds the seeds), crashes and their
# inputs to FUZZ_WORK/artifacts; see fuzz/README.md for turning one into a regression test.
FUZZ_SECONDS ?= 600
FUZZ_WORK ?= $(or $(TMPDIR),/tmp)/citeaudit-fuzz
fuzz: setup
	$(PY) -m pip install -q -e '.[fuzz]'
	mkdir -p $(FUZZ_WORK)/corpus $(FUZZ_WORK)/artifacts
	$(PY) fuzz/fuzz_extract.py $(FUZZ_WORK)/corpus fuzz/corpus -max_total_time=$(FUZZ_SECONDS) \
		-timeout=10 -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 \
		-artifact_prefix=$(FUZZ_WORK)/artifacts/
