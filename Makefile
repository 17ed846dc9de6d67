# Two commands set up everything on a fresh Debian/Ubuntu machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
STAMP := $(VENV)/.installed
TESSDATA_DIRS := /usr/share/tesseract-ocr/5/tessdata /usr/share/tesseract-ocr/4.00/tessdata /usr/share/tessdata \
                 /usr/local/share/tessdata /opt/homebrew/share/tessdata
DB ?= foia.duckdb

XRAY_VENV := .venv-xray
XRAY_VERSION := 0.4.0
BENCH_VENV := .venv-bench
OCRMYPDF_VERSION := 17.13.0

.PHONY: run test fuzz bench eval samples screenshot system-deps deps xray-deps bench-deps clean help

help:
	@echo "make run    install what is missing, ingest sample_docs/ into $(DB), print a summary"
	@echo "make test   install what is missing, run the tests"
	@echo "make fuzz   fuzz the parsers of untrusted text with many more examples than make test"
	@echo "make bench  throughput benchmarks (prints figures)"
	@echo "make eval   score email splitting, entities and events against labelled data (prints per-field figures)"
	@echo "make samples  regenerate sample_docs/ (deterministic)"
	@echo "make screenshot  the README's screenshots of the report on the sample release (after make run)"

run: deps
	$(VENV)/bin/foia ingest sample_docs/*.pdf --db $(DB) --release sample --gazetteer sample_docs/gazetteer.csv; status=$$?; \
	  $(VENV)/bin/foia summary --db $(DB); exit $$status

test: deps
	OMP_THREAD_LIMIT=1 $(PY) -m pytest -q

# the parsers of untrusted text with 20,000 random examples each (make test runs 300, the same every time)
fuzz: deps
	HYPOTHESIS_PROFILE=fuzz $(PY) -m pytest -q tests/test_fuzz_parsers.py

eval: deps xray-deps
	$(PY) eval/email_eval.py
	$(PY) eval/layout_eval.py
	$(PY) eval/entity_eval.py
	$(PY) eval/list_eval.py
	$(PY) eval/redaction_eval.py
	$(PY) eval/native_eval.py

# x-ray (Free Law Project's bad-redaction finder, the evaluation's baseline) needs PyMuPDF, whose AGPL licence keeps
# it out of the project: it gets a venv of its own, used by eval/xray_baseline.py only.
xray-deps: $(XRAY_VENV)/.installed
$(XRAY_VENV)/.installed:
	@test -x $(XRAY_VENV)/bin/python || $(PYTHON) -m venv $(XRAY_VENV)
	$(XRAY_VENV)/bin/pip install -q --disable-pip-version-check x-ray==$(XRAY_VERSION)
	@touch $@

# OCRmyPDF, the OCR path's baseline in benchmarks/ocr_bench.py, gets a venv of its own so that its pins never meet
# the project's; it runs without Ghostscript (it rasterises with pypdfium2).
bench-deps: $(BENCH_VENV)/.installed
$(BENCH_VENV)/.installed:
	@test -x $(BENCH_VENV)/bin/python || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install -q --disable-pip-version-check ocrmypdf==$(OCRMYPDF_VERSION)
	@touch $@

bench: deps bench-deps
	@# pdftotext: the text path's baseline (benchmarks/scale_bench.py uses PDFium's plain text without it)
	@command -v pdftotext >/dev/null || { $(call apt_install,poppler-utils,pdftotext,the text path is timed \
	  against PDFium's plain text instead.,--no-install-recommends) }
	$(PY) benchmarks/ingest_bench.py
	$(PY) benchmarks/scale_bench.py
	$(PY) benchmarks/ocr_bench.py
	$(PY) benchmarks/analysis_bench.py
	$(PY) benchmarks/report_bench.py

samples: deps
	$(PY) sample_docs/generate.py

# the README's screenshots of `foia report` on the sample release (after make run has filled $(DB))
screenshot: deps
	$(PY) docs/report_screenshot.py $(DB)

deps: system-deps $(STAMP)

LIBREOFFICE_PACKAGES = libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui
COMMA := ,

# apt-get install $(4) $(1) (named $(2)) as root or with sudo; else say what is lost ($(3)) and how to install it.
define apt_install
if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
  echo "Installing $(2) (apt-get install $(1))"; \
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(4) $(1) >/dev/null; \
elif command -v apt-get >/dev/null && command -v sudo >/dev/null && sudo -n true 2>/dev/null; then \
  echo "Installing $(2) (sudo apt-get install $(1))"; \
  sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(4) $(1) >/dev/null; \
else \
  echo "$(2) is not installed: $(3)" >&2; echo "  Debian/Ubuntu: sudo apt-get install $(1)" >&2; \
fi;
endef

# Tesseract's English data. apt where we can (root or sudo); otherwise say exactly what to install.
system-deps:
	@found=""; for d in $${TESSDATA_PREFIX:-} $(TESSDATA_DIRS); do \
	  if [ -f "$$d/eng.traineddata" ]; then found=$$d; break; fi; done; \
	if [ -z "$$found" ]; then \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Tesseract (apt-get install tesseract-ocr tesseract-ocr-eng)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr tesseract-ocr-eng >/dev/null; \
	  elif command -v apt-get >/dev/null && command -v sudo >/dev/null && sudo -n true 2>/dev/null; then \
	    echo "Installing Tesseract (sudo apt-get install tesseract-ocr tesseract-ocr-eng)"; \
	    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr tesseract-ocr-eng >/dev/null; \
	  else \
	    echo "Tesseract's English language data is missing and cannot be installed without root." >&2; \
	    echo "  Debian/Ubuntu: sudo apt-get install tesseract-ocr tesseract-ocr-eng" >&2; \
	    echo "  macOS:         brew install tesseract   (then: export TESSDATA_PREFIX=\$$(brew --prefix)/share/tessdata)" >&2; \
	    exit 1; \
	  fi; \
	fi
	@# LibreOffice prints Office documents (and attachments) to PDF; without it they are recorded as errors
	@command -v soffice >/dev/null || { $(call apt_install,$(LIBREOFFICE_PACKAGES),LibreOffice,Office documents \
	  will be recorded as errors$(COMMA) not read.,--no-install-recommends) }
	@# Chromium: the evidence report's browser test (and the README's screenshot) look at the report in it
	@command -v chromium >/dev/null || command -v chromium-browser >/dev/null || { \
	  $(call apt_install,chromium,Chromium,the report's browser test will be skipped.) }
	@command -v $(PYTHON) >/dev/null || { \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] && apt-cache show python3.11-venv >/dev/null 2>&1; then \
	    apt-get install -y -qq python3.11 python3.11-venv >/dev/null; \
	  else echo "Python 3.11 is required: sudo apt-get install python3.11 python3.11-venv (macOS: brew install python@3.11)" >&2; exit 1; fi; }

$(STAMP): pyproject.toml requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  rm -rf $(VENV); \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    echo "Installing python3.11-venv (apt-get)"; apt-get install -y -qq python3.11-venv >/dev/null && $(PYTHON) -m venv $(VENV); \
	  else echo "Could not create $(VENV): sudo apt-get install python3.11-venv" >&2; exit 1; fi; }
	$(PIP) install -q --disable-pip-version-check -r requirements.lock
	$(PIP) install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

clean:
	rm -rf $(VENV) $(XRAY_VENV) $(BENCH_VENV) $(DB) $(DB).wal $(DB).log
