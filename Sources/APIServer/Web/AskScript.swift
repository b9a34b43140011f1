/// `/assets/ask.js`, the ask page's behaviour. Every text that comes from a document or an answer is set with
/// `textContent` or as a text node, never parsed as HTML, so a passage holding markup shows it as text; the
/// Content-Security-Policy (no inline script) is the second wall behind that.
enum AskScript {
    static let javascript = #"""
        "use strict";
        (function () {
          const $ = (id) => document.getElementById(id);
          const RECENT_KEY = "aigov.recentQuestions";
          let controller = null;
          let citations = [];
          let text = "";
          let firstTokenAt = null;
          let askedAt = 0;

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

          function place(c) {
            const parts = [];
            if (c.section) parts.push(c.section);
            if (c.page_start != null) {
              parts.push(c.page_end != null && c.page_end !== c.page_start
                ? "pp. " + c.page_start + "–" + c.page_end : "p. " + c.page_start);
            }
            return parts.join(", ");
          }

          function readHref(c) {
            return "/documents/" + encodeURIComponent(c.document_id) + "#chunk-" + encodeURIComponent(c.chunk_id);
          }

          function originalHref(c) {
            if (c.page_start != null) {
              return "/documents/" + encodeURIComponent(c.document_id) + "/original#page=" + c.page_start;
            }
            return c.document_url && /^https?:\/\//i.test(c.document_url) ? c.document_url : null;
          }

          function citationText(c) {
            const where = place(c);
            const url = c.document_url && /^https?:\/\//i.test(c.document_url) ? c.document_url : "";
            return c.document_title + (where ? ", " + where : "") + (url ? " <" + url + ">" : "");
          }

          // The answer as paragraphs of text nodes, with each valid [n] turned into a link to source n.
          function renderAnswer() {
            const answer = $("answer");
            answer.replaceChildren();
            for (const paragraph of text.split(/\n\s*\n/)) {
              if (!paragraph.trim()) continue;
              const p = el("p");
              const pattern = /\[(\d{1,3})\]/g;
              let last = 0;
              let match;
              while ((match = pattern.exec(paragraph)) !== null) {
                const i = Number(match[1]);
                if (i < 1 || i > citations.length) continue;
                p.append(document.createTextNode(paragraph.slice(last, match.index)));
                const c = citations[i - 1];
                p.append(el("a", {className: "cite", href: "#src-" + i, text: "[" + i + "]",
                  title: c.document_title + (place(c) ? " — " + place(c) : ""),
                  "aria-label": "source " + i + ": " + c.document_title}));
                last = match.index + match[0].length;
              }
              p.append(document.createTextNode(paragraph.slice(last)));
              answer.append(p);
            }
          }

          function renderSources(cited) {
            $("sources-title").hidden = citations.length === 0;
            const list = $("sources");
            list.replaceChildren();
            citations.forEach((c, k) => {
              const i = k + 1;
              const where = place(c);
              const links = el("div", {className: "links"}, [
                el("a", {href: readHref(c), text: "Read in context"}),
              ]);
              const original = originalHref(c);
              if (original) {
                links.append(el("a", {href: original, rel: "noopener noreferrer",
                  text: c.page_start != null ? "Original, page " + c.page_start : "Original"}));
              }
              const copy = el("button", {type: "button", className: "secondary copy", text: "Copy citation",
                "data-citation": citationText(c)});
              copy.addEventListener("click", () => copyCitation(copy));
              links.append(copy);
              const item = el("li", {id: "src-" + i, className: cited.includes(i) ? "cited" : null,
                tabindex: "-1"}, [
                el("strong", {text: c.document_title}),
                where ? el("span", {className: "where", text: " — " + where}) : "",
                links,
                el("details", {}, [el("summary", {text: "Passage"}), el("pre", {text: c.content})]),
              ]);
              list.append(item);
            });
          }

          async function copyCitation(button) {
            const value = button.getAttribute("data-citation");
            try {
              await navigator.clipboard.writeText(value);
              button.textContent = "Copied";
            } catch (e) {
              // No clipboard permission: show the text selected, for copying by hand.
              window.prompt("Copy the citation:", value);
            }
          }

          function setStatus(message, isError) {
            const status = $("status");
            status.replaceChildren(isError ? el("span", {className: "error", text: message}) : message);
          }

          function handle(event, data) {
            let payload;
            try { payload = JSON.parse(data); } catch (e) { return; }
            if (event === "citations") {
              citations = payload.citations || [];
              renderSources([]);
              setStatus(citations.length + " passages found; writing the answer…");
            } else if (event === "delta") {
              if (firstTokenAt === null) {
                firstTokenAt = performance.now();
                document.documentElement.setAttribute("data-first-token-ms", String(firstTokenAt - askedAt));
              }
              text += payload.text;
              renderAnswer();
            } else if (event === "done") {
              text = payload.answer;
              renderAnswer();
              renderSources(payload.cited_sources || []);
              const t = payload.timings || {};
              setStatus("");
              $("mode").textContent = (payload.mode === "generated" ? "Generated by the language model"
                : "Extractive answer: sentences quoted from the sources" + (payload.fallback_reason ? " (" +
                payload.fallback_reason.replace(/_/g, " ") + ")" : "")) +
                (payload.grounded ? "" : " — " + (payload.unsupported_sentences || []).length +
                  " sentence(s) cite no source") +
                (t.total_ms != null ? " · " + Math.round(t.total_ms) + " ms" : "");
              document.documentElement.setAttribute("data-answer-done", "1");
            } else if (event === "error") {
              setStatus(payload.detail || "error", true);
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

          function filters() {
            const result = {};
            const documentID = $("document").value;
            if (documentID) result.document_ids = [documentID];
            const section = $("section").value.trim();
            if (section) result.section = section;
            return Object.keys(result).length ? result : undefined;
          }

          function remember(question) {
            let recent = [];
            try { recent = JSON.parse(localStorage.getItem(RECENT_KEY) || "[]"); } catch (e) { recent = []; }
            recent = [question].concat(recent.filter((q) => q !== question)).slice(0, 8);
            try { localStorage.setItem(RECENT_KEY, JSON.stringify(recent)); } catch (e) { /* private mode */ }
            showRecent();
          }

          function showRecent() {
            let recent = [];
            try { recent = JSON.parse(localStorage.getItem(RECENT_KEY) || "[]"); } catch (e) { recent = []; }
            const list = $("recent-list");
            list.replaceChildren();
            for (const question of recent) {
              if (typeof question !== "string") continue;
              const button = el("button", {type: "button", text: question});
              button.addEventListener("click", () => { $("question").value = question; $("question").focus(); });
              list.append(el("li", {}, [button]));
            }
            $("recent").hidden = list.children.length === 0;
          }

          async function ask(question) {
            controller = new AbortController();
            $("ask").disabled = true;
            $("stop").disabled = false;
            text = "";
            citations = [];
            firstTokenAt = null;
            askedAt = performance.now();
            document.documentElement.removeAttribute("data-answer-done");
            $("answer").replaceChildren();
            $("mode").textContent = "";
            renderSources([]);
            setStatus("Searching…");
            remember(question);
            try {
              const response = await fetch("/api/search/query", {
                method: "POST", signal: controller.signal,
                headers: {"Content-Type": "application/json", "Accept": "text/event-stream"},
                body: JSON.stringify({question: question, top_k: Number($("topk").value), stream: true,
                  filters: filters()}),
              });
              if (!response.ok) {
                let detail = response.statusText;
                try { detail = (await response.json()).detail || detail; } catch (e) { /* not JSON */ }
                if (response.status === 429) {
                  detail += " (retry in " + (response.headers.get("Retry-After") || "a few") + " s)";
                }
                setStatus(String(detail), true);
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
              if (e.name === "AbortError") setStatus("Stopped.");
              else setStatus("The connection failed: " + String(e), true);
            } finally {
              $("ask").disabled = false;
              $("stop").disabled = true;
              controller = null;
            }
          }

          $("form").addEventListener("submit", (event) => {
            event.preventDefault();
            const question = $("question").value.trim();
            if (question) ask(question);
          });
          $("question").addEventListener("keydown", (event) => {
            // Enter asks, Shift+Enter starts a new line.
            if (event.key === "Enter" && !event.shiftKey) {
              event.preventDefault();
              $("form").requestSubmit();
            }
          });
          $("stop").addEventListener("click", () => { if (controller) controller.abort(); });
          showRecent();
          // A link such as /?q=What+is+a+high-risk+AI+system asks at once (shareable questions).
          const initial = new URLSearchParams(location.search).get("q");
          if (initial && initial.trim()) {
            $("question").value = initial.trim().slice(0, 2000);
            ask($("question").value);
          }
        })();
        """#
}
