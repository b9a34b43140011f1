import Foundation
import Hummingbird

/// Reading request bodies under a cap, checking their media type, and decoding JSON with errors that name
/// the offending field (422) rather than a decoder's internals.
enum RequestBodies {
    /// The media type of the request (`application/json`), lowercased, without parameters.
    static func mediaType(of request: Request) -> String? {
        guard let value = request.headers[.contentType] else { return nil }
        let type = value.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
        let trimmed = type.trimmingCharacters(in: .whitespaces).lowercased()
        return trimmed.isEmpty ? nil : trimmed
    }

    /// The whole body, refusing more than `limit` bytes with 413 (by `Content-Length` before reading, and
    /// while reading for chunked bodies). The request keeps the collected bytes and its connection's inbound
    /// stream, which a streamed response watches to notice the client going away.
    static func collect(_ request: inout Request, limit: Int) async throws -> ByteBuffer {
        if let declared = request.headers[.contentLength] {
            guard let length = Int(declared.trimmingCharacters(in: .whitespaces)), length >= 0 else {
                throw APIError.malformed("the Content-Length header is not a number")
            }
            if length > limit { throw APIError.tooLarge(limit: limit) }
        }
        do {
            return try await request.collectBody(upTo: limit)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            // NIO's too-many-bytes error, which Hummingbird maps to 413.
            throw APIError.tooLarge(limit: limit)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            // The body stopped arriving: the client went away or the body deadline closed the connection
            // (ConnectionDeadlines.swift). No one reads the answer; 408 keeps it out of the server-error figures.
            throw APIError.bodyNotReceived
        }
    }

    /// Decodes a JSON object of type `T` from the body, which must be `application/json` and at most `limit`
    /// bytes.
    static func json<T: Decodable>(_ type: T.Type, from request: inout Request, limit: Int) async throws -> T {
        guard mediaType(of: request) == "application/json" else {
            throw APIError.unsupportedMediaType(expected: "application/json")
        }
        let buffer = try await collect(&request, limit: limit)
        return try decode(type, from: Data(buffer.readableBytesView))
    }

    /// Decodes `data` as `T`, mapping decoding failures to 400 (not JSON) or 422 (JSON of the wrong shape).
    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        guard !data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else {
            throw APIError.malformed("the request body is empty; a JSON object is required")
        }
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as APIError {
            throw error
        } catch let error as DecodingError {
            throw map(error)
        } catch {
            throw APIError.malformed("the request body is not valid JSON")
        }
    }

    static func map(_ error: DecodingError) -> APIError {
        switch error {
        case .keyNotFound(let key, let context):
            return .invalid(path(context.codingPath + [key]), "field required")
        case .valueNotFound(_, let context):
            return .invalid(path(context.codingPath), "must not be null")
        case .typeMismatch(let type, let context):
            if context.codingPath.isEmpty { return .invalid("body", "must be a JSON object") }
            return .invalid(path(context.codingPath), "must be \(describe(type))")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return .malformed("the request body is not valid JSON") }
            return .invalid(path(context.codingPath), "has an invalid value")
        @unknown default:
            return .malformed("the request body is not valid JSON")
        }
    }

    /// `filters.sources[2]`.
    static func path(_ keys: [any CodingKey]) -> String {
        var text = ""
        for key in keys {
            if let index = key.intValue, key.stringValue.hasPrefix("Index ") || key.stringValue == String(index) {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return text.isEmpty ? "body" : text
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type, is Int64.Type: return "an integer"
        case is Double.Type, is Float.Type: return "a number"
        case is Bool.Type: return "a boolean"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "a JSON object"
        }
    }
}

/// Any JSON object key, for finding the keys a request type does not know.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}

extension Decoder {
    /// Throws 422 naming the first key of this object that is not in `allowed`: a misspelt field is an error,
    /// not silently ignored.
    func rejectUnknownKeys(allowed: Set<String>) throws {
        let container = try container(keyedBy: AnyCodingKey.self)
        if let unknown = container.allKeys.map(\.stringValue).sorted().first(where: { !allowed.contains($0) }) {
            throw APIError.invalid(
                RequestBodies.path(codingPath + [AnyCodingKey(stringValue: unknown)]), "unknown field")
        }
    }
}
