/// The codes the metadata store throws besides `invalid_database_url`. Callers branch on these, so they are
/// stable strings: the HTTP layer maps `not_found` to 404 and `conflict` to 409, the CLI prints them.
extension StoreError.Code {
    /// The row asked for does not exist.
    public static let notFound = StoreError.Code(rawValue: "not_found")
    /// A unique key is taken (a username, a chunk id owned by another document).
    public static let conflict = StoreError.Code(rawValue: "conflict")
    /// A value breaks a schema rule other than uniqueness (a range check, a missing parent row).
    public static let constraintViolation = StoreError.Code(rawValue: "constraint_violation")
    /// The input is invalid before any database work (e.g. a chunk of another document in a commit).
    public static let invalidInput = StoreError.Code(rawValue: "invalid_input")
    /// The database stayed locked by another process past the busy timeout.
    public static let busy = StoreError.Code(rawValue: "busy")
    /// The file cannot be opened, read or written (permissions, disk full, missing directory).
    public static let io = StoreError.Code(rawValue: "io")
    /// The schema could not be brought to the current version.
    public static let migrationFailed = StoreError.Code(rawValue: "migration_failed")
    /// The file is not a database, or its content is damaged.
    public static let corrupt = StoreError.Code(rawValue: "corrupt")
    /// Any other database failure (e.g. a statement against a schema that was never migrated).
    public static let database = StoreError.Code(rawValue: "database_error")
    /// The database server cannot be reached (refused, timed out, TLS handshake failed, closed the connection).
    public static let connectionFailed = StoreError.Code(rawValue: "connection_failed")
    /// The database server refused the user name or password.
    public static let authenticationFailed = StoreError.Code(rawValue: "authentication_failed")
    /// The database named in the URL does not exist on the server.
    public static let databaseNotFound = StoreError.Code(rawValue: "database_not_found")
}
