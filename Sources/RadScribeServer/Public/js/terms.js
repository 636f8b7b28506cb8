// The term lookup: ontology concepts by term, synonym, abbreviation, RS: id or RadLex RID (GET /api/ontology).
import { api, initPage, showError, showMessage, el } from "./api.js";

const $ = (id) => document.getElementById(id);

async function lookUp(text) {
    try {
        const data = await api(`/api/ontology?q=${encodeURIComponent(text)}&limit=50`);
        const rows = (data.concepts || []).map((c) => el("tr", { "data-concept": c.id },
            el("td", {}, c.preferredTerm), el("td", {}, c.category), el("td", { class: "rid" }, c.radlexRID || "—"),
            el("td", {}, c.matchedTerm), el("td", {}, c.id)));
        $("terms").querySelector("tbody").replaceChildren(...rows);
        showMessage(rows.length ? `${rows.length} concept(s) for "${text}".` : `Nothing found for "${text}".`,
            rows.length ? "ok" : "warn");
        document.body.dataset.termsLoaded = "true";
    } catch (error) {
        showError(error, "The lookup failed: ");
    }
}

async function main() {
    await initPage();
    $("terms-form").addEventListener("submit", (event) => {
        event.preventDefault();
        const text = $("terms-query").value.trim();
        if (text) lookUp(text);
    });
    const query = new URLSearchParams(location.search).get("q");
    if (query) {
        $("terms-query").value = query;
        await lookUp(query);
    }
    document.body.dataset.ready = "true";
}

main().catch((error) => showError(error));
