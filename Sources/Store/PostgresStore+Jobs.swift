import Foundation
import PostgresNIO

extension PostgresStore {
    public func createJob(kind: String, payload: [String: String]) async throws -> Job {
        let payloadJSON = try JSONColumn.encode(payload)
        let id = UUID().uuidString.lowercased()
        return try await transaction { connection in
            let row = try await rows(
                """
                INSERT INTO jobs (id, kind, status, payload, created_at)
                VALUES (\(id), \(kind), \(JobStatus.queued.rawValue), \(payloadJSON)::jsonb, \(PostgresRows.now()))
                RETURNING \(unescaped: PostgresRows.jobColumns)
                """, on: connection
            ).first
            guard let row else { throw StoreError(.database, "the new job row is missing") }
            return try PostgresRows.job(row)
        }
    }

    @discardableResult
    public func updateJob(id: String, status: JobStatus, error: String?) async throws -> Job {
        try await transaction { connection in
            let now = PostgresRows.now()
            let query: PostgresQuery
            switch status {
            case .queued:
                query = """
                    UPDATE jobs SET status = \(status.rawValue), error = \(error) WHERE id = \(id)
                    RETURNING \(unescaped: PostgresRows.jobColumns)
                    """
            case .running:
                // A retried job keeps its first start time.
                query = """
                    UPDATE jobs SET status = \(status.rawValue), error = \(error),
                        started_at = COALESCE(started_at, \(now))
                    WHERE id = \(id) RETURNING \(unescaped: PostgresRows.jobColumns)
                    """
            case .succeeded, .failed:
                query = """
                    UPDATE jobs SET status = \(status.rawValue), error = \(error),
                        started_at = COALESCE(started_at, \(now)), finished_at = \(now)
                    WHERE id = \(id) RETURNING \(unescaped: PostgresRows.jobColumns)
                    """
            }
            guard let row = try await rows(query, on: connection).first else {
                throw StoreError(.notFound, "no job with id \(id)")
            }
            return try PostgresRows.job(row)
        }
    }

    public func job(id: String) async throws -> Job? {
        try await read { connection in
            try await rows("SELECT \(unescaped: PostgresRows.jobColumns) FROM jobs WHERE id = \(id)", on: connection)
                .first.map(PostgresRows.job)
        }
    }
}
