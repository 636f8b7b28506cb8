#!/usr/bin/env python3
"""Security probes against a running `radscribe serve` (standard library only).

Starts its own servers on 127.0.0.1 from a temporary directory (RADSCRIBE_HOME = this repository):
  main   --log-level debug, HTTP + MLLP, default limits, dictation on (most probes)
  idle   --http-idle-timeout 2 --mllp-idle-timeout 2            (http-idle, mllp-idle)
  caps   --http-max-connections 20 --mllp-max-connections 10    (http-max-connections, mllp-max-connections)
  tls    --tls-cert/--tls-key with a self-signed certificate    (tls)
and runs `serve --host 0.0.0.0` without TLS once (tls-required; the port is held by a bound, non-listening
socket so that nothing can ever listen on 0.0.0.0).

Prints one line per probe on stdout: `PASS name: evidence`, `FAIL name: what happened` or `SKIP name: reason`,
then `attack-suite: N passed, N failed`. Progress goes to stderr.
Exit codes: 0 nothing failed, 1 a probe failed, 2 usage, 69 the radscribe binary is missing.

Per-address login throttling is avoided where a probe is not about it by binding client sockets to other loopback
addresses (127.0.0.2, 127.0.0.3, ...; Linux routes all of 127.0.0.0/8 to lo).
A server lacking one of the new flags (exit 64, "Unknown option") is started without it, and the probes needing it
FAIL with "server lacks --flag".
"""
import argparse
import base64
import http.client
import json
import os
import re
import select
import shutil
import signal
import socket
import sqlite3
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_BINARY = os.path.join(REPO, ".build", "debug", "radscribe")
PASSWORD = "Attack-Suite-Pass-1"
EVIL_ORIGIN = "http://evil.example"
VALUE_FLAGS = {"--http-idle-timeout", "--http-max-connections", "--mllp-idle-timeout", "--mllp-max-connections",
               "--tls-cert", "--tls-key"}
PAIRED = {"--tls-cert": "--tls-key", "--tls-key": "--tls-cert"}  # dropped together
USERS = [("admin", "administrator"), ("drrad", "radiologist"), ("locka", "radiologist"),
         ("enumuser", "radiologist"), ("atomicuser", "radiologist"), ("throttleuser", "radiologist")]
THROTTLE_FAILURES = 5  # failed logins from one address before 429


def progress(text):
    print(f"[attack-suite {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


class ProbeFailure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise ProbeFailure(message)


class ServerUnavailable(Exception):
    pass


class Response:
    def __init__(self, status, headers, body, elapsed):
        self.status = status
        self.headers = headers  # list of (name, value)
        self.body = body
        self.elapsed = elapsed

    def header(self, name):
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    def headers_named(self, name):
        return [value for key, value in self.headers if key.lower() == name.lower()]

    @property
    def json(self):
        try:
            return json.loads(self.body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return None

    def error_shape_problem(self):
        """None when the body is exactly {"error": "<string>"} (plus optional "checks"), else what is wrong."""
        value = self.json
        if not isinstance(value, dict):
            return f"body is not a JSON object: {self.body[:80]!r}"
        if not isinstance(value.get("error"), str):
            return f"\"error\" is not a string: {self.body[:80]!r}"
        extra = set(value) - {"error", "checks"}
        if extra:
            return f"unexpected keys {sorted(extra)}"
        return None

    def short(self):
        return f"{self.status} {self.body[:100]!r}"


# ---------------------------------------------------------------- servers


class Server:
    """One `radscribe serve` in its own process group, stderr (the log) to a file, ports read from stdout."""

    def __init__(self, suite, key, args, mllp):
        self.suite = suite
        self.key = key
        self.args = list(args)
        self.mllp = mllp
        self.log_path = os.path.join(suite.tmp, f"{key}.log")
        self.proc = None
        self.lacking = set()
        self.http_port = None
        self.mllp_port = None
        self.scheme = "http"
        self.lines = []
        self.cond = threading.Condition()

    def lacks(self, flag):
        return flag in self.lacking

    def _read_stdout(self, proc):
        for raw in iter(proc.stdout.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip("\n")
            with self.cond:
                self.lines.append(line)
                self.cond.notify_all()
        with self.cond:
            self.cond.notify_all()

    def _parse_ports(self):
        http_port = mllp_port = None
        for line in self.lines:
            m = re.search(r"serving on (https?)://\S*?:(\d+)", line)
            if m:
                self.scheme, http_port = m.group(1), int(m.group(2))
            m = re.search(r"accepting HL7 orders on mllps?://\S*?:(\d+)", line)
            if m:
                mllp_port = int(m.group(1))
        return http_port, mllp_port

    def start(self):
        args = list(self.args)
        for _ in range(10):
            with open(self.log_path, "ab") as log:
                offset = log.tell()
                self.lines = []
                cmd = [self.suite.binary, "serve"] + args
                progress(f"starting {self.key} server: {' '.join(cmd[1:])}")
                proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=log,
                                        env=self.suite.env, start_new_session=True)
            self.proc = proc
            threading.Thread(target=self._read_stdout, args=(proc,), daemon=True).start()
            deadline = time.monotonic() + 60
            ports = (None, None)
            with self.cond:
                while time.monotonic() < deadline:
                    ports = self._parse_ports()
                    if ports[0] and (ports[1] or not self.mllp):
                        break
                    if proc.poll() is not None:
                        break
                    self.cond.wait(0.2)
            if ports[0] and (ports[1] or not self.mllp):
                self.http_port, self.mllp_port = ports
                progress(f"{self.key} server pid {proc.pid}: {self.scheme} {self.http_port}, mllp {self.mllp_port}")
                return self
            if proc.poll() is None:
                self.stop()
                raise ServerUnavailable(f"{self.key} server printed no ports within 60 s")
            with open(self.log_path, "rb") as log:
                log.seek(offset)
                stderr = log.read().decode("utf-8", "replace")
            unknown = re.findall(r"Unknown option '(--[\w-]+)'", stderr)
            if proc.returncode == 64 and unknown:
                for flag in unknown + [PAIRED[f] for f in unknown if f in PAIRED]:
                    self.lacking.add(flag)
                    while flag in args:
                        index = args.index(flag)
                        del args[index:index + (2 if flag in VALUE_FLAGS else 1)]
                progress(f"{self.key} server lacks {', '.join(unknown)}: retrying without")
                continue
            tail = " | ".join(stderr.strip().splitlines()[-3:])
            raise ServerUnavailable(f"{self.key} server exited {proc.returncode}: {tail[:300]}")
        raise ServerUnavailable(f"{self.key} server: too many unknown options")

    def stop(self):
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        except ProcessLookupError:
            pass

    def log_size(self):
        return os.path.getsize(self.log_path) if os.path.exists(self.log_path) else 0

    def crash_since(self, offset):
        """The fatal-error line logged since `offset`, or `exited N` when the process ended, else None."""
        with open(self.log_path, "rb") as log:
            log.seek(offset)
            text = log.read().decode("utf-8", "replace")
        m = re.search(r"^.*(Fatal error|Program crashed|Segmentation fault).*$", text, re.MULTILINE)
        if m:
            return m.group(0).strip()[:200]
        if self.proc is not None and self.proc.poll() is not None:
            return f"exited {self.proc.returncode}"
        return None

    def log_text(self):
        with open(self.log_path, "rb") as log:
            return log.read().decode("utf-8", "replace")


# ---------------------------------------------------------------- HL7 / MLLP


def orm(control, accession, pid3=b"MRN-ATK-1^^^GH^MR", placer=None):
    """An ORM^O01 NW like Tests/HL7Tests/Fixtures/orders/valid/01-orm-nw-ihe.hl7; bytes, segments ended by CR.
    The accession goes into ORC-3, OBR-3 (filler number) and OBR-18 (the accession field the parser reads)."""
    acc = accession if isinstance(accession, bytes) else accession.encode()
    plc = (placer or f"PLC-{control}").encode()
    pid3 = pid3 if isinstance(pid3, bytes) else pid3.encode()
    segments = [
        b"MSH|^~\\&|RIS|GH|RADSCRIBE|RAD|20270115083000+0100||ORM^O01^ORM_O01|" + control.encode() + b"|P|2.5.1",
        b"PID|1||" + pid3 + b"||Testperson^Alex^J||19700315|F",
        b"PV1|1|O|RAD^XR1|||||DR77^Referrer^Rita|||||||||||V1001",
        b"ORC|NW|" + plc + b"|" + acc + b"||SC|||||||DR12^Orderer^Olga",
        b"OBR|1|" + plc + b"|" + acc + b"|CTHEAD^CT Head without contrast^L|||||||||Fall yesterday|||"
        b"DR12^Orderer^Olga||" + acc + b"|RP1001|SPS1001||||CT|||^^^20270115090000+0100^^S||||^Headache after fall",
    ]
    return b"\r".join(segments) + b"\r"


def mllp_exchange(port, payload, timeout=10.0):
    """Sends one framed message (from a thread, so a server that answers early is read) and reads one answer.
    Returns dict(ack=bytes or None, elapsed, outcome='ack'|'closed'|'reset'|'timeout', send_error)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock.settimeout(timeout)
    frame = b"\x0b" + payload + b"\x1c\r"
    send_error = []

    def sender():
        try:
            sock.sendall(frame)
        except OSError as error:
            send_error.append(repr(error))

    start = time.monotonic()
    thread = threading.Thread(target=sender, daemon=True)
    thread.start()
    buffer, outcome = b"", "timeout"
    deadline = start + timeout
    try:
        while True:
            if b"\x1c\r" in buffer:
                outcome = "ack"
                break
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                readable, _, _ = select.select([sock], [], [], min(remaining, 0.5))
                if not readable:
                    continue
                chunk = sock.recv(65536)
            except (ConnectionResetError, BrokenPipeError):
                outcome = "reset"
                break
            except OSError:
                outcome = "reset"
                break
            if not chunk:
                outcome = "closed"
                break
            buffer += chunk
    finally:
        elapsed = time.monotonic() - start
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        sock.close()
        thread.join(timeout=2)
    ack = None
    if b"\x0b" in buffer and b"\x1c" in buffer:
        ack = buffer[buffer.index(b"\x0b") + 1:buffer.index(b"\x1c")]
    return {"ack": ack, "elapsed": elapsed, "outcome": outcome, "send_error": send_error[:1]}


def msa(ack):
    """(MSA-1, MSA-2, MSA-3) of an ACK, or None."""
    if not ack:
        return None
    for segment in ack.decode("utf-8", "replace").split("\r"):
        if segment.startswith("MSA|"):
            fields = segment.split("|") + ["", "", ""]
            return fields[1], fields[2], fields[3]
    return None


# ---------------------------------------------------------------- sockets


def socket_state(sock):
    """'open' (no EOF yet) or 'closed' (EOF or reset); drains what the server sent."""
    sock.setblocking(False)  # with a timeout set, recv would wait for it even with MSG_DONTWAIT
    for _ in range(100):
        try:
            data = sock.recv(65536, socket.MSG_DONTWAIT)
        except BlockingIOError:
            return "open"
        except OSError:
            return "closed"
        if not data:
            return "closed"
    return "open"


def wait_all_closed(sockets, deadline):
    """Waits until every socket sees EOF/reset or the deadline. Returns (close times by index, indices still open)."""
    pending = {sock.fileno(): (index, sock) for index, sock in enumerate(sockets)}
    closed = {}
    start = time.monotonic()
    while pending and time.monotonic() < deadline:
        ready, _, _ = select.select([s for _, s in pending.values()], [], [],
                                    max(0.0, min(0.25, deadline - time.monotonic())))
        for sock in ready:
            index = pending[sock.fileno()][0]
            try:
                data = sock.recv(65536)
            except OSError:
                data = b""
            if not data:
                closed[index] = time.monotonic() - start
                del pending[sock.fileno()]
    return closed, sorted(index for index, _ in pending.values())


def raw_http(port, request, timeout=5.0, source=None):
    """Sends raw request bytes (from a thread) and reads the answer's head. Returns (status or None, head, outcome)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    if source:
        sock.bind((source, 0))
    sock.connect(("127.0.0.1", port))

    def sender():
        try:
            sock.sendall(request)
        except OSError:
            pass

    thread = threading.Thread(target=sender, daemon=True)
    thread.start()
    buffer, outcome = b"", "timeout"
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([sock], [], [], max(0.0, min(0.25, deadline - time.monotonic())))
            if not ready:
                continue
            try:
                chunk = sock.recv(65536)
            except OSError:
                outcome = "reset"
                break
            if not chunk:
                outcome = "closed"
                break
            buffer += chunk
            if b"\r\n\r\n" in buffer:
                outcome = "response"
                break
    finally:
        sock.close()
        thread.join(timeout=2)
    status = None
    m = re.match(rb"HTTP/1\.[01] (\d{3})", buffer)
    if m:
        status = int(m.group(1))
    return status, buffer.split(b"\r\n\r\n")[0], outcome if status is None else "response"


def upgrade_request(port, path, origin=None, cookie=None):
    key = base64.b64encode(os.urandom(16)).decode()
    lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Upgrade: websocket", "Connection: Upgrade",
             f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13"]
    if origin:
        lines.append(f"Origin: {origin}")
    if cookie:
        lines.append(f"Cookie: radscribe_session={cookie}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


# ---------------------------------------------------------------- the suite


class Suite:
    def __init__(self, args):
        self.args = args
        self.binary = os.path.abspath(args.radscribe)
        self.env = dict(os.environ, RADSCRIBE_HOME=REPO)
        self.env.pop("RADSCRIBE_DB", None)
        self.tmp = tempfile.mkdtemp(prefix="radscribe-attack-")
        self.db = os.path.join(self.tmp, "db.sqlite")
        self.servers = {}
        self.failures = {}
        self.error_responses = []  # (method, path, Response) of every 4xx/5xx the main server gave
        self.next_address = 2
        self.address_lock = threading.Lock()
        self.tokens = {}
        self.users_ready = False
        self.passed = self.failed = 0
        self.counter = 0

    # --- plumbing

    def fresh_address(self):
        with self.address_lock:
            check(self.next_address <= 254, "ran out of 127.0.0.x source addresses")
            address = f"127.0.0.{self.next_address}"
            self.next_address += 1
            return address

    def unique(self, prefix):
        self.counter += 1
        return f"{prefix}{self.counter}"

    def add_users(self):
        if self.users_ready:
            return
        for name, role in USERS:
            progress(f"radscribe user add {name} --role {role}")
            result = subprocess.run([self.binary, "user", "add", name, "--role", role, "--password-stdin",
                                     "--db", self.db], input=(PASSWORD + "\n").encode(), capture_output=True,
                                    env=self.env, timeout=60)
            if result.returncode != 0:
                raise ServerUnavailable(f"user add {name} exited {result.returncode}: "
                                        f"{result.stderr.decode('utf-8', 'replace').strip()[:200]}")
        # The TLS server gets its own copy (two servers never share one file).
        for suffix in ("", "-wal"):
            if os.path.exists(self.db + suffix):
                shutil.copy(self.db + suffix, os.path.join(self.tmp, "tls.sqlite" + suffix))
        self.users_ready = True

    def server(self, key):
        if key in self.failures:
            raise ServerUnavailable(self.failures[key])
        if key in self.servers:
            return self.servers[key]
        try:
            if key in ("main", "tls"):
                self.add_users()
            common = ["--host", "127.0.0.1", "--port", "0"]
            mllp = ["--mllp-port", "0", "--mllp-host", "127.0.0.1"]
            if key == "main":
                server = Server(self, key, common + mllp + ["--db", self.db, "--log-level", "debug"],
                                mllp=True)
            elif key == "idle":
                server = Server(self, key, common + mllp + ["--db", os.path.join(self.tmp, "idle.sqlite"),
                                                            "--no-dictation", "--http-idle-timeout", "2",
                                                            "--mllp-idle-timeout", "2"], mllp=True)
            elif key == "caps":
                server = Server(self, key, common + mllp + ["--db", os.path.join(self.tmp, "caps.sqlite"),
                                                            "--no-dictation", "--http-max-connections", "20",
                                                            "--mllp-max-connections", "10"], mllp=True)
            elif key == "tls":
                cert, keyfile = self.certificate()
                server = Server(self, key, common + ["--db", os.path.join(self.tmp, "tls.sqlite"), "--no-dictation",
                                                     "--tls-cert", cert, "--tls-key", keyfile], mllp=False)
            else:
                raise ValueError(key)
            self.servers[key] = server
            server.start()
            if key == "main":
                for name in ("admin", "drrad"):
                    response = self.login(name, PASSWORD, source="127.0.0.1")
                    if response.status != 200 or not isinstance(response.json, dict):
                        raise ServerUnavailable(f"login {name} on the main server: {response.short()}")
                    self.tokens[name] = response.json["token"]
            return server
        except (ServerUnavailable, OSError, subprocess.SubprocessError) as error:
            self.failures[key] = str(error)
            raise ServerUnavailable(str(error))

    def certificate(self):
        cert, key = os.path.join(self.tmp, "cert.pem"), os.path.join(self.tmp, "key.pem")
        if not os.path.exists(cert):
            result = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
                                     "-addext", "subjectAltName=IP:127.0.0.1", "-days", "1", "-keyout", key,
                                     "-out", cert], capture_output=True, timeout=60)
            if result.returncode != 0:
                raise ServerUnavailable(f"openssl req failed: {result.stderr.decode(errors='replace')[:200]}")
        return cert, key

    def stop_all(self):
        for server in self.servers.values():
            try:
                server.stop()
            except Exception as error:  # keep stopping the others
                progress(f"stopping {server.key}: {error!r}")

    def request(self, method, path, body=None, headers=None, token=None, source=None, timeout=10.0, server=None,
                record=True):
        server = server or self.server("main")
        all_headers = {}
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
            all_headers["Content-Type"] = "application/json"
        if token:
            all_headers["Authorization"] = f"Bearer {token}"
        all_headers.update(headers or {})
        conn = http.client.HTTPConnection("127.0.0.1", server.http_port, timeout=timeout,
                                          source_address=(source, 0) if source else None)
        start = time.monotonic()
        try:
            conn.request(method, path, body=body, headers=all_headers)
            answer = conn.getresponse()
            data = answer.read()
            response = Response(answer.status, answer.getheaders(), data, time.monotonic() - start)
        finally:
            conn.close()
        if record and response.status >= 400 and server.key == "main":
            self.error_responses.append((method, path, response))
        return response

    def login(self, name, password, source=None, server=None):
        return self.request("POST", "/api/login", body={"name": name, "password": password}, source=source,
                            server=server, timeout=30)

    def users(self):
        response = self.request("GET", "/api/users", token=self.tokens["admin"])
        check(response.status == 200, f"GET /api/users as administrator: {response.short()}")
        return {user["name"]: user for user in response.json["users"]}

    def is_locked(self, name):
        return bool(self.users().get(name, {}).get("locked"))

    def fail_until_locked(self, name, max_attempts=40, per_address=THROTTLE_FAILURES):
        """Wrong-password logins from fresh addresses (at most `per_address` each) until /api/users says locked.
        Returns the number of attempts that were answered (not 429)."""
        attempts = addresses = 0
        deadline = time.monotonic() + 90
        while attempts < max_attempts and addresses < 20 and time.monotonic() < deadline:
            source = self.fresh_address()
            addresses += 1
            for _ in range(per_address):
                response = self.login(name, "wrong-password-x", source=source)
                if response.status == 429:
                    break
                attempts += 1
                if self.is_locked(name):
                    return attempts
        raise ProbeFailure(f"{name} not locked after {attempts} wrong passwords from several addresses")

    # --- probes ------------------------------------------------------------

    def probe_error_shape(self):
        response = self.request("POST", "/api/login", body=b'{"name": "admin", "password": ',
                                headers={"Content-Type": "application/json"}, source=self.fresh_address())
        check(response.status == 400, f"malformed login JSON answered {response.short()}, want 400")
        problem = response.error_shape_problem()
        check(problem is None, f"400 body: {problem}")
        return f"400 {response.body[:70]!r}"

    def probe_search_nul(self):
        response = self.request("GET", "/api/search?q=lung%00clear", token=self.tokens["admin"])
        text = response.body.decode("utf-8", "replace")
        leaked = [word for word in ("SELECT", "SQL", "fts") if word in text]
        check(response.status == 400, f"answered {response.short()}, want 400")
        check(not leaked, f"400 body mentions {leaked}: {text[:150]!r}")
        problem = response.error_shape_problem()
        check(problem is None, f"400 body: {problem}")
        return f"400 {text[:70]!r}"

    def probe_static_nul(self):
        control = self.request("GET", "/index.html", record=False)
        results = []
        for path in ("/index.html%00", "/js/api.js%00.html", "/app.css%00.html"):
            response = self.request("GET", path)
            results.append(f"{path} {response.status}")
            check(response.status == 404, f"GET {path} answered {response.status} "
                                          f"({len(response.body)} bytes: {response.body[:40]!r}), want 404")
        return ", ".join(results) + f" (GET /index.html: {control.status})"

    def probe_big_headers(self):
        port = self.server("main").http_port
        headers = "".join(f"X-Filler-{i:03d}: {'a' * 1000}\r\n" for i in range(100))
        request = f"GET /health HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{headers}\r\n".encode()
        start = time.monotonic()
        status, head, outcome = raw_http(port, request, timeout=5.0)
        elapsed = time.monotonic() - start
        if status is not None:
            check(status in (431, 400), f"{len(request)} bytes of headers answered {status} after {elapsed:.1f} s, "
                                        "want 431, 400 or a closed connection")
            return f"{status} after {elapsed:.2f} s ({len(request)} bytes of headers)"
        check(outcome in ("closed", "reset"), f"no answer and connection still open after {elapsed:.1f} s (hang)")
        return f"connection {outcome} after {elapsed:.2f} s without an answer ({len(request)} bytes of headers)"

    def probe_content_type(self):
        token = self.tokens["admin"]
        port = self.server("main").http_port
        same_origin = f"http://127.0.0.1:{port}"
        seen = []
        for label, origin in (("no Origin", None), ("same Origin", same_origin)):
            name = self.unique("ctype-plain-")
            headers = {"Content-Type": "text/plain"}
            if origin:
                headers["Origin"] = origin
            body = json.dumps({"name": name, "role": "transcriptionist", "password": PASSWORD}).encode()
            response = self.request("POST", "/api/users", body=body, headers=headers, token=token)
            check(response.status == 415, f"text/plain POST /api/users ({label}) answered {response.short()}, want 415")
            check(name not in self.users(), f"text/plain POST ({label}) created user {name}")
            seen.append(f"{label} 415")
        name = self.unique("ctype-json-")
        response = self.request("POST", "/api/users", body={"name": name, "role": "transcriptionist",
                                                            "password": PASSWORD},
                                headers={"Origin": same_origin}, token=token)
        check(response.status == 201, f"same-origin application/json POST /api/users answered {response.short()}, "
                                      "want 201")
        check(name in self.users(), f"201 but {name} is not in GET /api/users")
        return f"text/plain: {', '.join(seen)}, nothing created; application/json same-origin: 201"

    def probe_origin_post(self):
        name = self.unique("evil-origin-")
        response = self.request("POST", "/api/users", body={"name": name, "role": "administrator",
                                                            "password": PASSWORD},
                                headers={"Origin": EVIL_ORIGIN}, token=self.tokens["admin"])
        created = name in self.users()
        check(response.status == 403 and not created,
              f"POST /api/users with Origin {EVIL_ORIGIN} answered {response.short()}; user created: {created}")
        return f"403, no user created ({response.body[:60]!r})"

    def probe_origin_websocket(self):
        port = self.server("main").http_port
        token = self.tokens["drrad"]
        results = {}
        cases = [("foreign ?token=", f"/api/dictation?token={token}", EVIL_ORIGIN, None),
                 ("foreign cookie", "/api/dictation", EVIL_ORIGIN, token),
                 ("same-origin cookie", "/api/dictation", f"http://127.0.0.1:{port}", token)]
        for label, path, origin, cookie in cases:
            status, head, outcome = raw_http(port, upgrade_request(port, path, origin=origin, cookie=cookie))
            results[label] = status if status is not None else outcome
        summary = ", ".join(f"{label}: {value}" for label, value in results.items())
        # Hummingbird answers a refused upgrade with a redirect and a closed connection, never 403: what counts is
        # that a foreign page gets no WebSocket while the page's own origin does (the main server has dictation on;
        # the recognizer is loaded only when a dictation starts).
        check(results["foreign ?token="] != 101 and results["foreign cookie"] != 101,
              f"upgrade with Origin {EVIL_ORIGIN} was accepted ({summary})")
        check(results["same-origin cookie"] == 101,
              f"same-origin upgrade answered {results['same-origin cookie']}: want 101 ({summary})")
        return summary

    def probe_log_redaction(self):
        server = self.server("main")
        port = server.http_port
        secret, phi = "SECRET123", "PHISEARCHTEXT"
        source = self.fresh_address()
        self.request("GET", f"/api/dictation?token={secret}", source=source)
        raw_http(port, upgrade_request(port, f"/api/dictation?token={secret}"), source=source)
        self.request("GET", f"/api/search?q={phi}", token=self.tokens["admin"])
        self.request("GET", f"/api/search?q={phi}&token={secret}", token=self.tokens["admin"])
        time.sleep(0.5)
        log = server.log_text()
        check(len(log) > 0, "the server log (stderr) is empty: cannot judge")
        found = [word for word in (secret, phi) if word in log]
        bearer_secret = self.tokens["admin"].split(".", 1)[-1]
        if bearer_secret in log:
            found.append("the administrator's bearer token")
        lines = [line for line in log.splitlines() if any(word in line for word in (secret, phi))]
        check(not found, f"log contains {found}: {lines[0][:160] if lines else ''!r}")
        return f"{len(log.splitlines())} log lines, none with {secret}, {phi} or a bearer token"

    def probe_hl7_repetitions(self):
        server = self.server("main")
        repetitions = b"~".join(b"R%05d^^^GH^MR" % i for i in range(20001))  # 20,000 '~'
        message = orm("REP1", "ACC-REP-1", pid3=repetitions)
        result = {}
        thread = threading.Thread(target=lambda: result.update(mllp_exchange(server.mllp_port, message, timeout=30)),
                                  daemon=True)
        start = time.monotonic()
        thread.start()
        time.sleep(0.05)
        me = []
        while len(me) < 10 and time.monotonic() - start < 8:
            response = self.request("GET", "/api/me", token=self.tokens["admin"], timeout=10)
            me.append((response.status, response.elapsed))
            if not thread.is_alive():
                break
            time.sleep(0.1)
        thread.join(timeout=35)
        check(result, "MLLP exchange did not finish")
        answer = msa(result["ack"])
        worst = max(me, key=lambda item: item[1])
        check(answer is not None, f"no ACK for {len(message)} bytes with 20,000 repetitions "
                                  f"({result['outcome']} after {result['elapsed']:.1f} s)")
        check(answer[0] in ("AE", "AR"), f"ACK MSA-1 {answer[0]} (want AE or AR) after {result['elapsed']:.1f} s")
        check(result["elapsed"] <= 5, f"ACK {answer[0]} took {result['elapsed']:.1f} s (limit 5 s)")
        check(all(status == 200 for status, _ in me), f"GET /api/me during processing: {me}")
        check(worst[1] <= 2, f"GET /api/me took {worst[1]:.2f} s while the message was processed (limit 2 s)")
        valid = mllp_exchange(server.mllp_port, orm("REP2", "ACC-REP-OK"))
        after = msa(valid["ack"])
        check(after is not None and after[0] == "AA", f"a valid ORM afterwards got {after or valid['outcome']}")
        return (f"{answer[0]} in {result['elapsed']:.2f} s; {len(me)} GET /api/me during it, slowest "
                f"{worst[1]:.2f} s; valid ORM afterwards AA")

    def probe_mllp_oversize(self):
        server = self.server("main")
        head = orm("BIG1", "ACC-BIG-1").rstrip(b"\r")
        payload = head + b"\rNTE|1||" + b"A" * (3 << 19) + b"\r"  # 1.5 MiB note
        result = mllp_exchange(server.mllp_port, payload, timeout=15)
        answer = msa(result["ack"])
        check(answer is not None, f"no ACK for a {len(payload)} byte frame: connection {result['outcome']} after "
                                  f"{result['elapsed']:.1f} s")
        check(answer[0] == "AR" and answer[1] == "BIG1", f"ACK MSA-1 {answer[0]} MSA-2 {answer[1]!r}, want AR BIG1")
        return f"AR BIG1 after {result['elapsed']:.2f} s ({answer[2][:60]!r})"

    def probe_mllp_utf8(self):
        server = self.server("main")
        result = mllp_exchange(server.mllp_port, orm("UTF1", b"UTF8X-\xff\xfe-1"))
        answer = msa(result["ack"])
        response = self.request("GET", "/api/worklist?limit=5000", token=self.tokens["admin"])
        check(response.status == 200, f"GET /api/worklist: {response.short()}")
        stored = [item["accession"] for item in response.json["items"] if "UTF8X" in item["accession"]]
        check(answer is not None, f"no ACK ({result['outcome']})")
        check(answer[0] in ("AR", "AE"), f"ACK MSA-1 {answer[0]} for invalid UTF-8 in the accession, want AR or AE"
                                         + (f"; worklist has {stored!r}" if stored else ""))
        check(not stored, f"worklist shows {stored!r}")
        return f"{answer[0]} ({answer[2][:60]!r}); not on the worklist"

    def db_bytes(self):
        return sum(os.path.getsize(self.db + suffix) for suffix in ("", "-wal") if os.path.exists(self.db + suffix))

    def audit_rows(self, sql, arguments=()):
        connection = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=10)
        try:
            return connection.execute(sql, arguments).fetchall()
        finally:
            connection.close()

    def probe_login_audit_bound(self):
        self.server("main")
        before = self.db_bytes()
        last_id = self.audit_rows("SELECT COALESCE(MAX(id), 0) FROM audit_log")[0][0]
        statuses, problems = [], []
        for block in range(5):
            source = self.fresh_address()
            for attempt in range(4):
                name = f"ghost{block}{attempt}-" + "x" * 100_000
                response = self.login(name, "wrong-password-x", source=source)
                statuses.append(response.status)
                problem = response.error_shape_problem()
                if response.status not in (401, 429) or problem:
                    problems.append(f"{response.status} {problem or ''}".strip())
        time.sleep(0.3)
        growth = self.db_bytes() - before
        audit_bytes = self.audit_rows("SELECT COALESCE(SUM(LENGTH(user_name) + LENGTH(detail)), 0) FROM audit_log "
                                      "WHERE id > ?", (last_id,))[0][0]
        counts = {status: statuses.count(status) for status in sorted(set(statuses))}
        check(not problems, f"answers {counts}; wrong ones: {problems[:3]}")
        check(growth < 1 << 20, f"db + wal grew {growth / 1024:.0f} KiB for 20 logins of 100 KB names (limit 1 MiB); "
                                f"audit rows hold {audit_bytes / 1024:.0f} KiB")
        check(audit_bytes < 1 << 20, f"new audit rows hold {audit_bytes / 1024:.0f} KiB of names and details")
        return f"answers {counts}; db + wal grew {growth / 1024:.0f} KiB; new audit text {audit_bytes / 1024:.1f} KiB"

    def probe_login_throttle(self):
        self.server("main")
        source = self.fresh_address()
        statuses = []
        start = time.monotonic()
        for attempt in range(THROTTLE_FAILURES):
            statuses.append(self.login(f"nobody-throttle-{attempt}", "wrong-password-x", source=source).status)
        right = self.login("throttleuser", PASSWORD, source=source)
        wrong = self.login("throttleuser", "wrong-password-x", source=source)
        elapsed = time.monotonic() - start
        for label, response in (("right password", right), ("wrong password", wrong)):
            check(response.status == 429, f"after {THROTTLE_FAILURES} failures ({statuses}) in {elapsed:.1f} s, "
                                          f"{label} answered {response.short()}, want 429")
            check(response.header("Retry-After"), f"429 for the {label} has no Retry-After header")
            problem = response.error_shape_problem()
            check(problem is None, f"429 body: {problem}")
        elsewhere = self.login("throttleuser", PASSWORD, source=self.fresh_address())
        return (f"failures {statuses}, then right password 429 Retry-After: {right.header('Retry-After')}, "
                f"wrong 429; from another address: {elsewhere.status}")

    def probe_lockout_keeps_sessions(self):
        self.server("main")
        response = self.login("locka", PASSWORD, source=self.fresh_address())
        check(response.status == 200, f"login locka: {response.short()}")
        token = response.json["token"]
        check(self.request("GET", "/api/me", token=token).status == 200, "fresh token refused")
        attempts = self.fail_until_locked("locka")
        me = self.request("GET", "/api/me", token=token)
        check(me.status == 200, f"locked after {attempts} failures; then GET /api/me with the earlier token answered "
                                f"{me.short()}, want 200")
        return f"locked after {attempts} failures from several addresses; earlier session still 200"

    def probe_no_user_enumeration(self):
        self.server("main")
        existing, unknown = [], []
        for _ in range(5):
            source = self.fresh_address()
            existing.append(self.login("enumuser", "wrong-password-x", source=source))
            unknown.append(self.login("nobody-enum", "wrong-password-x", source=source))
        for a, b in zip(existing, unknown):
            check(a.status == b.status and a.body == b.body,
                  f"existing name: {a.short()} / unknown name: {b.short()}")
        check(existing[0].status in (401, 429) and existing[0].status != 200, f"answer {existing[0].short()}")
        existing_median = statistics.median(r.elapsed for r in existing)
        unknown_median = statistics.median(r.elapsed for r in unknown)
        check(unknown_median >= existing_median / 2,
              f"same answer {existing[0].status}, but median time unknown {unknown_median * 1000:.0f} ms vs "
              f"existing {existing_median * 1000:.0f} ms (want >= half)")
        attempts = self.fail_until_locked("enumuser")
        source = self.fresh_address()
        locked = self.login("enumuser", "wrong-password-x", source=source)
        nobody = self.login("nobody-enum", "wrong-password-x", source=source)
        check(locked.status == nobody.status and locked.body == nobody.body,
              f"once locked (after {attempts} more failures): existing {locked.short()} / unknown {nobody.short()}")
        return (f"{existing[0].status} {existing[0].body[:50]!r} for both; median {existing_median * 1000:.0f} ms "
                f"existing vs {unknown_median * 1000:.0f} ms unknown; same body once locked")

    def probe_lockout_atomic(self):
        self.server("main")
        count = 24
        barrier = threading.Barrier(count, timeout=30)
        statuses = [None] * count
        sources = [self.fresh_address() for _ in range(count)]

        def attempt(index):
            try:
                barrier.wait()
                statuses[index] = self.login("atomicuser", "wrong-password-x", source=sources[index]).status
            except Exception as error:  # recorded, judged below
                statuses[index] = repr(error)[:60]

        threads = [threading.Thread(target=attempt, args=(i,), daemon=True) for i in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=90)
        time.sleep(0.3)
        rows = self.audit_rows("SELECT detail FROM audit_log WHERE action = 'login-failed' AND user_name = ? "
                               "AND detail LIKE 'attempt%'", ("atomicuser",))
        labels = [str(status) for status in statuses]
        histogram = {label: labels.count(label) for label in sorted(set(labels))}
        limit = self.args.lockout_threshold
        check(rows, f"no 'attempt…' login-failed audit rows for atomicuser (answers {histogram})")
        check(len(rows) <= limit, f"{len(rows)} audited attempts for {count} parallel wrong passwords "
                                  f"(limit {limit}); answers {histogram}; details e.g. {[r[0] for r in rows[-3:]]}")
        return f"{len(rows)} audited attempts (limit {limit}); answers {histogram}"

    def probe_internal_error_shape(self):
        admin, rad = self.tokens["admin"], self.tokens["drrad"]
        self.request("GET", "/api/me", source=self.fresh_address())
        self.request("GET", "/api/users", token=rad)
        self.request("GET", "/api/reports/NO-SUCH-ACCESSION", token=admin)
        self.request("GET", "/api/worklist?limit=0", token=admin)
        self.request("GET", "/api/no-such-route", token=admin)
        self.request("POST", "/api/orders", body={}, token=admin)
        self.request("POST", "/api/hl7/queue/not-a-number/retry", token=admin)
        bad = []
        for method, path, response in self.error_responses:
            problem = response.error_shape_problem()
            if problem:
                bad.append(f"{method} {path[:40]} {response.status}: {problem}")
        statuses = sorted({response.status for _, _, response in self.error_responses})
        check(not bad, f"{len(bad)} of {len(self.error_responses)} error answers are not {{\"error\": string}}: "
                       + "; ".join(bad[:3]))
        return f"{len(self.error_responses)} error answers (statuses {statuses}) all {{\"error\": string}}"

    def probe_http_idle(self):
        server = self.server("idle")
        check(not server.lacks("--http-idle-timeout"), "server lacks --http-idle-timeout")
        port = server.http_port
        sockets = []
        try:
            for index in range(50):
                sock = socket.create_connection(("127.0.0.1", port), timeout=3)
                sock.sendall(b"GET /hea" if index % 2 == 0 else
                             f"GET /health HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Slow: a".encode())
                sockets.append(sock)
            keep = socket.create_connection(("127.0.0.1", port), timeout=3)
            keep.sendall(f"GET /health HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
            first = keep.recv(64)
            check(first.startswith(b"HTTP/1.1 200"), f"keep-alive GET /health answered {first[:30]!r}")
            sockets.append(keep)
            closed, still_open = wait_all_closed(sockets, time.monotonic() + 5.0)
        finally:
            for sock in sockets:
                sock.close()
        check(not still_open, f"{len(still_open)} of 51 connections still open after 5 s "
                              f"(partial request line/header: {[i for i in still_open if i < 50][:5]}, "
                              f"idle keep-alive: {50 in still_open})")
        return (f"50 partial requests and 1 idle keep-alive closed by the server, last after "
                f"{max(closed.values()):.1f} s")

    def probe_mllp_idle(self):
        server = self.server("idle")
        check(not server.lacks("--mllp-idle-timeout"), "server lacks --mllp-idle-timeout")
        silent = socket.create_connection(("127.0.0.1", server.mllp_port), timeout=3)
        partial = socket.create_connection(("127.0.0.1", server.mllp_port), timeout=3)
        try:
            partial.sendall(b"\x0bMSH|^~\\&|RIS|GH|")
            closed, still_open = wait_all_closed([silent, partial], time.monotonic() + 5.0)
        finally:
            silent.close()
            partial.close()
        labels = ["silent", "partial frame"]
        check(not still_open, f"still open after 5 s: {[labels[i] for i in still_open]}")
        return f"silent and partial-frame MLLP connections closed after {max(closed.values()):.1f} s"

    def hold_connections(self, port, count):
        sockets = []
        deadline = time.monotonic() + 10  # a full accept backlog makes connect wait: bound the whole loop
        for _ in range(count):
            try:
                check(time.monotonic() < deadline, "connecting took over 10 s")
                sockets.append(socket.create_connection(("127.0.0.1", port), timeout=1))
            except (OSError, ProbeFailure):
                sockets.append(None)
        time.sleep(1.5)
        states = [socket_state(s) if s else "closed" for s in sockets]
        return sockets, states.count("open")

    def probe_http_max_connections(self):
        server = self.server("caps")
        check(not server.lacks("--http-max-connections"), "server lacks --http-max-connections")
        sockets, open_count = self.hold_connections(server.http_port, 40)
        for sock in sockets:
            if sock:
                sock.close()
        check(1 <= open_count <= 20, f"{open_count} of 40 idle connections stayed open (limit 20)")
        deadline, status = time.monotonic() + 5, None
        while time.monotonic() < deadline:
            try:
                status = self.request("GET", "/health", server=server, timeout=3).status
            except OSError as error:
                status = repr(error)[:50]
            if status == 200:
                break
            time.sleep(0.25)
        check(status == 200, f"{open_count} stayed open; after closing them GET /health: {status}")
        return f"{open_count} of 40 stayed open; after closing them GET /health 200"

    def probe_mllp_max_connections(self):
        server = self.server("caps")
        check(not server.lacks("--mllp-max-connections"), "server lacks --mllp-max-connections")
        sockets, open_count = self.hold_connections(server.mllp_port, 30)
        for sock in sockets:
            if sock:
                sock.close()
        check(1 <= open_count <= 10, f"{open_count} of 30 MLLP connections stayed open (limit 10)")
        deadline, answer = time.monotonic() + 5, None
        while time.monotonic() < deadline:
            try:
                answer = msa(mllp_exchange(server.mllp_port, orm(self.unique("CAP"), self.unique("ACC-CAP-")),
                                           timeout=3)["ack"])
            except OSError:
                answer = None
            if answer and answer[0] == "AA":
                break
            time.sleep(0.25)
        check(answer and answer[0] == "AA", f"{open_count} stayed open; after closing them a valid ORM got {answer}")
        return f"{open_count} of 30 stayed open; after closing them a valid ORM got AA"

    def probe_tls_required(self):
        blocker = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # bound, never listening, no SO_REUSEADDR:
        blocker.bind(("0.0.0.0", 0))  # a server that does bind 0.0.0.0 fails instead of listening
        port = blocker.getsockname()[1]
        cmd = [self.binary, "serve", "--host", "0.0.0.0", "--port", str(port), "--no-dictation",
               "--db", os.path.join(self.tmp, "tls-required.sqlite")]
        log_path = os.path.join(self.tmp, "tls-required.log")
        try:
            with open(log_path, "wb") as log:
                proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=log,
                                        env=self.env, start_new_session=True)
            try:
                out, _ = proc.communicate(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                out, _ = proc.communicate(timeout=10)
                raise ProbeFailure("serve --host 0.0.0.0 without TLS still running after 20 s")
        finally:
            blocker.close()
        with open(log_path, encoding="utf-8", errors="replace") as log:
            stderr = log.read()
        lines = [line for line in stderr.strip().splitlines() if line.strip()]
        note = next((line for line in lines if "--tls-cert" in line), lines[0] if lines else "(no stderr)")[:150]
        check(b"serving on" not in (out or b""), "it started serving on 0.0.0.0 (stopped)")
        check(proc.returncode == 64, f"exit {proc.returncode}, want 64: {note!r}")
        missing = [flag for flag in ("--tls-cert", "--insecure-http") if flag not in stderr]
        check(not missing, f"exit 64 but stderr does not name {missing}: {note!r}")
        return f"exit 64 before listening: {note[:110]!r}"

    def probe_tls(self):
        server = self.server("tls")
        check(not server.lacks("--tls-cert"), "server lacks --tls-cert")
        check(server.scheme == "https", f"server announced {server.scheme}://")
        cert, _ = self.certificate()
        context = ssl.create_default_context(cafile=cert)
        conn = http.client.HTTPSConnection("127.0.0.1", server.http_port, timeout=30, context=context)
        try:
            conn.request("POST", "/api/login", body=json.dumps({"name": "admin", "password": PASSWORD}),
                         headers={"Content-Type": "application/json"})
            answer = conn.getresponse()
            answer.read()
            cookies = answer.headers.get_all("Set-Cookie") or []
            hsts = answer.headers.get("Strict-Transport-Security")
            status = answer.status
        finally:
            conn.close()
        check(status == 200, f"HTTPS login answered {status}")
        secure = [c for c in cookies if "radscribe_session" in c and
                  any(part.strip().lower() == "secure" for part in c.split(";"))]
        check(secure, f"Set-Cookie without Secure: {cookies}")
        check(hsts, "HTTPS login answer has no Strict-Transport-Security")
        plain = http.client.HTTPConnection("127.0.0.1", server.http_port, timeout=5)
        try:
            plain.request("GET", "/health")
            result = plain.getresponse()
            result.read()
            plain_outcome = result.status
        except (OSError, http.client.HTTPException) as error:
            plain_outcome = type(error).__name__
        finally:
            plain.close()
        check(not (isinstance(plain_outcome, int) and plain_outcome < 400),
              f"plain HTTP to the TLS port answered {plain_outcome}")
        return f"login 200 over HTTPS, cookie Secure, HSTS {hsts!r}; plain HTTP: {plain_outcome}"


# name, server, method (None: SKIP with the reason)
PROBES = [
    ("error-shape", "main", "probe_error_shape"),
    ("search-nul", "main", "probe_search_nul"),
    ("static-nul", "main", "probe_static_nul"),
    ("big-headers", "main", "probe_big_headers"),
    ("content-type", "main", "probe_content_type"),
    ("origin-post", "main", "probe_origin_post"),
    ("origin-websocket", "main", "probe_origin_websocket"),
    ("log-redaction", "main", "probe_log_redaction"),
    ("hl7-repetitions", "main", "probe_hl7_repetitions"),
    ("mllp-oversize", "main", "probe_mllp_oversize"),
    ("mllp-utf8", "main", "probe_mllp_utf8"),
    ("login-audit-bound", "main", "probe_login_audit_bound"),
    ("login-throttle", "main", "probe_login_throttle"),
    ("lockout-keeps-sessions", "main", "probe_lockout_keeps_sessions"),
    ("no-user-enumeration", "main", "probe_no_user_enumeration"),
    ("lockout-atomic", "main", "probe_lockout_atomic"),
    ("internal-error-shape", "main", "probe_internal_error_shape"),
    ("http-idle", "idle", "probe_http_idle"),
    ("mllp-idle", "idle", "probe_mllp_idle"),
    ("http-max-connections", "caps", "probe_http_max_connections"),
    ("mllp-max-connections", "caps", "probe_mllp_max_connections"),
    ("tls-required", None, "probe_tls_required"),
    ("tls", "tls", "probe_tls"),
    ("dictation-length", None, None, "covered by LiveDictationSocketTests"),
    ("dropped-dictation", None, None, "needs speech; covered by LiveDictationSocketTests.nothingHeardSavesNothing"),
    ("websocket-order-creation", None, None, "covered by LiveDictationSocketTests.unknownAccessionCreatesNoOrder"),
    ("oru-demographics", None, None, "covered by SignAndORUTests.demographicsBeforeSigning and HardeningTests.patientUpdateBeforeSigning"),
]


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--radscribe", default=DEFAULT_BINARY, help=f"the binary (default {DEFAULT_BINARY})")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (databases, server logs)")
    parser.add_argument("--only", help="comma-separated probe names (see --list)")
    parser.add_argument("--list", action="store_true", help="list the probe names and exit")
    parser.add_argument("--lockout-threshold", type=int, default=10,
                        help="failed logins that lock an account (lockout-atomic's limit; default 10)")
    args = parser.parse_args(argv)
    names = [probe[0] for probe in PROBES]
    if args.only:
        wanted = [name.strip() for name in args.only.split(",") if name.strip()]
        unknown = [name for name in wanted if name not in names]
        if unknown:
            parser.error(f"unknown probe(s) {', '.join(unknown)}; --list shows them")
        args.only = set(wanted)
    return args


def main(argv):
    args = parse_args(argv)
    if args.list:
        for probe in PROBES:
            print(probe[0] + ("  (skipped: " + probe[3] + ")" if probe[2] is None else ""))
        return 0
    if not (os.path.isfile(args.radscribe) and os.access(args.radscribe, os.X_OK)):
        print(f"attack-suite: {args.radscribe} is missing or not executable (build it: swift build)", file=sys.stderr)
        return 69

    def on_sigterm(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_sigterm)
    suite = Suite(args)
    progress(f"temporary directory {suite.tmp}")
    started = time.monotonic()
    try:
        for probe in PROBES:
            name, server_key, method = probe[0], probe[1], probe[2]
            if args.only and name not in args.only:
                continue
            if method is None:
                print(f"SKIP {name}: {probe[3]}", flush=True)
                continue
            progress(f"probe {name}")
            probe_start = time.monotonic()
            offsets = {key: server.log_size() for key, server in suite.servers.items()}
            try:
                if server_key:
                    suite.server(server_key)
                evidence = getattr(suite, method)()
                line, ok = f"PASS {name}: {evidence}", True
            except ProbeFailure as failure:
                line, ok = f"FAIL {name}: {failure}", False
            except ServerUnavailable as error:
                line, ok = f"FAIL {name}: server unavailable: {error}", False
            except (OSError, http.client.HTTPException, ValueError, KeyError, TypeError, sqlite3.Error,
                    subprocess.SubprocessError, threading.BrokenBarrierError) as error:
                line, ok = f"FAIL {name}: {type(error).__name__}: {error}", False
            for key, server in suite.servers.items():
                crash = server.crash_since(offsets.get(key, 0))
                if crash and key not in suite.failures:
                    suite.failures[key] = f"the {key} server crashed during {name}: {crash}"
                    line, ok = f"FAIL {name}: the {key} server crashed during this probe: {crash}; " \
                               + line.split(": ", 1)[-1], False
            line = " ".join(line.split())  # one line, whatever the evidence held
            print(line, flush=True)
            progress(f"probe {name} took {time.monotonic() - probe_start:.1f} s")
            if ok:
                suite.passed += 1
            else:
                suite.failed += 1
    except KeyboardInterrupt:
        progress("interrupted: stopping servers")
        suite.stop_all()
        return 130
    finally:
        suite.stop_all()
        if args.keep:
            progress(f"kept {suite.tmp}")
        else:
            shutil.rmtree(suite.tmp, ignore_errors=True)
    print(f"attack-suite: {suite.passed} passed, {suite.failed} failed", flush=True)
    progress(f"finished in {time.monotonic() - started:.0f} s")
    return 1 if suite.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
