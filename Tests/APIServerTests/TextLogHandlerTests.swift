import Logging
import Synchronization
import Testing

@testable import APIServer

/// `LOG_FORMAT=text`: client-supplied values cannot forge log lines or steer the operator's terminal.
@Suite struct TextLogHandlerTests {
    private final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }
    }

    @Test func aUsernameWithNewlinesAndEscapesStaysOneInertLine() {
        let captured = Lines()
        var logger = Logger(label: "aigov") { label in
            TextLogHandler(label: label, level: .info) { line in captured.lines.withLock { $0.append(line) } }
        }
        logger.logLevel = .info
        let forged = "2030-01-01T00:00:00.000Z info aigov: login succeeded role=admin"
        let username = "eve\n" + forged + "\u{1B}[2J\u{1B}[31m\r\u{85}\u{2028}"
        logger.info("login failed", metadata: ["username": .string(username), "hb.request.id": "r-1"])
        let lines = captured.all
        #expect(lines.count == 1)
        let line = lines[0]
        #expect(!line.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        #expect(!line.contains("\u{2028}") && !line.contains("\n"))
        #expect(line.contains(" info aigov: login failed request_id=r-1 username=\"eve\\n2030-01-01T00:00:00.000Z "))
        #expect(line.hasSuffix("role=admin\\u{1B}[2J\\u{1B}[31m\\r\\u{85}\\u{2028}\""))
    }

    @Test func valuesCannotPassForSeveralFields() {
        #expect(TextLogLine.field("alice") == "alice")
        #expect(TextLogLine.field("a role=admin") == "\"a role=admin\"")
        #expect(TextLogLine.field("say \"hi\"") == "\"say \\\"hi\\\"\"")
        #expect(TextLogLine.field("") == "\"\"")
        #expect(TextLogLine.escaped("back\\slash\t\u{0}") == "back\\\\slash\\t\\u{0}")
    }

    @Test func theTextFormatUsesTheEscapingHandler() throws {
        let configuration = try ServerConfiguration(variables: ["LOG_FORMAT": "text"])
        #expect(configuration.makeLogHandler(label: "aigov") is TextLogHandler)
    }
}
