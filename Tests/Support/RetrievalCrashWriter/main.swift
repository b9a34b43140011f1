// Child process of CrashSafetyTests. Usage:
//   retrieval-crash-writer DIR WRITE_POINT OCCURRENCE OPERATIONS
// Opens the index in DIR and runs OPERATIONS scripted writes (see `CrashScript` in the tests, which
// mirrors `operation(_:)` below), printing "begin N ..." before and "ack N" after each. At the
// OCCURRENCE-th time the write path reaches WRITE_POINT it prints "stopped WRITE_POINT" and blocks, so the
// parent can SIGKILL it there. WRITE_POINT "none" runs to the end.
import Foundation
import Retrieval

#if canImport(Glibc)
    import Glibc
#endif

let arguments = CommandLine.arguments
guard arguments.count == 5, let occurrence = Int(arguments[3]), let operationCount = Int(arguments[4]) else {
    FileHandle.standardError.write(Data("usage: retrieval-crash-writer DIR WRITE_POINT OCCURRENCE OPERATIONS\n".utf8))
    exit(2)
}
let directory = arguments[1]
let target = WritePoint(rawValue: arguments[2])

@Sendable func say(_ line: String) {
    // Unbuffered write: the parent must see every acknowledgement that happened before the kill.
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(1, $0.baseAddress!, $0.count) }
}

final class Counter: @unchecked Sendable {
    // @unchecked: only touched from the single writing thread of this process.
    var hits = 0
}
let counter = Counter()

let configuration = IndexConfiguration(
    dimension: 8, hnsw: HNSWParameters(m: 4, efConstruction: 16),
    writePointHook: { point in
        guard point == target else { return }
        counter.hits += 1
        guard counter.hits == occurrence else { return }
        say("stopped \(point.rawValue)")
        while true { pause() }
    })

/// The deterministic script: every fourth operation is a checkpoint, every fifth a delete, the rest
/// upserts (sometimes of two records) over ten ids, so later ones replace earlier ones.
func vector(seed: Int) -> [Float] { (0..<8).map { Float(sin(Double(seed * 8 + $0) * 0.7)) + 0.01 } }

do {
    let index = try RetrievalIndex.open(directory: directory, configuration: configuration)
    for n in 0..<operationCount {
        if n % 4 == 3 {
            say("begin \(n) checkpoint")
            try index.checkpoint()
        } else if n % 5 == 4 {
            let id = "r\((n * 3) % 10)"
            say("begin \(n) delete \(id)")
            try index.delete(ids: [id])
        } else {
            var records = [IndexRecord(id: "r\(n % 10)", vector: vector(seed: n), text: "text \(n)")]
            if n % 3 == 0 {
                records.append(IndexRecord(id: "r\((n + 5) % 10)", vector: vector(seed: n + 1000), text: "text b\(n)"))
            }
            say("begin \(n) upsert " + records.map { $0.id }.joined(separator: ","))
            try index.upsert(records)
        }
        say("ack \(n)")
    }
    say("done")
} catch {
    say("error \(error)")
    exit(1)
}
