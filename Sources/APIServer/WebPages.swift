/// The two self-contained pages: no build step, no external scripts, styles or fonts (the Content Security
/// Policy they are served with forbids any other origin).
enum WebPages {
    /// `GET /`: a question box; the answer streams in with `[n]` markers linked to the sources below it.
    static let ask = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>aigov — ask about AI governance</title>
        <style>
          body { font: 16px/1.5 system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem;
                 color: #1d1d1f; }
          h1 { font-size: 1.4rem; margin-bottom: .2rem; }
          .sub { color: #666; margin-top: 0; }
          form { display: flex; gap: .5rem; flex-wrap: wrap; }
          textarea { flex: 1 1 100%; min-height: 4.5rem; font: inherit; padding: .5rem; }
          button, select { font: inherit; padding: .35rem .8rem; }
          #status { color: #666; min-height: 1.5rem; }
          #answer p { margin: .6rem 0; }
          a.cite { text-decoration: none; font-weight: 600; }
          #sources li { margin: .5rem 0; }
          #sources li.cited { background: #f3f7ff; }
          .where { color: #555; }
          details pre { white-space: pre-wrap; font: 14px/1.4 system-ui, sans-serif; background: #fafafa;
                        padding: .5rem; }
          .error { color: #a00; }
          .mode { font-size: .85rem; color: #666; }
        </style>
        </head>
        <body>
        <h1>aigov</h1>
        <p class="sub">Questions about the EU AI Act, NIST AI RMF, GDPR, US executive orders and OECD principles,
        answered from the indexed texts with citations. <a href="/docs">API</a></p>
        <form id="form">
          <textarea id="question" maxlength="2000" required
            placeholder="e.g. What must providers of high-risk AI systems do about risk management?"></textarea>
          <label>passages <select id="topk"><option>3</option><option selected>5</option><option>8</option>
            <option>12</option></select></label>
          <button id="ask" type="submit">Ask</button>
          <button id="stop" type="button" disabled>Stop</button>
        </form>
        <p id="status" role="status"></p>
        <div id="answer" aria-live="polite"></div>
        <p class="mode" id="mode"></p>
        <h2 id="sources-title" hidden>Sources</h2>
        <ol id="sources"></ol>
        <script>
        "use strict";
        const $ = (id) => document.getElementById(id);
        let controller = null;
        let citations = [];
        let text = "";

        function escapeHTML(s) {
          return s.replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
            "'": "&#39;"}[c]));
        }

        function place(c) {
          const parts = [];
          if (c.section) parts.push(c.section);
          if (c.page_start != null) {
            parts.push(c.page_end != null && c.page_end !== c.page_start
              ? "pp. " + c.page_start + "–" + c.page_end : "p. " + c.page_start);
          }
          return parts.join(", ");
        }

        function renderAnswer() {
          const html = text.split(/\n\s*\n/).filter((p) => p.trim()).map((p) => {
            const linked = escapeHTML(p).replace(/\[(\d{1,3})\]/g, (m, n) => {
              const i = Number(n);
              if (i < 1 || i > citations.length) return m;
              const c = citations[i - 1];
              const title = escapeHTML(c.document_title + (place(c) ? " — " + place(c) : ""));
              return '<a class="cite" href="#src-' + i + '" title="' + title + '">[' + i + ']</a>';
            });
            return "<p>" + linked.replace(/\n/g, "<br>") + "</p>";
          }).join("");
          $("answer").innerHTML = html;
        }

        function renderSources(cited) {
          $("sources-title").hidden = citations.length === 0;
          $("sources").innerHTML = citations.map((c, k) => {
            const i = k + 1;
            const where = place(c);
            const link = c.document_url && /^https?:\/\//i.test(c.document_url)
              ? ' <a href="' + escapeHTML(c.document_url) + '" rel="noopener noreferrer" target="_blank">source</a>'
              : "";
            return '<li id="src-' + i + '"' + (cited.includes(i) ? ' class="cited"' : "") + "><b>" +
              escapeHTML(c.document_title) + "</b>" + (where ? ' <span class="where">— ' + escapeHTML(where) +
              "</span>" : "") + link + "<details><summary>passage</summary><pre>" + escapeHTML(c.content) +
              "</pre></details></li>";
          }).join("");
        }

        function handle(event, data) {
          let payload;
          try { payload = JSON.parse(data); } catch (e) { return; }
          if (event === "citations") {
            citations = payload.citations || [];
            renderSources([]);
            $("status").textContent = citations.length + " passages found; writing the answer…";
          } else if (event === "delta") {
            text += payload.text;
            renderAnswer();
          } else if (event === "done") {
            text = payload.answer;
            renderAnswer();
            renderSources(payload.cited_sources || []);
            const t = payload.timings || {};
            $("status").textContent = "";
            $("mode").textContent = (payload.mode === "generated" ? "Generated by the language model"
              : "Extractive answer (quoted sentences" + (payload.fallback_reason ? "; " +
              payload.fallback_reason.replace(/_/g, " ") : "") + ")") +
              (payload.grounded ? "" : " — " + (payload.unsupported_sentences || []).length +
                " sentence(s) cite no source") +
              (t.total_ms != null ? " · " + Math.round(t.total_ms) + " ms" : "");
          } else if (event === "error") {
            $("status").innerHTML = '<span class="error">' + escapeHTML(payload.detail || "error") + "</span>";
          }
        }

        // Server-sent events over fetch: blocks end at a blank line; "event:" names, "data:" lines join.
        function parseBlock(block) {
          let event = "message";
          const data = [];
          for (const line of block.split(/\r\n|\r|\n/)) {
            if (!line || line.startsWith(":")) continue;
            const colon = line.indexOf(":");
            const field = colon < 0 ? line : line.slice(0, colon);
            let value = colon < 0 ? "" : line.slice(colon + 1);
            if (value.startsWith(" ")) value = value.slice(1);
            if (field === "event") event = value;
            else if (field === "data") data.push(value);
          }
          if (data.length) handle(event, data.join("\n"));
        }

        async function ask(question) {
          controller = new AbortController();
          $("ask").disabled = true;
          $("stop").disabled = false;
          text = "";
          citations = [];
          $("answer").innerHTML = "";
          $("mode").textContent = "";
          renderSources([]);
          $("status").textContent = "Searching…";
          try {
            const response = await fetch("/api/search/query", {
              method: "POST", signal: controller.signal,
              headers: {"Content-Type": "application/json", "Accept": "text/event-stream"},
              body: JSON.stringify({question: question, top_k: Number($("topk").value), stream: true}),
            });
            if (!response.ok) {
              let detail = response.statusText;
              try { detail = (await response.json()).detail || detail; } catch (e) {}
              if (response.status === 429) detail += " (retry in " + (response.headers.get("Retry-After") ||
                "a few") + " s)";
              $("status").innerHTML = '<span class="error">' + escapeHTML(String(detail)) + "</span>";
              return;
            }
            const reader = response.body.getReader();
            const decoder = new TextDecoder();
            let buffer = "";
            for (;;) {
              const {value, done} = await reader.read();
              if (done) break;
              buffer += decoder.decode(value, {stream: true});
              let match;
              while ((match = /\r\n\r\n|\n\n|\r\r/.exec(buffer)) !== null) {
                parseBlock(buffer.slice(0, match.index));
                buffer = buffer.slice(match.index + match[0].length);
              }
            }
          } catch (e) {
            if (e.name !== "AbortError") {
              $("status").innerHTML = '<span class="error">The connection failed: ' + escapeHTML(String(e)) +
                "</span>";
            } else {
              $("status").textContent = "Stopped.";
            }
          } finally {
            $("ask").disabled = false;
            $("stop").disabled = true;
            controller = null;
          }
        }

        $("form").addEventListener("submit", (e) => {
          e.preventDefault();
          const question = $("question").value.trim();
          if (question) ask(question);
        });
        $("stop").addEventListener("click", () => { if (controller) controller.abort(); });
        // A link such as /?q=What+is+a+high-risk+AI+system asks at once (shareable questions).
        const initial = new URLSearchParams(location.search).get("q");
        if (initial && initial.trim()) {
          $("question").value = initial.trim().slice(0, 2000);
          ask($("question").value);
        }
        $("question").addEventListener("keydown", (e) => {
          if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); $("form").requestSubmit(); }
        });
        </script>
        </body>
        </html>
        """#

    /// `GET /docs`: every operation of `/openapi.json`, with its parameters, body and responses.
    static let docs = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>aigov API</title>
        <style>
          body { font: 15px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
          .op { border: 1px solid #ddd; border-radius: 6px; margin: .8rem 0; padding: .2rem .8rem; }
          .method { display: inline-block; min-width: 4rem; font-weight: 700; text-transform: uppercase; }
          .get { color: #0a6; } .post { color: #06c; } .delete { color: #c30; } .put { color: #a60; }
          code, pre { font: 13px/1.4 ui-monospace, monospace; }
          pre { background: #f7f7f7; padding: .5rem; overflow-x: auto; }
          .lock { color: #a60; font-size: .85rem; }
          summary { cursor: pointer; }
        </style>
        </head>
        <body>
        <h1 id="title">aigov API</h1>
        <p id="description"></p>
        <p><a href="/openapi.json">openapi.json</a> · <a href="/">ask page</a></p>
        <div id="operations">Loading…</div>
        <h2>Schemas</h2>
        <div id="schemas"></div>
        <script>
        "use strict";
        const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;",
          '"': "&quot;", "'": "&#39;"}[c]));
        const refName = (schema) => schema && schema.$ref ? schema.$ref.split("/").pop() : null;
        function schemaText(schema) {
          const name = refName(schema);
          return name ? '<a href="#schema-' + esc(name) + '">' + esc(name) + "</a>"
            : "<code>" + esc(JSON.stringify(schema)) + "</code>";
        }
        fetch("/openapi.json").then((r) => r.json()).then((doc) => {
          document.getElementById("title").textContent = doc.info.title + " API " + doc.info.version;
          document.getElementById("description").textContent = doc.info.description || "";
          const out = [];
          for (const [path, item] of Object.entries(doc.paths)) {
            for (const [method, op] of Object.entries(item)) {
              let html = '<div class="op"><p><span class="method ' + esc(method) + '">' + esc(method) +
                "</span> <code>" + esc(path) + "</code> — " + esc(op.summary || "") +
                (op.security ? ' <span class="lock">(bearer token)</span>' : "") + "</p>";
              if (op.description) html += "<p>" + esc(op.description) + "</p>";
              if (op.parameters) {
                html += "<p>Parameters: " + op.parameters.map((p) => "<code>" + esc(p.name) + "</code> (" +
                  esc(p.in) + ")").join(", ") + "</p>";
              }
              if (op.requestBody) {
                html += "<p>Body: " + Object.entries(op.requestBody.content).map(([type, c]) =>
                  "<code>" + esc(type) + "</code> " + schemaText(c.schema)).join("; ") + "</p>";
              }
              html += "<details><summary>Responses</summary><ul>" +
                Object.entries(op.responses).map(([code, r]) => "<li><b>" + esc(code) + "</b> " +
                  esc(r.description) + (r.content ? " — " + Object.entries(r.content).map(([type, c]) =>
                  "<code>" + esc(type) + "</code> " + schemaText(c.schema)).join("; ") : "") + "</li>").join("") +
                "</ul></details></div>";
              out.push(html);
            }
          }
          document.getElementById("operations").innerHTML = out.join("");
          document.getElementById("schemas").innerHTML = Object.entries(doc.components.schemas).map(
            ([name, schema]) => '<details id="schema-' + esc(name) + '"><summary><code>' + esc(name) +
            "</code></summary><pre>" + esc(JSON.stringify(schema, null, 2)) + "</pre></details>").join("");
        }).catch((e) => {
          document.getElementById("operations").textContent = "Could not load /openapi.json: " + e;
        });
        </script>
        </body>
        </html>
        """#
}
