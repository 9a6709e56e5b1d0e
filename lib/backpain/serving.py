"""How the workbook's Jupyter servers send kernel messages to the browser: at once, without Nagle's delay.

jupyter_server leaves Nagle's algorithm on for kernel websockets. A click in the lab gets several small
replies in a row (the kernel's busy status, the echo of the click, the new red flags and ranking); with
Nagle on, each one after the first waits for the browser's delayed acknowledgement (40 ms on Linux), so a
click the kernel answers in 10 ms reached the page after 50-60 ms (benchmarks/bench_lab_browser.py).
Every server this repository starts (make lab, make present, a hub's student servers, the browser
tests) names this class in its configuration:

    --ServerApp.kernel_websocket_connection_class=backpain.serving.NoDelayKernelConnection   (JupyterLab, a hub)
    --Voila.kernel_websocket_connection_class=backpain.serving.NoDelayKernelConnection       (Voilà)

Only servers import this module; notebooks never do.
"""

from __future__ import annotations

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

CONNECTION_CLASS = "backpain.serving.NoDelayKernelConnection"


class NoDelayKernelConnection(ZMQChannelsWebsocketConnection):
    """jupyter_server's kernel websocket connection, with TCP_NODELAY set on the websocket when it opens."""

    def connect(self):
        self.websocket_handler.set_nodelay(True)
        return super().connect()
