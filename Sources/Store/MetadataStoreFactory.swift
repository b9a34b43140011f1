/// Opens the store `location` names and brings its schema up to date: `SQLiteStore` for a file,
/// `PostgresStore` for a server. Call `closeMetadataStore(_:)` when done, so a PostgreSQL pool ends cleanly.
public func openMetadataStore(_ location: DatabaseLocation, migrate: Bool = true) async throws -> any MetadataStore {
    switch location {
    case .sqlite(let path):
        let store = try SQLiteStore(path: path)
        if migrate { try await store.migrate() }
        return store
    case .postgres(let url):
        return migrate ? try await PostgresStore.open(url: url) : try await PostgresStore.connect(url: url)
    }
}

/// Closes a store opened by `openMetadataStore(_:)`: ends a PostgreSQL pool; a SQLite file closes when released.
public func closeMetadataStore(_ store: any MetadataStore) async {
    if let store = store as? PostgresStore { await store.close() }
}
