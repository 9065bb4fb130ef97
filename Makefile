# Renkei — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1:8000
# Links in mail (update links, password reset, notifications) point at the address `make run` serves.
SITE_URL ?= http://$(HOST)
VAR_DIR := $(or $(RENKEI_VAR_DIR),var)

.PHONY: run demo-env test lint types format clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-run

## run: install, migrate the embedded SQLite database, load the 八戸圏域 demo data, serve on http://$(HOST)
run: $(VENV)/.installed-run demo-env
	DEBUG=1 SITE_URL=$(SITE_URL) $(BIN)/renkei migrate --noinput
	DEBUG=1 SITE_URL=$(SITE_URL) $(BIN)/renkei load-demo
	@echo "Renkei: http://$(HOST)/ で起動します（終了は Ctrl+C）"
	DEBUG=1 SITE_URL=$(SITE_URL) $(BIN)/renkei runserver $(HOST)

## demo-env: let the `renkei` command typed after `make run` use the same development settings
demo-env:
	@mkdir -p $(VAR_DIR)
	@printf '%s\n' '# make run が書いた開発用の設定。.venv/bin/renkei が読みます（環境変数 DEBUG か SECRET_KEY があるときは読みません）。' 'DEBUG=1' 'SITE_URL=$(SITE_URL)' > $(VAR_DIR)/renkei.env

## test: system packages (PostgreSQL, Chromium, fonts) when missing, then lint and the suite on SQLite and PostgreSQL
test: $(VENV)/.installed-test
	scripts/install-system-packages.sh
	scripts/run-tests.sh

## lint: ruff and mypy (with django-stubs) over the whole project
lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/mypy

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf var/test-* var/renkei-pg-*

## types: mypy with django-stubs over src/
types: $(VENV)/.installed-test
	DEBUG=1 $(BIN)/mypy
