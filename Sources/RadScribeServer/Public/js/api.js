// Shared helpers for every page: JSON fetch with error display, redirect to login on 401,
// the header (user, role, links, log out) and small formatting utilities.

export class ApiError extends Error {
    constructor(status, body, path) {
        super((body && body.error) || `HTTP ${status} on ${path}`);
        this.status = status;
        this.body = body;
        this.path = path;
    }
}

/** Calls the JSON API. On 401 goes to the login page (unless `noRedirect`). Throws ApiError otherwise. */
export async function api(path, { method = "GET", body, noRedirect = false } = {}) {
    const init = { method, headers: { Accept: "application/json" }, credentials: "same-origin" };
    if (body !== undefined) {
        init.headers["Content-Type"] = "application/json";
        init.body = JSON.stringify(body);
    }
    let response;
    try {
        response = await fetch(path, init);
    } catch (error) {
        throw new ApiError(0, { error: `The RadScribe server cannot be reached (${error.message}).` }, path);
    }
    if (response.status === 401 && !noRedirect) {
        const next = encodeURIComponent(location.pathname.replace(/^\//, "") + location.search);
        location.href = `index.html?next=${next}`;
        throw new ApiError(401, { error: "Your session has ended; please log in again." }, path);
    }
    if (response.status === 204) return null;
    const text = await response.text();
    let data = null;
    if (text) {
        try { data = JSON.parse(text); } catch { data = { error: text }; }
    }
    if (!response.ok) throw new ApiError(response.status, data, path);
    return data;
}

/** Adds a message to the page's aria-live region. kind: info | ok | warn | error. */
export function showMessage(text, kind = "info", { replace = true } = {}) {
    const region = document.getElementById("messages");
    if (!region) return;
    if (replace) region.replaceChildren();
    const div = el("div", { class: `msg ${kind}`, role: kind === "error" ? "alert" : null }, text);
    region.append(div);
}

export function clearMessages() {
    const region = document.getElementById("messages");
    if (region) region.replaceChildren();
}

/** Shows an error (ApiError or anything thrown) in the messages region. */
export function showError(error, prefix = "") {
    const status = error instanceof ApiError && error.status ? ` (HTTP ${error.status})` : "";
    showMessage(`${prefix}${error.message || error}${status}`, "error");
    console.error(error);
}

/** Creates an element: el("a", {href: "x", class: "y"}, "text", child...). null attributes are skipped. */
export function el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
        if (value === null || value === undefined || value === false) continue;
        if (name.startsWith("on") && typeof value === "function") node.addEventListener(name.slice(2), value);
        else if (name === "dataset") Object.assign(node.dataset, value);
        else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
        if (child === null || child === undefined || child === false) continue;
        node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
}

export function param(name) {
    return new URLSearchParams(location.search).get(name);
}

/** 65 → "1 h 05 min"; 7 → "7 min"; 1500 → "1 d 1 h 00 min". */
export function formatMinutes(minutes) {
    if (minutes === null || minutes === undefined || Number.isNaN(Number(minutes))) return "—";
    let m = Math.max(0, Math.round(Number(minutes)));
    const days = Math.floor(m / 1440);
    m -= days * 1440;
    const hours = Math.floor(m / 60);
    const rest = m - hours * 60;
    if (days > 0) return `${days} d ${hours} h ${String(rest).padStart(2, "0")} min`;
    if (hours > 0) return `${hours} h ${String(rest).padStart(2, "0")} min`;
    return `${rest} min`;
}

export function formatTime(iso) {
    if (!iso) return "—";
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return String(iso);
    const pad = (n) => String(n).padStart(2, "0");
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A patient's name: "DOE^JANE" → "DOE, JANE"; a patient object ({name} or {familyName, givenName}) too. */
export function formatPatientName(name) {
    if (name && typeof name === "object") {
        name = name.name || [name.familyName, name.givenName].filter(Boolean).join("^");
    }
    if (!name) return "—";
    const parts = String(name).split("^").filter(Boolean);
    return parts.length > 1 ? `${parts[0]}, ${parts.slice(1).join(" ")}` : parts[0] || "—";
}

export function statusBadge(status) {
    return el("span", { class: "badge", "data-status": status || "unknown" }, status || "unknown");
}

export function priorityBadge(priority) {
    return el("span", { class: `badge priority-${priority}` }, priority || "—");
}

export const canDictate = (role) => role === "radiologist" || role === "resident";

let currentUser = null;

/** Loads the user (GET /api/me) and fills the page header. Redirects to login when there is no session. */
export async function initPage() {
    const user = await api("/api/me");
    currentUser = user;
    const header = document.querySelector("header.app-header");
    if (header) {
        const nav = el("nav", { "aria-label": "Main" },
            el("a", { href: "worklist.html" }, "Worklist"),
            user.role === "interface" ? null : el("a", { href: "terms.html" }, "Terms"),
            user.role === "administrator" ? el("a", { href: "admin.html" }, "Admin") : null,
        );
        const logout = el("button", { type: "button", class: "secondary", id: "logout" }, "Log out");
        logout.addEventListener("click", logoutNow);
        header.replaceChildren(
            el("span", { class: "brand" }, "RadScribe"),
            nav,
            el("span", { class: "user", id: "current-user", "data-name": user.name, "data-role": user.role },
                "Signed in as ", el("strong", {}, user.name), ` (${user.role})`),
            logout,
        );
    }
    document.body.dataset.user = user.name;
    document.body.dataset.role = user.role;
    return user;
}

export function user() {
    return currentUser;
}

export async function logoutNow() {
    try {
        await api("/api/logout", { method: "POST", noRedirect: true });
    } catch (error) {
        console.warn("logout", error);
    }
    location.href = "index.html";
}

/** A checks panel ({blocking, results}) as a list: blocking red, warnings amber. */
export function renderChecks(container, checks) {
    container.replaceChildren();
    const results = (checks && checks.results) || [];
    container.dataset.blocking = checks && checks.blocking ? "true" : "false";
    container.dataset.count = String(results.length);
    container.append(el("h2", {}, "Checks before signing"));
    if (!results.length) {
        container.append(el("p", { class: "check info" }, "No problems found."));
        return;
    }
    const order = { blocking: 0, warning: 1, info: 2 };
    const sorted = [...results].sort((a, b) => (order[a.severity] ?? 3) - (order[b.severity] ?? 3));
    container.append(el("p", {}, checks.blocking
        ? "Blocking problems must be fixed before the report can be signed."
        : "No blocking problems; review the warnings before signing."));
    container.append(el("ul", {}, sorted.map((r) => el("li", { class: `check ${r.severity}`, "data-kind": r.kind },
        el("strong", {}, `${r.severity === "blocking" ? "Blocking" : r.severity === "warning" ? "Warning" : "Note"}: `),
        r.message, r.section ? ` (section: ${r.section})` : ""))));
}

/** The HL7 payload with one segment per line. */
export function segmentsText(payload) {
    return String(payload || "").split(/\r\n|\r|\n/).filter((s) => s.length).join("\n");
}
