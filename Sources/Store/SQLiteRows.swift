import Foundation
import GRDB

/// Row-to-value decoding, one place per table. Throwing `decode` rather than GRDB's subscripts: a damaged or
/// hand-edited row becomes a `corrupt`/`database_error` error instead of a crash.
enum SQLiteRows {
    static let documentColumns = "id, title, source, url, type, content_hash, metadata, created_at, updated_at"
    static let chunkColumns = """
        chunk_id, document_id, ordinal, text, section, heading_path, page_start, page_end, char_start, char_end, \
        token_count, content_hash
        """
    static let userColumns = "id, username, email, password_hash, role, is_active, created_at, credentials_changed_at"
    static let originColumns = """
        id, url, title, source, frequency_hours, last_fetched_at, last_status, enabled, country_code, topic_tags, \
        crawl_priority, allowed_path_patterns, excluded_path_patterns, sitemap_url, max_depth, max_pages, next_run
        """
    static let jobColumns = "id, kind, status, payload, created_at, started_at, finished_at, error"
    static let outboxColumns = "id, chunk_id, document_id, operation, created_at, attempts, last_error"

    static func document(_ row: Row) throws -> StoredDocument {
        StoredDocument(
            id: try row.decode(forColumn: "id"),
            title: try row.decode(forColumn: "title"),
            source: try row.decode(forColumn: "source"),
            url: try row.decode(forColumn: "url"),
            type: try row.decode(forColumn: "type"),
            contentHash: try row.decode(forColumn: "content_hash"),
            metadata: try JSONColumn.decode(
                [String: String].self, from: try row.decode(forColumn: "metadata"), column: "documents.metadata"),
            createdAt: try row.decode(forColumn: "created_at"),
            updatedAt: try row.decode(forColumn: "updated_at"))
    }

    static func chunk(_ row: Row) throws -> StoredChunk {
        StoredChunk(
            chunkID: try row.decode(forColumn: "chunk_id"),
            documentID: try row.decode(forColumn: "document_id"),
            ordinal: try row.decode(forColumn: "ordinal"),
            text: try row.decode(forColumn: "text"),
            section: try row.decode(forColumn: "section"),
            headingPath: try JSONColumn.decode(
                [String].self, from: try row.decode(forColumn: "heading_path"), column: "chunks.heading_path"),
            pageStart: try row.decode(forColumn: "page_start"),
            pageEnd: try row.decode(forColumn: "page_end"),
            charStart: try row.decode(forColumn: "char_start"),
            charEnd: try row.decode(forColumn: "char_end"),
            tokenCount: try row.decode(forColumn: "token_count"),
            contentHash: try row.decode(forColumn: "content_hash"))
    }

    static func user(_ row: Row) throws -> User {
        let role: String = try row.decode(forColumn: "role")
        guard let userRole = UserRole(rawValue: role) else {
            throw StoreError(.corrupt, "users.role holds an unknown role")
        }
        return User(
            id: try row.decode(forColumn: "id"),
            username: try row.decode(forColumn: "username"),
            email: try row.decode(forColumn: "email"),
            passwordHash: try row.decode(forColumn: "password_hash"),
            role: userRole,
            isActive: try row.decode(forColumn: "is_active"),
            createdAt: try row.decode(forColumn: "created_at"),
            credentialsChangedAt: try row.decode(forColumn: "credentials_changed_at"))
    }

    static func origin(_ row: Row) throws -> Origin {
        Origin(
            id: try row.decode(forColumn: "id"),
            url: try row.decode(forColumn: "url"),
            title: try row.decode(forColumn: "title"),
            source: try row.decode(forColumn: "source"),
            frequencyHours: try row.decode(forColumn: "frequency_hours"),
            lastFetchedAt: try row.decode(forColumn: "last_fetched_at"),
            lastStatus: try row.decode(forColumn: "last_status"),
            enabled: try row.decode(forColumn: "enabled"),
            countryCode: try row.decode(forColumn: "country_code"),
            topicTags: try JSONColumn.decode(
                [String].self, from: try row.decode(forColumn: "topic_tags"), column: "origins.topic_tags"),
            crawlPriority: try row.decode(forColumn: "crawl_priority"),
            allowedPathPatterns: try JSONColumn.decode(
                [String].self, from: try row.decode(forColumn: "allowed_path_patterns"),
                column: "origins.allowed_path_patterns"),
            excludedPathPatterns: try JSONColumn.decode(
                [String].self, from: try row.decode(forColumn: "excluded_path_patterns"),
                column: "origins.excluded_path_patterns"),
            sitemapURL: try row.decode(forColumn: "sitemap_url"),
            maxDepth: try row.decode(forColumn: "max_depth"),
            maxPages: try row.decode(forColumn: "max_pages"),
            nextRun: try row.decode(forColumn: "next_run"))
    }

    static func job(_ row: Row) throws -> Job {
        let status: String = try row.decode(forColumn: "status")
        guard let jobStatus = JobStatus(rawValue: status) else {
            throw StoreError(.corrupt, "jobs.status holds an unknown status")
        }
        return Job(
            id: try row.decode(forColumn: "id"),
            kind: try row.decode(forColumn: "kind"),
            status: jobStatus,
            payload: try JSONColumn.decode(
                [String: String].self, from: try row.decode(forColumn: "payload"), column: "jobs.payload"),
            createdAt: try row.decode(forColumn: "created_at"),
            startedAt: try row.decode(forColumn: "started_at"),
            finishedAt: try row.decode(forColumn: "finished_at"),
            error: try row.decode(forColumn: "error"))
    }

    static func outboxEntry(_ row: Row) throws -> OutboxEntry {
        let operation: String = try row.decode(forColumn: "operation")
        guard let outboxOperation = OutboxOperation(rawValue: operation) else {
            throw StoreError(.corrupt, "qdrant_outbox.operation holds an unknown operation")
        }
        return OutboxEntry(
            id: try row.decode(forColumn: "id"),
            chunkID: try row.decode(forColumn: "chunk_id"),
            documentID: try row.decode(forColumn: "document_id"),
            operation: outboxOperation,
            createdAt: try row.decode(forColumn: "created_at"),
            attempts: try row.decode(forColumn: "attempts"),
            lastError: try row.decode(forColumn: "last_error"))
    }

    static func change(_ row: Row) throws -> ChunkChange {
        let operation: String = try row.decode(forColumn: "operation")
        guard let changeOperation = OutboxOperation(rawValue: operation) else {
            throw StoreError(.corrupt, "chunk_changes.operation holds an unknown operation")
        }
        return ChunkChange(
            sequence: try row.decode(forColumn: "sequence"),
            chunkID: try row.decode(forColumn: "chunk_id"),
            documentID: try row.decode(forColumn: "document_id"),
            operation: changeOperation,
            changedAt: try row.decode(forColumn: "changed_at"))
    }
}
