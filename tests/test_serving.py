"""The servers the workbook starts send kernel messages at once (lib/backpain/serving.py)."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from backpain.serving import CONNECTION_CLASS, NoDelayKernelConnection

ROOT = Path(__file__).resolve().parents[1]


class _Handler:
    def __init__(self):
        self.nodelay = None

    def set_nodelay(self, value):
        self.nodelay = value


def test_the_connection_turns_nagle_off_before_it_connects(monkeypatch):
    order = []
    monkeypatch.setattr(
        NoDelayKernelConnection.__mro__[1], "connect", lambda self: order.append(("connect", handler.nodelay))
    )
    handler = _Handler()
    connection = NoDelayKernelConnection.__new__(NoDelayKernelConnection)
    connection.__dict__["_trait_values"] = {"websocket_handler": handler}
    connection.connect()
    assert order == [("connect", True)]


def test_every_server_the_workbook_starts_names_the_connection_class():
    makefile = (ROOT / "Makefile").read_text()
    assert f"KERNEL_WS := {CONNECTION_CLASS}" in makefile
    assert "--ServerApp.kernel_websocket_connection_class=$(KERNEL_WS)" in makefile  # make lab
    assert "--Voila.kernel_websocket_connection_class=$(KERNEL_WS)" in makefile  # make present
    hub = (ROOT / "deploy" / "tljh" / "jupyterhub_config.py").read_text()
    assert f'"--ServerApp.kernel_websocket_connection_class={CONNECTION_CLASS}"' in hub
    values = yaml.safe_load((ROOT / "deploy" / "z2jh" / "values.yaml").read_text())
    mounted = values["singleuser"]["extraFiles"]["kernel-websocket-nodelay"]
    assert mounted["mountPath"].startswith("/etc/jupyter/jupyter_server_config.d/")
    assert json.loads(mounted["stringData"]) == {"ServerApp": {"kernel_websocket_connection_class": CONNECTION_CLASS}}
    assert f"--ServerApp.kernel_websocket_connection_class={CONNECTION_CLASS}" in (ROOT / "README.md").read_text()


def test_a_server_importing_the_connection_class_does_not_load_the_knowledge_base():
    import subprocess
    import sys

    code = "import sys, backpain.serving; print(sorted({'pandas', 'plotly', 'backpain.knowledge'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"  # each student's server would carry pandas and the tables for nothing
