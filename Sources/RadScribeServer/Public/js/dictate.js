import {
    api, initPage, showError, showMessage, el, param, formatPatientName, renderChecks, canDictate,
} from "./api.js";
import { guessTemplate } from "./templates.js";

const TARGET_RATE = 16000;
const FRAME_SAMPLES = 1600; // 100 ms at 16 kHz

// Latency instrumentation for the benchmark: read by the browser test.
window.radscribeLatencies = [];
// Every utterance message as received (words, command, cursor), for tests and debugging.
window.radscribeUtterances = [];
const frameLog = []; // [samplesSentSoFar, performance.now()] per binary frame

const state = {
    me: null,
    accession: null,
    template: null, // as GET /api/templates/{slug}
    ws: null,
    audio: null,
    saved: false,
    checks: null,
    report: null,
    samplesSent: 0,
    pending: [],
    pendingLength: 0,
    utterances: 0,
};

const $ = (id) => document.getElementById(id);

function setState(name, text) {
    document.body.dataset.wsState = name;
    if (text) $("ws-status").textContent = text;
    $("live").classList.toggle("on", name === "started" || name === "connecting");
}

function toast(text) {
    const t = $("toast");
    t.textContent = text;
    t.classList.add("show");
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => t.classList.remove("show"), 2500);
}

// ---------- template and sections ----------

function fieldItemId(sectionKey, fieldKey) {
    return `field-${sectionKey}--${fieldKey}`;
}

function renderTemplate(template, report) {
    state.template = template;
    const container = $("sections");
    container.replaceChildren(...(template.sections || []).map((section) => el("section", {
        class: "section", id: `section-${section.key}`, "data-section": section.key, "aria-label": section.title,
    },
    el("h3", {}, section.title || section.key),
    section.fields && section.fields.length
        ? el("ul", { class: "fields" }, section.fields.map((field) => el("li", {
            id: fieldItemId(section.key, field.key), "data-field": field.key,
        }, `${field.name || field.key}: `, el("span", { class: "value" }, ""),
        field.options && field.options.length ? el("span", { class: "status-line" }, ` (options: ${field.options.join(", ")})`) : null)))
        : null,
    el("div", { class: "text", "data-section-text": section.key }, ""))));
    if (report && report.sections) updateSections(report.sections);
}

function sectionElement(key, title) {
    let node = document.getElementById(`section-${key}`);
    if (!node) {
        node = el("section", { class: "section", id: `section-${key}`, "data-section": key, "aria-label": title || key },
            el("h3", {}, title || key), el("div", { class: "text", "data-section-text": key }, ""));
        $("sections").append(node);
    }
    return node;
}

function updateSections(sections) {
    for (const section of sections || []) {
        const node = sectionElement(section.key, section.title);
        node.querySelector(".text").textContent = section.text || "";
    }
}

function findFieldItem(fieldKey) {
    const items = document.querySelectorAll("#sections li[data-field]");
    for (const item of items) {
        const section = item.closest("[data-section]").dataset.section;
        if (item.dataset.field === fieldKey || `${section}-${item.dataset.field}` === fieldKey) return item;
    }
    return null;
}

function updateFields(fields) {
    for (const [key, value] of Object.entries(fields || {})) {
        const item = findFieldItem(key);
        if (item) item.querySelector(".value").textContent = value ?? "";
    }
}

function showCursor(cursor) {
    for (const node of document.querySelectorAll("#sections .cursor")) node.classList.remove("cursor");
    if (!cursor || !cursor.section) return;
    const section = document.getElementById(`section-${cursor.section}`);
    if (!section) return;
    section.classList.add("cursor");
    document.body.dataset.cursorSection = cursor.section;
    document.body.dataset.cursorField = cursor.field || "";
    let target = section;
    if (cursor.field) {
        const item = findFieldItem(cursor.field);
        if (item) {
            item.classList.add("cursor");
            target = item;
        }
    }
    target.scrollIntoView({ block: "nearest" });
}

async function loadTemplate(slug) {
    if (!slug) return;
    try {
        renderTemplate(await api(`/api/templates/${encodeURIComponent(slug)}`), state.report);
    } catch (error) {
        showError(error, `Could not load the template ${slug}: `);
    }
}

// ---------- audio capture: microphone → 16 kHz mono Int16 LE frames ----------

class Downsampler {
    constructor(inputRate) {
        this.ratio = inputRate / TARGET_RATE;
        this.sum = 0;
        this.count = 0;
        this.index = 0;
        this.next = this.ratio;
    }

    /** Box-filter decimation; exact pass-through at 16 kHz. */
    push(samples) {
        if (this.ratio === 1) return Float32Array.from(samples);
        const out = [];
        for (let i = 0; i < samples.length; i++) {
            this.sum += samples[i];
            this.count++;
            this.index++;
            if (this.index >= this.next) {
                out.push(this.sum / this.count);
                this.sum = 0;
                this.count = 0;
                this.next += this.ratio;
            }
        }
        return Float32Array.from(out);
    }
}

function queueSamples(float32) {
    if (!float32.length) return;
    state.pending.push(float32);
    state.pendingLength += float32.length;
    while (state.pendingLength >= FRAME_SAMPLES) sendFrame(FRAME_SAMPLES);
}

function sendFrame(count) {
    const ws = state.ws;
    const buffer = new ArrayBuffer(count * 2);
    const view = new DataView(buffer);
    let written = 0;
    while (written < count && state.pending.length) {
        const head = state.pending[0];
        const n = Math.min(head.length, count - written);
        for (let i = 0; i < n; i++) {
            const s = Math.max(-1, Math.min(1, head[i]));
            view.setInt16((written + i) * 2, s < 0 ? Math.round(s * 32768) : Math.round(s * 32767), true);
        }
        written += n;
        if (n === head.length) state.pending.shift();
        else state.pending[0] = head.subarray(n);
    }
    state.pendingLength -= written;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    ws.send(buffer);
    state.samplesSent += written;
    frameLog.push([state.samplesSent, performance.now()]);
    document.body.dataset.samplesSent = String(state.samplesSent);
}

async function startMicrophone() {
    const stream = await navigator.mediaDevices.getUserMedia({
        audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false },
    });
    let context;
    let source;
    try {
        context = new AudioContext({ sampleRate: TARGET_RATE });
        source = context.createMediaStreamSource(stream);
    } catch (error) {
        // Some browsers refuse a context rate different from the microphone's: resample ourselves.
        if (context) context.close();
        context = new AudioContext();
        source = context.createMediaStreamSource(stream);
    }
    if (context.state === "suspended") await context.resume();
    const downsampler = new Downsampler(context.sampleRate);
    let node;
    if (context.audioWorklet && typeof AudioWorkletNode !== "undefined") {
        await context.audioWorklet.addModule("js/pcm-worklet.js");
        node = new AudioWorkletNode(context, "radscribe-pcm", { numberOfInputs: 1, numberOfOutputs: 1, channelCount: 1 });
        node.port.onmessage = (event) => queueSamples(downsampler.push(event.data));
    } else {
        node = context.createScriptProcessor(4096, 1, 1);
        node.onaudioprocess = (event) => queueSamples(downsampler.push(event.inputBuffer.getChannelData(0)));
    }
    source.connect(node);
    // Keep the graph pulled without playing the microphone back.
    const mute = context.createGain();
    mute.gain.value = 0;
    node.connect(mute).connect(context.destination);
    document.body.dataset.audioRate = String(context.sampleRate);
    state.audio = { stream, context, node, source };
}

function stopMicrophone() {
    const audio = state.audio;
    state.audio = null;
    if (!audio) return;
    try { audio.source.disconnect(); } catch { /* already */ }
    try { audio.node.disconnect(); } catch { /* already */ }
    for (const track of audio.stream.getTracks()) track.stop();
    audio.context.close().catch(() => {});
}

// ---------- latency ----------

function sentTimeOfSample(sampleIndex) {
    let lo = 0;
    let hi = frameLog.length - 1;
    if (hi < 0) return null;
    if (frameLog[hi][0] < sampleIndex) return frameLog[hi][1];
    while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (frameLog[mid][0] >= sampleIndex) hi = mid;
        else lo = mid + 1;
    }
    return frameLog[lo][1];
}

function recordLatency(endSeconds) {
    if (typeof endSeconds !== "number" || !frameLog.length) return;
    const sentAt = sentTimeOfSample(Math.round(endSeconds * TARGET_RATE));
    if (sentAt === null) return;
    requestAnimationFrame(() => {
        const latency = performance.now() - sentAt;
        window.radscribeLatencies.push(latency);
        const node = $("latency");
        node.dataset.count = String(window.radscribeLatencies.length);
        node.dataset.lastMs = latency.toFixed(1);
        node.textContent = ` · last utterance on screen ${Math.round(latency)} ms after its audio was sent`;
    });
}

// ---------- WebSocket dictation ----------

function onMessage(event) {
    if (typeof event.data !== "string") return;
    let message;
    try { message = JSON.parse(event.data); } catch { return; }
    switch (message.type) {
        case "started":
            if (message.template) renderTemplate(message.template, state.report);
            showCursor(message.cursor);
            setState("started", state.source === "server"
                ? "Dictating from the reading-room microphone…" : "Dictating from the browser microphone…");
            if (state.source === "browser") {
                startMicrophone().catch((error) => {
                    showError(error, "The microphone could not be opened: ");
                    stop();
                });
            }
            break;
        case "partial":
            $("partial").textContent = message.text || "";
            break;
        case "utterance": {
            $("partial").textContent = "";
            updateSections(message.sections);
            updateFields(message.fields);
            showCursor(message.cursor);
            if (message.command) toast(`Command: ${message.command}`);
            window.radscribeUtterances.push({
                words: (message.words || []).map((w) => w.text), end: message.end, command: message.command ?? null,
                cursor: message.cursor || null, provisional: !!message.provisional,
            });
            state.utterances++;
            document.body.dataset.utterances = String(state.utterances);
            recordLatency(message.end);
            break;
        }
        case "checks":
            state.checks = message;
            document.body.dataset.checksSource = "websocket";
            showChecks();
            break;
        case "saved":
            state.saved = true;
            state.report = message.report || null;
            if (state.report && state.report.sections) updateSections(state.report.sections);
            document.body.dataset.saved = "true";
            document.body.dataset.reportStatus = state.report ? state.report.status : "";
            setState("saved", `Draft saved${state.report ? ` (version ${state.report.version}, ${state.report.status})` : ""}.`);
            showMessage("Dictation saved as a draft.", "ok");
            // The server sends `checks` after `saved`; ask for them if they do not come.
            setTimeout(() => { if (!state.checks) fetchChecks(); }, 2000);
            updateButtons();
            break;
        case "error":
            showMessage(`Dictation error: ${message.error}`, "error");
            setState("error", "Dictation stopped by an error.");
            stopMicrophone();
            break;
        default:
            break;
    }
}

async function fetchChecks() {
    try {
        state.checks = await api(`/api/reports/${encodeURIComponent(state.accession)}/checks`);
        document.body.dataset.checksSource = "http";
        showChecks();
    } catch (error) {
        showError(error, "Could not run the checks: ");
    }
}

function showChecks() {
    const panel = $("checks");
    renderChecks(panel, state.checks);
    panel.classList.remove("hidden");
    document.body.dataset.checksShown = "true";
    updateButtons();
}

function updateButtons() {
    const actions = (state.report && state.report.allowedActions) || [];
    const dictating = ["connecting", "started", "stopping"].includes(document.body.dataset.wsState);
    const canSign = actions.includes("sign-final") || actions.includes("sign-preliminary");
    // The checks are shown before signing is possible; blocking problems keep it disabled.
    $("sign").disabled = dictating || !state.saved || !state.checks || state.checks.blocking || !canSign;
    $("sign").textContent = state.me && state.me.role === "resident" ? "Sign (preliminary)" : "Sign";
    $("send-correction").disabled = dictating || !state.saved || !actions.includes("request-correction");
    $("start").disabled = dictating;
    $("stop").disabled = !dictating;
    $("template").disabled = dictating;
}

function start() {
    if (state.ws) return;
    const slug = $("template").value;
    if (!slug) {
        showMessage("Choose a template first.", "error");
        return;
    }
    state.source = document.querySelector("input[name=source]:checked").value;
    state.saved = false;
    state.checks = null;
    state.samplesSent = 0;
    state.pending = [];
    state.pendingLength = 0;
    frameLog.length = 0;
    document.body.dataset.saved = "false";
    $("checks").classList.add("hidden");
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const ws = new WebSocket(`${scheme}://${location.host}/api/dictation`);
    ws.binaryType = "arraybuffer";
    state.ws = ws;
    setState("connecting", "Connecting…");
    updateButtons();
    ws.addEventListener("open", () => {
        ws.send(JSON.stringify({ type: "start", accession: state.accession, template: slug, source: state.source }));
    });
    ws.addEventListener("message", onMessage);
    ws.addEventListener("close", (event) => {
        stopMicrophone();
        state.ws = null;
        if (!state.saved && document.body.dataset.wsState !== "error") {
            setState("closed", "The dictation connection closed before the draft was saved.");
            showMessage(`The dictation connection closed (${event.code}${event.reason ? `: ${event.reason}` : ""}).`, "error");
        }
        updateButtons();
    });
    ws.addEventListener("error", () => {
        showMessage("The dictation connection failed (not permitted, or the server is unreachable).", "error");
    });
}

function stop() {
    const ws = state.ws;
    if (!ws) return;
    stopMicrophone();
    if (ws.readyState === WebSocket.OPEN) {
        if (state.pendingLength > 0) sendFrame(state.pendingLength);
        ws.send(JSON.stringify({ type: "stop" }));
        setState("stopping", "Finishing: recognizing the rest and saving the draft…");
    } else {
        ws.close();
    }
    updateButtons();
}

async function sign() {
    $("sign").disabled = true;
    try {
        const report = await api(`/api/reports/${encodeURIComponent(state.accession)}/sign`, {
            method: "POST", body: { preliminary: false, force: false },
        });
        state.report = report;
        document.body.dataset.reportStatus = report.status;
        showMessage(`Signed: the report is ${report.status}.`, "ok");
    } catch (error) {
        if (error.status === 409 && error.body && error.body.checks) {
            state.checks = error.body.checks;
            showChecks();
            showMessage(`Not signed: ${error.message}`, "error");
        } else {
            showError(error, "Signing failed: ");
        }
    }
    updateButtons();
}

async function sendForCorrection() {
    $("send-correction").disabled = true;
    try {
        const report = await api(`/api/reports/${encodeURIComponent(state.accession)}/send-for-correction`, { method: "POST" });
        state.report = report;
        document.body.dataset.reportStatus = report.status;
        showMessage(`Sent for correction: the report is ${report.status}.`, "ok");
    } catch (error) {
        showError(error, "Sending for correction failed: ");
    }
    updateButtons();
}

async function showChooser(templates) {
    $("choose").classList.remove("hidden");
    $("choose-template").replaceChildren(...templates.map((t) => el("option", { value: t.slug }, `${t.title} (${t.slug})`)));
    $("choose-accession").focus();
}

async function main() {
    state.me = await initPage();
    if (!canDictate(state.me.role)) {
        showMessage(`A ${state.me.role} may not dictate; only radiologists and residents can.`, "error");
        return;
    }
    let templates = [];
    try {
        templates = (await api("/api/templates")).templates || [];
    } catch (error) {
        showError(error, "Could not load the templates: ");
    }
    state.accession = param("accession");
    if (!state.accession) {
        showChooser(templates);
        return;
    }
    $("dictation").classList.remove("hidden");
    $("title").textContent = `Dictation — ${state.accession}`;
    $("report-link").href = `report.html?accession=${encodeURIComponent(state.accession)}`;

    let order = null;
    try {
        state.report = await api(`/api/reports/${encodeURIComponent(state.accession)}`);
        order = state.report.order;
    } catch (error) {
        if (error.status !== 404) showError(error, "Could not load the report: ");
    }
    if (!order) {
        try { order = await api(`/api/orders/${encodeURIComponent(state.accession)}`); } catch { /* no order: new accession */ }
    }
    const info = $("order-info");
    if (order) {
        info.append(
            el("dt", {}, "Patient"), el("dd", {}, `${formatPatientName(order.patient)} (MRN ${order.patient && order.patient.mrn || "—"})`),
            el("dt", {}, "Procedure"), el("dd", {}, `${order.procedureName || "—"} (${order.modality || "—"})`),
            el("dt", {}, "Priority"), el("dd", {}, order.priority || "—"),
            el("dt", {}, "Reason"), el("dd", {}, order.reasonForExam || "—"));
    } else {
        info.append(el("dt", {}, "Order"), el("dd", {}, "No order for this accession: a new report will be created."));
    }

    const slug = param("template") || (state.report && state.report.templateSlug)
        || (order && guessTemplate(templates, order.procedureName, order.modality)) || (templates[0] && templates[0].slug);
    $("template").replaceChildren(...templates.map((t) => el("option", { value: t.slug }, `${t.title} (${t.slug})`)));
    if (slug) $("template").value = slug;
    $("template").addEventListener("change", () => loadTemplate($("template").value));
    await loadTemplate($("template").value);

    $("controls").addEventListener("submit", (event) => event.preventDefault());
    $("start").addEventListener("click", start);
    $("stop").addEventListener("click", stop);
    $("sign").addEventListener("click", sign);
    $("send-correction").addEventListener("click", sendForCorrection);
    document.addEventListener("keydown", (event) => {
        if (event.key === "F2") {
            event.preventDefault();
            if (state.ws) stop(); else start();
        }
    });
    updateButtons();
    document.body.dataset.ready = "true";
}

main().catch((error) => showError(error));
