/// One event of a `text/event-stream` body.
public struct ServerSentEvent: Sendable, Hashable {
    /// The `event:` name; `message` when the event did not name itself.
    public var event: String
    /// The `data:` lines joined with `\n`.
    public var data: String
    /// The last `id:` seen so far in the stream, if any.
    public var id: String?

    public init(event: String = "message", data: String, id: String? = nil) {
        self.event = event
        self.data = data
        self.id = id
    }
}

/// An incremental `text/event-stream` parser following the WHATWG event-stream interpretation rules.
///
/// Bytes may arrive split anywhere, even inside a CRLF pair or a multi-byte UTF-8 sequence: lines are cut on
/// raw bytes (CR and LF never occur inside a UTF-8 sequence) and decoded only once complete. Lines end in
/// LF, CRLF or a lone CR; `:` lines are comments; a blank line dispatches the event; an event without data
/// is dropped; an unterminated event at the end of the stream is dropped, as the standard says.
public struct ServerSentEventParser: Sendable {
    /// The longest line accepted, so a peer that never sends a newline cannot grow memory without bound.
    public let maximumLineBytes: Int

    private var line: [UInt8] = []
    /// The previous byte was a CR, so an LF right after it ends nothing: it belongs to a CRLF pair.
    private var afterCR = false
    private var atStreamStart = true
    private var eventName = ""
    private var dataBuffer = ""
    private var lastEventID: String?

    /// A parser for one stream.
    public init(maximumLineBytes: Int = 1 << 20) {
        self.maximumLineBytes = maximumLineBytes
    }

    /// Feeds the next bytes of the stream; returns the events they complete, in order. Throws
    /// `llm_bad_response` when a line exceeds ``maximumLineBytes``.
    public mutating func push<Bytes: Sequence<UInt8>>(_ bytes: Bytes) throws(AnsweringError) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        let result = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(AnsweringError) in try scan(buffer, into: &events) }
        }
        if let result {
            try result.get()
        } else {
            try Array(bytes).withUnsafeBufferPointer { buffer throws(AnsweringError) in
                try scan(buffer, into: &events)
            }
        }
        return events
    }

    /// Cuts `buffer` into lines, appending each run between terminators to `line` at once.
    private mutating func scan(
        _ buffer: UnsafeBufferPointer<UInt8>, into events: inout [ServerSentEvent]
    ) throws(AnsweringError) {
        var index = 0
        while index < buffer.count {
            let byte = buffer[index]
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                // The LF of a CRLF pair split across pushes ends nothing: its CR already ended the line.
                if !(byte == UInt8(ascii: "\n") && afterCR), let event = processLine() { events.append(event) }
                afterCR = byte == UInt8(ascii: "\r")
                index += 1
                continue
            }
            afterCR = false
            var end = index
            while end < buffer.count, buffer[end] != UInt8(ascii: "\n"), buffer[end] != UInt8(ascii: "\r") {
                end += 1
            }
            guard line.count + (end - index) <= maximumLineBytes else {
                throw AnsweringError(.llmBadResponse, "an event-stream line exceeds \(maximumLineBytes) bytes")
            }
            line.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[index..<end]))
            index = end
        }
    }

    private mutating func processLine() -> ServerSentEvent? {
        defer { line.removeAll(keepingCapacity: true) }
        if atStreamStart {
            atStreamStart = false
            if line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
        }
        if line.isEmpty { return dispatch() }
        if line[0] == UInt8(ascii: ":") { return nil }
        let field: String
        var value: Substring
        if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            field = String(decoding: line[..<colon], as: UTF8.self)
            let text = String(decoding: line[(colon + 1)...], as: UTF8.self)
            value = text[...]
            if value.first == " " { value = value.dropFirst() }
        } else {
            field = String(decoding: line, as: UTF8.self)
            value = ""
        }
        switch field {
        case "event": eventName = String(value)
        case "data":
            dataBuffer += value
            dataBuffer += "\n"
        case "id" where !value.contains("\u{0}"): lastEventID = String(value)
        default: break  // `retry` and unknown fields: nothing reconnects here
        }
        return nil
    }

    private mutating func dispatch() -> ServerSentEvent? {
        defer {
            dataBuffer = ""
            eventName = ""
        }
        guard !dataBuffer.isEmpty else { return nil }
        dataBuffer.removeLast()
        return ServerSentEvent(event: eventName.isEmpty ? "message" : eventName, data: dataBuffer, id: lastEventID)
    }
}
