#!/usr/bin/env python3
"""Soak benchmark: many live dictations through the WebSocket, with the server's resident memory sampled.

Starts `radscribe serve` WITH dictation (speech models; RADSCRIBE_HOME = this repository) on 127.0.0.1 from a
temporary directory, adds an administrator (creates the orders: POST /api/orders) and a radiologist (dictates),
synthesizes one short dictation with `flite -voice slt` + sox (16 kHz mono 16-bit), then for i = 1..--count:
  POST /api/orders ACC-SOAK-i; WebSocket /api/dictation?token=…; {"type":"start",…,"source":"browser"};
  wait for "started"; PCM in 100 ms binary frames (as fast as the server takes them; --realtime paces them);
  {"type":"stop"}; read until "saved", "checks" and the server's close.
VmRSS of the server (/proc/PID/status) is sampled before the first dictation, after dictation 10, every 25, and at
the end. Progress on stderr; a Markdown table and the verdict on stdout:
  soak: RSS after 10 = X MB, after N = Y MB, growth = Z MB (limit 50 MB): PASS|FAIL
Exit codes: 0 PASS, 1 FAIL (growth over the limit, or dictations failed), 2 usage, 69 binary or tools missing.
The WebSocket client (RFC 6455: handshake, masked client frames, 16/64-bit lengths, fragments, ping/close) uses the
standard library only.
"""
import argparse
import base64
import hashlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_BINARY = os.path.join(REPO, ".build", "debug", "radscribe")
PASSWORD = "Soak-Dictation-Pass-1"
TEMPLATE = "chest-radiograph-2-views"
PHRASES = ["findings colon the lungs are clear period",
           "impression colon no acute cardiopulmonary process period"]
RATE = 16000
FRAME_BYTES = RATE // 10 * 2  # 100 ms of 16-bit mono
GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
LIMIT_MB = 50.0


def progress(text):
    print(f"[soak {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


class SoakError(Exception):
    pass


# ---------------------------------------------------------------- WebSocket client (RFC 6455)


class WebSocket:
    def __init__(self, port, path, timeout=120.0):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.sock.settimeout(timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nOrigin: http://127.0.0.1:{port}\r\n\r\n")
        self.sock.sendall(request.encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise SoakError(f"WebSocket handshake: connection closed ({head[:80]!r})")
            head += chunk
            if len(head) > 65536:
                raise SoakError("WebSocket handshake: answer head too long")
        head, self.buffer = head.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        if not re.match(r"HTTP/1\.1 101", lines[0]):
            raise SoakError(f"WebSocket handshake answered {lines[0]!r}")
        headers = {line.split(":", 1)[0].strip().lower(): line.split(":", 1)[1].strip()
                   for line in lines[1:] if ":" in line}
        expected = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
        if headers.get("sec-websocket-accept") != expected:
            raise SoakError("WebSocket handshake: wrong Sec-WebSocket-Accept")
        self.send_lock = threading.Lock()
        self.cond = threading.Condition()
        self.messages = []  # decoded JSON text frames
        self.closed = False
        self.close_code = None
        self.close_sent = False
        self.error = None
        self.reader = threading.Thread(target=self._read_loop, daemon=True)
        self.reader.start()

    def _send_frame(self, opcode, payload):
        header = bytes([0x80 | opcode])
        length = len(payload)
        if length < 126:
            header += bytes([0x80 | length])
        elif length < 1 << 16:
            header += bytes([0x80 | 126]) + struct.pack("!H", length)
        else:
            header += bytes([0x80 | 127]) + struct.pack("!Q", length)
        mask = os.urandom(4)
        if length:
            key = (mask * (length // 4 + 1))[:length]
            masked = (int.from_bytes(payload, "big") ^ int.from_bytes(key, "big")).to_bytes(length, "big")
        else:
            masked = b""
        with self.send_lock:
            self.sock.sendall(header + mask + masked)

    def send_text(self, value):
        self._send_frame(0x1, json.dumps(value).encode())

    def send_binary(self, data):
        self._send_frame(0x2, data)

    def close(self, code=1000):
        if not self.close_sent:
            self.close_sent = True
            try:
                self._send_frame(0x8, struct.pack("!H", code))
            except OSError:
                pass

    def _read_exact(self, count):
        while len(self.buffer) < count:
            chunk = self.sock.recv(max(65536, count - len(self.buffer)))
            if not chunk:
                raise EOFError("connection closed")
            self.buffer += chunk
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def _read_loop(self):
        fragments, fragment_opcode = [], None
        try:
            while True:
                first, second = self._read_exact(2)
                fin, opcode = first & 0x80, first & 0x0F
                length = second & 0x7F
                if length == 126:
                    length = struct.unpack("!H", self._read_exact(2))[0]
                elif length == 127:
                    length = struct.unpack("!Q", self._read_exact(8))[0]
                if length > 64 << 20:
                    raise SoakError(f"server frame of {length} bytes")
                mask = self._read_exact(4) if second & 0x80 else None
                payload = self._read_exact(length)
                if mask:
                    payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
                if opcode == 0x8:
                    self.close_code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else None
                    self.close()
                    return
                if opcode == 0x9:
                    self._send_frame(0xA, payload)
                    continue
                if opcode == 0xA:
                    continue
                if opcode in (0x1, 0x2):
                    fragments, fragment_opcode = [payload], opcode
                elif opcode == 0x0:
                    fragments.append(payload)
                if not fin:
                    continue
                data = b"".join(fragments)
                fragments = []
                if fragment_opcode == 0x1:
                    try:
                        message = json.loads(data.decode("utf-8"))
                    except ValueError:
                        message = {"type": "unparsable", "text": data[:200].decode("utf-8", "replace")}
                    with self.cond:
                        self.messages.append(message)
                        self.cond.notify_all()
        except (EOFError, OSError, SoakError) as error:
            if not isinstance(error, EOFError):
                self.error = error
        finally:
            with self.cond:
                self.closed = True
                self.cond.notify_all()

    def wait_for(self, predicate, timeout):
        """Waits until predicate(messages, closed) holds; returns False on timeout."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while not predicate(self.messages, self.closed):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self.cond.wait(min(remaining, 1.0))
            return True

    def types(self):
        with self.cond:
            return [m.get("type") for m in self.messages]

    def shutdown(self):
        self.close()
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()
        self.reader.join(timeout=5)


# ---------------------------------------------------------------- server and HTTP


def http_json(port, method, path, body=None, token=None, timeout=60):
    headers = {}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        text = response.read()
    finally:
        conn.close()
    try:
        value = json.loads(text.decode("utf-8")) if text else None
    except ValueError:
        value = None
    return response.status, value, text


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    raise SoakError("no VmRSS")


def synthesize(tmp):
    """16 kHz mono 16-bit little-endian PCM: 0.5 s silence, each phrase followed by 0.875 s, then 1 s."""
    for tool in ("flite", "sox"):
        if shutil.which(tool) is None:
            raise FileNotFoundError(tool)
    pcm = b"\0\0" * (RATE // 2)
    for index, phrase in enumerate(PHRASES):
        wav = os.path.join(tmp, f"phrase-{index}.wav")
        raw = os.path.join(tmp, f"phrase-{index}.raw")
        subprocess.run(["flite", "-voice", "slt", "-t", phrase, "-o", wav], check=True, capture_output=True,
                       timeout=60)
        subprocess.run(["sox", wav, "-r", str(RATE), "-c", "1", "-b", "16", "-e", "signed-integer", "-L", "-t", "raw",
                        raw], check=True, capture_output=True, timeout=60)
        with open(raw, "rb") as f:
            pcm += f.read()
        pcm += b"\0\0" * (RATE * 7 // 8)
    return pcm + b"\0\0" * RATE


def add_user(binary, env, db, name, role):
    result = subprocess.run([binary, "user", "add", name, "--role", role, "--password-stdin", "--db", db],
                            input=(PASSWORD + "\n").encode(), capture_output=True, env=env, timeout=120)
    if result.returncode != 0:
        raise SoakError(f"user add {name}: exit {result.returncode}: {result.stderr.decode(errors='replace')[:200]}")


def start_server(binary, env, db, log_path):
    cmd = [binary, "serve", "--host", "127.0.0.1", "--port", "0", "--db", db, "--log-level", "info"]
    progress("starting " + " ".join(cmd[1:]))
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=log, env=env,
                                start_new_session=True)
    found = {}

    def read():
        for raw in iter(proc.stdout.readline, b""):
            m = re.search(rb"serving on https?://\S*?:(\d+)", raw)
            if m:
                found["port"] = int(m.group(1))

    threading.Thread(target=read, daemon=True).start()
    deadline = time.monotonic() + 300
    while "port" not in found and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    if "port" not in found:
        stop_server(proc)
        tail = open(log_path, encoding="utf-8", errors="replace").read().strip().splitlines()[-3:]
        raise SoakError(f"server did not start (exit {proc.returncode}): {' | '.join(tail)[:300]}")
    return proc, found["port"]


def stop_server(proc):
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    except ProcessLookupError:
        pass


# ---------------------------------------------------------------- one dictation


def order_body(index):
    return {
        "accession": f"ACC-SOAK-{index}",
        "patient": {"mrn": f"MRN-SOAK-{index}", "familyName": "Soak", "givenName": "Tess", "birthDate": "19600214",
                    "sex": "F"},
        "procedureCode": "CHEST-RADIOG-2-VIEWS",
        "procedureName": "Chest radiograph, two views",
        "procedureCodingSystem": "L",
        "modality": "CR",
        "priority": "ROUTINE",
        "orderingPhysician": "DR12^Orderer^Olga",
        "reasonForExam": "cough",
    }


def dictate(port, admin, radiologist, index, pcm, realtime):
    status, _, text = http_json(port, "POST", "/api/orders", order_body(index), token=admin)
    if status != 201:
        raise SoakError(f"POST /api/orders ACC-SOAK-{index}: {status} {text[:120]!r}")
    ws = WebSocket(port, f"/api/dictation?token={radiologist}")
    try:
        ws.send_text({"type": "start", "accession": f"ACC-SOAK-{index}", "template": TEMPLATE, "source": "browser"})
        if not ws.wait_for(lambda ms, closed: closed or any(m.get("type") in ("started", "error") for m in ms), 120):
            raise SoakError("no 'started' within 120 s")
        if "started" not in ws.types():
            raise SoakError(f"start refused: {ws.messages[:1]} (close {ws.close_code})")
        for offset in range(0, len(pcm), FRAME_BYTES):
            if ws.closed:
                raise SoakError(f"server closed mid-audio (close {ws.close_code}): {ws.types()[-3:]}")
            ws.send_binary(pcm[offset:offset + FRAME_BYTES])
            if realtime:
                time.sleep(0.1)
        ws.send_text({"type": "stop"})
        ws.wait_for(lambda ms, closed: closed, 300)
        types = ws.types()
        if "saved" not in types or "checks" not in types:
            errors = [m.get("error") for m in ws.messages if m.get("type") == "error"]
            raise SoakError(f"no saved/checks (got {types[-4:]}, errors {errors[:2]}, close {ws.close_code})")
        return types.count("utterance")
    finally:
        ws.shutdown()


# ---------------------------------------------------------------- main


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--radscribe", default=DEFAULT_BINARY, help=f"the binary (default {DEFAULT_BINARY})")
    parser.add_argument("--count", type=int, default=500, help="dictations (default 500)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (database, server log)")
    parser.add_argument("--out", help="write samples, timings and the verdict to this JSON file")
    parser.add_argument("--realtime", action="store_true", help="send audio no faster than real time")
    parser.add_argument("--max-failures", type=int, default=5, help="stop after this many failed dictations")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("--count must be at least 1")
    return args


def main(argv):
    args = parse_args(argv)
    binary = os.path.abspath(args.radscribe)
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        print(f"soak: {binary} is missing or not executable", file=sys.stderr)
        return 69

    def on_sigterm(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_sigterm)
    env = dict(os.environ, RADSCRIBE_HOME=REPO)
    env.pop("RADSCRIBE_DB", None)
    tmp = tempfile.mkdtemp(prefix="radscribe-soak-")
    db = os.path.join(tmp, "db.sqlite")
    proc = None
    samples, durations, failures = [], [], []
    try:
        progress(f"temporary directory {tmp}")
        try:
            pcm = synthesize(tmp)
        except FileNotFoundError as error:
            print(f"soak: {error.filename or error} is missing", file=sys.stderr)
            return 69
        progress(f"dictation audio: {len(pcm) / 2 / RATE:.1f} s, {-(-len(pcm) // FRAME_BYTES)} frames of 100 ms")
        add_user(binary, env, db, "soakadmin", "administrator")
        add_user(binary, env, db, "soakrad", "radiologist")
        proc, port = start_server(binary, env, db, os.path.join(tmp, "serve.log"))
        tokens = {}
        for name in ("soakadmin", "soakrad"):
            status, value, text = http_json(port, "POST", "/api/login", {"name": name, "password": PASSWORD})
            if status != 200:
                raise SoakError(f"login {name}: {status} {text[:120]!r}")
            tokens[name] = value["token"]
        samples.append({"dictations": 0, "rss_mb": rss_mb(proc.pid), "seconds": 0.0})
        progress(f"server pid {proc.pid} on port {port}; RSS before dictating {samples[0]['rss_mb']:.1f} MB")
        run_start = time.monotonic()
        last_sample_time, last_sample_count = run_start, 0
        for index in range(1, args.count + 1):
            start = time.monotonic()
            try:
                utterances = dictate(port, tokens["soakadmin"], tokens["soakrad"], index, pcm, args.realtime)
            except (SoakError, OSError) as error:
                failures.append({"dictation": index, "error": str(error)})
                progress(f"dictation {index} failed: {error}")
                if proc.poll() is not None:
                    raise SoakError(f"server exited {proc.returncode} during dictation {index}")
                if len(failures) >= args.max_failures:
                    raise SoakError(f"{len(failures)} dictations failed; last: {error}")
                continue
            durations.append(time.monotonic() - start)
            if index == 10 or index % 25 == 0 or index == args.count:
                time.sleep(0.5)  # let the server finish tearing the dictation down
                now = time.monotonic()
                per = (now - last_sample_time) / max(1, index - last_sample_count)
                sample = {"dictations": index, "rss_mb": rss_mb(proc.pid), "seconds": now - run_start,
                          "seconds_per_dictation": per}
                samples.append(sample)
                last_sample_time, last_sample_count = now, index
                progress(f"{index}/{args.count}: RSS {sample['rss_mb']:.1f} MB, {per:.2f} s per dictation "
                         f"({utterances} utterances in the last)")
            elif index % 5 == 0:
                progress(f"{index}/{args.count}: {durations[-1]:.2f} s")
    except KeyboardInterrupt:
        progress("interrupted")
        failures.append({"dictation": None, "error": "interrupted"})
    except SoakError as error:
        progress(f"stopped: {error}")
        failures.append({"dictation": None, "error": str(error)})
    finally:
        stop_server(proc)
        if args.keep:
            progress(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    print("| dictations | RSS MB | growth since 10 (MB) | s per dictation (since previous row) |")
    print("|---:|---:|---:|---:|")
    reference = next((s for s in samples if s["dictations"] >= min(10, args.count)), None)
    for sample in samples:
        growth = f"{sample['rss_mb'] - reference['rss_mb']:+.1f}" if reference and sample["dictations"] >= \
            reference["dictations"] else ""
        per = f"{sample['seconds_per_dictation']:.2f}" if "seconds_per_dictation" in sample else ""
        print(f"| {sample['dictations']} | {sample['rss_mb']:.1f} | {growth} | {per} |")
    final = samples[-1] if samples else None
    done = len(durations)
    if durations:
        mean = sum(durations) / len(durations)
        print(f"\n{done} dictations in {sum(durations):.0f} s: mean {mean:.2f} s, fastest {min(durations):.2f} s, "
              f"slowest {max(durations):.2f} s per dictation ({mean * 500 / 60:.0f} min for 500)")
    if failures:
        print(f"{len(failures)} failed: {failures[0]['error'][:200]}")
    ok = False
    if reference and final and final["dictations"] > 0:
        growth = final["rss_mb"] - reference["rss_mb"]
        ok = growth <= LIMIT_MB and not failures
        print(f"soak: RSS after {reference['dictations']} = {reference['rss_mb']:.1f} MB, after "
              f"{final['dictations']} = {final['rss_mb']:.1f} MB, growth = {growth:.1f} MB (limit {LIMIT_MB:.0f} MB)"
              f": {'PASS' if ok else 'FAIL'}")
    else:
        print("soak: no RSS after the first ten dictations: FAIL")
    if args.out:
        with open(args.out, "w") as f:
            json.dump({"count": args.count, "completed": done, "realtime": args.realtime, "samples": samples,
                       "seconds_per_dictation": durations, "failures": failures, "limit_mb": LIMIT_MB,
                       "pass": ok}, f, indent=2)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
