import Synchronization

/// Compiled copies of a fixed list of patterns, each lent to one caller at a time.
///
/// `Regex` is not `Sendable` (it compiles its program lazily, at first use), so a list of patterns cannot be a
/// shared static; built anew for every search, the lookups parsed each pattern again for every question, about 6%
/// of the CPU of a server answering new questions (`aigov bench serve --uncached`, docs/BENCHMARKS.md). A copy is
/// taken from the pool, used by that caller alone and put back, so the pool holds at most as many copies as there
/// were concurrent callers.
package final class RegexPool<Output>: Sendable {
    /// Unchecked: a copy is only ever used by the one caller that took it out of the pool.
    private final class Copy: @unchecked Sendable {
        let patterns: [Regex<Output>]
        init(_ patterns: [Regex<Output>]) { self.patterns = patterns }
    }

    private let free = Mutex<[Copy]>([])
    private let make: @Sendable () -> [Regex<Output>]

    /// A pool whose copies `make` builds.
    package init(_ make: @escaping @Sendable () -> [Regex<Output>]) { self.make = make }

    /// Runs `body` with a copy of the patterns that no other caller uses meanwhile.
    package func withPatterns<T>(_ body: ([Regex<Output>]) throws -> T) rethrows -> T {
        let copy = free.withLock { $0.popLast() } ?? Copy(make())
        defer { free.withLock { $0.append(copy) } }
        return try body(copy.patterns)
    }
}
