"""A throwaway OpenSSH server on loopback, and a byte-counting TCP relay in front of it."""

from __future__ import annotations

import getpass
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

SSHD_CANDIDATES = ("/usr/sbin/sshd", "/usr/bin/sshd")


def find_sshd() -> str | None:
    found = shutil.which("sshd")
    if found:
        return found
    return next((p for p in SSHD_CANDIDATES if Path(p).exists()), None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class ByteCounter:
    """Bytes relayed in each direction, safe to read from the test thread."""

    to_client: int = 0
    to_server: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, direction: str, n: int) -> None:
        with self.lock:
            if direction == "to_client":
                self.to_client += n
            else:
                self.to_server += n

    def read(self) -> tuple[int, int]:
        with self.lock:
            return self.to_client, self.to_server


def _pump(src: socket.socket, dst: socket.socket, counter: ByteCounter, direction: str) -> None:
    try:
        while chunk := src.recv(65536):
            counter.add(direction, len(chunk))
            dst.sendall(chunk)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            with suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)


@contextmanager
def counting_relay(target_port: int) -> Iterator[tuple[int, ByteCounter]]:
    """Listen on a free loopback port and relay to ``target_port``, counting bytes."""
    counter = ByteCounter()
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    listener.settimeout(0.2)
    stop = threading.Event()

    def accept_loop() -> None:
        while not stop.is_set():
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", target_port))
            for a, b, d in ((client, upstream, "to_server"), (upstream, client, "to_client")):
                threading.Thread(target=_pump, args=(a, b, counter, d), daemon=True).start()

    thread = threading.Thread(target=accept_loop, daemon=True)
    thread.start()
    try:
        yield int(listener.getsockname()[1]), counter
    finally:
        stop.set()
        listener.close()
        thread.join(timeout=2)


@dataclass
class LoopbackSSHD:
    """sshd on 127.0.0.1 with fresh host and user keys, key login only."""

    workdir: Path
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

    @property
    def user_key(self) -> Path:
        return self.workdir / "user_key"

    def start(self) -> None:
        sshd = find_sshd()
        if sshd is None:
            raise RuntimeError("sshd is not installed (Debian package openssh-server)")
        self.workdir.mkdir(parents=True, exist_ok=True)
        for name in ("host_key", "user_key"):
            subprocess.run(
                ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(self.workdir / name)],
                check=True,
            )
        auth = self.workdir / "authorized_keys"
        auth.write_text((self.workdir / "user_key.pub").read_text())
        auth.chmod(0o600)
        # Privilege separation needs this directory when sshd runs as root.
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
        self.port = free_port()
        config = self.workdir / "sshd_config"
        config.write_text(
            "\n".join(
                [
                    f"Port {self.port}",
                    "ListenAddress 127.0.0.1",
                    f"HostKey {self.workdir / 'host_key'}",
                    f"PidFile {self.workdir / 'sshd.pid'}",
                    f"AuthorizedKeysFile {auth}",
                    "PasswordAuthentication no",
                    "KbdInteractiveAuthentication no",
                    "PubkeyAuthentication yes",
                    "PermitRootLogin prohibit-password",
                    "UsePAM no",
                    "StrictModes no",
                    "PrintMotd no",
                    "PrintLastLog no",
                    "AcceptEnv TERM",
                    "LogLevel ERROR",
                ]
            )
            + "\n"
        )
        self.process = subprocess.Popen(
            [sshd, "-D", "-e", "-f", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                err = self.process.stderr.read().decode() if self.process.stderr else ""
                raise RuntimeError(f"sshd exited: {err.strip()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("sshd did not start listening")

    def ssh_command(self, remote: str, port: int | None = None) -> list[str]:
        """The ssh client command that runs ``remote`` in a PTY on this server."""
        return [
            "ssh",
            "-tt",
            "-i",
            str(self.user_key),
            "-p",
            str(port or self.port),
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "BatchMode=yes",
            "-o",
            "LogLevel=ERROR",
            f"{getpass.getuser()}@127.0.0.1",
            remote,
        ]

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
