"""A class of three on a JupyterHub started from deploy/ (issue 14's benchmark at N = 3), so the hub
configuration, the nbgitpuller route and the benchmark itself stay honest between benchmark runs.

The hub, configurable-http-proxy, three single-user servers and their kernels run on 127.0.0.1 only;
benchmarks/bench_hub.py stops them all (it raises if any process it started is left). Needs node and npm
(configurable-http-proxy) and deploy/requirements-singleuser.txt in .venv, which `make test` installs.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.heavy, pytest.mark.timeout(1200)]


def load_bench_hub():
    spec = importlib.util.spec_from_file_location("bench_hub", ROOT / "benchmarks" / "bench_hub.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def require_hub_tools(bench_hub) -> None:
    missing = [
        what
        for what, found in [
            ("node and npm", shutil.which("node") and shutil.which("npm")),
            (
                "jupyterhub-singleuser in .venv (make test installs it)",
                (bench_hub.VENV_BIN / "jupyterhub-singleuser").exists(),
            ),
        ]
        if not found
    ]
    if missing:
        if os.environ.get("BACKPAIN_REQUIRE_HUB"):
            pytest.fail(f"missing {', '.join(missing)} but BACKPAIN_REQUIRE_HUB is set (CI installs them)")
        pytest.skip(f"missing {', '.join(missing)}")


def test_a_class_of_three_logs_in_at_once_on_a_hub_started_from_deploy():
    bench_hub = load_bench_hub()
    require_hub_tools(bench_hub)
    hub_bin, chp = bench_hub.install_tools(Path(tempfile.gettempdir()) / "backpain-bench-hub-tools")
    result = bench_hub.run_class(3, hub_bin, chp, timeout=600)
    try:
        assert result["ok"] == 3, result["failures"]
        # each reached a ready lab, and their clicks redrew it
        assert len(result["ready_lab"]) == len(result["findings_set"]) == 3
        # nothing listened or talked anywhere but 127.0.0.1, and there was something to check
        listening, connected = result["sockets"]
        assert listening >= 5 and connected > 0 and not result["problems"], result["problems"]
        # every student's work stays in their own folder, survives the next pull, and is theirs alone
        assert not result["folders"], result["folders"]
        assert result["edits_kept"] == 3
        assert result["foreign"] == [403]
        # the figures the benchmark reports were measured for each student's server and kernel
        assert len(result["rss"]) == 3 and min(result["rss"]) > 50 * 2**20 and min(result["cpu"]) > 0
    finally:
        shutil.rmtree(result["run"], ignore_errors=True)
