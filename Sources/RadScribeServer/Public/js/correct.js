import { api, initPage, showError, showMessage, el, param, formatPatientName, statusBadge } from "./api.js";

const $ = (id) => document.getElementById(id);
const riskNames = {
    "low-confidence": "low recognition confidence",
    number: "a number",
    laterality: "laterality (left/right)",
    negation: "negation (no, without, …)",
    "after-pause": "right after a pause, where a word is most easily lost (check the words before it)",
};
let wordNodes = []; // [{node, start, end}], sorted by start
let current = null;
let accession = null;
// The version the corrections are made on: the server refuses (409) a save if another version was saved meanwhile.
let loadedVersion = null;

function renderWords(report) {
    const view = $("word-view");
    view.replaceChildren();
    wordNodes = [];
    for (const section of report.sections || []) {
        const words = (report.words && report.words[section.key]) || [];
        const block = el("div", { class: "panel", "data-section": section.key }, el("h3", {}, section.title || section.key));
        if (words.length) {
            const p = el("p", {});
            words.forEach((word, index) => {
                const risks = word.risks || [];
                const span = el("span", {
                    class: `word${risks.length ? " risk" : ""}`, tabindex: "0", role: "button",
                    "data-start": word.start, "data-end": word.end, "data-section": section.key, "data-index": index,
                    "data-risks": risks.join(" "),
                    title: risks.length
                        ? `Check: ${risks.map((r) => riskNames[r] || r).join(", ")} (confidence ${Number(word.confidence ?? 0).toFixed(2)})`
                        : `${Number(word.start).toFixed(2)} s`,
                    "aria-label": risks.length ? `${word.text}, check: ${risks.map((r) => riskNames[r] || r).join(", ")}` : null,
                }, word.text);
                p.append(span, " ");
                wordNodes.push({ node: span, start: Number(word.start), end: Number(word.end) });
            });
            block.append(p);
        } else {
            block.append(el("p", { class: "plain" }, section.text || "—"));
        }
        view.append(block);
    }
    wordNodes.sort((a, b) => a.start - b.start);
    document.body.dataset.words = String(wordNodes.length);
    document.body.dataset.riskyWords = String(view.querySelectorAll(".word.risk").length);
}

function renderEditors(report) {
    $("editors").replaceChildren(...(report.sections || []).map((section) => el("div", {},
        el("label", { for: `edit-${section.key}` }, section.title || section.key),
        el("textarea", { id: `edit-${section.key}`, "data-section": section.key, rows: "4" }, section.text || ""))));
}

function highlight() {
    const audio = $("audio");
    const t = audio.currentTime;
    let found = null;
    for (const entry of wordNodes) {
        if (entry.start <= t && t < entry.end) { found = entry; break; }
        if (entry.start > t) break;
    }
    if (found !== current) {
        if (current) current.node.classList.remove("playing");
        if (found) found.node.classList.add("playing");
        current = found;
        document.body.dataset.playingWord = found ? found.node.textContent : "";
        if (found) document.body.dataset.highlightSeen = "true";
    }
}

function loop() {
    highlight();
    if (!$("audio").paused) requestAnimationFrame(loop);
}

function togglePlay() {
    const audio = $("audio");
    if (audio.paused) audio.play().catch((error) => showError(error, "Playback failed: "));
    else audio.pause();
}

function seek(delta) {
    const audio = $("audio");
    audio.currentTime = Math.max(0, Math.min(audio.duration || Infinity, audio.currentTime + delta));
    highlight();
}

function playFrom(start) {
    const audio = $("audio");
    audio.currentTime = start;
    document.body.dataset.lastSeek = String(start);
    highlight();
    audio.play().catch((error) => showError(error, "Playback failed: "));
}

async function save(event) {
    event.preventDefault();
    const sections = [...document.querySelectorAll("#editors textarea")].map((t) => ({ key: t.dataset.section, text: t.value }));
    $("save").disabled = true;
    try {
        const report = await api(`/api/reports/${encodeURIComponent(accession)}/correction`, { method: "POST", body: { sections, version: loadedVersion } });
        document.body.dataset.saved = "true";
        document.body.dataset.reportStatus = report.status;
        const done = $("done");
        done.replaceChildren(el("p", { id: "sent-back" }, `Sent back as corrected (status ${report.status}, version ${report.version}).`),
            el("p", {}, el("a", { href: "worklist.html" }, "Back to the worklist")));
        done.classList.remove("hidden");
        showMessage("Correction saved: sent back as corrected.", "ok");
        done.querySelector("a").focus();
    } catch (error) {
        showError(error, "Saving the correction failed: ");
        $("save").disabled = false;
    }
}

async function main() {
    const me = await initPage();
    accession = param("accession");
    if (!accession) {
        showMessage("No accession given: open a report from the worklist.", "error");
        return;
    }
    $("title").textContent = `Correction — ${accession}`;
    let report;
    try {
        report = await api(`/api/reports/${encodeURIComponent(accession)}`);
    } catch (error) {
        showError(error, "Could not load the report: ");
        return;
    }
    loadedVersion = report.version;
    const order = report.order || {};
    $("report-info").append(
        el("dt", {}, "Status"), el("dd", {}, statusBadge(report.status)),
        el("dt", {}, "Patient"), el("dd", {}, formatPatientName(order.patient)),
        el("dt", {}, "Procedure"), el("dd", {}, order.procedureName || report.templateSlug || "—"),
        el("dt", {}, "Audio"), el("dd", {}, report.audioSeconds ? `${Number(report.audioSeconds).toFixed(1)} s` : "—"));
    if (!(report.allowedActions || []).includes("correct")) {
        showMessage(`A ${me.role} cannot correct this report now (status ${report.status}).`, "warn");
    }
    renderWords(report);
    renderEditors(report);

    const audio = $("audio");
    audio.src = `/api/reports/${encodeURIComponent(accession)}/audio`;
    audio.addEventListener("play", () => requestAnimationFrame(loop));
    audio.addEventListener("timeupdate", highlight);
    audio.addEventListener("seeked", highlight);
    audio.addEventListener("error", () => {
        $("audio-status").textContent = "The dictation audio could not be loaded.";
    });
    audio.addEventListener("loadedmetadata", () => {
        $("audio-status").textContent = `Dictation audio: ${audio.duration.toFixed(1)} s.`;
        document.body.dataset.audioReady = "true";
    });

    $("word-view").addEventListener("click", (event) => {
        const word = event.target.closest(".word[data-start]");
        if (word) playFrom(Number(word.dataset.start));
    });
    $("word-view").addEventListener("keydown", (event) => {
        const word = event.target.closest(".word[data-start]");
        if (word && (event.key === "Enter" || event.key === " ")) {
            event.preventDefault();
            playFrom(Number(word.dataset.start));
        }
    });
    document.addEventListener("keydown", (event) => {
        const ctrl = event.ctrlKey && !event.altKey && !event.metaKey;
        // In a text box Ctrl+arrows keep moving by word; F3/F5 work everywhere.
        const typing = event.target.matches && event.target.matches("textarea, input");
        const ctrlArrow = ctrl && !typing;
        if (event.key === "F4" || (ctrl && (event.key === " " || event.code === "Space"))) {
            event.preventDefault();
            togglePlay();
        } else if (event.key === "F3" || (ctrlArrow && event.key === "ArrowLeft")) {
            event.preventDefault();
            seek(-3);
        } else if (event.key === "F5" || (ctrlArrow && event.key === "ArrowRight")) {
            event.preventDefault();
            seek(3);
        }
    });
    $("edit-form").addEventListener("submit", save);
    document.body.dataset.ready = "true";
}

main().catch((error) => showError(error));
