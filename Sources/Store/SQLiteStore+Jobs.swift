import Foundation
import GRDB

extension SQLiteStore {
    public func createJob(kind: String, payload: [String: String]) async throws -> Job {
        let payloadJSON = try JSONColumn.encode(payload)
        let id = UUID().uuidString.lowercased()
        return try await write { db in
            try db.execute(
                sql: "INSERT INTO jobs (id, kind, status, payload, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [id, kind, JobStatus.queued.rawValue, payloadJSON, Date()])
            return try Self.fetchJob(db, id: id)
        }
    }

    @discardableResult
    public func updateJob(id: String, status: JobStatus, error: String?) async throws -> Job {
        try await write { db in
            let now = Date()
            switch status {
            case .queued:
                try db.execute(
                    sql: "UPDATE jobs SET status = ?, error = ? WHERE id = ?",
                    arguments: [status.rawValue, error, id])
            case .running:
                // A retried job keeps its first start time.
                try db.execute(
                    sql: "UPDATE jobs SET status = ?, error = ?, started_at = COALESCE(started_at, ?) WHERE id = ?",
                    arguments: [status.rawValue, error, now, id])
            case .succeeded, .failed:
                try db.execute(
                    sql: """
                        UPDATE jobs SET status = ?, error = ?, started_at = COALESCE(started_at, ?), finished_at = ?
                        WHERE id = ?
                        """,
                    arguments: [status.rawValue, error, now, now, id])
            }
            guard db.changesCount > 0 else { throw StoreError(.notFound, "no job with id \(id)") }
            return try Self.fetchJob(db, id: id)
        }
    }

    public func job(id: String) async throws -> Job? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT \(SQLiteRows.jobColumns) FROM jobs WHERE id = ?", arguments: [id])
                .map(SQLiteRows.job)
        }
    }

    static func fetchJob(_ db: Database, id: String) throws -> Job {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT \(SQLiteRows.jobColumns) FROM jobs WHERE id = ?", arguments: [id])
        else { throw StoreError(.notFound, "no job with id \(id)") }
        return try SQLiteRows.job(row)
    }
}
