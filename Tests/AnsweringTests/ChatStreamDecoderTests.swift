import Testing

@testable import Answering

@Suite struct ChatStreamDecoderTests {
    static func decode(_ stream: String) throws(AnsweringError) -> (text: String, decoder: ChatStreamDecoder) {
        var parser = ServerSentEventParser()
        var decoder = ChatStreamDecoder()
        var text = ""
        for event in try parser.push(Array(stream.utf8)) { text += try decoder.consume(event) }
        return (text, decoder)
    }

    @Test func groqChunksWithNullFirstContentReasoningAndUsage() throws {
        let stream = """
            data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":null},"logprobs":null,"finish_reason":null}],"x_groq":{"id":"req_1"}}

            data: {"id":"c","choices":[{"index":0,"delta":{"reasoning":"thinking..."},"finish_reason":null}]}

            data: {"id":"c","choices":[{"index":0,"delta":{"content":"Hello"},"finish_reason":null}]}

            data: {"id":"c","choices":[{"index":0,"delta":{"content":" [1]."},"finish_reason":null}]}

            data: {"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"x_groq":{"id":"req_1","usage":{"queue_time":0.1,"prompt_tokens":10,"completion_tokens":3,"total_tokens":13}}}

            data: [DONE]


            """
        let (text, decoder) = try Self.decode(stream)
        #expect(text == "Hello [1].")
        #expect(decoder.isDone)
        #expect(decoder.finishReason == "stop")
        #expect(decoder.usage == ChatUsage(promptTokens: 10, completionTokens: 3, totalTokens: 13))
    }

    @Test func llamaCppFinalChunkWithTimingsAndUsage() throws {
        let stream =
            "data: {\"choices\":[{\"finish_reason\":null,\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null}}],\"object\":\"chat.completion.chunk\"}\r\n\r\n"
            + "data: {\"choices\":[{\"finish_reason\":null,\"index\":0,\"delta\":{\"reasoning_content\":\"hmm\"}}]}\r\n\r\n"
            + "data: {\"choices\":[{\"finish_reason\":null,\"index\":0,\"delta\":{\"content\":\"Yes\"}}]}\r\n\r\n"
            + "data: {\"choices\":[{\"finish_reason\":\"stop\",\"index\":0,\"delta\":{}}],\"usage\":{\"completion_tokens\":1,\"prompt_tokens\":5,\"total_tokens\":6},\"timings\":{\"prompt_n\":5,\"predicted_ms\":12.5}}\r\n\r\n"
            + "data: [DONE]\r\n\r\n"
        let (text, decoder) = try Self.decode(stream)
        #expect(text == "Yes")
        #expect(decoder.usage?.totalTokens == 6)
        #expect(decoder.isComplete)
    }

    @Test func aUsageOnlyChunkWithEmptyChoices() throws {
        let (text, decoder) = try Self.decode(
            "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2,\"total_tokens\":3}}\n\n")
        #expect(text.isEmpty)
        #expect(decoder.usage?.completionTokens == 2)
        #expect(!decoder.isComplete)
    }

    @Test func eventsAfterDoneAreIgnored() throws {
        let (text, _) = try Self.decode("data: [DONE]\n\ndata: {\"choices\":[{\"delta\":{\"content\":\"late\"}}]}\n\n")
        #expect(text.isEmpty)
    }

    @Test func embeddedErrorsBecomeTypedErrorsWithoutTheirText() {
        let cases: [(String, Int?)] = [
            ("{\"x_groq\":{\"id\":\"r\",\"error\":{\"message\":\"SECRET\",\"type\":\"internal_server_error\"}}}", nil),
            ("{\"error\":{\"code\":500,\"message\":\"SECRET\",\"type\":\"server_error\"}}", 500),
            ("{\"error\":{\"message\":\"SECRET\",\"status_code\":400}}", 400),
            ("{\"error\":\"SECRET\"}", nil),
        ]
        for (payload, status) in cases {
            do {
                _ = try Self.decode("data: \(payload)\n\n")
                Issue.record("no error for \(payload)")
            } catch {
                #expect(error.code == .llmUpstreamError)
                #expect(error.httpStatus == status)
                #expect(!error.description.contains("SECRET"))
            }
        }
    }

    @Test func anErrorEventIsAnUpstreamError() {
        #expect(throws: AnsweringError.self) { try Self.decode("event: error\ndata: {\"message\":\"x\"}\n\n") }
    }

    @Test func nonJSONDataIsABadResponse() {
        do {
            _ = try Self.decode("data: <html>oops</html>\n\n")
            Issue.record("accepted non-JSON")
        } catch {
            #expect(error.code == .llmBadResponse)
            #expect(!error.description.contains("oops"))
        }
    }
}
