/// `/assets/admin.js`, the administration console. The token lives in the closure's `token` variable only: a reload
/// or "Sign out" forgets it. Every value from the server is shown with `textContent`.
enum AdminScript {
    static let javascript = #"""
        "use strict";
        (function () {
          const $ = (id) => document.getElementById(id);
          let token = null;
          let documentsOffset = 0;
          let documentsTotal = 0;
          let documents = [];
          const PAGE = 50;

          function el(tag, attributes, children) {
            const node = document.createElement(tag);
            for (const [key, value] of Object.entries(attributes || {})) {
              if (value === null || value === undefined || value === false) continue;
              if (key === "text") node.textContent = value;
              else if (key === "className") node.className = value;
              else node.setAttribute(key, value === true ? "" : String(value));
            }
            for (const child of children || []) {
              node.append(typeof child === "string" ? document.createTextNode(child) : child);
            }
            return node;
          }

          function status(message, isError) {
            $("admin-status").replaceChildren(isError ? el("span", {className: "error", text: message}) : message);
          }

          // One API call with the token; a 401 means the token expired: back to the sign-in form.
          async function api(method, path, body) {
            const headers = {"Authorization": "Bearer " + token};
            if (body !== undefined) headers["Content-Type"] = "application/json";
            const response = await fetch(path, {method: method, headers: headers,
              body: body === undefined ? undefined : JSON.stringify(body)});
            let payload = null;
            try { payload = await response.json(); } catch (e) { payload = null; }
            if (response.status === 401) { signOut("Your session ended; sign in again."); }
            if (!response.ok) {
              throw new Error((payload && payload.detail) || ("HTTP " + response.status));
            }
            return payload;
          }

          function signOut(message) {
            token = null;
            documents = [];
            $("documents").replaceChildren();
            $("console").hidden = true;
            $("login-panel").hidden = false;
            $("password").value = "";
            $("login-error").textContent = message || "";
            $("username").focus();
          }

          async function signIn(event) {
            event.preventDefault();
            $("login-error").textContent = "";
            $("login").disabled = true;
            try {
              const response = await fetch("/api/auth/login", {method: "POST",
                headers: {"Content-Type": "application/json"},
                body: JSON.stringify({username: $("username").value, password: $("password").value})});
              let payload = null;
              try { payload = await response.json(); } catch (e) { payload = null; }
              if (!response.ok) {
                $("login-error").textContent = response.status === 401 ? "Wrong user name or password."
                  : ((payload && payload.detail) || ("Sign-in failed (HTTP " + response.status + ")."));
                return;
              }
              token = payload.access_token;
              const me = await api("GET", "/api/auth/me");
              if (me.role !== "admin") {
                signOut("The account " + me.username + " cannot use the administration pages.");
                return;
              }
              $("password").value = "";
              $("who").textContent = me.username;
              $("login-panel").hidden = true;
              $("console").hidden = false;
              showPanel("documents-panel");
              await loadDocuments();
            } catch (e) {
              $("login-error").textContent = String(e.message || e);
            } finally {
              $("login").disabled = false;
            }
          }

          function showPanel(id) {
            for (const panel of ["documents-panel", "origins-panel", "users-panel", "settings-panel", "health-panel"]) {
              $(panel).hidden = panel !== id;
            }
            for (const button of document.querySelectorAll("[data-panel]")) {
              button.setAttribute("aria-pressed", button.getAttribute("data-panel") === id ? "true" : "false");
            }
            if (id === "origins-panel") loadOrigins();
            if (id === "health-panel") loadHealth();
            if (id === "users-panel") loadUsers();
            if (id === "settings-panel") loadSettings();
          }

          async function loadUsers() {
            try {
              const list = await api("GET", "/api/admin/users");
              const body = $("users");
              const select = $("password-user");
              body.replaceChildren();
              select.replaceChildren();
              for (const u of list.users || []) {
                const toggle = el("button", {type: "button", className: "secondary",
                  text: u.is_active ? "Disable" : "Enable", "aria-label": (u.is_active ? "Disable " : "Enable ") +
                  u.username});
                toggle.addEventListener("click", async () => {
                  try {
                    await api("PUT", "/api/admin/users/" + u.id, {is_active: !u.is_active});
                    status((u.is_active ? "Disabled " : "Enabled ") + u.username + ".");
                    loadUsers();
                  } catch (e) { status("Could not change " + u.username + ": " + e.message, true); }
                });
                body.append(el("tr", {"data-user": u.username}, [el("td", {text: u.username}),
                  el("td", {text: u.role}), el("td", {text: u.is_active ? "yes" : "no"}), el("td", {}, [toggle])]));
                select.append(el("option", {value: String(u.id), text: u.username}));
              }
            } catch (e) { status("Could not list the users: " + e.message, true); }
          }

          async function createUser(event) {
            event.preventDefault();
            try {
              const user = await api("POST", "/api/admin/users", {username: $("new-username").value.trim(),
                password: $("new-password").value, role: $("new-role").value});
              $("user-form").reset();
              status("Created " + user.role + " " + user.username + ".");
              loadUsers();
            } catch (e) { status("Could not create the user: " + e.message, true); }
          }

          async function changePassword(event) {
            event.preventDefault();
            const select = $("password-user");
            const name = select.options[select.selectedIndex] ? select.options[select.selectedIndex].text : "";
            try {
              await api("PUT", "/api/admin/users/" + select.value, {password: $("changed-password").value});
              $("changed-password").value = "";
              status("Password of " + name + " changed; their earlier sessions are ended.");
            } catch (e) { status("Could not change the password: " + e.message, true); }
          }

          async function loadDocuments() {
            try {
              const page = await api("GET", "/api/admin/documents?limit=" + PAGE + "&offset=" + documentsOffset);
              documents = page.documents || [];
              documentsTotal = page.total || 0;
              renderDocuments();
            } catch (e) { status("Could not list the documents: " + e.message, true); }
          }

          function renderDocuments() {
            const filter = $("document-filter").value.trim().toLowerCase();
            const rows = documents.filter((d) => !filter || d.title.toLowerCase().includes(filter));
            const body = $("documents");
            body.replaceChildren();
            for (const d of rows) {
              const open = el("button", {type: "button", className: "secondary", text: "Details",
                "aria-label": "Details of " + d.title});
              open.addEventListener("click", () => showDocument(d.document_id));
              const remove = el("button", {type: "button", className: "secondary", text: "Delete",
                "aria-label": "Delete " + d.title});
              remove.addEventListener("click", () => deleteDocument(d));
              body.append(el("tr", {"data-document-id": d.document_id}, [
                el("td", {}, [el("a", {href: "/documents/" + encodeURIComponent(d.document_id), text: d.title})]),
                el("td", {text: d.doc_type || ""}),
                el("td", {text: (d.updated_at || "").replace("T", " ").slice(0, 16)}),
                el("td", {}, [open, " ", remove]),
              ]));
            }
            $("documents-caption").textContent = documentsTotal + " documents" +
              (filter ? ", " + rows.length + " shown on this page" : "") +
              (documentsTotal > PAGE ? " (from " + (documentsOffset + 1) + ")" : "");
            $("documents-previous").disabled = documentsOffset === 0;
            $("documents-next").disabled = documentsOffset + PAGE >= documentsTotal;
          }

          async function showDocument(id) {
            try {
              const detail = await api("GET", "/api/admin/documents/" + encodeURIComponent(id));
              const chunks = detail.chunks || [];
              $("detail-title").textContent = detail.title;
              $("detail-summary").textContent = chunks.length + " chunks · " + (detail.source || "") +
                " · id " + detail.document_id;
              const list = $("detail-chunks");
              list.replaceChildren();
              for (const chunk of chunks.slice(0, 200)) {
                list.append(el("li", {}, [
                  el("strong", {text: chunk.section || ("Chunk " + (chunk.chunk_index + 1))}),
                  el("pre", {text: chunk.text.length > 600 ? chunk.text.slice(0, 600) + "…" : chunk.text}),
                ]));
              }
              $("document-detail").hidden = false;
              $("document-detail").focus();
            } catch (e) { status("Could not open the document: " + e.message, true); }
          }

          async function deleteDocument(d) {
            if (!window.confirm("Delete \u201c" + d.title + "\u201d and its chunks?")) return;
            try {
              const result = await api("DELETE", "/api/admin/documents/" + encodeURIComponent(d.document_id));
              status("Deleted \u201c" + d.title + "\u201d (" + result.chunks_removed + " chunks).");
              $("document-detail").hidden = true;
              await loadDocuments();
            } catch (e) { status("Could not delete: " + e.message, true); }
          }

          // XMLHttpRequest rather than fetch: it reports the upload's progress.
          function upload(event) {
            event.preventDefault();
            const file = $("upload-file").files[0];
            if (!file) return;
            const form = new FormData();
            form.append("file", file);
            if ($("upload-title").value.trim()) form.append("title", $("upload-title").value.trim());
            const request = new XMLHttpRequest();
            const progress = $("upload-progress");
            progress.hidden = false;
            progress.value = 0;
            $("upload").disabled = true;
            $("upload-result").textContent = "Uploading " + file.name + "…";
            request.upload.addEventListener("progress", (e) => {
              if (e.lengthComputable) progress.value = Math.round(100 * e.loaded / e.total);
            });
            request.addEventListener("loadend", async () => {
              $("upload").disabled = false;
              progress.hidden = true;
              let payload = null;
              try { payload = JSON.parse(request.responseText); } catch (e) { payload = null; }
              if (request.status === 201 || request.status === 200) {
                $("upload-result").replaceChildren(el("span", {className: "ok",
                  text: "Uploaded " + file.name + ": " + payload.chunks + " chunks (" + payload.status + ")."}));
                $("upload-form").reset();
                await loadDocuments();
              } else {
                if (request.status === 401) signOut("Your session ended; sign in again.");
                $("upload-result").replaceChildren(el("span", {className: "error",
                  text: "Upload failed: " + ((payload && payload.detail) || ("HTTP " + request.status))}));
              }
            });
            request.open("POST", "/api/content/upload");
            request.setRequestHeader("Authorization", "Bearer " + token);
            request.send(form);
          }

          async function loadOrigins() {
            try {
              const list = await api("GET", "/api/admin/origins");
              const body = $("origins");
              body.replaceChildren();
              for (const o of list.origins || []) {
                const crawl = el("button", {type: "button", className: "secondary", text: "Crawl now",
                  "aria-label": "Crawl " + o.name + " now"});
                crawl.addEventListener("click", async () => {
                  try {
                    const job = await api("POST", "/api/admin/origins/" + o.id + "/crawl");
                    status("Crawl of " + o.name + " started (job " + job.job_id + ").");
                    loadJobs();
                  } catch (e) { status("Could not start the crawl: " + e.message, true); }
                });
                const toggle = el("button", {type: "button", className: "secondary",
                  text: o.enabled ? "Disable" : "Enable"});
                toggle.addEventListener("click", async () => {
                  try {
                    await api("PUT", "/api/admin/origins/" + o.id, {enabled: !o.enabled});
                    loadOrigins();
                  } catch (e) { status("Could not change the origin: " + e.message, true); }
                });
                const edit = el("button", {type: "button", className: "secondary", text: "Edit",
                  "aria-label": "Edit " + o.name});
                edit.addEventListener("click", () => editOrigin(o));
                body.append(el("tr", {}, [el("td", {text: o.name}), el("td", {text: o.url}),
                  el("td", {text: o.enabled ? "yes" : "no"}), el("td", {text: (o.last_run || "never") +
                  (o.last_status ? " (" + o.last_status + ")" : "")}),
                  el("td", {}, [crawl, " ", edit, " ", toggle])]));
              }
            } catch (e) { status("Could not list the origins: " + e.message, true); }
            loadJobs();
          }

          // The one origin form adds, or saves the origin being edited (its id kept here, not in the page).
          let editing = null;

          function editOrigin(origin) {
            editing = origin.id;
            $("origin-name").value = origin.name;
            $("origin-url").value = origin.url;
            $("origin-hours").value = String(origin.frequency_hours);
            $("origin-submit").textContent = "Save origin";
            $("origin-cancel").hidden = false;
            $("origin-name").focus();
          }

          function endEdit() {
            editing = null;
            $("origin-form").reset();
            $("origin-submit").textContent = "Add origin";
            $("origin-cancel").hidden = true;
          }

          async function saveOrigin(event) {
            event.preventDefault();
            const hours = Number($("origin-hours").value);
            const fields = {name: $("origin-name").value.trim(), url: $("origin-url").value.trim(),
              frequency_hours: Number.isInteger(hours) ? hours : 24};
            try {
              if (editing === null) {
                await api("POST", "/api/admin/origins", fields);
                status("Origin added.");
              } else {
                await api("PUT", "/api/admin/origins/" + editing, fields);
                status("Origin saved.");
              }
              endEdit();
              loadOrigins();
            } catch (e) { status("Could not save the origin: " + e.message, true); }
          }

          async function loadJobs() {
            try {
              const list = await api("GET", "/api/admin/dashboard/jobs?limit=20");
              const body = $("jobs");
              body.replaceChildren();
              for (const job of list.jobs || []) {
                const open = el("button", {type: "button", className: "secondary", text: String(job.job_id),
                  "aria-label": "Job " + job.job_id + " details"});
                open.addEventListener("click", async () => {
                  try {
                    const detail = await api("GET", "/api/admin/dashboard/jobs/" + job.job_id);
                    $("job-title").textContent = "Job " + job.job_id + " (" + detail.status + ")";
                    $("job-body").textContent = JSON.stringify(detail, null, 2);
                    $("job-detail").hidden = false;
                    $("job-detail").focus();
                  } catch (e) { status("Could not open the job: " + e.message, true); }
                });
                body.append(el("tr", {}, [el("td", {}, [open]), el("td", {text: String(job.origin_id)}),
                  el("td", {text: job.status}), el("td", {text: String(job.pages_attempted || 0)}),
                  el("td", {text: job.error || String(job.pages_failed || 0)})]));
              }
            } catch (e) { status("Could not list the jobs: " + e.message, true); }
          }

          // The settings as last read, to send only what the admin changed.
          let settingsShown = {};

          function settingInput(key, value) {
            const id = "setting-" + key;
            if (typeof value === "boolean") return el("input", {id: id, type: "checkbox", checked: value});
            const text = Array.isArray(value) ? value.join(", ") : (value === null ? "" : String(value));
            return el("input", {id: id, type: "text", value: text, autocomplete: "off",
              inputmode: typeof value === "number" ? "decimal" : null});
          }

          // The JSON value of an input, of the kind the setting had when it was read.
          function settingValue(key) {
            const input = $("setting-" + key);
            const old = settingsShown[key];
            if (typeof old === "boolean") return input.checked;
            const text = input.value.trim();
            if (Array.isArray(old)) return text ? text.split(",").map((p) => p.trim()).filter((p) => p) : [];
            if (typeof old === "number") {
              const number = Number(text);
              if (!text || !Number.isFinite(number)) throw new Error(key + " must be a number");
              return number;
            }
            return text;
          }

          async function loadSettings() {
            try {
              showSettings(await api("GET", "/api/admin/dashboard/settings"));
            } catch (e) { status("Could not read the settings: " + e.message, true); }
          }

          function showSettings(reply) {
            settingsShown = reply.settings || {};
            const body = $("settings");
            body.replaceChildren();
            for (const key of Object.keys(settingsShown).sort()) {
              const reset = el("button", {type: "button", className: "secondary", text: "Reset",
                "aria-label": "Reset " + key, disabled: reply.sources[key] !== "store"});
              reset.addEventListener("click", async () => {
                try {
                  const body = {};
                  body[key] = null;
                  showSettings(await api("PUT", "/api/admin/dashboard/settings", body));
                  status("Reset " + key + ".");
                } catch (e) { status("Could not reset " + key + ": " + e.message, true); }
              });
              body.append(el("tr", {}, [
                el("th", {scope: "row"}, [el("label", {for: "setting-" + key, text: key})]),
                el("td", {}, [settingInput(key, settingsShown[key])]),
                el("td", {text: reply.sources[key] || ""}), el("td", {}, [reset])]));
            }
          }

          async function saveSettings(event) {
            event.preventDefault();
            try {
              const changes = {};
              for (const key of Object.keys(settingsShown)) {
                const value = settingValue(key);
                if (JSON.stringify(value) !== JSON.stringify(settingsShown[key])) changes[key] = value;
              }
              const count = Object.keys(changes).length;
              if (count === 0) { status("No setting changed."); return; }
              showSettings(await api("PUT", "/api/admin/dashboard/settings", changes));
              status("Saved " + count + (count === 1 ? " setting." : " settings."));
            } catch (e) { status("Could not save the settings: " + e.message, true); }
          }

          async function loadHealth() {
            try {
              const health = await api("GET", "/api/admin/health");
              const body = $("health");
              body.replaceChildren();
              for (const [key, value] of Object.entries(health)) {
                body.append(el("tr", {}, [el("th", {scope: "row", text: key}),
                  el("td", {}, [el("pre", {text: typeof value === "object" ? JSON.stringify(value, null, 2)
                    : String(value)})])]));
              }
            } catch (e) { status("Could not read the health report: " + e.message, true); }
          }

          $("login-form").addEventListener("submit", signIn);
          $("logout").addEventListener("click", () => signOut("Signed out."));
          $("upload-form").addEventListener("submit", upload);
          $("origin-form").addEventListener("submit", saveOrigin);
          $("origin-cancel").addEventListener("click", endEdit);
          $("user-form").addEventListener("submit", createUser);
          $("password-form").addEventListener("submit", changePassword);
          $("settings-form").addEventListener("submit", saveSettings);
          $("document-filter").addEventListener("input", renderDocuments);
          $("documents-previous").addEventListener("click", () => {
            documentsOffset = Math.max(0, documentsOffset - PAGE); loadDocuments();
          });
          $("documents-next").addEventListener("click", () => { documentsOffset += PAGE; loadDocuments(); });
          $("health-refresh").addEventListener("click", loadHealth);
          for (const button of document.querySelectorAll("[data-panel]")) {
            button.addEventListener("click", () => showPanel(button.getAttribute("data-panel")));
          }
        })();
        """#
}
