import GRDB

extension StoreError {
    /// Maps an error from GRDB to a `StoreError`. The message is SQLite's own (e.g. `UNIQUE constraint failed:
    /// users.username`): it names tables and columns but never the statement or its arguments, which may hold
    /// password hashes or user text. Store and cancellation errors pass through.
    static func mapping(_ error: any Error) -> any Error {
        if error is StoreError || error is CancellationError { return error }
        guard let error = error as? DatabaseError else {
            return StoreError(.database, "unexpected database error (\(type(of: error)))")
        }
        let detail = error.message ?? "SQLite error \(error.resultCode.rawValue)"
        switch error.extendedResultCode {
        case .SQLITE_CONSTRAINT_UNIQUE, .SQLITE_CONSTRAINT_PRIMARYKEY:
            return StoreError(.conflict, detail)
        default:
            break
        }
        switch error.resultCode {
        case .SQLITE_CONSTRAINT:
            return StoreError(.constraintViolation, detail)
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return StoreError(.corrupt, "the database file is not a SQLite database or is damaged: \(detail)")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return StoreError(.busy, "the database stayed locked past the busy timeout: \(detail)")
        case .SQLITE_CANTOPEN, .SQLITE_IOERR, .SQLITE_FULL, .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_NOMEM:
            return StoreError(.io, detail)
        default:
            return StoreError(.database, detail)
        }
    }
}
