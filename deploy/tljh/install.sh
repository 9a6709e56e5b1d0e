#!/usr/bin/env bash
# Install the back-pain workbook on a The Littlest JupyterHub server (Ubuntu, run as root after TLJH's
# own installer, https://tljh.jupyter.org/en/latest/install/custom-server.html):
#   sudo BACKPAIN_REPO=https://github.com/OWNER/REPO deploy/tljh/install.sh
# 1. a shared read-only checkout in /opt/backpain-workbook, installed into the users' environment from
#    its requirements.txt (its last line, "-e .", installs lib/ as the backpain package from there);
# 2. the hub settings (config.yaml, jupyterhub_config.py) with limits from the measured figures.
set -euo pipefail
repo=${BACKPAIN_REPO:?set BACKPAIN_REPO to the workbook repository URL}
here=$(cd "$(dirname "$0")" && pwd)
checkout=/opt/backpain-workbook
if [ -d "$checkout/.git" ]; then git -C "$checkout" pull --ff-only; else git clone "$repo" "$checkout"; fi
(cd "$checkout" && /opt/tljh/user/bin/python -m pip install -r requirements.txt)
# nbgitpuller is in TLJH's user environment already; pin the version the benchmark and the tests use
/opt/tljh/user/bin/python -m pip install "$(grep '^nbgitpuller' "$here/../requirements-singleuser.txt")"
# the workbook runs offline: no news, no update checks in JupyterLab (what `make setup` does in .venv)
mkdir -p /opt/tljh/user/share/jupyter/lab/settings
cp "$checkout/share/jupyter/lab/settings/overrides.json" /opt/tljh/user/share/jupyter/lab/settings/
install -m 644 "$here/config.yaml" /opt/tljh/config/config.yaml
mkdir -p /opt/tljh/config/jupyterhub_config.d
sed "s#https://github.com/OWNER/REPO#$repo#" "$here/jupyterhub_config.py" \
  > /opt/tljh/config/jupyterhub_config.d/backpain.py
tljh-config reload hub
echo "done: students log in at http://<this server>/ and land on notebooks/00_start_here.ipynb"
