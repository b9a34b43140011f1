/// An IPv4 or IPv6 address, parsed the way resolvers and browsers read a URL's host, so that every spelling of a
/// blocked address is recognised as that address (``AddressGuard``).
public enum IPAddress: Sendable, Hashable, CustomStringConvertible {
    case v4(UInt32)
    /// Sixteen bytes, network order.
    case v6([UInt8])

    /// The address a URL host spells, or nil when the host is a name.
    ///
    /// IPv4 is read as `inet_aton` reads it, which is what the fetch would connect to: one to four parts separated
    /// by dots, each decimal, hexadecimal (`0x7f`) or octal (leading `0`), the last part filling the remaining bytes
    /// (`127.1` is 127.0.0.1, `2130706433` and `0x7f000001` are too). IPv6 is the bracketed or bare RFC 4291 text
    /// form, `::` compression and a trailing dotted IPv4 included; a zone (`%eth0`) is refused.
    public init?(host: String) {
        var text = Substring(host)
        if text.hasPrefix("["), text.hasSuffix("]") { text = text.dropFirst().dropLast() }
        if text.contains(":") {
            guard let bytes = Self.parseIPv6(text) else { return nil }
            self = .v6(bytes)
        } else {
            guard let value = Self.parseIPv4(text) else { return nil }
            self = .v4(value)
        }
    }

    /// The IPv4 address an IPv6 address carries where one is embedded: IPv4-mapped (`::ffff:a.b.c.d`),
    /// IPv4-compatible (`::a.b.c.d`), NAT64 (`64:ff9b::/96`) and 6to4 (`2002:AABB:CCDD::/48`).
    public var embeddedIPv4: UInt32? {
        guard case .v6(let b) = self else { return nil }
        func tail(_ offset: Int) -> UInt32 {
            UInt32(b[offset]) << 24 | UInt32(b[offset + 1]) << 16 | UInt32(b[offset + 2]) << 8 | UInt32(b[offset + 3])
        }
        let zeros10 = b[0..<10].allSatisfy { $0 == 0 }
        if zeros10, b[10] == 0xFF, b[11] == 0xFF { return tail(12) }
        // ::a.b.c.d, but not :: and ::1, which are IPv6's own.
        if zeros10, b[10] == 0, b[11] == 0, tail(12) > 1 { return tail(12) }
        if b[0] == 0x00, b[1] == 0x64, b[2] == 0xFF, b[3] == 0x9B, b[4..<12].allSatisfy({ $0 == 0 }) { return tail(12) }
        if b[0] == 0x20, b[1] == 0x02 { return tail(2) }
        return nil
    }

    public var description: String {
        switch self {
        case .v4(let value):
            return [24, 16, 8, 0].map { String((value >> UInt32($0)) & 0xFF) }.joined(separator: ".")
        case .v6(let bytes):
            return stride(from: 0, to: 16, by: 2).map {
                String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16)
            }
            .joined(separator: ":")
        }
    }

    // MARK: Parsing

    private static func parseIPv4(_ text: Substring) -> UInt32? {
        guard !text.isEmpty, text.utf8.count <= 64 else { return nil }
        var parts = text.split(separator: ".", omittingEmptySubsequences: false)
        // A trailing dot is allowed in a host name ("127.0.0.1.") and resolves the same.
        if parts.count > 1, parts.last?.isEmpty == true { parts.removeLast() }
        guard (1...4).contains(parts.count) else { return nil }
        var values: [UInt64] = []
        for part in parts {
            guard let value = parseNumber(part) else { return nil }
            values.append(value)
        }
        var result: UInt64 = 0
        for (index, value) in values.enumerated() {
            if index == values.count - 1 {
                let bits = UInt64(8 * (4 - index))
                guard value < (1 << bits) else { return nil }
                result |= value
            } else {
                guard value <= 0xFF else { return nil }
                result |= value << UInt64(8 * (3 - index))
            }
        }
        return UInt32(result)
    }

    /// One `inet_aton` part: `0x` hexadecimal, a leading `0` octal, else decimal; nil for anything else (a part with
    /// a letter outside its base makes the whole host a name).
    private static func parseNumber(_ part: Substring) -> UInt64? {
        let lower = part.lowercased()
        guard !lower.isEmpty, lower.utf8.count <= 32 else { return nil }
        if lower.hasPrefix("0x") {
            let digits = lower.dropFirst(2)
            return digits.isEmpty ? 0 : UInt64(digits, radix: 16)
        }
        if lower.count > 1, lower.hasPrefix("0") { return UInt64(lower.dropFirst(), radix: 8) }
        return UInt64(lower, radix: 10)
    }

    private static func parseIPv6(_ text: Substring) -> [UInt8]? {
        guard !text.contains("%"), text.utf8.count <= 45 else { return nil }
        var head: [UInt16] = []
        var tail: [UInt16] = []
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String, allowIPv4: Bool) -> [UInt16]? {
            if part.isEmpty { return [] }
            var result: [UInt16] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if index == pieces.count - 1, allowIPv4, piece.contains(".") {
                    guard piece.split(separator: ".").count == 4, let v4 = parseDottedDecimal(piece) else { return nil }
                    result += [UInt16(v4 >> 16), UInt16(v4 & 0xFFFF)]
                    continue
                }
                guard (1...4).contains(piece.count), let value = UInt16(piece, radix: 16) else { return nil }
                result.append(value)
            }
            return result
        }
        if halves.count == 2 {
            guard let h = groups(halves[0], allowIPv4: false), let t = groups(halves[1], allowIPv4: true),
                h.count + t.count <= 7
            else { return nil }
            head = h
            tail = t
        } else {
            guard let all = groups(halves[0], allowIPv4: true), all.count == 8 else { return nil }
            head = all
        }
        let words = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        return words.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }

    /// Strict dotted decimal, for the IPv4 tail of an IPv6 address.
    private static func parseDottedDecimal(_ text: Substring) -> UInt32? {
        var result: UInt32 = 0
        for part in text.split(separator: ".") {
            guard (1...3).contains(part.count), let value = UInt32(part), value <= 255 else { return nil }
            result = result << 8 | value
        }
        return result
    }
}
