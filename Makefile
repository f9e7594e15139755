# Two commands do all the set-up on a fresh machine:
#   make output   — venv + packages + Apertium, then translate seeds/ into output/
#   make test     — the same set-up plus the test tools (Chromium, OmegaT), then the tests
VENV ?= .venv
PYTHON ?= python3
BIN = $(VENV)/bin
STAMP = $(VENV)/.installed

.PHONY: output test bench lint system-packages system-packages-test clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	# CPU torch first: otherwise argostranslate's dependency pulls a multi-GB CUDA build.
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[argos,test,postgres,cluster]'
	# an editable install leaves our modules uncompiled (pip compiles only what it copies):
	# every process, and each suggestion worker, would compile them again at start
	$(BIN)/python -m compileall -q src
	touch $@

system-packages:
	scripts/install-system-packages

system-packages-test:
	scripts/install-system-packages --test

output: $(STAMP) system-packages
	$(BIN)/bilingual build seeds -o output

test: $(STAMP) system-packages-test
	$(BIN)/python -m pytest

bench: $(STAMP) system-packages
	$(BIN)/pip install --quiet -e '.[bench]'
	for script in bench/bench_*.py; do $(BIN)/python $$script || exit 1; done

lint: $(STAMP)
	$(BIN)/pip install --quiet -e '.[argos,test,cluster,dev]'
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

clean:
	rm -rf $(VENV) output/*.html output/*.tmx output/*.json output/*.xlf output/.bilingual-*
