import { api, showMessage, showError } from "./api.js";

const form = document.getElementById("login-form");

form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const name = document.getElementById("name").value.trim();
    const password = document.getElementById("password").value;
    if (!name || !password) {
        showMessage("Enter your user name and password.", "error");
        return;
    }
    const button = document.getElementById("login-button");
    button.disabled = true;
    showMessage("Logging in…");
    try {
        await api("/api/login", { method: "POST", body: { name, password }, noRedirect: true });
        const next = new URLSearchParams(location.search).get("next");
        // Only relative pages of this site.
        location.href = next && /^[a-z]+\.html(\?.*)?$/.test(next) ? next : "worklist.html";
    } catch (error) {
        if (error.status === 401) showMessage("Login failed: wrong user name or password, or the account is locked.", "error");
        else showError(error, "Login failed: ");
        button.disabled = false;
        document.getElementById("password").select();
    }
});
