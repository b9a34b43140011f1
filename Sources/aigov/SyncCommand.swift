import APIServer
import ArgumentParser
import Foundation
import Knowledge
import Qdrant
import Retrieval

struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync", abstract: "Push pending changes to the Qdrant collection (QDRANT_URL).",
        discussion: """
            Pushes every queued outbox row (upserts and deletes, wait=true) and removes the rows Qdrant \
            acknowledged; a failure leaves them queued for the next run. --verify then compares every point \
            (ids and payloads) with the store; --repair also fixes what differs (use it after setting QDRANT_URL \
            on an existing data directory, or after the collection was lost). Exit code 1 on any failure or \
            disagreement left.
            """)

    @OptionGroup var data: DataOptions
    @OptionGroup var model: ModelOptions

    @Flag(help: "After pushing, compare the collection with the store.")
    var verify = false

    @Flag(help: "After pushing, make the collection equal the store (implies --verify).")
    var repair = false

    @Flag(
        help: ArgumentHelp(
            "First build a new collection from the store and switch QDRANT_COLLECTION's alias to it.",
            discussion: "Searches use the old collection until the switch. BM25's average length is measured again."))
    var rebuild = false

    @Flag(help: "Print one JSON object on stdout.")
    var json = false

    func run() async throws {
        guard let qdrant = try searchSettings().qdrant else {
            throw CLIError("QDRANT_URL is not set: there is no Qdrant collection to sync")
        }
        let base = try await openKnowledgeBase(data, model)
        let mirror: QdrantMirror
        do {
            mirror = QdrantMirror(knowledgeBase: base, client: try QdrantClient(configuration: qdrant))
        } catch {
            throw CLIError("configuration: \(error)")
        }
        let started = monotonicSeconds()
        var output: [String: Any] = ["collection": qdrant.collection]
        var failed = false
        do {
            if rebuild {
                let built = try await mirror.rebuild()
                output["rebuilt"] = [
                    "collection": built.collection, "points": built.points, "embedded": built.embedded,
                ]
                printError(
                    "built \(built.collection) with \(built.points) points (BM25 average length "
                        + "\(built.bm25.averageLength)); \(qdrant.collection) now names it")
            }
            let report = try await mirror.syncAll(waitForLease: true)
            output["entries"] = report.entries
            output["upserted"] = report.upserted
            output["deleted"] = report.deleted
            output["embedded"] = report.embedded
            printError(
                "pushed \(report.entries) outbox rows to \(qdrant.hostForMessages): \(report.upserted) points "
                    + "upserted, \(report.deleted) deleted")
            if verify || repair {
                let found: QdrantMirror.Consistency
                if repair { found = try await mirror.repair() } else { found = try await mirror.verify() }
                output["verify"] = [
                    "stored_chunks": found.storedChunks, "points": found.points, "missing": found.missing.count,
                    "extra": found.extra.count, "stale": found.stale.count, "agrees": found.agrees,
                ]
                printError(
                    "collection \(qdrant.collection): \(found.points) points for \(found.storedChunks) stored "
                        + "chunks; \(found.missing.count) missing, \(found.extra.count) extra, \(found.stale.count) "
                        + "stale" + (repair && !found.agrees ? " (repaired)" : ""))
                if repair && !found.agrees {
                    let after = try await mirror.verify()
                    output["repaired"] = after.agrees
                    failed = !after.agrees
                } else {
                    failed = !found.agrees
                }
            }
        } catch {
            let message = (error as? QdrantError)?.description ?? String(describing: error)
            output["error"] = message
            printError("sync failed: \(message) (pending rows stay queued)")
            failed = true
        }
        if let pending = try? await mirror.pending() { output["pending"] = pending }
        output["seconds"] = monotonicSeconds() - started
        if json { try printJSON(output) }
        try? await base.checkpoint()
        if failed { throw ExitCode(1) }
    }
}
