# Guwah: the two commands a new user needs are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB ?= demo/guwah-demo.db
export GUWAH_DEMO_PASSPHRASE ?= guwah-demo-passphrase

.PHONY: install demo test test-sqlite test-postgres lint bench clean browsers system-deps messages

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Build the encrypted demo archive from the sample data, then serve the web desk on it
## (http://127.0.0.1:8000, demo login printed; Ctrl-C stops it). DEMO_SERVE=0: build only.
DEMO_SERVE ?= 1
export GUWAH_DEMO_PASSWORD ?= guwah-sample-login
demo: $(STAMP)
	@mkdir -p $(dir $(DEMO_DB))
	GUWAH_PASSPHRASE="$${GUWAH_PASSPHRASE:-$$GUWAH_DEMO_PASSPHRASE}" $(BIN)/guwah demo --db $(DEMO_DB) --fresh --login
	@if [ -z "$$GUWAH_PASSPHRASE" ]; then \
	  echo; echo "The demo archive's passphrase (demo data only):"; \
	  echo "  export GUWAH_PASSPHRASE=$$GUWAH_DEMO_PASSPHRASE"; fi
	@if [ "$(DEMO_SERVE)" = 1 ]; then \
	  echo; echo "Web desk: http://127.0.0.1:$${GUWAH_DEMO_PORT:-8000}  sign in as documenter (or demo, admin), password $$GUWAH_DEMO_PASSWORD"; \
	  GUWAH_PASSPHRASE="$${GUWAH_PASSPHRASE:-$$GUWAH_DEMO_PASSPHRASE}" GUWAH_USER=demo GUWAH_PASSWORD="$$GUWAH_DEMO_PASSWORD" \
	    $(BIN)/guwah serve --db $(DEMO_DB) --host 127.0.0.1 --port $${GUWAH_DEMO_PORT:-8000}; fi

## The whole test suite on SQLCipher, and on PostgreSQL too when GUWAH_TEST_DATABASE_URL is set.
test: system-deps $(STAMP)
	$(BIN)/python -m pytest -q -n 2 -p no:cacheprovider

## Tesseract OCR from Debian's packages (scanned PDFs, images): installed when missing and
## make runs as root; otherwise a hint is printed (the OCR test is then skipped).
TESSERACT_PACKAGES := tesseract-ocr tesseract-ocr-eng tesseract-ocr-rus tesseract-ocr-kaz \
	tesseract-ocr-uig tesseract-ocr-chi-sim

system-deps: browsers
	@if command -v tesseract >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  { apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(TESSERACT_PACKAGES) >/dev/null; } || \
	  echo "Could not install Tesseract: OCR is not tested (see docs/ingest.md, OCR)"; \
	else \
	  echo "Tesseract is missing (OCR of scans): sudo apt-get install $(TESSERACT_PACKAGES)"; \
	fi

## Debian's chromium for the browser tests (tests/browser, `pytest -m browser`): Playwright
## drives /usr/bin/chromium and never downloads a browser of its own. Installed when missing
## and make runs as root; otherwise a hint is printed (the browser tests are then skipped).
## A small Chinese font too, so that names in Chinese characters show in screenshots.
BROWSER_PACKAGES := chromium fonts-wqy-microhei

browsers:
	@if [ -x /usr/bin/chromium ] && fc-list :lang=zh 2>/dev/null | grep -q .; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  { apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BROWSER_PACKAGES) >/dev/null; } || \
	  echo "Could not install chromium: the browser tests are skipped"; \
	else \
	  echo "Chromium is missing (browser tests): sudo apt-get install $(BROWSER_PACKAGES)"; \
	fi

## Refresh the web interface's message catalogues after changing its text (docs/web.md).
LOCALES := src/guwah/web/locale
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k N_ --no-location --sort-output -o $(LOCALES)/messages.pot .
	for lang in ru kk ug zh; do \
	  if [ -f $(LOCALES)/$$lang/LC_MESSAGES/messages.po ]; then \
	    $(BIN)/pybabel update -i $(LOCALES)/messages.pot -d $(LOCALES) -l $$lang --no-fuzzy-matching; \
	  else $(BIN)/pybabel init -i $(LOCALES)/messages.pot -d $(LOCALES) -l $$lang; fi; done

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_import.py --people 100000
	$(BIN)/python benchmarks/bench_search.py --people 100000
	$(BIN)/python benchmarks/bench_web.py --people 100000

clean:
	rm -rf $(VENV) demo .pytest_cache build src/*.egg-info
