import {
    api, initPage, showError, showMessage, clearMessages, el, formatMinutes, formatTime, formatPatientName,
    statusBadge, priorityBadge, canDictate,
} from "./api.js";
import { guessTemplate } from "./templates.js";

const priorityRank = { STAT: 0, URGENT: 1, ROUTINE: 2 };
let rows = [];
let templates = [];
let me = null;
let sort = { key: "priority", direction: "ascending" };

function sortValue(row, key) {
    switch (key) {
        case "priority": return priorityRank[row.priority] ?? 9;
        case "patient": return formatPatientName(row.patient);
        case "orderedAt": return row.orderedAt || "";
        case "age": return row.turnaroundMinutes ?? row.ageMinutes ?? 0;
        default: return String(row[key] ?? "");
    }
}

function compare(a, b) {
    // STAT always first, whatever the sort.
    const stat = (a.priority === "STAT" ? 0 : 1) - (b.priority === "STAT" ? 0 : 1);
    if (stat) return stat;
    const va = sortValue(a, sort.key);
    const vb = sortValue(b, sort.key);
    let result = typeof va === "number" && typeof vb === "number" ? va - vb : String(va).localeCompare(String(vb));
    if (!result) {
        result = (priorityRank[a.priority] ?? 9) - (priorityRank[b.priority] ?? 9)
            || String(a.orderedAt || "").localeCompare(String(b.orderedAt || ""));
        return result;
    }
    return sort.direction === "ascending" ? result : -result;
}

function filtered() {
    const status = document.getElementById("filter-status").value;
    const modality = document.getElementById("filter-modality").value;
    const priority = document.getElementById("filter-priority").value;
    return rows.filter((r) => (!status || r.status === status) && (!modality || r.modality === modality)
        && (!priority || r.priority === priority)).sort(compare);
}

function actionsFor(row) {
    const links = [el("a", { href: `report.html?accession=${encodeURIComponent(row.accession)}`, class: "report-link" }, "Report")];
    const dictatable = ["scheduled", "dictating", "draft", "corrected-draft"].includes(row.status);
    if (canDictate(me.role) && dictatable) {
        const slug = row.templateSlug || guessTemplate(templates, row.procedureName, row.modality);
        const query = new URLSearchParams({ accession: row.accession });
        if (slug) query.set("template", slug);
        links.push(el("a", { href: `dictate.html?${query}`, class: "button dictate-link" }, "Dictate"));
    }
    if (me.role === "transcriptionist" && row.status === "pending-correction") {
        links.push(el("a", { href: `correct.html?accession=${encodeURIComponent(row.accession)}`, class: "button correct-link" }, "Correct"));
    }
    return el("div", { class: "actions" }, links);
}

function render() {
    const tbody = document.querySelector("#worklist tbody");
    const list = filtered();
    tbody.replaceChildren(...list.map((row) => {
        const age = row.turnaroundMinutes !== null && row.turnaroundMinutes !== undefined
            ? el("span", { title: "Turnaround: order to final signature" }, `TAT ${formatMinutes(row.turnaroundMinutes)}`)
            : el("span", { title: "Minutes since ordered" }, formatMinutes(row.ageMinutes));
        return el("tr", {
            class: row.priority === "STAT" ? "stat" : null,
            "data-accession": row.accession, "data-priority": row.priority, "data-status": row.status,
        },
        el("td", {}, priorityBadge(row.priority)),
        el("td", {}, el("a", { href: `report.html?accession=${encodeURIComponent(row.accession)}` }, row.accession)),
        el("td", {}, formatPatientName(row.patient),
            row.patient && row.patient.mrn ? el("div", { class: "status-line" }, `MRN ${row.patient.mrn}`) : null),
        el("td", {}, row.procedureName || "—"),
        el("td", {}, row.modality || "—"),
        el("td", {}, statusBadge(row.status)),
        el("td", {}, formatTime(row.orderedAt)),
        el("td", {}, age),
        el("td", {}, actionsFor(row)));
    }));
    document.getElementById("worklist-count").textContent =
        `${list.length} of ${rows.length} orders shown; STAT first.`;
    for (const button of document.querySelectorAll("th button.sort")) {
        const active = button.dataset.key === sort.key;
        if (active) button.setAttribute("aria-sort-dir", sort.direction);
        else button.removeAttribute("aria-sort-dir");
        button.closest("th").setAttribute("aria-sort", active ? sort.direction : "none");
    }
    document.body.dataset.loaded = "true";
}

function fillSelect(id, values) {
    const select = document.getElementById(id);
    const current = select.value;
    const first = select.options[0];
    select.replaceChildren(first, ...[...new Set(values.filter(Boolean))].sort().map((v) => el("option", { value: v }, v)));
    select.value = current;
}

async function load() {
    try {
        const data = await api("/api/worklist?limit=500");
        rows = data.items || [];
        fillSelect("filter-status", rows.map((r) => r.status));
        fillSelect("filter-modality", rows.map((r) => r.modality));
        render();
    } catch (error) {
        showError(error, "Could not load the worklist: ");
    }
}

async function search(event) {
    event.preventDefault();
    const q = document.getElementById("search-q").value.trim();
    const out = document.getElementById("search-results");
    if (!q) { out.replaceChildren(); return; }
    try {
        const data = await api(`/api/search?q=${encodeURIComponent(q)}&limit=50`);
        const hits = data.hits || [];
        out.replaceChildren(hits.length
            ? el("ul", {}, hits.map((h) => el("li", {},
                el("a", { href: `report.html?accession=${encodeURIComponent(h.accession)}` }, h.accession), " ",
                statusBadge(h.status), ` ${h.modality || ""} ${h.procedureName || ""}`,
                h.snippet ? el("div", { class: "status-line" }, h.snippet) : null)))
            : el("p", {}, `No report contains “${q}”.`));
    } catch (error) {
        showError(error, "Search failed: ");
    }
}

async function main() {
    me = await initPage();
    try {
        templates = (await api("/api/templates")).templates || [];
    } catch (error) {
        showError(error, "Could not load the templates: ");
    }
    if (canDictate(me.role)) {
        document.getElementById("new-dictation").classList.remove("hidden");
        document.getElementById("new-template").replaceChildren(
            ...templates.map((t) => el("option", { value: t.slug }, `${t.title} (${t.slug})`)));
    }
    for (const id of ["filter-status", "filter-modality", "filter-priority"]) {
        document.getElementById(id).addEventListener("change", render);
    }
    for (const button of document.querySelectorAll("th button.sort")) {
        button.addEventListener("click", () => {
            const key = button.dataset.key;
            sort = { key, direction: sort.key === key && sort.direction === "ascending" ? "descending" : "ascending" };
            render();
        });
    }
    document.getElementById("refresh").addEventListener("click", () => { clearMessages(); load(); });
    document.getElementById("search-form").addEventListener("submit", search);
    await load();
    if (!rows.length) showMessage("The worklist is empty.", "info");
}

main().catch((error) => showError(error));
