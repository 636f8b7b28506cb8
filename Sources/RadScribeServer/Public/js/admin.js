import { api, initPage, showError, showMessage, el, formatTime, segmentsText } from "./api.js";

const $ = (id) => document.getElementById(id);

async function loadUsers() {
    try {
        const data = await api("/api/users");
        $("users").querySelector("tbody").replaceChildren(...(data.users || []).map((u) => el("tr", { "data-user": u.name },
            el("td", {}, u.name), el("td", {}, u.role), el("td", {}, u.locked ? "locked" : "no"), el("td", {}, formatTime(u.createdAt)))));
        document.body.dataset.usersLoaded = "true";
    } catch (error) {
        showError(error, "Could not load the users: ");
    }
}

function accessionOf(payload) {
    // OBR-3 / ORC-3 filler order number is the accession; show PID-free hints only.
    const obr = String(payload || "").split(/\r|\n/).find((s) => s.startsWith("OBR|"));
    return obr ? (obr.split("|")[3] || "").split("^")[0] : "";
}

async function queueAction(id, action) {
    try {
        const message = await api(`/api/hl7/queue/${encodeURIComponent(id)}/${action}`, { method: "POST" });
        showMessage(`Message ${id}: ${action === "retry" ? "queued again" : "skipped"} (state ${message.state}).`, "ok");
        await loadQueue();
    } catch (error) {
        showError(error, `${action} failed: `);
    }
}

async function loadQueue() {
    const state = $("queue-state").value;
    try {
        const data = await api(`/api/hl7/queue${state ? `?state=${encodeURIComponent(state)}` : ""}`);
        const messages = data.messages || [];
        const tbody = $("queue").querySelector("tbody");
        tbody.replaceChildren(...messages.map((m) => {
            const retry = el("button", { type: "button", class: "retry" }, "Retry");
            retry.addEventListener("click", () => queueAction(m.id, "retry"));
            const skip = el("button", { type: "button", class: "danger skip" }, "Skip");
            skip.addEventListener("click", () => queueAction(m.id, "skip"));
            const details = el("details", {}, el("summary", {}, "Payload"), el("pre", {}, segmentsText(m.payload)));
            return el("tr", { "data-id": m.id, "data-state": m.state },
                el("td", {}, String(m.id)),
                el("td", {}, m.accession || accessionOf(m.payload) || "—", el("div", { class: "status-line" }, m.controlId || ""), details),
                el("td", {}, m.event || "—"), el("td", {}, m.resultStatus || "—"), el("td", {}, m.state || "—"),
                el("td", {}, m.destination || "—"),
                el("td", {}, m.ackCode ? `${m.ackCode}${m.ackMessage ? `: ${m.ackMessage}` : ""}` : "—"),
                el("td", {}, `${m.attempts ?? 0}${m.lastError ? ` · ${m.lastError}` : ""}`),
                el("td", {}, formatTime(m.createdAt)),
                el("td", {}, el("div", { class: "actions" },
                    m.state === "sent" || m.state === "skipped" ? null : retry,
                    m.state === "sent" || m.state === "skipped" ? null : skip)));
        }));
        if (!messages.length) tbody.append(el("tr", {}, el("td", { colspan: "10" }, "No messages in this state.")));
        document.body.dataset.queueLoaded = "true";
    } catch (error) {
        showError(error, "Could not load the HL7 queue: ");
    }
}

async function addUser(event) {
    event.preventDefault();
    const name = $("user-name").value.trim();
    const role = $("user-role").value;
    const password = $("user-password").value;
    try {
        await api("/api/users", { method: "POST", body: { name, role, password } });
        showMessage(`User ${name} (${role}) added.`, "ok");
        $("user-form").reset();
        await loadUsers();
    } catch (error) {
        showError(error, "Could not add the user: ");
    }
}

async function main() {
    const me = await initPage();
    if (me.role !== "administrator") {
        showMessage(`Administration is for administrators; you are a ${me.role}.`, "error");
        for (const section of document.querySelectorAll("main section")) section.hidden = true;
        return;
    }
    $("user-form").addEventListener("submit", addUser);
    $("queue-state").addEventListener("change", loadQueue);
    $("queue-refresh").addEventListener("click", loadQueue);
    await Promise.all([loadUsers(), loadQueue()]);
    document.body.dataset.ready = "true";
}

main().catch((error) => showError(error));
