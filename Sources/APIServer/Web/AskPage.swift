/// `GET /`: the question box, filters, the streamed answer and its sources (behaviour in ``AskScript``).
enum AskPage {
    /// The page, with the documents offered as a filter (id and title, in the order given).
    static func html(documents: [(id: String, title: String)]) -> String {
        let options = documents.map {
            "<option value=\"\(WebLayout.escape($0.id))\">\(WebLayout.escape($0.title))</option>"
        }
        .joined(separator: "\n")
        let main = """
            <h1>Ask about AI governance</h1>
            <p class="sub">Questions about the EU AI Act, NIST AI RMF, GDPR, US executive orders and OECD principles,
            answered from the indexed texts with the article, section and page of each source.</p>
            <form class="ask" id="form">
            <label for="question">Your question</label>
            <textarea id="question" name="question" maxlength="2000" required aria-describedby="question-help"
              placeholder="e.g. Which AI practices are banned in the EU?"></textarea>
            <span id="question-help" class="muted">Enter asks; Shift+Enter starts a new line.</span>
            <div class="filters">
            <label for="document">Only in document
            <select id="document" name="document">
            <option value="">All documents</option>
            \(options)
            </select></label>
            <label for="section">Only in section (e.g. Article 5)
            <input id="section" name="section" type="text" maxlength="200" autocomplete="off"></label>
            <label for="topk">Passages
            <select id="topk" name="topk"><option>3</option><option selected>5</option><option>8</option>
            <option>12</option></select></label>
            </div>
            <div class="actions">
            <button id="ask" type="submit">Ask</button>
            <button id="stop" type="button" class="secondary" disabled>Stop</button>
            </div>
            </form>
            <section class="recent" id="recent" aria-labelledby="recent-title" hidden>
            <h2 id="recent-title">Your recent questions <span class="muted">(kept in this browser only)</span></h2>
            <ul id="recent-list"></ul>
            </section>
            <p id="status" role="status" aria-live="polite"></p>
            <section aria-labelledby="answer-title">
            <h2 id="answer-title">Answer</h2>
            <div id="answer" aria-live="polite" aria-atomic="false"></div>
            <p class="mode" id="mode"></p>
            </section>
            <h2 id="sources-title" hidden>Sources</h2>
            <ol id="sources" class="sources" aria-labelledby="sources-title"></ol>
            """
        return WebLayout.page(title: "aigov — ask about AI governance", current: "Ask", main: main, script: "ask.js")
    }
}
