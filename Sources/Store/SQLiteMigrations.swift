/// The SQLite schema as numbered migrations. A version is applied once, recorded in `schema_migrations`,
/// and never edited after release: a schema change is a new entry at the end.
struct SQLiteMigration: Sendable {
    let version: Int
    let name: String
    let sql: String

    static let all: [SQLiteMigration] = [
        documentsAndChunks, usersOriginsJobs, qdrantOutbox, changeFeedAndVectors, originCrawlSettings, crawlJobs,
        platformSettings,
        userCredentials,
    ]

    static let bookkeeping = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY NOT NULL,
            name TEXT NOT NULL,
            applied_at TEXT NOT NULL
        )
        """

    // Timestamps are GRDB's text form (`YYYY-MM-DD HH:MM:SS.SSS`, UTC), so text order is time order.
    // JSON columns are checked with json_valid so a bad write fails at the write, not at a later read.
    static let documentsAndChunks = SQLiteMigration(
        version: 1, name: "documents_and_chunks",
        sql: """
            CREATE TABLE documents (
                id TEXT PRIMARY KEY NOT NULL,
                title TEXT NOT NULL,
                source TEXT NOT NULL,
                url TEXT,
                type TEXT NOT NULL,
                content_hash TEXT NOT NULL,
                metadata TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata)),
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            );
            CREATE INDEX documents_updated_at ON documents(updated_at, id);
            CREATE TABLE chunks (
                chunk_id TEXT PRIMARY KEY NOT NULL,
                document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
                ordinal INTEGER NOT NULL CHECK (ordinal >= 0),
                text TEXT NOT NULL,
                section TEXT,
                heading_path TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(heading_path)),
                page_start INTEGER CHECK (page_start IS NULL OR page_start >= 1),
                page_end INTEGER CHECK (page_end IS NULL OR page_end >= page_start),
                char_start INTEGER NOT NULL CHECK (char_start >= 0),
                char_end INTEGER NOT NULL CHECK (char_end >= char_start),
                token_count INTEGER NOT NULL CHECK (token_count >= 0),
                content_hash TEXT NOT NULL
            );
            CREATE INDEX chunks_document_id ON chunks(document_id, ordinal);
            """)

    static let usersOriginsJobs = SQLiteMigration(
        version: 2, name: "users_origins_jobs",
        sql: """
            CREATE TABLE users (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                username TEXT NOT NULL UNIQUE COLLATE NOCASE,
                email TEXT,
                password_hash TEXT NOT NULL,
                role TEXT NOT NULL DEFAULT 'viewer' CHECK (role IN ('admin', 'viewer')),
                is_active INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
                created_at TEXT NOT NULL
            );
            CREATE TABLE origins (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                url TEXT NOT NULL UNIQUE,
                title TEXT,
                source TEXT,
                frequency_hours INTEGER NOT NULL DEFAULT 24 CHECK (frequency_hours > 0),
                last_fetched_at TEXT,
                last_status TEXT,
                enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1))
            );
            CREATE TABLE jobs (
                id TEXT PRIMARY KEY NOT NULL,
                kind TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
                payload TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(payload)),
                created_at TEXT NOT NULL,
                started_at TEXT,
                finished_at TEXT,
                error TEXT
            );
            CREATE INDEX jobs_status ON jobs(status, created_at);
            """)

    // No foreign key to chunks or documents: a delete entry must outlive the rows it deletes.
    static let qdrantOutbox = SQLiteMigration(
        version: 3, name: "qdrant_outbox",
        sql: """
            CREATE TABLE qdrant_outbox (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                chunk_id TEXT NOT NULL,
                document_id TEXT NOT NULL,
                operation TEXT NOT NULL CHECK (operation IN ('upsert', 'delete')),
                created_at TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                last_error TEXT
            );
            """)

    // AUTOINCREMENT: a sequence number is never reused, even after pruning deletes the newest entries. No
    // foreign key from the feed: a delete entry outlives its chunk. Vectors go with their chunk.
    static let changeFeedAndVectors = SQLiteMigration(
        version: 4, name: "change_feed_and_vectors",
        sql: """
            CREATE TABLE chunk_changes (
                sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                chunk_id TEXT NOT NULL,
                document_id TEXT NOT NULL,
                operation TEXT NOT NULL CHECK (operation IN ('upsert', 'delete')),
                changed_at TEXT NOT NULL
            );
            CREATE INDEX chunk_changes_changed_at ON chunk_changes(changed_at);
            CREATE TABLE change_feed_state (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                pruned_through INTEGER NOT NULL
            );
            INSERT INTO change_feed_state (id, pruned_through) VALUES (1, 0);
            CREATE TABLE chunk_vectors (
                chunk_id TEXT PRIMARY KEY NOT NULL REFERENCES chunks(chunk_id) ON DELETE CASCADE,
                model TEXT NOT NULL,
                vector BLOB NOT NULL,
                windows BLOB NOT NULL
            );
            """)

    // How each origin is crawled, and the scheduler's lease (issue 17). Lists are JSON arrays of strings.
    static let originCrawlSettings = SQLiteMigration(
        version: 5, name: "origin_crawl_settings",
        sql: """
            ALTER TABLE origins ADD COLUMN country_code TEXT;
            ALTER TABLE origins ADD COLUMN topic_tags TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(topic_tags));
            ALTER TABLE origins ADD COLUMN crawl_priority INTEGER NOT NULL DEFAULT 5
                CHECK (crawl_priority BETWEEN 1 AND 10);
            ALTER TABLE origins ADD COLUMN allowed_path_patterns TEXT NOT NULL DEFAULT '[]'
                CHECK (json_valid(allowed_path_patterns));
            ALTER TABLE origins ADD COLUMN excluded_path_patterns TEXT NOT NULL DEFAULT '[]'
                CHECK (json_valid(excluded_path_patterns));
            ALTER TABLE origins ADD COLUMN sitemap_url TEXT;
            ALTER TABLE origins ADD COLUMN max_depth INTEGER CHECK (max_depth IS NULL OR max_depth >= 0);
            ALTER TABLE origins ADD COLUMN max_pages INTEGER CHECK (max_pages IS NULL OR max_pages >= 1);
            ALTER TABLE origins ADD COLUMN next_run TEXT;
            ALTER TABLE origins ADD COLUMN lease_owner TEXT;
            ALTER TABLE origins ADD COLUMN lease_expires_at TEXT;
            CREATE INDEX origins_due ON origins(enabled, next_run);
            """)

    // Crawl jobs with their counts and failed pages, and what the crawler keeps of each page between runs.
    static let crawlJobs = SQLiteMigration(
        version: 6, name: "crawl_jobs",
        sql: """
            CREATE TABLE crawl_jobs (
                id TEXT PRIMARY KEY NOT NULL,
                origin_id INTEGER REFERENCES origins(id) ON DELETE SET NULL,
                trigger TEXT NOT NULL CHECK (trigger IN ('scheduler', 'api', 'cli')),
                status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
                owner TEXT,
                created_at TEXT NOT NULL,
                started_at TEXT,
                finished_at TEXT,
                heartbeat_at TEXT,
                pages_attempted INTEGER NOT NULL DEFAULT 0,
                pages_succeeded INTEGER NOT NULL DEFAULT 0,
                pages_not_modified INTEGER NOT NULL DEFAULT 0,
                pages_failed INTEGER NOT NULL DEFAULT 0,
                pages_robots_disallowed INTEGER NOT NULL DEFAULT 0,
                documents_added INTEGER NOT NULL DEFAULT 0,
                documents_updated INTEGER NOT NULL DEFAULT 0,
                documents_unchanged INTEGER NOT NULL DEFAULT 0,
                documents_removed INTEGER NOT NULL DEFAULT 0,
                chunks_embedded INTEGER NOT NULL DEFAULT 0,
                errors TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(errors)),
                error TEXT
            );
            CREATE INDEX crawl_jobs_created ON crawl_jobs(created_at, id);
            CREATE INDEX crawl_jobs_origin ON crawl_jobs(origin_id, created_at);
            CREATE INDEX crawl_jobs_running ON crawl_jobs(status, heartbeat_at);
            CREATE TABLE crawl_pages (
                url TEXT PRIMARY KEY NOT NULL,
                origin_id INTEGER REFERENCES origins(id) ON DELETE SET NULL,
                document_id TEXT,
                etag TEXT,
                last_modified TEXT,
                content_hash TEXT,
                last_status INTEGER,
                missing_runs INTEGER NOT NULL DEFAULT 0 CHECK (missing_runs >= 0),
                fetched_at TEXT
            );
            CREATE INDEX crawl_pages_origin ON crawl_pages(origin_id);
            """)

    // Settings changed at run time through the dashboard, shared by every replica over the store (values are the
    // environment's text form, so one parser checks both), the crawl count of pages the topic filter set aside,
    // and a page's links, which a later crawl follows when the page answers 304.
    static let platformSettings = SQLiteMigration(
        version: 7, name: "platform_settings",
        sql: """
            CREATE TABLE platform_settings (
                key TEXT PRIMARY KEY NOT NULL,
                value TEXT NOT NULL,
                updated_at TEXT NOT NULL
            );
            ALTER TABLE crawl_jobs ADD COLUMN pages_irrelevant INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE crawl_pages ADD COLUMN links TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(links));
            """)

    // When a user's password last changed (or the account was re-enabled): tokens issued before it no longer
    // authenticate, so a password reset logs out every session of the old one. NULL for users never changed.
    static let userCredentials = SQLiteMigration(
        version: 8, name: "user_credentials",
        sql: """
            ALTER TABLE users ADD COLUMN credentials_changed_at TEXT;
            """)
}
