/// `GET /docs`: every operation of `/openapi.json`, with its parameters, body and responses. The script writes
/// the operations from the server's own OpenAPI document, escaping every value it inserts.
enum DocsPage {
    static let html = WebLayout.page(
        title: "aigov API", current: "API",
        main: """
            <h1 id="title">aigov API</h1>
            <p id="description"></p>
            <p><a href="/openapi.json">openapi.json</a></p>
            <div id="operations">Loading…</div>
            <h2>Schemas</h2>
            <div id="schemas"></div>
            """,
        script: "docs.js")

    static let javascript = #"""
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
        """#
}
