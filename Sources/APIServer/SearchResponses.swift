import Answering
import Hummingbird
import Knowledge

/// Timings of a search answer in milliseconds.
struct QueryTimings: Encodable, Sendable {
    var retrievalMs: Double
    var generationMs: Double
    var totalMs: Double
    /// From the start of generation to the model's first token, when a model streamed one.
    var firstTokenMs: Double?

    enum CodingKeys: String, CodingKey {
        case retrievalMs = "retrieval_ms"
        case generationMs = "generation_ms"
        case totalMs = "total_ms"
        case firstTokenMs = "first_token_ms"
    }

    init(retrievalMs: Double, answer: Answer, totalMs: Double) {
        self.retrievalMs = retrievalMs
        generationMs = answer.timings.generationMilliseconds
        firstTokenMs = answer.timings.firstTokenMilliseconds
        self.totalMs = totalMs
    }
}

/// The answer part shared by the JSON response and the stream's `done` event.
struct AnswerSummary: Encodable, Sendable {
    var answer: String
    var mode: String
    var grounded: Bool
    /// The answer's sentences that state something without citing a valid source (why `grounded` is false).
    var unsupportedSentences: [String]
    /// Numbers `n` of the `[n]` markers in the answer; `citations[n-1]` is the source.
    var citedSources: [Int]
    var timings: QueryTimings
    /// Why the model did not write (all of) the answer, e.g. `llm_not_configured`, `llm_unavailable`.
    var fallbackReason: String?

    enum CodingKeys: String, CodingKey {
        case answer, mode, grounded, timings
        case citedSources = "cited_sources"
        case fallbackReason = "fallback_reason"
        case unsupportedSentences = "unsupported_sentences"
    }

    init(_ answer: Answer, timings: QueryTimings) {
        self.answer = answer.text
        mode = answer.mode.rawValue
        grounded = answer.grounded
        unsupportedSentences = answer.unsupportedSentences
        citedSources = answer.citedSources
        self.timings = timings
        fallbackReason = answer.fallbackReason?.rawValue
    }
}

/// `POST /api/search/query` without streaming.
struct QueryResponse: Encodable, Sendable {
    var summary: AnswerSummary
    var citations: [Citation]
    /// What the live web fallback did; nil (left out) when the query did not ask for it.
    var webFallback: WebFallbackSummary? = nil

    enum CodingKeys: String, CodingKey {
        case citations
        case webFallback = "web_fallback"
    }

    func encode(to encoder: any Encoder) throws {
        try summary.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(citations, forKey: .citations)
        try container.encodeIfPresent(webFallback, forKey: .webFallback)
    }
}

/// `web_fallback` of a query that asked for it: `status` (`used`, `disabled`, `no_provider`, `local_sufficient`,
/// `no_pages`, `PROVIDER_UNAVAILABLE`, `PROVIDER_REPLY`, `TIMEOUT`), the live passages added and pages read.
struct WebFallbackSummary: Encodable, Sendable {
    var status: String
    var passages: Int
    var pagesRead: Int
    var milliseconds: Double

    enum CodingKeys: String, CodingKey {
        case status, passages
        case pagesRead = "pages_read"
        case milliseconds = "ms"
    }
}

/// `POST /api/search/retrieve`.
struct RetrieveResponse: Encodable, Sendable {
    var results: [Citation]

    /// The reply as ``JSONResponse/encoder`` would write it, by ``JSONText``; nil when a score is not finite.
    var json: [UInt8]? {
        var json = JSONText(capacity: 512 + results.reduce(0) { $0 + $1.content.utf8.count + 256 })
        json.raw(#"{"results":["#)
        for (index, citation) in results.enumerated() {
            json.raw(index > 0 ? ",{" : "{")
            // Keys in sorted order, as the encoder's `.sortedKeys` gives them.
            json.key("chunk_id", first: true)
            json.string(citation.chunkID)
            json.key("chunk_index")
            json.int(citation.chunkIndex)
            json.key("content")
            json.string(citation.content)
            json.key("document_id")
            json.string(citation.documentID)
            json.key("document_source")
            json.string(citation.documentSource)
            json.key("document_title")
            json.string(citation.documentTitle)
            json.key("document_url")
            json.string(citation.documentURL)
            json.key("page_end")
            json.int(citation.pageEnd)
            json.key("page_start")
            json.int(citation.pageStart)
            json.key("score")
            guard json.double(citation.score) else { return nil }
            json.key("section")
            json.string(citation.section)
            json.raw("}")
        }
        json.raw("]}")
        return json.bytes
    }
}

/// The stream's first event.
struct CitationsEvent: Encodable, Sendable {
    var citations: [Citation]
    var retrievalMs: Double

    enum CodingKeys: String, CodingKey {
        case citations
        case retrievalMs = "retrieval_ms"
    }
}

/// A stream's `delta` event.
struct DeltaEvent: Encodable, Sendable {
    var text: String
}

/// A stream's `error` event.
struct ErrorEvent: Encodable, Sendable {
    var detail: String
}

/// One `text/event-stream` event: `event:` name and a one-line JSON `data:`.
enum ServerSentEventEncoding {
    static func event(_ name: String, _ payload: some Encodable) -> ByteBuffer {
        // JSON text never contains a raw newline (the encoder escapes them), so one data line suffices.
        ByteBuffer(string: "event: \(name)\ndata: \(JSONResponse.string(payload))\n\n")
    }
}
