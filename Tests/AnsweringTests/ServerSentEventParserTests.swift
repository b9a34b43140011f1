import Answering
import Testing

@Suite struct ServerSentEventParserTests {
    static func parse(_ text: String) throws -> [ServerSentEvent] {
        var parser = ServerSentEventParser()
        return try parser.push(Array(text.utf8))
    }

    @Test func dataLinesAndBlankLineDispatch() throws {
        #expect(try Self.parse("data: hello\n\n") == [ServerSentEvent(data: "hello")])
        #expect(try Self.parse("data:no space\n\n") == [ServerSentEvent(data: "no space")])
        #expect(try Self.parse("data:  two spaces\n\n") == [ServerSentEvent(data: " two spaces")])
        #expect(try Self.parse("data: a\n") == [], "not dispatched before the blank line")
    }

    @Test func multiLineEventsJoinWithNewlines() throws {
        #expect(try Self.parse("data: {\"a\":\ndata: 1}\n\n") == [ServerSentEvent(data: "{\"a\":\n1}")])
        #expect(try Self.parse("data\ndata\n\n") == [ServerSentEvent(data: "\n")])
        #expect(try Self.parse("data:\n\n") == [ServerSentEvent(data: "")])
    }

    @Test func lineEndingsCRLFAndLoneCR() throws {
        let expected = [ServerSentEvent(data: "one"), ServerSentEvent(data: "two")]
        #expect(try Self.parse("data: one\r\n\r\ndata: two\r\n\r\n") == expected)
        #expect(try Self.parse("data: one\r\rdata: two\r\r") == expected)
        #expect(try Self.parse("data: one\n\ndata: two\r\n\n") == expected)
    }

    @Test func commentsNamesIdsAndUnknownFields() throws {
        let events = try Self.parse(
            ": keep-alive\n\nevent: error\nid: 7\nretry: 100\nfoo: bar\ndata: x\n\n: ping\ndata: y\n\n")
        #expect(events == [ServerSentEvent(event: "error", data: "x", id: "7"), ServerSentEvent(data: "y", id: "7")])
    }

    @Test func eventsWithoutDataAreDropped() throws {
        #expect(try Self.parse("event: ping\n\n: only a comment\n\n\n\n") == [])
    }

    @Test func byteOrderMarkAtTheStartIsIgnored() throws {
        var parser = ServerSentEventParser()
        #expect(try parser.push([0xEF, 0xBB, 0xBF] + Array("data: x\n\n".utf8)) == [ServerSentEvent(data: "x")])
    }

    @Test func doneMarkerIsAnOrdinaryEvent() throws {
        #expect(try Self.parse("data: [DONE]\n\n") == [ServerSentEvent(data: "[DONE]")])
    }

    @Test func splittingAtEveryOffsetGivesTheSameEvents() throws {
        let stream =
            ": comment\r\n\r\ndata: {\"content\":\"Données — “x” 🤖\"}\r\n\r\nevent: error\rdata: a\rdata: b\r\r"
            + "data: CR then LF split\r\n\r\ndata: [DONE]\n\n"
        let bytes = Array(stream.utf8)
        let whole = try Self.parse(stream)
        #expect(whole.count == 4)
        for cut in 0...bytes.count {
            var parser = ServerSentEventParser()
            let events = try parser.push(bytes[..<cut]) + parser.push(bytes[cut...])
            #expect(events == whole, "split at \(cut)")
        }
        for cut in 0...bytes.count {
            for second in stride(from: cut, through: bytes.count, by: 7) {
                var parser = ServerSentEventParser()
                let events =
                    try parser.push(bytes[..<cut]) + parser.push(bytes[cut..<second])
                    + parser.push(bytes[second...])
                #expect(events == whole, "split at \(cut) and \(second)")
            }
        }
        var parser = ServerSentEventParser()
        var oneByOne: [ServerSentEvent] = []
        for byte in bytes { oneByOne += try parser.push([byte]) }
        #expect(oneByOne == whole)
    }

    @Test func anEndlessLineIsRefused() {
        var parser = ServerSentEventParser(maximumLineBytes: 16)
        #expect(throws: AnsweringError(.llmBadResponse, "an event-stream line exceeds 16 bytes")) {
            try parser.push(Array(repeating: UInt8(ascii: "a"), count: 17))
        }
    }
}
