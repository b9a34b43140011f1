/// A set of Unicode scalars stored as sorted, inclusive ranges, with a bitmap for ASCII.
///
/// The tokenizer asks these sets once per scalar of every text it sees, and almost every scalar is ASCII,
/// so the bitmap answers those without a search.
struct ScalarRangeSet: Sendable {
    private let lows: [UInt32]
    private let highs: [UInt32]
    private let asciiLow: UInt64
    private let asciiHigh: UInt64

    init(_ ranges: [(UInt32, UInt32)]) {
        let sorted = ranges.sorted { $0.0 < $1.0 }
        lows = sorted.map(\.0)
        highs = sorted.map(\.1)
        var low: UInt64 = 0
        var high: UInt64 = 0
        for (a, b) in sorted where a < 128 {
            for v in a...min(b, 127) {
                if v < 64 { low |= 1 << UInt64(v) } else { high |= 1 << UInt64(v - 64) }
            }
        }
        asciiLow = low
        asciiHigh = high
    }

    func contains(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 64 { return asciiLow & (1 << UInt64(v)) != 0 }
        if v < 128 { return asciiHigh & (1 << UInt64(v - 64)) != 0 }
        // Last range whose low bound is <= v.
        var lo = 0
        var hi = lows.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if lows[mid] <= v { lo = mid + 1 } else { hi = mid }
        }
        return lo > 0 && v <= highs[lo - 1]
    }
}
