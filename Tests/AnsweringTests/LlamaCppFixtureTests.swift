import AigovTestSupport
import Foundation
import Testing

@testable import Answering

/// Real `llama-server` output (SmolLM2-135M-Instruct), captured into Fixtures/: parsed directly at every
/// split, and replayed byte for byte through the scripted server to the chat client.
@Suite struct LlamaCppFixtureTests {
    static func fixture(_ name: String) throws -> Data {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/\(name)")
        return try Data(contentsOf: url)
    }

    /// The content deltas of a captured stream, read with JSONSerialization rather than the code under test.
    static func expectedText(_ data: Data) throws -> String {
        var text = ""
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") where line.hasPrefix("data: {") {
            let object = try JSONSerialization.jsonObject(with: Data(line.dropFirst(6).utf8)) as? [String: Any]
            let choices = object?["choices"] as? [[String: Any]] ?? []
            if let content = (choices.first?["delta"] as? [String: Any])?["content"] as? String { text += content }
        }
        return text
    }

    static func decode(_ bytes: [UInt8], cut: Int) throws -> (String, ChatStreamDecoder) {
        var parser = ServerSentEventParser()
        var decoder = ChatStreamDecoder()
        var text = ""
        for event in try parser.push(bytes[..<cut]) + parser.push(bytes[cut...]) {
            text += try decoder.consume(event)
        }
        return (text, decoder)
    }

    @Test func streamParsesTheSameAtEverySplit() throws {
        let data = try Self.fixture("llamacpp-stream.txt")
        let expected = try Self.expectedText(data)
        #expect(!expected.isEmpty)
        let bytes = Array(data)
        let (text, decoder) = try Self.decode(bytes, cut: 0)
        #expect(text == expected)
        #expect(decoder.isDone && decoder.finishReason == "length")
        var whole = ServerSentEventParser()
        let events = try whole.push(bytes)
        for cut in 0...bytes.count {
            var parser = ServerSentEventParser()
            #expect(try parser.push(bytes[..<cut]) + parser.push(bytes[cut...]) == events, "split at \(cut)")
        }
    }

    @Test func usageArrivesInAChunkWithoutChoices() throws {
        let data = try Self.fixture("llamacpp-stream-usage.txt")
        let bytes = Array(data)
        for cut in stride(from: 0, through: bytes.count, by: 41) {
            let (text, decoder) = try Self.decode(bytes, cut: cut)
            #expect(text == (try Self.expectedText(data)))
            #expect(decoder.usage == ChatUsage(promptTokens: 32, completionTokens: 4, totalTokens: 36))
        }
    }

    @Test func replayedThroughTheChatClient() async throws {
        try await withScriptedServer { server in
            for name in ["llamacpp-stream.txt", "llamacpp-stream-usage.txt"] {
                let configuration = ChatClientTests.configuration(server, model: model("replay=\(name)"))
                let completion = try await ChatClient(configuration: configuration).streamCompletion(
                    ChatClientTests.messages
                ) { _ in }
                #expect(completion.text == (try Self.expectedText(Self.fixture(name))))
                #expect(completion.finishReason == "length")
            }
            let configuration = ChatClientTests.configuration(server, model: model("replay=llamacpp-nonstream.json"))
            let completion = try await ChatClient(configuration: configuration).completion(ChatClientTests.messages)
            #expect(completion.text == "Hello there, welcome to my world! I'm your chatbot assistant. I")
            #expect(completion.usage == ChatUsage(promptTokens: 32, completionTokens: 16, totalTokens: 48))
            #expect(completion.finishReason == "length")
        }
    }
}
