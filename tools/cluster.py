"""`make run-cluster`: the four services as replicas behind HAProxy, with Redis and PostgreSQL.

Starts, each bound to 127.0.0.1 with its data under var/cluster/:
  redis-server      Rasa's lock store and the channels' shared state (channels/state.py)
  PostgreSQL        Rasa's tracker store (database rasa) and the one-time notices (database notices)
  Rasa              RASA_REPLICAS (2) on 5105, 5106, ...
  action servers    ACTIONS_REPLICAS (2) on 5155, 5156, ...
  knowledge         KNOWLEDGE_REPLICAS (2) on 8101, 8102, ...
  robot bridge      one, on 8150 (it holds the robots' links)
  HAProxy           the public ports of `make run`: 5005 Rasa, 5055 actions, 8000 knowledge, 8100 bridge
Each process is started from its Procfile line (so secrets and flags there apply here too), with its
own port and endpoints-cluster.yml. Ctrl-C stops everything. Design: docs/deployment.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parent.parent
PACKAGES = {"redis-server": "redis-server", "haproxy": "haproxy", "postgres": "postgresql"}


@dataclass(frozen=True)
class Ports:
    """Every port of the cluster; `offset` shifts all of them (tests run beside a live cluster)."""

    offset: int = 0
    rasa_replicas: int = 2
    actions_replicas: int = 2
    knowledge_replicas: int = 2

    def _at(self, base: int, count: int = 1) -> list[int]:
        return [base + self.offset + i for i in range(count)]

    @property
    def redis(self) -> int:
        return 6380 + self.offset  # not 6379: a distribution's own redis-server may hold it

    @property
    def postgres(self) -> int:
        return 5433 + self.offset  # not 5432, for the same reason

    @property
    def rasa(self) -> int:
        return 5005 + self.offset

    @property
    def actions(self) -> int:
        return 5055 + self.offset

    @property
    def knowledge(self) -> int:
        return 8000 + self.offset

    @property
    def bridge(self) -> int:
        return 8100 + self.offset

    @property
    def haproxy_stats(self) -> int:
        return 8404 + self.offset

    @property
    def rasa_replica_ports(self) -> list[int]:
        return self._at(5105, self.rasa_replicas)

    @property
    def actions_replica_ports(self) -> list[int]:
        return self._at(5155, self.actions_replicas)

    @property
    def knowledge_replica_ports(self) -> list[int]:
        return self._at(8101, self.knowledge_replicas)

    @property
    def bridge_replica_port(self) -> int:
        return 8150 + self.offset


def rasa_ready_path() -> str:
    """Rasa's readiness URL path: /status answers 200 only once the model is loaded (409 before; `/`
    says hello even without a model). With an API token (--auth-token) it needs the token."""
    token = os.environ.get("RASA_API_TOKEN", "")
    return f"/status?token={quote(token)}" if token else "/status"


def missing_packages() -> list[str]:
    found = {"redis-server": shutil.which("redis-server"), "haproxy": shutil.which("haproxy"), "postgres": pg_bin()}
    return [PACKAGES[name] for name, path in found.items() if not path]


def pg_bin() -> Path | None:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    return versions[-1] if versions else None


def procfile_commands() -> dict[str, str]:
    """name -> shell command, from the Procfile `make run` uses."""
    commands = {}
    for line in (REPO / "Procfile").read_text(encoding="utf-8").splitlines():
        if ":" in line and not line.lstrip().startswith("#"):
            name, command = line.split(":", 1)
            commands[name.strip()] = command.strip()
    return commands


def wait_port(port: int, seconds: float, process: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            if process is not None and process.poll() is not None:
                raise RuntimeError(f"the process for port {port} exited ({process.returncode})") from None
            if time.monotonic() > deadline:
                raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {seconds:.0f} s") from None
            time.sleep(0.2)


def wait_http(url: str, seconds: float, process: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the process behind {url} exited ({process.returncode})")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} not healthy after {seconds:.0f} s")
        time.sleep(0.5)


@dataclass
class Cluster:
    ports: Ports = field(default_factory=Ports)
    var: Path = REPO / "var" / "cluster"
    model: str = os.environ.get("RASA_MODEL", "models/current.tar.gz")
    # how long HAProxy waits for a replica's answer (a slow test machine needs more)
    server_timeout: int = 60
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    # --- helpers -------------------------------------------------------------------------------

    def _as_postgres(self, command: list[str]) -> list[str]:
        # PostgreSQL refuses to run as root; Debian's package creates the postgres user
        return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command

    def _start(self, name: str, command: list[str] | str, env: dict[str, str] | None = None) -> None:
        log = open(self.var / "logs" / f"{name}.log", "ab")  # noqa: SIM115 - the child owns it
        shell = isinstance(command, str)
        process = subprocess.Popen(
            command,
            shell=shell,
            executable="/bin/bash" if shell else None,
            cwd=REPO,
            env={**os.environ, **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stop and kill reach its children too
        )
        log.close()
        self.processes[name] = process

    def signal(self, name: str, sig: int) -> None:
        """Send `sig` to a process and its children (the failover test kills replicas with SIGKILL)."""
        try:
            os.killpg(self.processes[name].pid, sig)
        except ProcessLookupError:
            pass

    def psql(self, sql: str, db: str = "postgres") -> str:
        psql = str(pg_bin() / "psql")  # type: ignore[operator]
        command = [psql, "-h", "127.0.0.1", "-p", str(self.ports.postgres), "-U", "postgres", "-d", db, "-tAc", sql]
        return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()

    def service_env(self) -> dict[str, str]:
        """What every replica reads: where the shared stores and the balanced services are."""
        p = self.ports
        return {
            "HOST": "127.0.0.1",
            "RASA_MODEL": self.model,
            "RASA_ENDPOINTS": "endpoints-cluster.yml",
            "TRACKER_URL": f"postgresql://postgres@127.0.0.1:{p.postgres}/rasa",
            "REDIS_HOST": "127.0.0.1",
            "REDIS_PORT": str(p.redis),
            "CHANNEL_STATE_URL": f"redis://127.0.0.1:{p.redis}/0",
            "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{p.actions}/webhook",
            "KNOWLEDGE_URL": f"http://127.0.0.1:{p.knowledge}",
            "ROBOT_BRIDGE_URL": f"http://127.0.0.1:{p.bridge}",
            # complaints and feedback: SQLite, one file for the action replicas of this machine
            "ACTIONS_DB": str(self.var / "actions.db"),
            "KNOWLEDGE_NOTICES_DB_URL": f"postgresql://postgres@127.0.0.1:{p.postgres}/notices",
            "KNOWLEDGE_PUBLIC_URL": os.environ.get("KNOWLEDGE_PUBLIC_URL", f"http://127.0.0.1:{p.knowledge}"),
            "RASA_TELEMETRY_ENABLED": "false",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        }

    def _procfile(self, name: str, replica: str, env: dict[str, str]) -> None:
        command = procfile_commands()[name].replace("--endpoints endpoints.yml", "--endpoints $RASA_ENDPOINTS")
        self._start(replica, command, {**self.service_env(), **env})

    # --- the parts -----------------------------------------------------------------------------

    def start_redis(self) -> None:
        (self.var / "redis").mkdir(parents=True, exist_ok=True)
        # no persistence: locks and channel state are minutes long and rebuilt by the next message
        command = ["redis-server", "--bind", "127.0.0.1", "--port", str(self.ports.redis)]
        self._start("redis", [*command, "--dir", str(self.var / "redis"), "--save", "", "--appendonly", "no"])
        wait_port(self.ports.redis, 20, self.processes["redis"])

    def start_postgres(self) -> None:
        data, sockets = self.var / "pg" / "data", self.var / "pg"
        bin_dir = pg_bin()
        assert bin_dir is not None
        sockets.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(sockets, "postgres", "postgres")
        if not (data / "PG_VERSION").exists():
            initdb = [str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8"]
            subprocess.run(self._as_postgres(initdb), check=True, stdout=subprocess.DEVNULL)
        server = [str(bin_dir / "postgres"), "-D", str(data), "-p", str(self.ports.postgres), "-k", str(sockets)]
        self._start("postgres", self._as_postgres([*server, "-c", "listen_addresses=127.0.0.1"]))
        wait_port(self.ports.postgres, 30, self.processes["postgres"])
        for db in ("rasa", "notices"):
            deadline = time.monotonic() + 20
            while True:  # the port opens a moment before the server accepts logins
                try:
                    if not self.psql(f"SELECT 1 FROM pg_database WHERE datname = '{db}'"):
                        self.psql(f"CREATE DATABASE {db}")
                    break
                except subprocess.CalledProcessError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.5)

    def write_haproxy_config(self) -> Path:
        path = self.var / "haproxy.cfg"
        path.touch(mode=0o600)  # it may hold the Rasa API token (the readiness check)
        path.write_text(haproxy_config(self.ports, self.server_timeout), encoding="utf-8")
        return path

    def start_haproxy(self) -> None:
        config = self.write_haproxy_config()
        subprocess.run(["haproxy", "-c", "-q", "-f", str(config)], check=True)
        self._start("haproxy", ["haproxy", "-db", "-f", str(config)])
        wait_port(self.ports.rasa, 10, self.processes["haproxy"])

    def start_knowledge(self) -> None:
        ports = self.ports.knowledge_replica_ports
        for number, port in enumerate(ports, 1):
            self._procfile("knowledge", f"knowledge-{number}", {"KNOWLEDGE_PORT": str(port)})
            if number == 1:  # the first one creates the notice tables; the others find them
                wait_http(f"http://127.0.0.1:{port}/healthz", 300, self.processes["knowledge-1"])

    def start_bridge(self) -> None:
        self._procfile("bridge", "bridge", {"ROBOT_BRIDGE_PORT": str(self.ports.bridge_replica_port)})

    def start_actions(self) -> None:
        for number, port in enumerate(self.ports.actions_replica_ports, 1):
            self._procfile("actions", f"actions-{number}", {"ACTIONS_PORT": str(port)})

    def start_rasa(self, numbers: list[int] | None = None) -> None:
        ports = self.ports.rasa_replica_ports
        for number in numbers or range(1, len(ports) + 1):
            self._procfile("rasa", f"rasa-{number}", {"RASA_PORT": str(ports[number - 1])})
            if number == 1 and not numbers:  # the first one creates the tracker tables; the others find them
                deadline = time.monotonic() + 300
                while not self.psql("SELECT to_regclass('public.events')", db="rasa"):
                    if self.processes["rasa-1"].poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError("rasa-1 did not create the tracker tables; see var/cluster/logs/rasa-1.log")
                    time.sleep(1)

    def wait_healthy(self, seconds: float = 600) -> None:
        p = self.ports
        groups = [("rasa", p.rasa_replica_ports, rasa_ready_path()), ("actions", p.actions_replica_ports, "/health")]
        groups.append(("knowledge", p.knowledge_replica_ports, "/healthz"))
        checks = [
            (f"http://127.0.0.1:{port}{path}", f"{name}-{i}")
            for name, ports, path in groups
            for i, port in enumerate(ports, 1)
        ]
        checks.append((f"http://127.0.0.1:{p.bridge_replica_port}/healthz", "bridge"))
        for url, name in checks:
            wait_http(url, seconds, self.processes[name])

    def start(self) -> None:
        for part in ("logs", "redis", "pg"):
            (self.var / part).mkdir(parents=True, exist_ok=True)
        try:
            self.start_redis()
            self.start_postgres()
            self.start_haproxy()
            self.start_knowledge()
            self.start_bridge()
            self.start_actions()
            self.start_rasa()
            self.wait_healthy()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop every process, the balancer first and the stores last."""
        for name in reversed(list(self.processes)):
            self.signal(name, signal.SIGTERM)
        for name, process in reversed(list(self.processes.items())):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.signal(name, signal.SIGKILL)
                process.wait(timeout=10)
        self.processes.clear()

    def exited(self) -> list[str]:
        return [name for name, process in self.processes.items() if process.poll() is not None]


def _backend(name: str, servers: list[int], check: str, balance: str, extra: str = "") -> str:
    lines = [
        f"backend {name}",
        f"  balance {balance}",
        "  hash-type consistent",
        f"  option httpchk GET {check}",
        "  http-check expect status 200",
        # a request that found its replica dead goes to another one (SIGKILL: connection refused or
        # reset before any answer); nothing is retried once a replica has started answering
        "  retries 3",
        "  retry-on conn-failure empty-response",
        "  option redispatch 1",
        extra,
    ]
    lines += [f"  server {name}-{i} 127.0.0.1:{port} check" for i, port in enumerate(servers, 1)]
    return "\n".join(line for line in lines if line) + "\n"


def haproxy_config(ports: Ports, server_timeout: int = 60) -> str:
    """HAProxy in front of every replicated service; a sender always reaches the same Rasa replica."""
    return f"""# Written by tools/cluster.py; docs/deployment.md explains the choices.
global
  maxconn 4096

defaults
  mode http
  option http-server-close
  timeout connect 2s
  # a replica busy with turns may answer its check late: only a refused or silent one is down
  timeout check 10s
  default-server inter 2s fastinter 500ms downinter 1s fall 3 rise 2
  timeout client 60s
  # a turn gives up on a busy conversation lock after 40 s (max_wait in endpoints-cluster.yml)
  timeout server {server_timeout}s
  timeout tunnel 1h

frontend rasa
  bind 127.0.0.1:{ports.rasa}
  # the sender id is the routing key: Rasa's lock store is then a safety net, not the only guard
  option http-buffer-request
  # one id per request, the same when HAProxy retries it on another replica: a turn the dead
  # replica saved is then answered from the tracker, not run twice (channels/replay.py)
  unique-id-format %[uuid()]
  http-request set-header X-Request-ID %[unique-id]
  http-request set-var(txn.sender) req.body,json_query('$.sender') if {{ path_beg /webhooks/rest/ }}
  http-request set-var(txn.sender) url_param(openid) if {{ path_beg /webhooks/wechat/ }}
  http-request set-var(txn.sender) req.body,json_query('$.call_id') if {{ path_beg /webhooks/hotline/ }}
  http-request set-var(txn.sender) req.body,json_query('$.session_id') if {{ path_beg /webhooks/robot/ }}
  http-request set-var(txn.sender) path,field(3,/) if {{ path_beg /conversations/ }}
  use_backend rasa_socketio if {{ path_beg /socket.io }}
  default_backend rasa

{_backend("rasa", ports.rasa_replica_ports, rasa_ready_path(), "hash var(txn.sender)")}
# socket.io polling needs every request of a session on one replica: hash the client address
{_backend("rasa_socketio", ports.rasa_replica_ports, rasa_ready_path(), "source")}
frontend actions
  bind 127.0.0.1:{ports.actions}
  default_backend actions

{_backend("actions", ports.actions_replica_ports, "/health", "roundrobin")}
frontend knowledge
  bind 127.0.0.1:{ports.knowledge}
  default_backend knowledge

{_backend("knowledge", ports.knowledge_replica_ports, "/healthz", "roundrobin")}
frontend bridge
  bind 127.0.0.1:{ports.bridge}
  default_backend bridge

{_backend("bridge", [ports.bridge_replica_port], "/healthz", "roundrobin")}
frontend stats
  bind 127.0.0.1:{ports.haproxy_stats}
  stats enable
  stats uri /
  stats refresh 2s
"""


def run(arguments: argparse.Namespace) -> None:
    missing = missing_packages()
    if missing:  # `make run-cluster` installs them first (tools/need-debs.sh)
        sys.exit(f"run-cluster needs {', '.join(missing)}: run it as `make run-cluster`")
    ports = Ports(
        rasa_replicas=int(os.environ.get("RASA_REPLICAS", "2")),
        actions_replicas=int(os.environ.get("ACTIONS_REPLICAS", "2")),
        knowledge_replicas=int(os.environ.get("KNOWLEDGE_REPLICAS", "2")),
    )
    cluster = Cluster(ports)
    stopping = False

    def on_signal(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True
        raise KeyboardInterrupt

    # Ctrl-C and SIGTERM alike (a shell may start a background job with SIGINT ignored)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        print("starting redis, PostgreSQL, HAProxy, then the replicas (logs: var/cluster/logs/)", flush=True)
        cluster.start()
        print(
            f"up: Rasa http://127.0.0.1:{ports.rasa} ({ports.rasa_replicas} replicas), "
            f"knowledge http://127.0.0.1:{ports.knowledge} ({ports.knowledge_replicas}), "
            f"bridge http://127.0.0.1:{ports.bridge}, HAProxy stats http://127.0.0.1:{ports.haproxy_stats}/ "
            "- Ctrl-C stops everything",
            flush=True,
        )
        while not stopping:
            time.sleep(1)
            if gone := cluster.exited():  # a replica may die: HAProxy routes around it; say so
                for name in gone:
                    print(f"{name} exited ({cluster.processes[name].returncode}); see var/cluster/logs/{name}.log")
                    del cluster.processes[name]
    except KeyboardInterrupt:
        pass
    finally:
        print("stopping the cluster", flush=True)
        cluster.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="install what is missing, start the cluster, stop it on Ctrl-C")
    sub.add_parser("haproxy-config", help="print the HAProxy configuration")
    arguments = parser.parse_args()
    if arguments.command == "haproxy-config":
        print(haproxy_config(Ports()), end="")
    else:
        run(arguments)


if __name__ == "__main__":
    main()
