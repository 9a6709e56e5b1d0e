# The Littlest JupyterHub: extra hub configuration for the back-pain workbook. install.sh copies it to
# /opt/tljh/config/jupyterhub_config.d/backpain.py (TLJH loads every .py file there after config.yaml).
# The same settings work on a plain JupyterHub with SystemdSpawner (pip install jupyterhub-systemdspawner).
import os
from urllib.parse import quote

c = get_config()  # noqa: F821

# Every student lands on the start notebook of their own copy: the default URL is nbgitpuller's, so each
# server start pulls the workbook into ~/backpain-workbook (merging, never overwriting the student's
# edits) and then opens notebooks/00_start_here.ipynb. install.sh puts the repository's URL in REPO;
# BACKPAIN_REPO, where set, names another (benchmarks/bench_hub.py: a git repository on this machine).
REPO = os.environ.get("BACKPAIN_REPO", "https://github.com/OWNER/REPO")
BRANCH = "main"
c.Spawner.default_url = (
    f"/git-pull?repo={quote(REPO, safe='')}&branch={BRANCH}&targetpath=backpain-workbook"
    f"&urlpath={quote('lab/tree/backpain-workbook/notebooks/00_start_here.ipynb', safe='')}"
)

# measured: ~300 MB RSS and 4-8 CPU s per student to a ready lab (deploy/README.md); SystemdSpawner
# enforces these per user (config.yaml's limits.* set the same; keep the two in step)
c.Spawner.mem_limit = "1G"
c.Spawner.cpu_limit = 1.0

# Kernel messages reach the student's browser at once, not after a 40 ms delayed ACK (lib/backpain/serving.py).
# Kernels talk to their server over unix sockets in the student's runtime folder, not TCP ports: on one
# machine, servers picking localhost ports at the same moment collide (the load test saw a kernel die
# with "Address already in use" when 10 students logged in at once).
c.Spawner.args = [
    "--ServerApp.kernel_websocket_connection_class=backpain.serving.NoDelayKernelConnection",
    "--KernelManager.transport=ipc",
]

# a class logs in at once: allow every spawn to run, and give a busy 2-core server time to start each
c.JupyterHub.concurrent_spawn_limit = 100
c.Spawner.start_timeout = 600
c.Spawner.http_timeout = 300


# jupyterhub-idle-culler: TLJH already runs it from config.yaml (services.cull); on a plain JupyterHub
# (not TLJH) uncomment this, with jupyterhub-idle-culler from deploy/requirements-hub.txt installed:
# import sys
# c.JupyterHub.services = [{"name": "idle-culler", "command": [sys.executable, "-m", "jupyterhub_idle_culler",
#                           "--timeout=3600", "--cull-every=600", "--max-age=28800", "--concurrency=5"]}]
# c.JupyterHub.load_roles = [{"name": "idle-culler", "services": ["idle-culler"],
#                             "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"]}]
