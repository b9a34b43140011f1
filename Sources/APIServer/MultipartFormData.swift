import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A minimal `multipart/form-data` parser (RFC 7578): enough for one file part plus text fields. Parts are
/// slices of the body; nothing is written to disk.
struct MultipartFormData {
    struct Part {
        var name: String
        var fileName: String?
        var contentType: String?
        var body: Data
    }

    struct ParseError: Error {
        var message: String
    }

    static let maxParts = 32

    /// The boundary parameter of a `multipart/form-data` Content-Type, unquoted.
    static func boundary(fromContentType value: String) -> String? {
        let pieces = value.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard pieces.first?.lowercased() == "multipart/form-data" else { return nil }
        for piece in pieces.dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, pair[0].lowercased() == "boundary" else { continue }
            var boundary = pair[1]
            if boundary.hasPrefix("\""), boundary.hasSuffix("\""), boundary.count >= 2 {
                boundary = String(boundary.dropFirst().dropLast())
            }
            // RFC 2046: 1-70 characters from its set, the last not a space.
            guard (1...70).contains(boundary.utf8.count), boundary.utf8.allSatisfy(isBoundaryCharacter),
                boundary.utf8.last != 0x20
            else { return nil }
            return boundary
        }
        return nil
    }

    /// RFC 2046 `bchars`: digits, letters, `'()+_,-./:=?` and space.
    private static func isBoundaryCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        default: return Array("'()+_,-./:=? ".utf8).contains(byte)
        }
    }

    /// The parts of `body` delimited by `boundary`.
    static func parse(_ body: Data, boundary: String) throws -> [Part] {
        let bytes = [UInt8](body)
        let delimiter = Array("--\(boundary)".utf8)
        guard var position = find(delimiter, in: bytes, from: 0) else {
            throw ParseError(message: "the multipart body has no boundary line")
        }
        var parts: [Part] = []
        while true {
            position += delimiter.count
            // "--" after a delimiter closes the body.
            if position + 1 < bytes.count, bytes[position] == 0x2D, bytes[position + 1] == 0x2D { break }
            guard let headerStart = skipLineEnd(bytes, position) else {
                throw ParseError(message: "a multipart boundary line is malformed")
            }
            guard let headerEnd = find(Array("\r\n\r\n".utf8), in: bytes, from: headerStart) else {
                throw ParseError(message: "a multipart part has no header end")
            }
            let headers = String(decoding: bytes[headerStart..<headerEnd], as: UTF8.self)
            let contentStart = headerEnd + 4
            guard let next = find(Array("\r\n".utf8) + delimiter, in: bytes, from: contentStart) else {
                throw ParseError(message: "the multipart body is not terminated")
            }
            parts.append(try part(headers: headers, body: Data(bytes[contentStart..<next])))
            guard parts.count <= maxParts else { throw ParseError(message: "too many multipart parts") }
            position = next + 2
        }
        return parts
    }

    private static func skipLineEnd(_ bytes: [UInt8], _ position: Int) -> Int? {
        var index = position
        // Transport padding (spaces, tabs) may follow the boundary.
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
        guard index + 1 < bytes.count, bytes[index] == 0x0D, bytes[index + 1] == 0x0A else { return nil }
        return index + 2
    }

    private static func part(headers: String, body: Data) throws -> Part {
        var name: String?
        var fileName: String?
        var contentType: String?
        for line in headers.components(separatedBy: "\r\n") {
            let pair = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { continue }
            switch pair[0].lowercased() {
            case "content-disposition":
                let parameters = dispositionParameters(pair[1])
                name = parameters["name"]
                fileName = parameters["filename"]
            case "content-type":
                contentType = pair[1]
            default:
                continue
            }
        }
        guard let name else { throw ParseError(message: "a multipart part has no name") }
        return Part(name: name, fileName: fileName, contentType: contentType, body: body)
    }

    /// `form-data; name="file"; filename="a b.pdf"` -> [name: file, filename: a b.pdf].
    static func dispositionParameters(_ value: String) -> [String: String] {
        var result: [String: String] = [:]
        var index = value.startIndex
        // Skip the disposition type.
        guard let firstSemicolon = value.firstIndex(of: ";") else { return result }
        index = value.index(after: firstSemicolon)
        while index < value.endIndex {
            while index < value.endIndex, value[index] == " " || value[index] == ";" {
                index = value.index(after: index)
            }
            guard let equals = value[index...].firstIndex(of: "=") else { break }
            let key = value[index..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            index = value.index(after: equals)
            var parameter = ""
            if index < value.endIndex, value[index] == "\"" {
                index = value.index(after: index)
                while index < value.endIndex, value[index] != "\"" {
                    if value[index] == "\\", value.index(after: index) < value.endIndex {
                        index = value.index(after: index)
                    }
                    parameter.append(value[index])
                    index = value.index(after: index)
                }
                if index < value.endIndex { index = value.index(after: index) }
            } else {
                let end = value[index...].firstIndex(of: ";") ?? value.endIndex
                parameter = value[index..<end].trimmingCharacters(in: .whitespaces)
                index = end
            }
            if result[key] == nil { result[key] = parameter }
        }
        return result
    }

    /// The first index of `needle` in `haystack` at or after `start`: `memchr` to each occurrence of the
    /// needle's first byte, `memcmp` for the rest, both vectorised by libc.
    ///
    /// Linear for the needles the parser uses: a delimiter's first byte (CR) cannot recur inside it, because
    /// ``boundary(fromContentType:)`` admits only RFC 2046 boundary characters, so a partial match of k
    /// bytes leaves no candidate start among those k bytes and every byte is compared O(1) times; the
    /// header end (`CRLF CRLF`) is four bytes long. A 50 MB part crafted from near-boundary bytes thus costs
    /// one pass. (glibc's `memmem` is not visible to Swift without `_GNU_SOURCE`.)
    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first, start >= 0, needle.count <= haystack.count - start else { return nil }
        return haystack.withUnsafeBytes { hay -> Int? in
            needle.withUnsafeBytes { pattern -> Int? in
                guard let base = hay.baseAddress, let rest = pattern.baseAddress else { return nil }
                let last = hay.count - needle.count
                var index = start
                while index <= last {
                    guard let hit = memchr(base + index, Int32(first), last - index + 1) else { return nil }
                    let candidate = base.distance(to: UnsafeRawPointer(hit))
                    if memcmp(base + candidate + 1, rest + 1, needle.count - 1) == 0 { return candidate }
                    index = candidate + 1
                }
                return nil
            }
        }
    }
}
