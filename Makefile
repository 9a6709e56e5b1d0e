# Two commands for everything:  make lab  (set up + open the workbook)   make test  (set up + run every test)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HUB_STAMP := $(VENV)/.installed-singleuser
PORT   ?= 8888
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)
# kernel messages reach the browser at once, not after a 40 ms delayed ACK (lib/backpain/serving.py)
KERNEL_WS := backpain.serving.NoDelayKernelConnection

PRESENT_PORT ?= 8866
PRESENT ?= 0
CULL_AFTER_S ?= 600
CULL_EVERY_S ?= 60
VOILA_FLAGS ?=
LAB_FLAGS ?=

.PHONY: lab test setup validate curate bench bench-hub present html instructor clean

$(STAMP): requirements.txt pyproject.toml share/jupyter/lab/settings/overrides.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	# the workbook runs offline: JupyterLab should not ask to fetch news or check for updates
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp share/jupyter/lab/settings/overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	touch $(STAMP)

setup: $(STAMP)

# what a student's server on a hub adds (jupyterhub-singleuser, nbgitpuller): for the class-on-a-hub test
$(HUB_STAMP): $(STAMP) deploy/requirements-singleuser.txt
	$(BIN)/python -m pip install --quiet -r deploy/requirements-singleuser.txt
	touch $(HUB_STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --port=$(PORT) --ServerApp.root_dir=$(CURDIR) $(ROOT_FLAG) $(LAB_FLAGS) \
	  --ServerApp.kernel_websocket_connection_class=$(KERNEL_WS) \
	  notebooks/00_start_here.ipynb

test: $(STAMP) $(HUB_STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadscope --no-loadscope-reorder tests --nbval-lax --nbval-current-env notebooks

validate: $(STAMP)
	$(BIN)/python -m backpain validate

curate: $(STAMP)
	$(BIN)/python -m backpain curate

# Serve the notebooks as apps (code hidden, instructor-only cells left out) on this machine only, for
# projecting in class. PRESENT=1 scales every page for a projector (as ?present=1 does for one browser tab).
# A closed or reloaded app leaves its kernel running (Voilà's shutdown beacon is refused for want of an
# _xsrf cookie, voila-dashboards/voila#1458): kernels with no page connected are shut down after 10 idle minutes.
present: $(STAMP)
	PRESENT=$(PRESENT) JUPYTER_PATH=$(CURDIR)/share/jupyter $(BIN)/voila notebooks --template=backpain \
	  --Voila.ip=127.0.0.1 --port=$(PRESENT_PORT) --ServerApp.port_retries=0 --VoilaExecutor.timeout=120 \
	  --Voila.kernel_websocket_connection_class=$(KERNEL_WS) \
	  --MappingKernelManager.cull_idle_timeout=$(CULL_AFTER_S) --MappingKernelManager.cull_interval=$(CULL_EVERY_S) \
	  $(if $(filter 1,$(PRESENT)),--VoilaConfiguration.resources="{'present': 1}" \
	    --Voila.tornado_settings="{'jinja_template_vars': {'present': 1}}") $(VOILA_FLAGS)

# Every notebook as a self-contained HTML page (charts interactive, plotly.js inline, no CDN).
html: $(STAMP)
	$(BIN)/python -m backpain export --out build/html

# Instructor copies of the notebooks with the exercise solutions (students' copies never hold them).
instructor: $(STAMP)
	$(BIN)/python -m backpain instructor --out build/instructor

bench: $(STAMP)
	for f in benchmarks/bench_*.py; do [ $$f = benchmarks/bench_hub.py ] || $(BIN)/python $$f || exit 1; done

# A simulated class on a local JupyterHub (loopback only); see deploy/README.md. Minutes, not seconds.
bench-hub: $(STAMP) $(HUB_STAMP)
	$(BIN)/python benchmarks/bench_hub.py 5 10

clean:
	rm -rf $(VENV) .pytest_cache
