import Foundation
import PostgresNIO

/// Row-to-value decoding for the PostgreSQL store, one place per table. A cell of the wrong type becomes
/// `corrupt` rather than a crash. Timestamps are kept to whole milliseconds, as SQLite stores them, so a row
/// reads back the same from either engine and survives `aigov db copy` both ways unchanged.
enum PostgresRows {
    static let documentColumns = """
        id, title, source, url, type, content_hash, metadata::text AS metadata, created_at, updated_at
        """
    static let chunkColumns = """
        chunk_id, document_id, ordinal, text, section, heading_path::text AS heading_path, page_start, page_end, \
        char_start, char_end, token_count, content_hash
        """
    static let userColumns = "id, username, email, password_hash, role, is_active, created_at, credentials_changed_at"
    static let originColumns = """
        id, url, title, source, frequency_hours, last_fetched_at, last_status, enabled, country_code, \
        topic_tags::text AS topic_tags, crawl_priority, allowed_path_patterns::text AS allowed_path_patterns, \
        excluded_path_patterns::text AS excluded_path_patterns, sitemap_url, max_depth, max_pages, next_run
        """
    static let jobColumns = "id, kind, status, payload::text AS payload, created_at, started_at, finished_at, error"
    static let outboxColumns = "id, chunk_id, document_id, operation, created_at, attempts, last_error"

    /// The store's clock, at SQLite's precision.
    static func now() -> Date { milliseconds(Date()) }

    static func milliseconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded() / 1000)
    }

    static func value<T: PostgresDecodable>(_ row: PostgresRandomAccessRow, _ column: String, _ type: T.Type) throws
        -> T
    {
        do {
            return try row[column].decode(T.self, context: .default)
        } catch {
            throw StoreError(.corrupt, "column \(column) does not hold a \(T.self)")
        }
    }

    static func date(_ row: PostgresRandomAccessRow, _ column: String) throws -> Date {
        milliseconds(try value(row, column, Date.self))
    }

    static func optionalDate(_ row: PostgresRandomAccessRow, _ column: String) throws -> Date? {
        try value(row, column, Date?.self).map(milliseconds)
    }

    static func document(_ row: PostgresRandomAccessRow) throws -> StoredDocument {
        StoredDocument(
            id: try value(row, "id", String.self),
            title: try value(row, "title", String.self),
            source: try value(row, "source", String.self),
            url: try value(row, "url", String?.self),
            type: try value(row, "type", String.self),
            contentHash: try value(row, "content_hash", String.self),
            metadata: try JSONColumn.decode(
                [String: String].self, from: try value(row, "metadata", String.self), column: "documents.metadata"),
            createdAt: try date(row, "created_at"),
            updatedAt: try date(row, "updated_at"))
    }

    static func chunk(_ row: PostgresRandomAccessRow) throws -> StoredChunk {
        StoredChunk(
            chunkID: try value(row, "chunk_id", String.self),
            documentID: try value(row, "document_id", String.self),
            ordinal: try value(row, "ordinal", Int.self),
            text: try value(row, "text", String.self),
            section: try value(row, "section", String?.self),
            headingPath: try JSONColumn.decode(
                [String].self, from: try value(row, "heading_path", String.self), column: "chunks.heading_path"),
            pageStart: try value(row, "page_start", Int?.self),
            pageEnd: try value(row, "page_end", Int?.self),
            charStart: try value(row, "char_start", Int.self),
            charEnd: try value(row, "char_end", Int.self),
            tokenCount: try value(row, "token_count", Int.self),
            contentHash: try value(row, "content_hash", String.self))
    }

    static func user(_ row: PostgresRandomAccessRow) throws -> User {
        guard let role = UserRole(rawValue: try value(row, "role", String.self)) else {
            throw StoreError(.corrupt, "users.role holds an unknown role")
        }
        return User(
            id: try value(row, "id", Int64.self),
            username: try value(row, "username", String.self),
            email: try value(row, "email", String?.self),
            passwordHash: try value(row, "password_hash", String.self),
            role: role,
            isActive: try value(row, "is_active", Bool.self),
            createdAt: try date(row, "created_at"),
            credentialsChangedAt: try optionalDate(row, "credentials_changed_at"))
    }

    static func origin(_ row: PostgresRandomAccessRow) throws -> Origin {
        Origin(
            id: try value(row, "id", Int64.self),
            url: try value(row, "url", String.self),
            title: try value(row, "title", String?.self),
            source: try value(row, "source", String?.self),
            frequencyHours: try value(row, "frequency_hours", Int.self),
            lastFetchedAt: try optionalDate(row, "last_fetched_at"),
            lastStatus: try value(row, "last_status", String?.self),
            enabled: try value(row, "enabled", Bool.self),
            countryCode: try value(row, "country_code", String?.self),
            topicTags: try JSONColumn.decode(
                [String].self, from: try value(row, "topic_tags", String.self), column: "origins.topic_tags"),
            crawlPriority: try value(row, "crawl_priority", Int.self),
            allowedPathPatterns: try JSONColumn.decode(
                [String].self, from: try value(row, "allowed_path_patterns", String.self),
                column: "origins.allowed_path_patterns"),
            excludedPathPatterns: try JSONColumn.decode(
                [String].self, from: try value(row, "excluded_path_patterns", String.self),
                column: "origins.excluded_path_patterns"),
            sitemapURL: try value(row, "sitemap_url", String?.self),
            maxDepth: try value(row, "max_depth", Int?.self),
            maxPages: try value(row, "max_pages", Int?.self),
            nextRun: try optionalDate(row, "next_run"))
    }

    static func job(_ row: PostgresRandomAccessRow) throws -> Job {
        guard let status = JobStatus(rawValue: try value(row, "status", String.self)) else {
            throw StoreError(.corrupt, "jobs.status holds an unknown status")
        }
        return Job(
            id: try value(row, "id", String.self),
            kind: try value(row, "kind", String.self),
            status: status,
            payload: try JSONColumn.decode(
                [String: String].self, from: try value(row, "payload", String.self), column: "jobs.payload"),
            createdAt: try date(row, "created_at"),
            startedAt: try optionalDate(row, "started_at"),
            finishedAt: try optionalDate(row, "finished_at"),
            error: try value(row, "error", String?.self))
    }

    static func outboxEntry(_ row: PostgresRandomAccessRow) throws -> OutboxEntry {
        guard let operation = OutboxOperation(rawValue: try value(row, "operation", String.self)) else {
            throw StoreError(.corrupt, "qdrant_outbox.operation holds an unknown operation")
        }
        return OutboxEntry(
            id: try value(row, "id", Int64.self),
            chunkID: try value(row, "chunk_id", String.self),
            documentID: try value(row, "document_id", String.self),
            operation: operation,
            createdAt: try date(row, "created_at"),
            attempts: try value(row, "attempts", Int.self),
            lastError: try value(row, "last_error", String?.self))
    }

    static func change(_ row: PostgresRandomAccessRow) throws -> ChunkChange {
        guard let operation = OutboxOperation(rawValue: try value(row, "operation", String.self)) else {
            throw StoreError(.corrupt, "chunk_changes.operation holds an unknown operation")
        }
        return ChunkChange(
            sequence: try value(row, "sequence", Int64.self),
            chunkID: try value(row, "chunk_id", String.self),
            documentID: try value(row, "document_id", String.self),
            operation: operation,
            changedAt: try date(row, "changed_at"))
    }
}
