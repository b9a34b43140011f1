import Answering
import Foundation
import HTTPTypes
import Hummingbird
import Knowledge
import LiveWeb
import Retrieval

/// `POST /api/search/query` (answer, JSON or server-sent events) and `POST /api/search/retrieve` (passages).
struct SearchRoutes: Sendable {
    let state: ServerState

    func retrieve(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        var request = request
        let body = try await RequestBodies.json(
            RetrieveRequest.self, from: &request, limit: state.configuration.maxJSONBodyBytes)
        let (results, _) = try await search(body.query, body.topK, body.mode, body.filters)
        let reply = RetrieveResponse(results: results)
        guard let json = reply.json else { return JSONResponse.make(reply) }
        return JSONResponse.make(json: json)
    }

    func query(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        var request = request
        let start = ContinuousClock.now
        let body = try await RequestBodies.json(
            QueryRequest.self, from: &request, limit: state.configuration.maxJSONBodyBytes)
        var (citations, retrievalMs) = try await search(body.question, body.topK, body.mode, body.filters)
        var webFallback: WebFallbackSummary?
        if body.useWebFallback {
            let (live, summary) = await liveWeb(body.question, local: citations, context)
            citations += live
            webFallback = summary
        }
        let knowledgeBase = state.knowledgeBase
        let passages = await PassageContinuation.complete(
            citations.enumerated().map { index, citation in Self.passage(number: index + 1, citation) },
            preceding: { try await knowledgeBase.precursor(of: $0) },
            following: { try await knowledgeBase.continuation(of: $0) })
        let wantsStream = body.stream || (request.headers[.accept]?.contains("text/event-stream") ?? false)
        if wantsStream {
            return stream(
                request, question: body.question, citations: citations, passages: passages,
                retrievalMs: retrievalMs, start: start)
        }
        let answer: Answer
        do {
            answer = try await state.answerer.answer(question: body.question, passages: passages)
        } catch {
            throw APIError.unavailable("the request was cancelled")
        }
        record(answer)
        let timings = QueryTimings(retrievalMs: retrievalMs, answer: answer, totalMs: Self.milliseconds(since: start))
        return JSONResponse.make(
            QueryResponse(
                summary: AnswerSummary(answer, timings: timings), citations: citations, webFallback: webFallback))
    }

    /// The live web fallback for a query that asked for it; the settings are read now (an admin may have turned
    /// it on or off through any replica). A failure leaves the local answer alone.
    private func liveWeb(
        _ question: String, local citations: [Citation], _ context: APIRequestContext
    ) async -> ([Citation], WebFallbackSummary) {
        let start = ContinuousClock.now
        let outcome: LiveWebFallback.Outcome
        do {
            let settings = try await state.runtimeSettings().liveWeb
            outcome = await state.liveWeb.run(question: question, local: citations, settings: settings)
        } catch {
            context.logger.warning(
                "live web settings unreadable", metadata: ["error": .string(KnowledgeBase.describe(error))])
            outcome = LiveWebFallback.Outcome(status: "disabled")
        }
        if outcome.status != "disabled", outcome.status != "local_sufficient" {
            context.logger.info(
                "live web fallback",
                metadata: [
                    "status": .string(outcome.status), "pages_read": .stringConvertible(outcome.pagesRead),
                ])
        }
        return (
            outcome.citations,
            WebFallbackSummary(
                status: outcome.status, passages: outcome.citations.count, pagesRead: outcome.pagesRead,
                milliseconds: Self.milliseconds(since: start))
        )
    }

    /// Server-sent events: `citations` first, then `delta`s as the answer is written, then `done`. When the
    /// client goes away the body's inbound side closes, which cancels the answering task and with it the
    /// model request.
    private func stream(
        _ request: Request, question: String, citations: [Citation], passages: [Passage], retrievalMs: Double,
        start: ContinuousClock.Instant
    ) -> Response {
        let answerer = state.answerer
        let headers: HTTPFields = [
            .contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache",
            HTTPField.Name("X-Accel-Buffering")!: "no",
        ]
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                try await writer.write(
                    ServerSentEventEncoding.event(
                        "citations", CitationsEvent(citations: citations, retrievalMs: retrievalMs)))
                try await request.body.consumeWithCancellationOnInboundClose { _ in
                    var finished = false
                    for try await event in answerer.streamAnswer(question: question, passages: passages) {
                        switch event {
                        case .delta(let text):
                            try await writer.write(ServerSentEventEncoding.event("delta", DeltaEvent(text: text)))
                        case .done(let answer):
                            record(answer)
                            let timings = QueryTimings(
                                retrievalMs: retrievalMs, answer: answer, totalMs: Self.milliseconds(since: start))
                            try await writer.write(
                                ServerSentEventEncoding.event("done", AnswerSummary(answer, timings: timings)))
                            finished = true
                        }
                    }
                    if !finished {
                        try await writer.write(
                            ServerSentEventEncoding.event("error", ErrorEvent(detail: "the answer was interrupted")))
                    }
                }
                try await writer.finish(nil)
            })
    }

    /// Runs the search, timing it; returns the citations and the milliseconds it took.
    private func search(
        _ text: String, _ topK: Int, _ mode: SearchMode, _ filters: SearchFilters?
    ) async throws -> ([Citation], Double) {
        try await state.knowledgeBase.prepareQuestion(text, mode: mode)
        return try await state.searchGate.run { try await gatedSearch(text, topK, mode, filters) }
    }

    private func gatedSearch(
        _ text: String, _ topK: Int, _ mode: SearchMode, _ filters: SearchFilters?
    ) async throws -> ([Citation], Double) {
        let start = ContinuousClock.now
        let filter = filters?.searchFilter ?? SearchFilter()
        let outcome = try await state.search.search(text, topK: topK, mode: mode, filter: filter)
        if let failure = outcome.fallback {
            // The local index answered instead; the request still succeeds.
            state.logger.warning(
                "qdrant search failed, used the local index", metadata: ["error": .string(failure.description)])
        }
        let results = outcome.citations
        let elapsed = Self.milliseconds(since: start)
        state.metrics.recordRetrieval(mode: mode.rawValue, seconds: elapsed / 1000)
        return (results, elapsed)
    }

    private func record(_ answer: Answer) {
        state.metrics.recordGeneration(
            mode: answer.mode.rawValue, seconds: answer.timings.generationMilliseconds / 1000)
        if let reason = answer.fallbackReason { state.metrics.recordFallback(reason: reason.rawValue) }
    }

    static func passage(number: Int, _ citation: Citation) -> Passage {
        Passage(
            number: number, chunkID: citation.chunkID, documentID: citation.documentID,
            documentTitle: citation.documentTitle, documentSource: citation.documentSource,
            documentURL: citation.documentURL, section: citation.section, pageStart: citation.pageStart,
            pageEnd: citation.pageEnd, chunkIndex: citation.chunkIndex, text: citation.content, score: citation.score)
    }

    static func milliseconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = (ContinuousClock.now - start).components
        return Double(elapsed.seconds) * 1000 + Double(elapsed.attoseconds) / 1e15
    }
}
