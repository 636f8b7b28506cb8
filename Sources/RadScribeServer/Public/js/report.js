import {
    api, initPage, showError, showMessage, clearMessages, el, param, formatPatientName, formatTime, statusBadge,
    renderChecks, segmentsText, canDictate,
} from "./api.js";

const $ = (id) => document.getElementById(id);
let accession = null;
let report = null;
let me = null;
const path = (suffix = "") => `/api/reports/${encodeURIComponent(accession)}${suffix}`;

function renderReport() {
    const order = report.order || {};
    document.body.dataset.status = report.status;
    $("title").textContent = `Report — ${accession}`;
    $("report-info").replaceChildren(...[
        el("dt", {}, "Status"), el("dd", { id: "report-status", "data-status": report.status }, statusBadge(report.status)),
        el("dt", {}, "Version"), el("dd", {}, String(report.version ?? "—")),
        el("dt", {}, "Patient"), el("dd", {}, `${formatPatientName(order.patient)} (MRN ${(order.patient && order.patient.mrn) || "—"})`),
        el("dt", {}, "Procedure"), el("dd", {}, `${order.procedureName || "—"} (${order.modality || "—"}), ${order.priority || ""}`),
        el("dt", {}, "Template"), el("dd", {}, `${report.templateSlug || "—"}${report.templateVersion ? ` v${report.templateVersion}` : ""}`),
        el("dt", {}, "Signed by"), el("dd", { id: "signed-by" }, report.signedBy ? `${report.signedBy} at ${formatTime(report.signedAt)}` : "not signed"),
        report.preliminaryBy ? el("dt", {}, "Preliminary") : null,
        report.preliminaryBy ? el("dd", {}, report.preliminaryBy) : null,
        el("dt", {}, "Updated"), el("dd", {}, formatTime(report.updatedAt))].filter(Boolean));
    $("sections").replaceChildren(...(report.sections || []).map((s) => el("section", {
        class: "section", "data-section": s.key, "aria-label": s.title || s.key,
    }, el("h3", {}, s.title || s.key, s.loincCode ? el("span", { class: "status-line" }, ` LOINC ${s.loincCode}`) : null),
    el("div", { class: "text" }, s.text || "—"))));
    const findings = report.findings || [];
    $("findings").querySelector("tbody").replaceChildren(...(findings.length ? findings.map((f) => el("tr", {
        "data-term": f.term, "data-presence": f.presence,
    }, el("td", {}, f.term), el("td", { class: `presence presence-${f.presence}` }, f.presence),
    el("td", {}, f.laterality || "—"), el("td", {}, f.radlexID || f.conceptID))) : [
        el("tr", {}, el("td", { colspan: "4" }, "none coded")),
    ]));
    renderActions();
}

function button(label, id, onClick, cls = "") {
    const b = el("button", { type: "button", id, class: cls }, label);
    b.addEventListener("click", onClick);
    return b;
}

function renderActions() {
    const actions = report.allowedActions || [];
    const bar = $("actions");
    bar.replaceChildren();
    if (actions.includes("sign-final") || actions.includes("sign-preliminary")) {
        bar.append(button(actions.includes("sign-final") ? "Sign…" : "Sign preliminary…", "sign", showSign, "primary"));
    }
    if (actions.includes("request-correction")) bar.append(button("Send for correction", "send-correction", sendForCorrection));
    if (actions.includes("begin-dictation") && canDictate(me.role)) {
        bar.append(el("a", { class: "button", href: `dictate.html?accession=${encodeURIComponent(accession)}${report.templateSlug ? `&template=${encodeURIComponent(report.templateSlug)}` : ""}` }, "Dictate"));
    }
    if (actions.includes("correct") && me.role === "transcriptionist") {
        bar.append(el("a", { class: "button", href: `correct.html?accession=${encodeURIComponent(accession)}` }, "Correct"));
    }
    if (actions.includes("save-draft")) bar.append(button("Edit draft", "edit-draft", () => showSectionsForm("edit")));
    if (actions.includes("addendum")) bar.append(button("Add addendum", "addendum", showAddendum));
    if (actions.includes("correction")) bar.append(button("Amend (correct final)", "amend", () => showSectionsForm("amend")));
    if (actions.includes("cancel")) bar.append(button("Cancel report…", "cancel", showCancel, "danger"));
    if (!bar.children.length) bar.append(el("p", {}, `No actions for a ${me.role} on a ${report.status} report.`));
}

async function act(label, request) {
    try {
        report = await request();
        renderReport();
        $("action-form").classList.add("hidden");
        $("checks").classList.add("hidden");
        showMessage(`${label}: the report is ${report.status}.`, "ok");
        await loadTab(currentTab);
    } catch (error) {
        if (error.status === 409 && error.body && error.body.checks) {
            renderChecks($("checks"), error.body.checks);
            $("checks").classList.remove("hidden");
        }
        showError(error, `${label} failed: `);
    }
}

async function showSign() {
    clearMessages();
    const form = $("action-form");
    form.replaceChildren(el("p", {}, "Running the checks…"));
    form.classList.remove("hidden");
    let checks;
    try {
        checks = await api(path("/checks"));
    } catch (error) {
        showError(error, "Could not run the checks: ");
        return;
    }
    renderChecks($("checks"), checks);
    $("checks").classList.remove("hidden");
    const preliminary = !(report.allowedActions || []).includes("sign-final");
    const confirm = button(preliminary ? "Confirm preliminary signature" : "Confirm signature", "confirm-sign",
        () => act("Signed", () => api(path("/sign"), { method: "POST", body: { preliminary, force: false } })), "primary");
    confirm.disabled = !!checks.blocking;
    form.replaceChildren(el("p", {}, checks.blocking
        ? "Fix the blocking problems above before signing."
        : "Review the checks above, then confirm."), confirm);
    if (!checks.blocking) confirm.focus();
}

function sendForCorrection() {
    act("Sent for correction", () => api(path("/send-for-correction"), { method: "POST" }));
}

function showAddendum() {
    const form = $("action-form");
    const textarea = el("textarea", { id: "addendum-text", rows: "4" });
    const submit = button("Add the addendum", "confirm-addendum", () => {
        if (!textarea.value.trim()) { showMessage("Write the addendum first.", "error"); return; }
        act("Addendum added", () => api(path("/addendum"), { method: "POST", body: { text: textarea.value } }));
    }, "primary");
    form.replaceChildren(el("label", { for: "addendum-text" }, "Addendum"), textarea, el("p", {}, submit));
    form.classList.remove("hidden");
    textarea.focus();
}

function showSectionsForm(kind) {
    const form = $("action-form");
    const editors = (report.sections || []).map((s) => el("div", {},
        el("label", { for: `${kind}-${s.key}` }, s.title || s.key),
        el("textarea", { id: `${kind}-${s.key}`, "data-section": s.key, rows: "3" }, s.text || "")));
    const submit = button(kind === "amend" ? "Save the correction of the final report" : "Save the draft", `confirm-${kind}`, () => {
        const sections = [...form.querySelectorAll("textarea[data-section]")].map((t) => ({ key: t.dataset.section, text: t.value }));
        // The version shown travels with the edit: if someone saved meanwhile, the server refuses (409) instead of
        // overwriting their change.
        const version = report.version;
        if (kind === "amend") act("Amended", () => api(path("/amend"), { method: "POST", body: { sections, version } }));
        else act("Draft saved", () => api(path(""), { method: "PUT", body: { sections, version } }));
    }, "primary");
    form.replaceChildren(el("h2", {}, kind === "amend" ? "Amend the final report" : "Edit the draft"), ...editors, el("p", {}, submit));
    form.classList.remove("hidden");
    form.querySelector("textarea")?.focus();
}

function showCancel() {
    const form = $("action-form");
    const submit = button("Yes, cancel this report", "confirm-cancel",
        () => act("Cancelled", () => api(path("/cancel"), { method: "POST" })), "danger");
    form.replaceChildren(el("p", {}, "Cancelling tells the RIS the result is withdrawn (HL7 result status X)."), submit);
    form.classList.remove("hidden");
    submit.focus();
}

// ---------- tabs ----------

let currentTab = "history";

async function loadTab(name) {
    const panel = $(`panel-${name}`);
    try {
        if (name === "history") {
            const data = await api(path("/versions"));
            const versions = data.versions || [];
            panel.replaceChildren(el("h2", {}, "History"), versions.length ? el("ol", { class: "versions" }, versions.map((v) => el("li", {
                class: "panel", "data-version": v.number,
            }, el("strong", {}, `Version ${v.number}: ${v.action || ""} `), statusBadge(v.status),
            ` by ${v.author || "—"} (${v.role || "—"}), ${v.source || ""}, ${formatTime(v.createdAt)}`,
            v.audioSeconds ? ` · ${Number(v.audioSeconds).toFixed(1)} s audio` : "",
            el("pre", { class: "diff" }, v.diff || "(no change in the text)")))) : el("p", {}, "No versions yet."));
        } else if (name === "audit") {
            const data = await api(path("/audit"));
            const entries = data.entries || [];
            panel.replaceChildren(el("h2", {}, "Audit trail"), el("table", { id: "audit-table" },
                el("thead", {}, el("tr", {}, ["Time", "User", "Role", "Action", "Detail"].map((h) => el("th", { scope: "col" }, h)))),
                el("tbody", {}, entries.map((e) => el("tr", {}, el("td", {}, formatTime(e.at)), el("td", {}, e.user || "—"),
                    el("td", {}, e.role || "—"), el("td", {}, e.action || ""), el("td", {}, e.detail || ""))))));
        } else if (name === "hl7") {
            const data = await api(path("/messages"));
            const messages = data.messages || [];
            panel.replaceChildren(el("h2", {}, "HL7 messages"), messages.length ? el("div", {}, messages.map((m) => el("article", {
                class: "panel hl7-message", "data-id": m.id, "data-event": m.event, "data-result-status": m.resultStatus,
                "data-state": m.state, "data-control-id": m.controlId,
            }, el("dl", { class: "meta" },
                el("dt", {}, "Control ID"), el("dd", {}, m.controlId || "—"),
                el("dt", {}, "Event"), el("dd", {}, m.event || "—"),
                el("dt", {}, "Result status"), el("dd", {}, m.resultStatus || "—"),
                el("dt", {}, "State"), el("dd", { class: "state" }, m.state || "—"),
                el("dt", {}, "Destination"), el("dd", {}, m.destination || "none configured"),
                el("dt", {}, "ACK"), el("dd", {}, m.ackCode ? `${m.ackCode}${m.ackMessage ? `: ${m.ackMessage}` : ""}` : "no acknowledgment yet"),
                el("dt", {}, "Attempts"), el("dd", {}, `${m.attempts ?? 0}${m.lastError ? ` (last error: ${m.lastError})` : ""}`),
                el("dt", {}, "Created / sent"), el("dd", {}, `${formatTime(m.createdAt)} / ${m.sentAt ? formatTime(m.sentAt) : "not sent"}`)),
            el("pre", { class: "payload", "aria-label": `HL7 message ${m.controlId || m.id}` }, segmentsText(m.payload)))))
                : el("p", {}, "No HL7 messages for this report yet."));
        }
        panel.dataset.loaded = "true";
    } catch (error) {
        showError(error, `Could not load the ${name}: `);
    }
}

function selectTab(name, focus = false) {
    currentTab = name;
    for (const tab of document.querySelectorAll("[role=tab]")) {
        const selected = tab.id === `tab-${name}`;
        tab.setAttribute("aria-selected", String(selected));
        tab.tabIndex = selected ? 0 : -1;
        if (selected && focus) tab.focus();
        $(tab.getAttribute("aria-controls")).hidden = !selected;
    }
    loadTab(name);
}

async function main() {
    me = await initPage();
    accession = param("accession");
    if (!accession) {
        showMessage("No accession given: open a report from the worklist.", "error");
        return;
    }
    try {
        report = await api(path());
    } catch (error) {
        showError(error, "Could not load the report: ");
        return;
    }
    renderReport();
    const names = ["history", "audit", "hl7"];
    for (const name of names) $(`tab-${name}`).addEventListener("click", () => selectTab(name));
    $("tabs").addEventListener("keydown", (event) => {
        const index = names.indexOf(currentTab);
        if (event.key === "ArrowRight") selectTab(names[(index + 1) % names.length], true);
        else if (event.key === "ArrowLeft") selectTab(names[(index + names.length - 1) % names.length], true);
    });
    const initial = names.includes(location.hash.slice(1)) ? location.hash.slice(1) : "history";
    selectTab(initial);
    document.body.dataset.ready = "true";
}

main().catch((error) => showError(error));
