import Foundation
import Store
import Testing

@Suite struct JobTests {
    @Test(arguments: Engine.all) func lifecycle(engine: Engine) async throws {
        try await withStore(engine) { store in
            let payload = ["path": "/data/ai-act.pdf", "titre": "Loi IA"]
            let job = try await store.createJob(kind: "ingest", payload: payload)
            #expect(job.status == .queued && job.startedAt == nil && job.finishedAt == nil)
            #expect(try await store.job(id: job.id) == job)

            let running = try await store.updateJob(id: job.id, status: .running, error: nil)
            #expect(running.status == .running && running.startedAt != nil && running.finishedAt == nil)

            let failed = try await store.updateJob(id: job.id, status: .failed, error: "pdftotext timed out")
            #expect(failed.status == .failed && failed.error == "pdftotext timed out")
            #expect(failed.startedAt == running.startedAt)
            #expect(failed.finishedAt != nil)
            #expect(failed.payload == payload)
            #expect(try await store.job(id: "missing") == nil)
        }
    }

    @Test(arguments: Engine.all) func updatingAMissingJobIsNotFound(engine: Engine) async throws {
        try await withStore(engine) { store in
            let code = await storeErrorCode { try await store.updateJob(id: "missing", status: .running, error: nil) }
            #expect(code == .notFound)
        }
    }
}
