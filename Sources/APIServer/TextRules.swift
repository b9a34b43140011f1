/// Validation every text field of a request passes at the edge, before any store, index or model sees it.
///
/// Lengths are counted in Unicode scalars, never in `Character`s: a grapheme cluster has no length limit ("a"
/// followed by 400,000 combining accents is one `Character`), so a limit in characters bounds neither the work
/// nor the memory it is there to bound. Control characters are refused: a NUL is cut off by SQLite's C API
/// (so `admin\u{0}junk` would be read as `admin`) and refused by PostgreSQL, and newlines or escapes in a
/// name forge log lines.
enum TextRules {
    /// Whether `scalar` is a C0 or C1 control character or DEL.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// Throws 422 naming `field` when `value` has more than `maxScalars` Unicode scalars or a control character
    /// (tab, line feed and carriage return are allowed when `multiline`). The check stops at the first scalar
    /// past the limit, so a megabyte value costs no more than a short one.
    static func check(_ value: String, field: String, maxScalars: Int, multiline: Bool = false) throws {
        var count = 0
        for scalar in value.unicodeScalars {
            count += 1
            guard count <= maxScalars else {
                throw APIError.invalid(field, "must be at most \(maxScalars) characters")
            }
            if isControl(scalar), !(multiline && (scalar == "\t" || scalar == "\n" || scalar == "\r")) {
                throw APIError.invalid(field, "must not contain control characters")
            }
        }
    }

    /// Throws 422 naming `field` when `value` holds a NUL or another control character than tab, line feed
    /// and carriage return (for long texts whose size the body cap bounds).
    static func checkControls(_ value: String, field: String) throws {
        try check(value, field: field, maxScalars: .max, multiline: true)
    }
}
