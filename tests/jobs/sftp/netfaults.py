"""Network faults for SFTP tests: a link that drops or stalls mid-transfer, a mute server.

`FaultyLink` is a TCP relay on a loopback port in front of a real server. For its first
`faults` connections it counts the bytes going one way and, past `after_bytes`, either
cuts both sockets (`stall=False`) or silently stops relaying (`stall=True`); later
connections pass untouched, so a retry can succeed.
"""

from __future__ import annotations

import dataclasses
import socket
import threading
from pathlib import Path

from core.settings import PartnerSettings
from jobs.sftp.keys import known_hosts_name


class MuteServer:
    """Accepts TCP connections and never says a word (no SSH banner)."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.accepted: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.accepted.append(conn)

    def close(self) -> None:
        self.listener.close()
        for conn in self.accepted:
            conn.close()


class FaultyLink:
    def __init__(self, target_port: int, after_bytes: int, direction: str = "download",
                 stall: bool = False, faults: int = 1):
        assert direction in ("download", "upload")
        self.target_port = target_port
        self.after_bytes = after_bytes
        self.direction = direction
        self.stall = stall
        self.faults_left = faults
        self.faults_done = 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self._sockets: list[socket.socket] = []
        self._release = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def partner_via(self, partner: PartnerSettings, folder: Path) -> PartnerSettings:
        """`partner` reaching its server through this link (known_hosts copied for the port)."""
        source = partner.sftp.known_hosts.read_text().splitlines()
        real = known_hosts_name(partner.sftp.host, partner.sftp.port) + " "
        mine = known_hosts_name("127.0.0.1", self.port) + " "
        lines = [mine + line[len(real):] for line in source if line.startswith(real)]
        known_hosts = folder / f"known_hosts_link_{self.port}"
        known_hosts.write_text("\n".join(lines) + "\n")
        return dataclasses.replace(partner, sftp=dataclasses.replace(
            partner.sftp, host="127.0.0.1", port=self.port, known_hosts=known_hosts))

    def close(self) -> None:
        self._release.set()
        self.listener.close()
        for sock in self._sockets:
            _close(sock)

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(("127.0.0.1", self.target_port))
            except OSError:
                _close(client)
                continue
            self._sockets += [client, server]
            faulty = self.faults_left > 0
            self.faults_left -= 1
            down_limit = self.after_bytes if faulty and self.direction == "download" else None
            up_limit = self.after_bytes if faulty and self.direction == "upload" else None
            threading.Thread(target=self._pump, args=(server, client, down_limit), daemon=True).start()
            threading.Thread(target=self._pump, args=(client, server, up_limit), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket, limit: int | None) -> None:
        relayed = 0
        try:
            while data := source.recv(65536):
                if limit is not None and relayed + len(data) > limit:
                    self._fault(source, sink)
                    return
                sink.sendall(data)
                relayed += len(data)
        except OSError:
            pass
        _close(sink)

    def _fault(self, source: socket.socket, sink: socket.socket) -> None:
        self.faults_done += 1
        if self.stall:
            self._release.wait(60)  # hold both sockets open, relaying nothing
        _close(source)
        _close(sink)


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()
