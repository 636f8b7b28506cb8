#!/usr/bin/env python3
"""End-to-end test of the RadScribe reading-room web workstation in a real browser.

Drives Debian's chromium (headless, through chromedriver and Selenium) against `radscribe serve`:
log in, worklist (STAT first), live dictation from a fake microphone fed with a synthesized WAV
(flite + sox), send for correction, the transcriptionist's word-synchronized correction, signing with the
checks shown first, history and the HL7 ORU^R01 outbox message, the admin page. Then checks the
authorization of every API route with plain HTTP: 401 without a token, 403 for each role that may not
use it. Prints `latency_ms:` lines (utterance end sent → text on screen) and exits 0 only if everything passed.

usage: workstation_e2e.py --binary PATH/radscribe --workdir DIR [--screenshots DIR]
"""

import argparse
import base64
import json
import os
import re
import shutil
import socket
import statistics
import struct
import subprocess
import sys
import threading
import time
import traceback
import urllib.error
import urllib.request
import wave

CHEST = "chest-radiograph-2-views"
STAT_ACC = "ACC-STAT-2001"
ROUTINE_ACC = "ACC-ROUT-1001"
AUTHZ_ACC = "ACC-AUTH-3001"
ROLES = ["radiologist", "resident", "transcriptionist", "administrator", "interface"]
USERS = {  # name → role
    "drsmith": "radiologist",
    "drres": "resident",
    "tina": "transcriptionist",
    "admin": "administrator",
    "ris": "interface",
}
USER_OF_ROLE = {role: name for name, role in USERS.items()}


def password(name):
    return f"{name}-Reading-Room-2027"


# The dictation, in spoken form, one utterance per line (pauses between them).
UTTERANCES = [
    "clinical history colon cough and fever period",
    "findings colon there is no pneumothorax period",
    "there is a small left pleural effusion period",
    "impression colon small left pleural effusion period",
]


class Failures:
    def __init__(self):
        self.items = []

    def check(self, condition, message):
        if not condition:
            self.items.append(message)
            print(f"FAIL: {message}", flush=True)
        return condition

    def fail(self, message):
        self.check(False, message)


failures = Failures()


def log(message):
    print(f"[e2e {time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(command, stdin=None, env=None):
    result = subprocess.run(command, input=stdin, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} → exit {result.returncode}: {result.stderr.strip()} {result.stdout.strip()}")
    return result.stdout


# ---------------------------------------------------------------- setup


def synthesize(workdir):
    """flite + sox: 0.5 s silence, the utterances with 0.8 s pauses, 2 s silence; 16 kHz mono 16-bit."""
    parts = []
    silence = lambda name, seconds: run(["sox", "-n", "-r", "16000", "-c", "1", "-b", "16",
                                          os.path.join(workdir, name), "trim", "0", str(seconds)])
    silence("lead.wav", 0.5)
    silence("gap.wav", 0.8)
    silence("tail.wav", 2.0)
    parts.append(os.path.join(workdir, "lead.wav"))
    for index, text in enumerate(UTTERANCES):
        raw = os.path.join(workdir, f"u{index}.raw.wav")
        out = os.path.join(workdir, f"u{index}.wav")
        run(["flite", "-voice", "slt", "-t", text, "-o", raw])
        run(["sox", "-R", "-D", raw, "-r", "16000", "-c", "1", "-b", "16", out])
        if index:
            parts.append(os.path.join(workdir, "gap.wav"))
        parts.append(out)
    parts.append(os.path.join(workdir, "tail.wav"))
    wav = os.path.join(workdir, "dictation.wav")
    run(["sox", "-R", "-D"] + parts + [wav])
    with wave.open(wav) as handle:
        frames = handle.getnframes()
    log(f"dictation WAV {wav}: {frames / 16000:.1f} s")
    return wav, frames


def create_data(binary, db):
    for name, role in USERS.items():
        run([binary, "user", "add", name, "--role", role, "--password-stdin", "--db", db], stdin=password(name) + "\n")
    common = ["--mrn", "MRN-7001", "--sex", "F", "--birth-date", "19580312", "--modality", "CR",
              "--procedure-code", "CXR2", "--procedure-name", "Chest radiograph, two views",
              "--ordering-physician", "DR^WHO", "--db", db]
    # The ROUTINE order is placed first (older): the STAT one must still come first on the worklist.
    run([binary, "order", "add", "--accession", ROUTINE_ACC, "--patient-name", "ROE^RICHARD",
         "--priority", "ROUTINE", "--reason", "Chronic cough"] + common)
    time.sleep(1.1)
    run([binary, "order", "add", "--accession", STAT_ACC, "--patient-name", "DOE^JANE", "--priority", "STAT",
         "--reason", "Shortness of breath", "--assign", "drsmith"] + common)
    run([binary, "order", "add", "--accession", AUTHZ_ACC, "--patient-name", "POE^EDGAR", "--priority", "ROUTINE",
         "--reason", "Fever"] + common)


def reading_room_microphone(wav, workdir):
    """A file-backed ALSA capture PCM (shared/reference/alsa-testing.md) that plays the dictation as the reading-room
    microphone of `serve --audio-device readingroom`: real snd_pcm_readi calls, no sound card."""
    raw = os.path.join(workdir, "dictation.raw")
    run(["sox", wav, "-t", "raw", "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer", raw])
    config = os.path.join(workdir, "asoundrc-readingroom")
    with open(config, "w") as handle:
        handle.write(f'pcm.readingroom {{\n  type file\n  slave.pcm null\n  file "/dev/null"\n  infile "{raw}"\n  format "raw"\n}}\n')
    # Paced like a microphone: the file PCM would otherwise deliver the whole dictation at once.
    return {"ALSA_CONFIG_PATH": f"/usr/share/alsa/alsa.conf:{config}", "RADSCRIBE_CAPTURE_PACE": "realtime"}


class Server:
    def __init__(self, binary, db, workdir, environment=None):
        self.log_path = os.path.join(workdir, "serve.log")
        self.lines = []
        self.process = subprocess.Popen(
            [binary, "serve", "--port", "0", "--db", db, "--audio-device", "readingroom"],
            stdout=subprocess.PIPE, stderr=open(self.log_path, "w"), text=True, bufsize=1,
            env={**os.environ, **(environment or {})},
        )
        threading.Thread(target=self._read, daemon=True).start()
        self.base = None
        deadline = time.time() + 60
        while time.time() < deadline and self.base is None:
            for line in list(self.lines):
                match = re.search(r"(https?://[^\s/]+:\d+)", line)
                if match:
                    self.base = match.group(1)
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        if self.base is None:
            raise RuntimeError(f"serve never printed its address; stdout: {self.lines}; stderr: {self.stderr()}")
        self.base = self.base.replace("0.0.0.0", "127.0.0.1")
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except Exception:
                time.sleep(0.2)
        raise RuntimeError("GET /health never answered 200")

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def stderr(self):
        try:
            with open(self.log_path) as handle:
                return handle.read()[-4000:]
        except OSError:
            return ""

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


# ---------------------------------------------------------------- plain HTTP


def http(base, method, path, body=None, token=None, cookie=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    if cookie:
        request.add_header("Cookie", f"radscribe_session={cookie}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            raw = response.read()
            return response.status, raw, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


def http_json(base, method, path, body=None, token=None):
    status, raw, _ = http(base, method, path, body, token)
    try:
        return status, json.loads(raw) if raw else None
    except ValueError:
        return status, {"raw": raw[:200].decode(errors="replace")}


def login_token(base, name):
    status, body = http_json(base, "POST", "/api/login", {"name": name, "password": password(name)})
    if status != 200 or not body or "token" not in body:
        raise RuntimeError(f"POST /api/login as {name}: {status} {body}")
    return body["token"]


def websocket_attempt(base, path, token=None, send_start=True):
    """A raw WebSocket upgrade. Returns ("http", status) when refused before the upgrade, or
    ("upgraded", first message or None) after sending a start message."""
    host, port = base.split("//")[1].split(":")
    query = f"?token={token}" if token else ""
    key = base64.b64encode(os.urandom(16)).decode()
    sock = socket.create_connection((host, int(port)), timeout=15)
    try:
        sock.sendall((f"GET {path}{query} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                      f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        response = b""
        while b"\r\n\r\n" not in response:
            chunk = sock.recv(4096)
            if not chunk:
                break
            response += chunk
        status_line = response.split(b"\r\n", 1)[0].decode(errors="replace")
        match = re.match(r"HTTP/1\.[01] (\d{3})", status_line)
        status = int(match.group(1)) if match else 0
        if status != 101:
            return "http", status
        if not send_start:
            return "upgraded", None
        # Upgraded: say start, read the first frame (an error for a refused role).
        payload = json.dumps({"type": "start", "accession": AUTHZ_ACC, "template": CHEST, "source": "browser"}).encode()
        mask = os.urandom(4)
        header = bytes([0x81]) + (bytes([0x80 | len(payload)]) if len(payload) < 126 else bytes([0x80 | 126]) + struct.pack(">H", len(payload)))
        sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
        leftover = response.split(b"\r\n\r\n", 1)[1]
        try:
            data = leftover
            while len(data) < 2:
                data += sock.recv(4096)
            opcode = data[0] & 0x0F
            length = data[1] & 0x7F
            offset = 2
            if length == 126:
                while len(data) < 4:
                    data += sock.recv(4096)
                length = struct.unpack(">H", data[2:4])[0]
                offset = 4
            while len(data) < offset + length:
                more = sock.recv(4096)
                if not more:
                    break
                data += more
            body = data[offset:offset + length]
            if opcode == 0x8:
                return "upgraded", {"type": "close", "code": struct.unpack(">H", body[:2])[0] if len(body) >= 2 else None}
            return "upgraded", json.loads(body.decode(errors="replace"))
        except (socket.timeout, ValueError, ConnectionError):
            return "upgraded", None
    finally:
        try:
            sock.sendall(bytes([0x88, 0x80]) + os.urandom(4))
        except OSError:
            pass
        sock.close()


def authorization_table(base, tokens, message_id):
    acc = AUTHZ_ACC
    sections = {"sections": [{"key": "findings", "text": "No pneumothorax."}]}
    order = {"accession": "ACC-AUTH-NEW", "placerOrderNumber": "P1", "fillerOrderNumber": "ACC-AUTH-NEW",
             "patient": {"mrn": "MRN-9", "name": "TEST^ONE", "birthDate": "19700101", "sex": "F"},
             "procedureCode": "CXR2", "procedureName": "Chest radiograph, two views", "modality": "CR",
             "priority": "ROUTINE", "orderingPhysician": "DR^WHO", "reasonForExam": "x"}
    not_admin = ["radiologist", "resident", "transcriptionist", "interface"]
    # The contract names who must be refused; reading routes must at least serve the reading-room roles.
    clinical = ["radiologist", "resident", "transcriptionist"]
    staff = clinical + ["administrator"]
    # (method, path, body, roles that must get 403, roles allowed to read without side effects → must not get 401/403)
    routes = [
        ("POST", "/api/logout", None, [], []),
        ("GET", "/api/me", None, [], ROLES),
        ("GET", "/api/worklist", None, [], staff),
        ("GET", f"/api/orders/{acc}", None, [], staff),
        ("POST", "/api/orders", order, ["radiologist", "resident", "transcriptionist"], []),
        ("GET", "/api/search?q=pneumothorax", None, [], staff),
        ("GET", f"/api/reports/{acc}", None, [], staff),
        ("PUT", f"/api/reports/{acc}", sections, ["administrator", "interface"], []),
        ("POST", f"/api/reports/{acc}/send-for-correction", None, ["transcriptionist", "administrator", "interface"], []),
        ("POST", f"/api/reports/{acc}/correction", sections, ["administrator", "interface"], []),
        ("GET", f"/api/reports/{acc}/checks", None, [], staff),
        ("POST", f"/api/reports/{acc}/sign", {"preliminary": False, "force": False},
         ["transcriptionist", "administrator", "interface"], []),
        ("POST", f"/api/reports/{acc}/addendum", {"text": "Addendum."},
         ["resident", "transcriptionist", "administrator", "interface"], []),
        ("POST", f"/api/reports/{acc}/amend", sections, ["resident", "transcriptionist", "administrator", "interface"], []),
        ("POST", f"/api/reports/{acc}/cancel", None, ["resident", "transcriptionist"], []),
        ("GET", f"/api/reports/{acc}/versions", None, [], staff),
        ("GET", f"/api/reports/{acc}/audit", None, [], staff),
        ("GET", f"/api/reports/{STAT_ACC}/audio", None, [], clinical),
        ("GET", f"/api/reports/{acc}/messages", None, [], staff),
        ("GET", "/api/templates", None, [], staff),
        ("GET", f"/api/templates/{CHEST}", None, [], staff),
        ("GET", "/api/users", None, not_admin, ["administrator"]),
        ("POST", "/api/users", {"name": "mallory", "role": "administrator", "password": "x-Reading-Room-2027"}, not_admin, []),
        ("GET", "/api/hl7/queue", None, ["radiologist", "resident", "transcriptionist"], ["administrator", "interface"]),
        ("POST", f"/api/hl7/queue/{message_id}/retry", None, not_admin, []),
        ("POST", f"/api/hl7/queue/{message_id}/skip", None, not_admin, []),
        ("WS", "/api/dictation", None, ["transcriptionist", "administrator", "interface"], ["radiologist", "resident"]),
    ]
    rows = []
    for method, path, body, forbidden, readers in routes:
        cases = [("(no token)", None, "401")] + [(role, tokens[role], "403") for role in forbidden] \
            + [(role, tokens[role], "allowed") for role in readers]
        for who, token, expected in cases:
            if method == "WS":
                kind, result = websocket_attempt(base, path, token, send_start=expected != "allowed")
                if expected == "allowed":
                    got = "101" if kind == "upgraded" else str(result)
                    ok = kind == "upgraded"
                elif kind == "http":
                    # A declined WebSocket upgrade is answered 400 by the WebSocket library, whatever the reason;
                    # the same request without the upgrade shows the reason: 401 or 403 with an "error" body.
                    status, raw, _ = http(base, "GET", path, None, token)
                    got = f"upgrade {result}, GET {status}"
                    ok = str(result) in (expected, "400") and str(status) == expected and "error" in raw.decode(errors="replace")
                else:
                    refused = isinstance(result, dict) and result.get("type") in ("error", "close")
                    got = f"101 then {json.dumps(result)[:80]}"
                    ok = refused  # refused after the upgrade: accepted, noted in the table
            else:
                status, raw, _ = http(base, method, path, body, token)
                got = str(status)
                if expected == "allowed":
                    ok = status not in (401, 403) and status < 500
                else:
                    ok = got == expected
                    if ok and status >= 400:
                        try:
                            ok = "error" in json.loads(raw)
                            if not ok:
                                got += " (body without \"error\")"
                        except ValueError:
                            ok = False
                            got += " (body not JSON)"
            rows.append((method, path, who, expected, got, ok))
    width = max(len(f"{m} {p}") for m, p, *_ in rows)
    print("\nAuthorization table (plain HTTP):")
    print(f"  {'route'.ljust(width)}  {'who'.ljust(16)}  {'expected'.ljust(8)}  got")
    for method, path, who, expected, got, ok in rows:
        print(f"  {f'{method} {path}'.ljust(width)}  {who.ljust(16)}  {expected.ljust(8)}  {got}  {'ok' if ok else 'WRONG'}")
        failures.check(ok, f"authorization: {method} {path} as {who}: expected {expected}, got {got}")
    print(f"  {sum(1 for r in rows if r[5])}/{len(rows)} as expected\n", flush=True)


# ---------------------------------------------------------------- browser


class Browser:
    def __init__(self, base, wav, workdir, screenshots):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        self.base = base
        self.screenshots = screenshots
        options = webdriver.ChromeOptions()
        options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
        for argument in [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-audio-capture={wav}%noloop",
            "--autoplay-policy=no-user-gesture-required", "--window-size=1400,1100",
            f"--user-data-dir={os.path.join(workdir, 'chromium-profile')}", "--lang=en-US",
        ]:
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver",
                          log_output=os.path.join(workdir, "chromedriver.log"))
        self.driver = webdriver.Chrome(service=service, options=options)
        self.driver.set_page_load_timeout(60)
        self.console = []

    def quit(self):
        try:
            self.collect_console()
            self.driver.quit()
        except Exception:
            pass

    def collect_console(self):
        try:
            self.console.extend(self.driver.get_log("browser"))
        except Exception:
            pass

    def screenshot(self, name):
        path = os.path.join(self.screenshots, f"{name}.png")
        driver = self.driver
        try:
            height = driver.execute_script("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)")
            driver.set_window_size(1400, max(1100, min(int(height) + 140, 5000)))
            driver.save_screenshot(path)
            driver.set_window_size(1400, 1100)
            log(f"screenshot {path}")
        except Exception as error:
            failures.fail(f"screenshot {name}: {error}")

    def get(self, page):
        self.driver.get(self.base + "/" + page)

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    def wait(self, condition, timeout, what):
        from selenium.webdriver.support.ui import WebDriverWait

        try:
            return WebDriverWait(self.driver, timeout, poll_frequency=0.1).until(lambda d: condition())
        except Exception:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}; page {self.driver.current_url}; "
                                 f"messages: {self.messages()}")

    def find(self, css):
        from selenium.webdriver.common.by import By
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def finds(self, css):
        from selenium.webdriver.common.by import By
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def body(self, key):
        return self.js("return document.body.dataset[arguments[0]] ?? null", key)

    def messages(self):
        try:
            return self.js("const m = document.getElementById('messages'); return m ? m.innerText : ''")
        except Exception:
            return ""

    def key(self, key):
        from selenium.webdriver.common.action_chains import ActionChains
        ActionChains(self.driver).send_keys(key).perform()

    def login(self, name, screenshot=None):
        from selenium.webdriver.common.keys import Keys

        self.get("index.html")
        self.wait(lambda: self.finds("#login-form"), 20, "the login form")
        if screenshot:
            self.screenshot(screenshot)
        self.find("#name").clear()
        self.find("#name").send_keys(name)
        self.find("#password").send_keys(password(name) + Keys.ENTER)  # Enter submits
        self.wait(lambda: "worklist.html" in self.driver.current_url and self.body("loaded") == "true", 30,
                  f"the worklist after logging in as {name}")
        shown = self.js("const u = document.getElementById('current-user'); return u ? [u.dataset.name, u.dataset.role] : null")
        failures.check(shown == [name, USERS[name]], f"header shows {shown}, expected {[name, USERS[name]]}")
        admin_link = self.js("return [...document.querySelectorAll('header nav a')].some(a => a.textContent === 'Admin')")
        failures.check(admin_link == (USERS[name] == "administrator"), f"Admin link shown={admin_link} for {USERS[name]}")

    def logout(self):
        self.collect_console()
        self.find("#logout").click()
        self.wait(lambda: "index.html" in self.driver.current_url or self.driver.current_url.rstrip("/") == self.base,
                  20, "the login page after logging out")


def section_text(browser, key):
    return browser.js("""
        const s = document.getElementById('section-' + arguments[0]);
        if (!s) return '';
        return [...s.querySelectorAll('.text, .fields .value')].map(n => n.textContent).join(' ');
    """, key)


def browser_flow(browser, wav_frames):
    from selenium.webdriver.common.keys import Keys

    # ---- login and worklist
    browser.login("drsmith", screenshot="01-login")
    rows = browser.js("return [...document.querySelectorAll('#worklist tbody tr')].map(r => [r.dataset.accession, r.dataset.priority, r.className])")
    log(f"worklist rows: {rows}")
    failures.check(rows and rows[0][0] == STAT_ACC and rows[0][1] == "STAT" and "stat" in rows[0][2],
                   f"the STAT order comes first and is highlighted: {rows}")
    failures.check(any(r[0] == ROUTINE_ACC for r in rows), f"the ROUTINE order is listed: {rows}")
    browser.screenshot("02-worklist")

    # ---- dictation
    link = browser.js("const a = document.querySelector(`tr[data-accession='%s'] a.dictate-link`); return a ? a.href : null" % STAT_ACC)
    if not failures.check(link is not None, "the STAT row has a Dictate link for the radiologist"):
        link = f"{browser.base}/dictate.html?accession={STAT_ACC}&template={CHEST}"
    failures.check(f"template={CHEST}" in link, f"the Dictate link picks the chest template: {link}")
    browser.driver.get(link)
    browser.wait(lambda: browser.body("ready") == "true", 30, "the dictation page")
    if browser.js("return document.getElementById('template').value") != CHEST:
        browser.js("const s = document.getElementById('template'); s.value = arguments[0]; s.dispatchEvent(new Event('change'))", CHEST)
    browser.wait(lambda: browser.finds("#section-findings"), 20, "the template's sections")
    browser.find("#source-browser").click()
    browser.key(Keys.F2)  # F2 starts
    try:
        browser.wait(lambda: browser.body("wsState") in ("connecting", "started"), 5, "F2 to start the dictation")
    except AssertionError as error:
        failures.fail(f"F2 did not start the dictation: {error}")
        browser.find("#start").click()
    browser.wait(lambda: browser.body("wsState") == "started", 30, "the `started` message")
    audio_seconds = wav_frames / 16000
    browser.wait(lambda: int(browser.body("utterances") or 0) >= 1, audio_seconds + 60, "the first utterance")
    log(f"dictation started; microphone AudioContext rate {browser.body('audioRate')} Hz")
    browser.screenshot("03-dictation-during")
    browser.wait(lambda: "pneumothorax" in " ".join(w for u in browser.js("return window.radscribeUtterances") for w in u["words"]),
                 audio_seconds + 90, "an utterance with 'pneumothorax'")
    # All the audio sent (the fake microphone plays the file once in real time), then a quiet moment.
    try:
        browser.wait(lambda: int(browser.body("samplesSent") or 0) >= wav_frames * 0.97, audio_seconds + 60,
                     "the whole WAV to be sent")
    except AssertionError as error:
        failures.fail(str(error))
    last, stable_since = -1, time.time()
    deadline = time.time() + 60
    while time.time() < deadline:
        count = int(browser.body("utterances") or 0)
        if count != last:
            last, stable_since = count, time.time()
        elif time.time() - stable_since > 4:
            break
        time.sleep(0.2)
    browser.key(Keys.F2)  # F2 stops
    try:
        browser.wait(lambda: browser.body("wsState") in ("stopping", "saved"), 5, "F2 to stop the dictation")
    except AssertionError:
        failures.fail("F2 did not stop the dictation")
        browser.find("#stop").click()
    browser.wait(lambda: browser.body("saved") == "true", 120, "the `saved` message")
    browser.wait(lambda: browser.body("checksShown") == "true", 15, "the checks panel after saving")
    checks_source = browser.body("checksSource")
    failures.check(checks_source == "websocket", f"the `checks` message arrives over the WebSocket after `saved` (got them from {checks_source})")
    sign_disabled = browser.js("return document.getElementById('sign').disabled")
    log(f"checks shown (from {checks_source}); Sign disabled={sign_disabled}; checks: "
        + browser.js("return document.getElementById('checks').innerText").replace("\n", " | "))
    utterances = browser.js("return window.radscribeUtterances")
    for u in utterances:
        log(f"utterance end={u['end']} command={u['command']} cursor={u['cursor']}: {' '.join(u['words'])}")
    heard = " ".join(w for u in utterances for w in u["words"])
    findings = section_text(browser, "findings")
    impression = section_text(browser, "impression")
    log(f"findings: {findings!r}")
    log(f"impression: {impression!r}")
    failures.check("pneumothorax" in heard, f"'pneumothorax' recognized: {heard}")
    failures.check(re.search(r"\bno\b[^.]*pneumothorax", findings, re.I) is not None,
                   f"Findings keeps the negation 'no … pneumothorax': {findings!r}")
    failures.check("effusion" in impression.lower(), f"Impression has the dictated text: {impression!r}")
    browser.screenshot("04-dictation-saved")

    latencies = browser.js("return window.radscribeLatencies") or []
    shown = browser.js("const l = document.getElementById('latency'); return [l.dataset.count, l.dataset.lastMs]")
    for value in latencies:
        print(f"latency_ms: {value:.1f}")
    if latencies:
        print(f"latency_mean_ms: {statistics.mean(latencies):.1f}")
        print(f"latency_max_ms: {max(latencies):.1f}", flush=True)
    failures.check(len(latencies) >= 1 and len(latencies) == len(utterances),
                   f"one latency per utterance: {len(latencies)} latencies, {len(utterances)} utterances")
    failures.check(shown[0] == str(len(latencies)), f"latency status line data-count {shown}")

    # ---- send for correction
    browser.wait(lambda: not browser.js("return document.getElementById('send-correction').disabled"), 10,
                 "the Send for correction button")
    browser.find("#send-correction").click()
    browser.wait(lambda: browser.body("reportStatus") == "pending-correction", 20, "status pending-correction")
    browser.logout()

    # ---- correction by the transcriptionist
    browser.login("tina")
    correct_link = browser.js("const a = document.querySelector(`tr[data-accession='%s'] a.correct-link`); return a ? a.href : null" % STAT_ACC)
    if not failures.check(correct_link is not None, "the transcriptionist's worklist has a Correct link for the pending report"):
        correct_link = f"{browser.base}/correct.html?accession={STAT_ACC}"
    browser.driver.get(correct_link)
    browser.wait(lambda: browser.body("ready") == "true", 30, "the correction page")
    risky = browser.js("return [...document.querySelectorAll('#word-view .word.risk')].map(w => [w.textContent, w.dataset.risks, w.title])")
    log(f"risky words: {risky}")
    failures.check(len(risky) > 0, "risky words are marked on the correction page")
    failures.check(any("negation" in (r[1] or "") or "laterality" in (r[1] or "") for r in risky),
                   f"'no'/'left' are marked as negation/laterality: {risky}")
    failures.check(bool(browser.finds(".legend")), "the risk legend is shown")
    try:
        browser.wait(lambda: browser.body("audioReady") == "true", 20, "the dictation audio to load")
    except AssertionError as error:
        failures.fail(str(error))
    words = browser.js("return [...document.querySelectorAll('.word[data-start]')].map((w, i) => [i, w.textContent, +w.dataset.start, +w.dataset.end])")
    failures.check(len(words) > 3, f"the draft is shown as timed words: {len(words)}")
    target = next((w for w in words if w[1].lower().startswith("pneumothorax")), None) or (words[len(words) // 2] if words else None)
    if target:
        index, text, start, end = target
        browser.finds(".word[data-start]")[index].click()
        time.sleep(0.3)
        position = browser.js("return document.getElementById('audio').currentTime")
        log(f"clicked '{text}' [{start:.2f}, {end:.2f}) → currentTime {position:.2f}")
        failures.check(start - 0.1 <= position <= start + 1.5, f"clicking '{text}' seeks near {start:.2f}: currentTime {position:.2f}")
        try:
            browser.wait(lambda: browser.body("highlightSeen") == "true" and browser.finds(".word.playing"), 10,
                         "a highlighted word while playing")
        except AssertionError as error:
            failures.fail(str(error))
        time.sleep(1.0)
        later = browser.js("const a = document.getElementById('audio'); return [a.currentTime, a.paused]")
        log(f"after 1 s: currentTime {later[0]:.2f}, paused {later[1]}, playing word {browser.body('playingWord')!r}")
        failures.check(later[0] > position + 0.3 and not later[1], f"the audio plays: {position:.2f} → {later}")
        browser.screenshot("05-correction-playing")
        browser.key(Keys.F4)  # F4: pause
        time.sleep(0.3)
        failures.check(browser.js("return document.getElementById('audio').paused"), "F4 pauses the playback")
        before = browser.js("return document.getElementById('audio').currentTime")
        browser.key(Keys.F3)  # F3: back 3 s
        after = browser.js("return document.getElementById('audio').currentTime")
        failures.check(abs((before - after) - min(3, before)) < 0.3, f"F3 rewinds 3 s: {before:.2f} → {after:.2f}")
    findings_area = browser.find("#edit-findings")
    original = findings_area.get_attribute("value") or ""
    edited = re.sub(r"\bsmall\b", "moderate", original, count=1, flags=re.I)
    if edited == original:
        edited = original + " Moderate left pleural effusion."
    findings_area.clear()
    findings_area.send_keys(edited)
    browser.find("#save").click()
    browser.wait(lambda: browser.finds("#sent-back"), 20, "the 'sent back as corrected' message")
    failures.check("corrected" in browser.find("#sent-back").text.lower(), "the page says the report was sent back as corrected")
    failures.check(browser.body("reportStatus") == "corrected-draft", f"status corrected-draft: {browser.body('reportStatus')}")
    browser.screenshot("06-correction-saved")
    browser.logout()

    # ---- report view, signing, history, HL7
    browser.login("drsmith")
    browser.get(f"report.html?accession={STAT_ACC}")
    browser.wait(lambda: browser.body("ready") == "true", 30, "the report view")
    findings_shown = browser.js("const s = document.querySelector(\"#sections [data-section='findings'] .text\"); return s ? s.textContent : ''")
    failures.check("moderate" in findings_shown.lower(), f"the report view shows the transcriptionist's edit: {findings_shown!r}")
    coded = browser.js("return [...document.querySelectorAll('#findings tbody tr[data-term]')].map(r => [r.dataset.term, r.dataset.presence])")
    log(f"coded findings shown: {coded}")
    failures.check(["pneumothorax", "absent"] in [[t.lower(), p] for t, p in coded],
                   f"the report view shows 'no pneumothorax' coded as absent: {coded}")
    browser.screenshot("07-report")
    browser.find("#sign").click()
    browser.wait(lambda: browser.finds("#confirm-sign") and browser.find("#checks").is_displayed(), 20,
                 "the checks before the signature")
    browser.screenshot("08-report-checks")
    if not failures.check(not browser.js("return document.getElementById('confirm-sign').disabled"),
                          "no blocking check: " + browser.find("#checks").text.replace("\n", " | ")):
        raise AssertionError("cannot sign")
    browser.find("#confirm-sign").click()
    browser.wait(lambda: browser.body("status") == "final", 30, "status final after signing")
    signer = browser.find("#signed-by").text
    failures.check("drsmith" in signer, f"the signer is shown: {signer!r}")
    browser.find("#tab-history").click()
    browser.wait(lambda: len(browser.finds("#panel-history li[data-version]")) >= 2, 20, "the versions")
    diffs = browser.finds("#panel-history pre.diff")
    failures.check(len(diffs) >= 2, f"every version has a diff: {len(diffs)}")
    browser.screenshot("09-history")
    browser.find("#tab-audit").click()
    browser.wait(lambda: browser.finds("#audit-table tbody tr"), 20, "the audit trail")
    browser.screenshot("10-audit")
    browser.find("#tab-hl7").click()
    oru = None
    deadline = time.time() + 30
    while time.time() < deadline and oru is None:
        browser.wait(lambda: browser.js("return document.getElementById('panel-hl7').dataset.loaded") == "true", 20, "the HL7 tab")
        for article in browser.js("return [...document.querySelectorAll('#panel-hl7 .hl7-message')].map(a => [a.dataset.state, a.querySelector('pre').textContent])"):
            segments = article[1].split("\n")
            msh = next((s for s in segments if s.startswith("MSH|")), "")
            obr = next((s for s in segments if s.startswith("OBR|")), "")
            fields = obr.split("|")
            if "ORU^R01" in msh and len(fields) > 25 and fields[25] == "F":
                oru = article
        if oru is None:
            time.sleep(1)
            browser.find("#tab-history").click()
            browser.find("#tab-hl7").click()
    if failures.check(oru is not None, "the HL7 view shows an ORU^R01 with OBR-25 F"):
        log(f"ORU^R01 (OBR-25 F) state: {oru[0]}")
        failures.check(bool(oru[0]), "the message's state is shown")
        print("ORU^R01 payload as shown:\n  " + oru[1].replace("\n", "\n  "), flush=True)
    signed_coded = browser.js("return [...document.querySelectorAll('#findings tbody tr[data-term]')].map(r => r.dataset.term)")
    failures.check(len(signed_coded) >= 1, f"the signed report still shows its coded findings: {signed_coded}")
    browser.screenshot("11-hl7")
    browser.logout()

    # ---- dictation from the reading-room microphone (the server's ALSA device); it ends by itself after the
    # speaker's closing silence, as `radscribe dictate --device` does
    browser.login("drsmith")
    browser.driver.get(f"{browser.base}/dictate.html?accession={ROUTINE_ACC}&template={CHEST}")
    browser.wait(lambda: browser.body("ready") == "true", 30, "the dictation page (server microphone)")
    browser.wait(lambda: browser.finds("#section-findings"), 20, "the template's sections")
    browser.find("#source-server").click()
    browser.find("#start").click()
    browser.wait(lambda: browser.body("wsState") == "started", 30, "the `started` message (server microphone)")
    browser.wait(lambda: browser.body("saved") == "true", wav_frames / 16000 + 90,
                 "the draft saved when the reading-room microphone fell silent")
    heard = " ".join(w for u in (browser.js("return window.radscribeUtterances") or []) for w in u["words"])
    findings = section_text(browser, "findings")
    log(f"server microphone: heard {heard!r}; findings {findings!r}")
    failures.check("pneumothorax" in heard, f"the server microphone's words reach the page: {heard!r}")
    failures.check(re.search(r"\bno\b[^.]*pneumothorax", findings, re.I) is not None,
                   f"Findings from the server microphone keeps 'no … pneumothorax': {findings!r}")
    browser.screenshot("12-dictation-server-microphone")

    # ---- the term lookup finds a concept by its RadLex RID (and by its name)
    browser.get("terms.html?q=RID5352")
    browser.wait(lambda: browser.body("ready") == "true", 30, "the terms page")
    found = browser.js("return [...document.querySelectorAll('#terms tbody tr')].map(r => [r.cells[0].textContent, r.cells[2].textContent])")
    failures.check(bool(found) and found[0] == ["pneumothorax", "RID5352"], f"RID5352 finds pneumothorax: {found}")
    browser.screenshot("12b-terms")
    browser.logout()

    # ---- admin
    browser.login("admin")
    browser.get("admin.html")
    browser.wait(lambda: browser.body("ready") == "true", 30, "the admin page")
    users = browser.js("return [...document.querySelectorAll('#users tbody tr')].map(r => r.dataset.user)")
    failures.check(set(USERS) <= set(users), f"the admin page lists the users: {users}")
    queue = browser.js("return [...document.querySelectorAll('#queue tbody tr[data-id]')].map(r => [r.dataset.id, r.dataset.state])")
    log(f"HL7 queue: {queue}")
    failures.check(len(queue) >= 1, "the HL7 queue lists the ORU message")
    browser.screenshot("13-admin")
    browser.logout()


# ---------------------------------------------------------------- main


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True, help="the radscribe executable")
    parser.add_argument("--workdir", required=True, help="scratch directory (database, WAV, logs)")
    parser.add_argument("--screenshots", help="where the PNG screenshots go (default WORKDIR/screenshots)")
    args = parser.parse_args()

    binary = os.path.abspath(args.binary)
    workdir = os.path.abspath(args.workdir)
    screenshots = os.path.abspath(args.screenshots or os.path.join(workdir, "screenshots"))
    os.makedirs(workdir, exist_ok=True)
    os.makedirs(screenshots, exist_ok=True)
    missing = [tool for tool in ("flite", "sox", "chromium", "chromedriver") if not shutil.which(tool)]
    if not os.access(binary, os.X_OK):
        missing.append(binary)
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("selenium (run scripts/setup-python.sh)")
    if missing:
        print(f"FAIL: missing {', '.join(missing)} (scripts/install-deps.sh --python installs them)", flush=True)
        return 2
    log(f"screenshots → {screenshots}")

    db = os.path.join(workdir, "radscribe.sqlite")
    if os.path.exists(db):
        os.remove(db)
    server = None
    browser = None
    try:
        wav, frames = synthesize(workdir)
        create_data(binary, db)
        server = Server(binary, db, workdir, reading_room_microphone(wav, workdir))
        log(f"server at {server.base}")
        try:
            browser = Browser(server.base, wav, workdir, screenshots)
            browser_flow(browser, frames)
        except Exception as error:
            failures.fail(f"browser flow stopped: {error}")
            traceback.print_exc()
            if browser:
                browser.screenshot("zz-failure")
        finally:
            if browser:
                browser.quit()
                severe = [entry for entry in browser.console if entry.get("level") == "SEVERE"]
                if severe:
                    print("browser console errors:")
                    for entry in severe[:30]:
                        print(f"  {entry.get('message')}")
        tokens = {role: login_token(server.base, USER_OF_ROLE[role]) for role in ROLES}
        status, body = http_json(server.base, "GET", f"/api/reports/{STAT_ACC}/messages", token=tokens["administrator"])
        messages = (body or {}).get("messages") or []
        message_id = messages[0]["id"] if messages else 1
        authorization_table(server.base, tokens, message_id)
    except Exception as error:
        failures.fail(f"{error}")
        traceback.print_exc()
    finally:
        if server:
            server.stop()
            if failures.items:
                print("serve stderr (tail):\n" + server.stderr())
    if failures.items:
        print(f"\nworkstation e2e: {len(failures.items)} failure(s):")
        for item in failures.items:
            print(f"  - {item}")
        return 1
    print("\nworkstation e2e: all passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
