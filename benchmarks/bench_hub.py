"""A whole class at once: JupyterHub on this machine (127.0.0.1 only) with N simulated students.

For each N it starts a fresh JupyterHub configured by the course's own file, deploy/tljh/jupyterhub_config.py
(nbgitpuller default URL, spawn limits and timeouts), with only what this machine needs on top: loopback
ports, the DummyAuthenticator, SimpleLocalProcessSpawner with one home folder per student under a scratch
folder, single-user servers run by this repository's .venv, behind configurable-http-proxy. The course
repository the students pull is a git repository on this machine holding notebooks/ (BACKPAIN_REPO).

Then N students at the same moment: log in (the hub's REST API: create the user, get their own token,
start their server, wait until ready), open their server's default URL (nbgitpuller's page) and pull the
workbook through nbgitpuller's API into ~/backpain-workbook, open notebooks/04_differential_lab.ipynb (a
session, as JupyterLab does), run its code cells over the kernel websocket, set findings in the lab, edit
the notebook and save a file of their own, then pull again (the next class's link) and check their edit
is still there. It prints, per N: time to first page and to a ready lab (median, p95), memory per student
(RSS and PSS of each server plus its kernels, from /proc), whole-node memory, CPU seconds per student,
failures, and the students a 24 GiB node and a core would hold. Then it stops everything it started
(process groups of hub, proxy, servers and kernels). tests/test_class_on_a_hub.py runs it with N = 3.

The hub tools (deploy/requirements-hub.txt and configurable-http-proxy) are installed into a scratch
folder under /tmp (reused between runs), never into the workbook's .venv. The single-user servers need
deploy/requirements-singleuser.txt in .venv (`make bench-hub` and `make test` install it).

    python benchmarks/bench_hub.py [N ...] [--timeout SECONDS] [--tools DIR]     (default: 5 10)
"""

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import requests
import websocket

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"
HUB_REQUIREMENTS = ROOT / "deploy" / "requirements-hub.txt"
COURSE_CONFIG = ROOT / "deploy" / "tljh" / "jupyterhub_config.py"
CHP_VERSION = "5.3.0"
WORKBOOK = "backpain-workbook"  # the folder nbgitpuller pulls into (the course config's targetpath)
NOTEBOOK = f"{WORKBOOK}/notebooks/04_differential_lab.ipynb"
FINDINGS = ["char_colicky", "loc_flank_left"]
FIND_LAB = (  # the lab the notebook drew (its cell does not name it)
    "import gc as _gc\nfrom backpain.ui.lab import DifferentialLab as _Lab\n"
    "_lab = next(o for o in _gc.get_objects() if isinstance(o, _Lab))\n"
    "print(_lab.form.model_id)"
)
CHECK_LAB = (
    f"assert sorted(_lab.findings_set()[0]) == {sorted(FINDINGS)!r}, _lab.findings_set()\n"
    f"assert sorted(_lab.result.present) == {sorted(FINDINGS)!r}, _lab.result.present"
)
NODE_GIB = 24
CLASS_WINDOW_S = 60  # "per core": how many students one core brings to a ready lab within this window
MARK = "BACKPAIN_BENCH_HUB"  # environment marker on every process this benchmark starts
LOOPBACK = "127.0.0.1"
PAGE = os.sysconf("SC_PAGE_SIZE")
TICK = os.sysconf("SC_CLK_TCK")

CONFIG = """\
# written by benchmarks/bench_hub.py for one run: the course's own settings, then this machine's
c = get_config()  # noqa
load_subconfig({course!r})  # noqa: F821 - nbgitpuller default URL (BACKPAIN_REPO), spawn limits, timeouts

# only what a loopback test hub needs on top: everything on 127.0.0.1, dummy logins, local processes
c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.ConfigurableHTTPProxy.command = [{chp!r}]
c.ConfigurableHTTPProxy.pid_file = {run!r} + "/proxy.pid"
c.JupyterHub.db_url = "sqlite:///" + {run!r} + "/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = {run!r} + "/cookie_secret"
c.JupyterHub.cleanup_servers = True
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allow_all = True
c.JupyterHub.services = [{{"name": "bench", "api_token": {token!r}}}]
c.JupyterHub.load_roles = [{{"name": "admin", "services": ["bench"]}}]

c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
c.SimpleLocalProcessSpawner.home_dir_template = {run!r} + "/homes/{{username}}"
c.Spawner.ip = "127.0.0.1"
c.Spawner.cmd = [{singleuser!r}]
c.Spawner.args.extend({args!r})  # the course's own, then --allow-root where this runs as root (a container)
c.Spawner.environment = {{"PATH": {path!r}, {mark!r}: {run!r}}}
# kernels talk over unix sockets (the course config's --KernelManager.transport=ipc), whose paths may not
# pass ~107 characters: a short runtime folder per student (a real home, /home/jupyter-NAME, is short)
c.Spawner.environment["JUPYTER_RUNTIME_DIR"] = lambda spawner: {runtime!r} + "/" + spawner.user.name
"""


def course_repository(run: str) -> str:
    """The course repository as the hub's students see it: a git repository on this machine holding the
    current notebooks/ (the working tree's, committed or not), as a file:// URL for nbgitpuller."""
    repo = Path(run, "workbook")
    shutil.copytree(ROOT / "notebooks", repo / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    git = ["git", "-C", str(repo), "-c", "user.name=bench", "-c", "user.email=bench@127.0.0.1"]
    for args in (["init", "--quiet", "--initial-branch=main"], ["add", "."], ["commit", "--quiet", "-m", "workbook"]):
        subprocess.run(git + args, check=True, timeout=60)
    return repo.as_uri()


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def checked(url: str) -> str:
    """Every URL this benchmark calls goes to 127.0.0.1: refuse anything else."""
    if urlsplit(url).hostname != LOOPBACK:
        raise RuntimeError(f"refusing a non-loopback URL: {url}")
    return url


def session(token: str) -> requests.Session:
    s = requests.Session()
    s.trust_env = False  # no proxy from the environment
    s.headers["Authorization"] = f"token {token}"
    return s


def install_tools(tools: Path) -> tuple[Path, Path]:
    """The hub's own venv and configurable-http-proxy, in a scratch folder (reused when present)."""
    hub_bin = tools / "venv" / "bin"
    chp = tools / "npm" / "node_modules" / ".bin" / "configurable-http-proxy"
    stamp = tools / "installed"
    wanted = HUB_REQUIREMENTS.read_text() + CHP_VERSION
    if stamp.exists() and stamp.read_text() == wanted and chp.exists():
        return hub_bin, chp
    tools.mkdir(parents=True, exist_ok=True)
    print(f"installing the hub tools into {tools} ...", flush=True)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(tools / "venv")], check=True, timeout=300)
    subprocess.run(
        [str(hub_bin / "python"), "-m", "pip", "install", "--quiet", "-r", str(HUB_REQUIREMENTS)],
        check=True,
        timeout=900,
    )
    (tools / "npm").mkdir(exist_ok=True)
    subprocess.run(
        ["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(tools / "npm"),
         f"configurable-http-proxy@{CHP_VERSION}"],
        check=True,
        timeout=900,
    )  # fmt: skip
    stamp.write_text(wanted)
    return hub_bin, chp


# ---------------------------------------------------------------- /proc


def marked_pids(run: str) -> list[int]:
    """Processes carrying this run's marker in their environment (hub, proxy, servers, kernels)."""
    needle = f"{MARK}={run}".encode()
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if needle in (entry / "environ").read_bytes().split(b"\0"):
                    pids.append(int(entry.name))
    return pids


def environ(pid: int) -> dict[str, str]:
    with contextlib.suppress(OSError):
        pairs = Path(f"/proc/{pid}/environ").read_bytes().decode(errors="replace").split("\0")
        return dict(p.split("=", 1) for p in pairs if "=" in p)
    return {}


def stat(pid: int) -> tuple[int, float]:
    """(parent pid, CPU seconds) of a process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK


def memory(pid: int) -> tuple[int, int]:
    """(RSS, PSS) in bytes."""
    rss = int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    pss = rss
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1]) * 1024
    return rss, pss


def descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                children.setdefault(stat(int(entry.name))[0], []).append(int(entry.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def node_used() -> int:
    info = {}
    for line in Path("/proc/meminfo").read_text().splitlines():
        key, value = line.split(":")
        info[key] = int(value.split()[0]) * 1024
    return info["MemTotal"] - info["MemAvailable"]


def per_student(run: str) -> dict[str, dict]:
    """Each student's server plus everything under it (kernels): RSS, PSS, CPU seconds."""
    out = {}
    for pid in marked_pids(run):
        env = environ(pid)
        with contextlib.suppress(OSError):
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
            if b"jupyterhub-singleuser" in cmd and "JUPYTERHUB_USER" in env:
                rss = pss = 0
                cpu = 0.0
                tree = descendants(pid)
                for p in tree:
                    with contextlib.suppress(OSError):
                        r, s = memory(p)
                        rss, pss, cpu = rss + r, pss + s, cpu + stat(p)[1]
                out[env["JUPYTERHUB_USER"]] = {"rss": rss, "pss": pss, "cpu": cpu, "pids": tree}
    return out


def hex_ip(text: str) -> str:
    raw = bytes.fromhex(text)
    if len(raw) == 4:
        return socket.inet_ntop(socket.AF_INET, raw[::-1])
    words = b"".join(raw[i : i + 4][::-1] for i in range(0, 16, 4))
    return socket.inet_ntop(socket.AF_INET6, words)


def is_loopback(ip: str) -> bool:
    return ip.startswith("127.") or ip in ("::1",) or ip.startswith("::ffff:127.")


def socket_audit(run: str) -> tuple[int, int, list[str]]:
    """Every TCP socket of every marked process: (listening, connected, problems). A socket that listens
    or talks anywhere but loopback is a problem."""
    inodes: dict[str, int] = {}
    for pid in marked_pids(run):
        with contextlib.suppress(OSError):
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                with contextlib.suppress(OSError):
                    link = os.readlink(fd)
                    if link.startswith("socket:["):
                        inodes[link[8:-1]] = pid
    listening = connected = 0
    problems = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            f = line.split()
            if f[9] not in inodes:
                continue
            local, remote, state = hex_ip(f[1].split(":")[0]), hex_ip(f[2].split(":")[0]), f[3]
            if state == "0A":  # LISTEN
                listening += 1
                if not is_loopback(local):
                    problems.append(f"pid {inodes[f[9]]} listens on {local}")
            else:
                connected += 1
                if not (is_loopback(local) and is_loopback(remote)):
                    problems.append(f"pid {inodes[f[9]]} connected {local} -> {remote}")
    return listening, connected, problems


def kill_all(run: str, hub: subprocess.Popen | None) -> None:
    """Stop everything this run started: the hub's process group, then every marked process group."""
    if hub is not None and hub.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(hub.pid, signal.SIGTERM)  # the hub stops its servers and the proxy (cleanup_servers)
        with contextlib.suppress(subprocess.TimeoutExpired):
            hub.wait(timeout=60)
    for sig in (signal.SIGTERM, signal.SIGKILL):
        pids = marked_pids(run)
        if not pids:
            break
        for pid in pids:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(os.getpgid(pid), sig)
        deadline = time.monotonic() + 10
        while marked_pids(run) and time.monotonic() < deadline:
            time.sleep(0.2)
    if hub is not None and hub.poll() is None:
        hub.kill()
        hub.wait(timeout=10)
    left = marked_pids(run)
    if left:
        raise RuntimeError(f"processes left running: {left}")


# ---------------------------------------------------------------- one student


class Kernel:
    """A kernel client over the server's websocket (the legacy JSON protocol, no subprotocol). Like
    JupyterLab, it reconnects with the same session id when the server drops the socket (a missed ping
    on a busy machine); the server keeps the messages meanwhile and replays them."""

    MAX_RECONNECTS = 10

    def __init__(self, ws_url: str, token: str, username: str, timeout: float):
        self.url, self.token, self.timeout = "ws://" + checked(ws_url).removeprefix("http://"), token, timeout
        self.ws = self.connect()
        self.session = uuid.uuid4().hex
        self.username = username
        self.reconnects = 0

    def connect(self) -> websocket.WebSocket:
        return websocket.create_connection(
            self.url, header=[f"Authorization: token {self.token}"], timeout=self.timeout
        )

    def reconnect(self) -> None:
        self.reconnects += 1
        if self.reconnects > self.MAX_RECONNECTS:
            raise ConnectionError(f"the kernel websocket dropped {self.reconnects} times")
        self.close()
        self.ws = self.connect()

    def receive(self, deadline: float):
        """The next frame, reconnecting (and waiting on) where the server dropped the socket."""
        while True:
            self.ws.settimeout(max(0.1, deadline - time.monotonic()))
            try:
                frame = self.ws.recv()
            except (websocket.WebSocketConnectionClosedException, ConnectionError):
                frame = None
            if frame:
                return frame
            self.reconnect()

    def request(self, msg_type: str, content: dict, deadline: float) -> tuple[dict | None, list[str], str]:
        """Send one shell message; wait for its reply (a comm message has none) and the kernel idle again.
        Returns (reply, errors, what it printed)."""
        msg_id = uuid.uuid4().hex
        header = {"msg_id": msg_id, "username": self.username, "session": self.session, "msg_type": msg_type,
                  "version": "5.3", "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}  # fmt: skip
        msg = {"header": header, "parent_header": {}, "metadata": {}, "content": content, "channel": "shell"}
        try:
            self.ws.send(json.dumps(msg))
        except (websocket.WebSocketConnectionClosedException, ConnectionError):
            self.reconnect()
            self.ws.send(json.dumps(msg))
        errors, printed, reply, idle = [], [], None, False
        while time.monotonic() < deadline:
            frame = self.receive(deadline)
            # Widget state and figures (large, or with binary buffers) are not ours to check; parsing only
            # the small frames that name our request keeps this one client process from starving at N=40.
            if isinstance(frame, bytes) or len(frame) > 50_000 or msg_id not in frame:
                continue
            m = json.loads(frame)
            if m.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = m["header"]["msg_type"]
            if kind == "error":
                errors.append(f"{m['content']['ename']}: {m['content']['evalue']}")
            elif kind == "stream":
                (printed if m["content"]["name"] == "stdout" else errors).append(m["content"]["text"].strip()[:200])
            elif kind.endswith("_reply"):
                reply = m
            elif kind == "status" and m["content"]["execution_state"] == "idle":
                idle = True
            if idle and (reply is not None or msg_type == "comm_msg"):
                return reply, errors, "".join(printed)
        raise TimeoutError(f"{msg_type} not answered in time")

    def run(self, code: str, deadline: float) -> tuple[list[str], str]:
        """(errors, what it printed)"""
        content = {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                   "allow_stdin": False, "stop_on_error": True}  # fmt: skip
        reply, errors, printed = self.request("execute_request", content, deadline)
        if reply["content"]["status"] != "ok":
            errors.append(f"status {reply['content']['status']}: {reply['content'].get('evalue', '')}")
        return errors, printed

    def click(self, comm_id: str, state: dict, deadline: float) -> list[str]:
        """What the lab's form sends when a student clicks: a widget state update over its comm."""
        data = {"method": "update", "state": state, "buffer_paths": []}
        return self.request("comm_msg", {"comm_id": comm_id, "data": data}, deadline)[1]

    def close(self):
        with contextlib.suppress(Exception):
            self.ws.close()


def pull(me: requests.Session, user: str, query: str) -> None:
    """nbgitpuller's API, as its page's JavaScript calls it: a stream of events ending in 'finished'."""
    with me.get(checked(f"{user}/git-pull/api?{query}"), stream=True, timeout=300) as events:
        events.raise_for_status()
        for line in events.iter_lines(decode_unicode=True):
            if line and line.startswith("data:"):
                event = json.loads(line[5:])
                if event.get("phase") == "finished":
                    return
                if event.get("phase") == "error":
                    raise RuntimeError(f"nbgitpuller: {event.get('message', '')[:200]}")
    raise RuntimeError("nbgitpuller's stream ended before 'finished'")


def student(name: str, base: str, admin: str, start: threading.Barrier, deadline: float, out: dict) -> None:
    r = out[name] = {"ok": False, "steps": {}}
    hub = session(admin)
    try:
        start.wait()
        t0 = time.monotonic()
        # log in: the student exists, has their own token, and their server is starting
        hub.post(checked(f"{base}/hub/api/users/{name}"), timeout=60).raise_for_status()
        token = hub.post(checked(f"{base}/hub/api/users/{name}/tokens"), json={"note": "bench"}, timeout=60)
        token.raise_for_status()
        token = token.json()["token"]
        r["steps"]["login"] = time.monotonic() - t0
        resp = hub.post(checked(f"{base}/hub/api/users/{name}/server"), timeout=120)
        if resp.status_code not in (201, 202):
            raise RuntimeError(f"spawn refused: {resp.status_code} {resp.text[:200]}")
        while True:
            model = hub.get(checked(f"{base}/hub/api/users/{name}"), timeout=60).json()
            server = model.get("servers", {}).get("")
            if server and server.get("ready"):
                break
            if not server and time.monotonic() - t0 > 5:  # a failed spawn leaves no server behind
                raise RuntimeError("the server stopped while starting")
            if time.monotonic() > deadline:
                raise TimeoutError("server not ready in time")
            time.sleep(0.5)
        r["steps"]["server_ready"] = time.monotonic() - t0
        me = session(token)
        user = f"{base}/user/{name}"
        # the server's default URL (the course config's): nbgitpuller's page, then its pull
        landing = me.get(checked(f"{user}/"), timeout=120)
        landing.raise_for_status()
        if urlsplit(landing.url).path != f"/user/{name}/git-pull":
            raise RuntimeError(f"the default URL is not nbgitpuller's: {landing.url}")
        query = urlsplit(landing.url).query
        pull(me, user, query)
        r["steps"]["pulled"] = time.monotonic() - t0
        nb = me.get(checked(f"{user}/api/contents/{NOTEBOOK}"), timeout=120)
        nb.raise_for_status()
        notebook = nb.json()["content"]
        cells = [c["source"] for c in notebook["cells"] if c["cell_type"] == "code"]
        r["first_page"] = r["steps"]["notebook_fetched"] = time.monotonic() - t0
        opened = me.post(checked(f"{user}/api/sessions"), timeout=120,
                         json={"path": NOTEBOOK, "type": "notebook", "name": "", "kernel": {"name": "python3"}})  # fmt: skip
        opened.raise_for_status()
        kid = opened.json()["kernel"]["id"]
        kernel = Kernel(f"{user}/api/kernels/{kid}/channels?session_id={uuid.uuid4().hex}", token, name, 120)
        try:
            kernel.request("kernel_info_request", {}, deadline)
            r["steps"]["kernel_ready"] = time.monotonic() - t0
            for code in cells:
                errors = kernel.run(code, deadline)[0]
                if errors:
                    raise RuntimeError(f"cell {code.splitlines()[0]!r}: {errors[0]}")
                if "DifferentialLab(kb)" in code:
                    r["ready_lab"] = r["steps"]["lab_ready"] = time.monotonic() - t0
            # set findings as clicks on the lab's form do (its browser side knows the form's comm id from
            # the widget it drew; this client does not draw, so it asks), then check the lab redrew
            errors, form = kernel.run(FIND_LAB, deadline)
            errors = errors or kernel.click(form.strip(), {"answers": dict.fromkeys(FINDINGS, "present")}, deadline)
            errors = errors or kernel.run(CHECK_LAB, deadline)[0]
            if errors:
                raise RuntimeError(f"setting findings: {errors[0]}")
            r["steps"]["findings_set"] = time.monotonic() - t0
        finally:
            r["reconnects"] = kernel.reconnects
            kernel.close()
        # the student's own work, saved through their server: a note in the lab notebook and a file
        notebook["cells"].append({"cell_type": "markdown", "metadata": {}, "source": f"notes of {name}"})
        saved = me.put(checked(f"{user}/api/contents/{NOTEBOOK}"), timeout=60,
                       json={"type": "notebook", "format": "json", "content": notebook})  # fmt: skip
        saved.raise_for_status()
        saved = me.put(checked(f"{user}/api/contents/my_notes_{name}.txt"),
                       json={"type": "file", "format": "text", "content": f"notes of {name}"}, timeout=60)  # fmt: skip
        saved.raise_for_status()
        # the next class's link pulls again: the student's edit stays
        pull(me, user, query)
        again = me.get(checked(f"{user}/api/contents/{NOTEBOOK}"), timeout=120)
        again.raise_for_status()
        r["edit_kept"] = again.json()["content"]["cells"][-1]["source"] == f"notes of {name}"
        r["token"] = token  # another student's server is tried with it once every server is up (run_class)
        r["ok"] = True
    except Exception as error:  # a failed student is counted, not fatal
        r["error"] = f"{type(error).__name__}: {error}"[:300]


# ---------------------------------------------------------------- one class


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))] if values else float("nan")


def runtime_dir(run: str) -> str:
    return str(Path(tempfile.gettempdir()) / f"bhrt-{Path(run).name[-8:]}")


def run_class(n: int, hub_bin: Path, chp: Path, timeout: float) -> dict:
    run = tempfile.mkdtemp(prefix=f"bench-hub-{n}-")
    port, hub_port, api_port = free_port(), free_port(), free_port()
    token = secrets.token_hex(32)
    Path(run, "jupyterhub_config.py").write_text(
        CONFIG.format(
            port=port,
            hub_port=hub_port,
            api_port=api_port,
            chp=str(chp),
            run=run,
            token=token,
            singleuser=str(VENV_BIN / "jupyterhub-singleuser"),
            mark=MARK,
            path=f"{VENV_BIN}:/usr/local/bin:/usr/bin:/bin",
            args=["--allow-root"] if os.getuid() == 0 else [],
            course=str(COURSE_CONFIG),
            runtime=runtime_dir(run),
        )
    )
    base = f"http://{LOOPBACK}:{port}"
    env = {**os.environ, MARK: run, "PATH": f"{hub_bin}:/usr/local/bin:/usr/bin:/bin",
           "BACKPAIN_REPO": course_repository(run)}  # fmt: skip
    for key in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        env.pop(key, None)
    baseline = node_used()
    hub = None
    log = open(Path(run, "hub.log"), "w")  # noqa: SIM115 - closed in finally
    result: dict = {"n": n, "run": run}
    try:
        hub = subprocess.Popen([str(hub_bin / "jupyterhub"), "-f", f"{run}/jupyterhub_config.py"], cwd=run,
                               env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
        admin = session(token)
        up_by = time.monotonic() + 120
        while True:
            with contextlib.suppress(requests.ConnectionError):
                if admin.get(checked(f"{base}/hub/api/"), timeout=5).ok:
                    break
            if hub.poll() is not None or time.monotonic() > up_by:
                raise RuntimeError(f"the hub did not start; see {run}/hub.log")
            time.sleep(0.3)
        deadline = time.monotonic() + timeout
        names = [f"s{i:03d}" for i in range(1, n + 1)]
        out: dict = {}
        barrier = threading.Barrier(n)
        peak = [node_used()]
        stop = threading.Event()

        def sample():
            while not stop.wait(0.5):
                peak[0] = max(peak[0], node_used())

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        t0 = time.monotonic()
        threads = [threading.Thread(target=student, args=(s, base, token, barrier, deadline, out), daemon=True)
                   for s in names]  # fmt: skip
        for t in threads:
            t.start()
        for t in threads:
            t.join(max(0.1, deadline - time.monotonic() + 5))
        wall = time.monotonic() - t0
        stop.set()
        sampler.join()
        for s in names:
            if not out.get(s, {}).get("ok") and "error" not in out.get(s, {}):
                out.setdefault(s, {})["error"] = "hard timeout"
        for s in names:  # another student's server refuses this student's token (asked once all are running)
            if out[s].get("ok") and len(names) > 1:
                other = names[(names.index(s) + 1) % len(names)]
                foreign = session(out[s].pop("token")).get(
                    checked(f"{base}/user/{other}/api/contents"), timeout=60, allow_redirects=False
                )
                out[s]["foreign_status"] = foreign.status_code
                out[s]["foreign_location"] = foreign.headers.get("Location", "")
        mem = per_student(run)
        theirs = {p for m in mem.values() for p in m["pids"]}
        hub_rss = 0  # the hub and the proxy: the hub's process tree less the students' servers and kernels
        for p in descendants(hub.pid):
            if p not in theirs:
                with contextlib.suppress(OSError):
                    hub_rss += memory(p)[0]
        steady = node_used()
        listening, connected, problems = socket_audit(run)
        # each student's file and notebook edit are in their own folder only
        homes = Path(run, "homes")
        leaks = []
        for s in names:
            for other in names:
                mine = other == s and out[s].get("ok")
                has = (homes / other / f"my_notes_{s}.txt").exists()
                if has != mine:
                    leaks.append(f"{s}'s file in {other}'s folder: {has}")
                lab = homes / other / NOTEBOOK
                edited = lab.exists() and f"notes of {s}" in lab.read_text(encoding="utf-8")
                if edited != mine:
                    leaks.append(f"{s}'s edit in {other}'s notebook: {edited}")
        ok = [out[s] for s in names if out[s].get("ok")]
        result.update(
            ok=len(ok),
            failures={s: out[s]["error"] for s in names if not out[s].get("ok")},
            wall=wall,
            first_page=[r["first_page"] for r in ok],
            ready_lab=[r["ready_lab"] for r in ok],
            server_ready=[r["steps"]["server_ready"] for r in ok],
            kernel_ready=[r["steps"]["kernel_ready"] for r in ok],
            findings_set=[r["steps"]["findings_set"] for r in ok],
            foreign=sorted({r["foreign_status"] for r in ok if "foreign_status" in r}),
            foreign_redirects=sorted({r["foreign_location"] for r in ok if r.get("foreign_location")}),
            edits_kept=sum(r["edit_kept"] for r in ok),
            reconnects=sum(out[s].get("reconnects", 0) for s in names),
            rss=[m["rss"] for m in mem.values()],
            pss=[m["pss"] for m in mem.values()],
            cpu=[m["cpu"] for m in mem.values()],
            hub_mb=hub_rss / 2**20,
            node_delta=steady - baseline,
            node_peak_delta=peak[0] - baseline,
            node_used=steady,
            sockets=(listening, connected),
            problems=problems,
            folders=leaks,
        )
        for s in names:  # stop each server through the hub, as an administrator would
            with contextlib.suppress(requests.RequestException):
                admin.delete(checked(f"{base}/hub/api/users/{s}/server"), timeout=30)
    finally:
        kill_all(run, hub)
        shutil.rmtree(runtime_dir(run), ignore_errors=True)
        log.close()
    return result


def report(r: dict) -> None:
    mb = 2**20
    n = r["n"]
    print(
        f"\n== N = {n} students ({r['ok']} ok, {len(r['failures'])} failed; {r['wall']:.0f} s wall; run in {r['run']})"
    )
    for s, e in sorted(r["failures"].items())[:5]:
        print(f"   failed {s}: {e}")
    if r["ok"]:
        fp, rl, sr = r["first_page"], r["ready_lab"], r["server_ready"]
        kr, fs = r["kernel_ready"], r["findings_set"]
        print(f"   server ready        median {statistics.median(sr):6.1f} s   p95 {pct(sr, 0.95):6.1f} s")
        print(f"   first page          median {statistics.median(fp):6.1f} s   p95 {pct(fp, 0.95):6.1f} s")
        print(f"   kernel ready        median {statistics.median(kr):6.1f} s   p95 {pct(kr, 0.95):6.1f} s")
        print(f"   ready lab           median {statistics.median(rl):6.1f} s   p95 {pct(rl, 0.95):6.1f} s")
        print(f"   findings set        median {statistics.median(fs):6.1f} s   p95 {pct(fs, 0.95):6.1f} s")
    if r["rss"]:
        rss, pss, cpu = statistics.median(r["rss"]), statistics.median(r["pss"]), statistics.median(r["cpu"])
        per_node = r["node_delta"] / max(1, len(r["rss"]))
        print(
            f"   per student         RSS {rss / mb:5.0f} MB  PSS {pss / mb:5.0f} MB  node delta {per_node / mb:5.0f} MB  CPU {cpu:4.1f} s"
        )
        print(f"   hub + proxy         {r['hub_mb']:5.0f} MB;  node used {r['node_used'] / 2**30:.1f} GiB "
              f"(+{r['node_delta'] / 2**30:.2f} GiB, peak +{r['node_peak_delta'] / 2**30:.2f} GiB)")  # fmt: skip
        usable = NODE_GIB * 2**30 * 0.9 - 1 * 2**30  # 10 % headroom and 1 GiB for the system, hub and proxy
        print(
            f"   24 GiB node holds   {usable / rss:4.0f} students by RSS, {usable / max(pss, per_node):4.0f} by PSS/node delta"
        )
        print(f"   one core            {CLASS_WINDOW_S / cpu:4.0f} students to a ready lab per {CLASS_WINDOW_S} s "
              f"by their own CPU ({cpu:.1f} s each)")  # fmt: skip
    if r["ok"]:  # what the class saw: hub, proxy and the load generator share the same cores
        seen = r["ok"] / (os.cpu_count() * pct(r["ready_lab"], 0.95) / CLASS_WINDOW_S)
        print(f"                       {seen:4.1f} as measured ({r['ok']} ready within {pct(r['ready_lab'], 0.95):.0f} s "
              f"on {os.cpu_count()} cores)")  # fmt: skip
    print(f"   kernel websockets   {r['reconnects']} dropped by the server and reconnected")
    lis, con = r["sockets"]
    print(f"   loopback only       {lis} listening, {con} connected sockets: "
          f"{'all 127.0.0.1' if not r['problems'] else r['problems'][:3]}")  # fmt: skip
    print(f"   own folders         {'each file and edit only in its owner folder' if not r['folders'] else r['folders'][:3]}; "
          f"{r.get('edits_kept', 0)} of {r['ok']} edits kept by a second pull; another student's server answered {r['foreign']}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="*", type=int, default=[5, 10], help="class sizes (default 5 10)")
    parser.add_argument("--timeout", type=float, default=600, help="hard timeout per class size, seconds")
    parser.add_argument("--tools", type=Path, default=Path(tempfile.gettempdir()) / "backpain-bench-hub-tools")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    missing = [
        need
        for need, found in [
            (".venv/bin/jupyterhub-singleuser (.venv/bin/pip install jupyterhub==6.1.1)",
             (VENV_BIN / "jupyterhub-singleuser").exists()),
            ("node and npm", shutil.which("node") and shutil.which("npm")),
        ]
        if not found
    ]  # fmt: skip
    if missing:  # like the browser tests without Chromium: skipped, said plainly, not failed
        print(f"bench_hub: skipped, it needs {' and '.join(missing)}")
        return
    if not 1 <= min(args.n) <= max(args.n) <= 200:
        sys.exit("class sizes from 1 to 200")
    hub_bin, chp = install_tools(args.tools)
    results = []
    for n in args.n:
        result = run_class(n, hub_bin, chp, args.timeout)
        report(result)
        results.append(result)
        clean = not (result.get("failures") or result.get("problems") or result.get("folders"))
        shutil.rmtree(result["run"] if clean else Path(result["run"], "homes"), ignore_errors=True)  # keep hub.log
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
