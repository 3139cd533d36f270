"""The only way out of the compose test's network namespace, for an allow-list of host names
(the package registries, the Debian mirror, a container registry when images are pulled).

It sits on one address inside the namespace (the engine gives it to every container as its DNS
server) and serves:
* DNS on :53: an allowed name resolves to this address, every other name does not exist;
* :443 and :80: a connection to an allowed name is forwarded to the real host, picked by the TLS
  ClientHello's server name or the HTTP Host header (TLS stays end to end);
* :3128: an HTTP proxy (CONNECT and absolute URIs) for dockerd's own pulls.

So a build's RUN steps reach PyPI, npm and Debian exactly as on a user's machine (no proxy
variables or build arguments: the same layer cache keys as `docker compose` builds), and
nothing else. Every connection is counted, so the run can say what left the machine."""

from __future__ import annotations

import collections
import select
import socket
import socketserver
import struct
import threading

IDLE_TIMEOUT_S = 120
CONNECT_TIMEOUT_S = 20
MAX_HEAD_BYTES = 64 * 1024
DNS_TTL_S = 30
PROXY_PORT = 3128


def server_name(client_hello: bytes) -> str | None:
    """The SNI host name of a TLS ClientHello record, or None."""
    try:
        if client_hello[0] != 0x16 or client_hello[5] != 0x01:
            return None
        pos = 5 + 4 + 2 + 32  # record header, handshake header, version, random
        pos += 1 + client_hello[pos]  # session id
        pos += 2 + struct.unpack_from("!H", client_hello, pos)[0]  # cipher suites
        pos += 1 + client_hello[pos]  # compression methods
        end = pos + 2 + struct.unpack_from("!H", client_hello, pos)[0]
        pos += 2
        while pos + 4 <= end:
            kind, length = struct.unpack_from("!HH", client_hello, pos)
            pos += 4
            if kind == 0:  # server_name: list length, type 0, name length, name
                name_length = struct.unpack_from("!H", client_hello, pos + 3)[0]
                return client_hello[pos + 5 : pos + 5 + name_length].decode("ascii")
            pos += length
    except (IndexError, struct.error, UnicodeDecodeError):
        return None
    return None


def is_allowed(host: str, allowed: set[str]) -> bool:
    """host is on the list, or under an entry that starts with a dot (".docker.com")."""
    host = host.lower().rstrip(".")
    return host in allowed or any(entry.startswith(".") and host.endswith(entry) for entry in allowed)


def dns_answer(query: bytes, allowed: set[str], address: str) -> tuple[bytes, str]:
    """A reply to one DNS query: A records with `address` for allowed names, no records for
    other types of allowed names, NXDOMAIN otherwise. Also returns the name asked."""
    (ident, _flags, qdcount) = struct.unpack_from("!HHH", query)
    pos, labels = 12, []
    while query[pos]:
        labels.append(query[pos + 1 : pos + 1 + query[pos]].decode("ascii", "replace"))
        pos += 1 + query[pos]
    question_end = pos + 5
    qtype = struct.unpack_from("!H", query, pos + 1)[0]
    name = ".".join(labels).lower()
    known = qdcount == 1 and is_allowed(name, allowed)
    answers = b""
    if known and qtype == 1:
        answers = struct.pack("!HHHIH", 0xC00C, 1, 1, DNS_TTL_S, 4) + socket.inet_aton(address)
    flags = 0x8180 if known else 0x8183  # response, recursion desired and available; NXDOMAIN
    header = struct.pack("!HHHHHH", ident, flags, 1, 1 if answers else 0, 0, 0)
    return header + query[12:question_end] + answers, name


class EgressGateway:
    """start() it inside the namespace's address, stop() it; allow() more names at any time."""

    def __init__(self, address: str, allowed_hosts: set[str]):
        self.address = address
        self.allowed_hosts = {host.lower() for host in allowed_hosts}
        self.forwarded: collections.Counter[str] = collections.Counter()
        self.refused: collections.Counter[str] = collections.Counter()
        self._lock = threading.Lock()
        gateway = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                address = self.server.server_address
                assert isinstance(address, tuple)  # (host, port): a TCP server
                gateway._handle_tcp(self.request, address[1])

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        # Bound here, in the caller's network namespace (the engine's); served from threads that
        # stay in the host's, where the real hosts are.
        self._servers: list[socketserver.BaseServer] = [
            Server((address, port), Handler) for port in (80, 443, PROXY_PORT)
        ]
        self._dns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._dns.bind((address, 53))
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()

    @property
    def proxy_url(self) -> str:
        return f"http://{self.address}:{PROXY_PORT}"

    def allow(self, *hosts: str) -> None:
        with self._lock:
            self.allowed_hosts.update(host.lower() for host in hosts)

    def start(self) -> EgressGateway:
        self._threads = [threading.Thread(target=server.serve_forever, daemon=True) for server in self._servers]
        self._threads.append(threading.Thread(target=self._serve_dns, daemon=True))
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        for server in self._servers:
            server.shutdown()
            server.server_close()
        self._dns.close()

    def summary(self) -> str:
        with self._lock:
            out = ", ".join(f"{host} ({count})" for host, count in sorted(self.forwarded.items())) or "nothing"
            refused = ", ".join(f"{host} ({count})" for host, count in sorted(self.refused.items()))
        return f"forwarded: {out}" + (f"; refused: {refused}" if refused else "")

    # ---- DNS --------------------------------------------------------------------------------
    def _serve_dns(self) -> None:
        while not self._stopping.is_set():
            try:
                readable, _, _ = select.select([self._dns], [], [], 0.5)
                if not readable:
                    continue
                query, peer = self._dns.recvfrom(512)
                with self._lock:
                    allowed = set(self.allowed_hosts)
                reply, name = dns_answer(query, allowed, self.address)
                if not is_allowed(name, allowed):
                    with self._lock:
                        self.refused[f"dns {name}"] += 1
                self._dns.sendto(reply, peer)
            except (OSError, ValueError, IndexError, struct.error):
                if self._stopping.is_set():
                    return

    # ---- TCP --------------------------------------------------------------------------------
    def _permitted(self, host: str, port: int) -> bool:
        name = f"{host}:{port}"
        with self._lock:
            if is_allowed(host, self.allowed_hosts):
                self.forwarded[name] += 1
                return True
            self.refused[name] += 1
            return False

    def _handle_tcp(self, client: socket.socket, port: int) -> None:
        client.settimeout(CONNECT_TIMEOUT_S)
        first = client.recv(MAX_HEAD_BYTES)
        if not first:
            return
        if port == 443:
            while len(first) < 5 or len(first) < 5 + struct.unpack_from("!H", first, 3)[0]:
                more = client.recv(MAX_HEAD_BYTES)
                if not more or len(first) > MAX_HEAD_BYTES:
                    break
                first += more
            host = server_name(first)
            if host is None or not self._permitted(host, 443):
                return  # a TLS client gets no answer it could mistake for the host's
            upstream = self._connect(host, 443)
            if upstream is not None:
                upstream.sendall(first)
                self._pipe(client, upstream)
            return
        head = first
        while b"\r\n\r\n" not in head:
            more = client.recv(4096)
            if not more or len(head) > MAX_HEAD_BYTES:
                return
            head += more
        request_line, *header_lines = head.partition(b"\r\n\r\n")[0].decode("latin-1").split("\r\n")
        parts = request_line.split(" ")
        if len(parts) != 3:
            return self._reply(client, 400, "bad request")
        method, target, _ = parts
        if port == PROXY_PORT and method == "CONNECT":
            host, _, target_port = target.rpartition(":")
            if target_port != "443" or not self._permitted(host, 443):
                return self._reply(client, 403, f"{target} is not on the compose test's allow-list")
            upstream = self._connect(host, int(target_port))
            if upstream is None:
                return self._reply(client, 502, f"cannot reach {target}")
            client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            rest = head.partition(b"\r\n\r\n")[2]
            if rest:
                upstream.sendall(rest)
            return self._pipe(client, upstream)
        if port == PROXY_PORT:
            if not target.startswith("http://"):
                return self._reply(client, 400, "only CONNECT and http:// URIs")
            authority, slash, path = target[len("http://") :].partition("/")
            head = head.replace(target.encode("latin-1"), f"{slash}{path}".encode("latin-1"), 1)
        else:
            hosts = [line.split(":", 1)[1].strip() for line in header_lines if line.lower().startswith("host:")]
            authority = hosts[0] if hosts else ""
        host, _, host_port = authority.partition(":")
        upstream_port = 80  # plain HTTP goes to port 80 only, whatever the client names
        if not host or host_port not in ("", "80") or not self._permitted(host, upstream_port):
            return self._reply(client, 403, f"{authority or 'no Host'} is not on the compose test's allow-list")
        upstream = self._connect(host, upstream_port)
        if upstream is None:
            return self._reply(client, 502, f"cannot reach {authority}")
        upstream.sendall(head)
        self._pipe(client, upstream)

    @staticmethod
    def _connect(host: str, port: int) -> socket.socket | None:
        try:
            return socket.create_connection((host, port), timeout=CONNECT_TIMEOUT_S)
        except OSError:
            return None

    @staticmethod
    def _reply(client: socket.socket, status: int, message: str) -> None:
        body = f"egress gateway: {message}\n".encode()
        client.sendall(
            f"HTTP/1.1 {status} {'OK' if status < 400 else 'Refused'}\r\nConnection: close\r\n"
            f"Content-Type: text/plain\r\nContent-Length: {len(body)}\r\n\r\n".encode()
            + body
        )

    @staticmethod
    def _pipe(client: socket.socket, upstream: socket.socket) -> None:
        peers = {client: upstream, upstream: client}
        try:
            while peers:
                readable, _, _ = select.select(list(peers), [], [], IDLE_TIMEOUT_S)
                if not readable:
                    return
                for sock in readable:
                    data = sock.recv(65536)
                    if data:
                        peers[sock].sendall(data)
                        continue
                    # One side finished sending: pass the half-close on, keep reading the other.
                    other = peers.pop(sock)
                    try:
                        other.shutdown(socket.SHUT_WR)
                    except OSError:
                        pass
                    if other not in peers:
                        return
        except OSError:
            return
        finally:
            upstream.close()
