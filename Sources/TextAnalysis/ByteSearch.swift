#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Substring search on UTF-8 bytes, for text the caller has already normalised (lower-cased, one space between
/// words), where byte equality is character equality. Foundation's `String.range(of:)` and `contains(_:)`
/// compare character clusters through CFString, tens of times slower on the short texts of the ranking rules.
public enum ByteSearch {
    /// The first range of `needle` in `haystack` at or after `start` (any position of its UTF-8 view), or nil;
    /// an empty needle is never found, as with Foundation.
    public static func range(of needle: String, in haystack: String, from start: String.Index) -> Range<String.Index>? {
        let offset = haystack.utf8.distance(from: haystack.startIndex, to: start)
        guard let found = firstOffset(of: needle, in: haystack, from: offset) else { return nil }
        let lower = haystack.utf8.index(haystack.startIndex, offsetBy: found)
        return lower..<haystack.utf8.index(lower, offsetBy: needle.utf8.count)
    }

    /// Whether `haystack` holds the bytes of `needle`.
    public static func contains(_ haystack: String, _ needle: String) -> Bool {
        firstOffset(of: needle, in: haystack, from: 0) != nil
    }

    private static func firstOffset(of needle: String, in haystack: String, from start: Int) -> Int? {
        var needle = needle
        var haystack = haystack
        return needle.withUTF8 { wanted -> Int? in
            guard wanted.count > 0 else { return nil }
            return haystack.withUTF8 { text -> Int? in
                guard start >= 0, let base = text.baseAddress, let first = wanted.baseAddress else { return nil }
                // memchr to each candidate first byte, memcmp for the rest (Glibc does not export memmem to Swift).
                var offset = start
                while offset + wanted.count <= text.count {
                    guard let hit = memchr(base + offset, Int32(first.pointee), text.count - wanted.count + 1 - offset)
                    else { return nil }
                    let position = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
                    if memcmp(base + position, first, wanted.count) == 0 { return position }
                    offset = position + 1
                }
                return nil
            }
        }
    }
}
