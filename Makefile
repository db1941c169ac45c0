# kapcourse: two commands. `make run` serves the app, `make test` runs every test.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app kapcourse
STAMP := $(VENV)/.installed-$(shell cat setup.cfg pyproject.toml | sha1sum | cut -c1-12)

.PHONY: run test setup db publish lint clean bench

run: setup db
	@$(FLASK) content publish || echo "warning: the content has problems (listed above); serving the last published version"
	@$(BIN)/python -c "import ctypes.util,sys; ctypes.util.find_library('harfbuzz-subset') or print('warning: libharfbuzz-subset0 is missing; certificate PDFs render about 10x slower (apt-get install libharfbuzz-subset0)', file=sys.stderr)"
	@echo "kapcourse is serving on http://127.0.0.1:5000"
	$(FLASK) run --host 127.0.0.1 --port 5000

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

setup: $(STAMP)

$(STAMP):
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

db: setup
	$(FLASK) db upgrade

publish: setup
	$(FLASK) content publish

bench: setup
	@cat bench/README.md

clean:
	rm -rf $(VENV) instance *.egg-info
