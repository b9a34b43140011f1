import APIServer
import ArgumentParser
import Foundation
import Origins
import Settings
import Store

/// `aigov origins`: the web sources the scheduler fetches (issue 17), managed from the command line with the same
/// rules and field names as `/api/admin/origins`.
struct OriginsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "origins", abstract: "Manage the web origins the scheduler fetches.",
        subcommands: [
            List.self, Show.self, Add.self, Update.self, Remove.self, Import.self, Enable.self, Disable.self,
            Crawl.self,
        ])

    struct Crawl: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Crawl an origin now and print its job.",
            discussion: """
                Fetches the origin as the scheduler would (CRAWL_* settings, robots.txt, the SSRF guard; \
                CRAWL_ALLOW_HOSTS names hosts it may reach on a private network), ingests what changed and records a \
                job (trigger cli). Waits for the end (--wait is accepted for the old platform's scripts). Exit 1 when \
                the job failed or another process is crawling the origin.
                """)
        @OptionGroup var data: DataOptions
        @OptionGroup var model: ModelOptions
        @Argument(help: "The origin's id.") var id: Int64
        @Flag(help: "Wait for the crawl to end (always the case here).") var wait = false

        func run() async throws {
            let settings: CrawlSettings
            do {
                settings = try CrawlSettings(EnvironmentValues())
            } catch {
                throw CLIError("configuration: \(error)")
            }
            let base = try await openKnowledgeBase(data, model)
            let store = base.store
            // The dashboard's stored settings apply to a crawl from the command line too.
            let scheduler = OriginScheduler(
                knowledgeBase: base, settings: settings,
                settingsSource: { try await PlatformSettings.current(EnvironmentValues(), store: store).crawl })
            guard let (job, crawl) = try await storeCall({ try await scheduler.crawlNow(originID: id, trigger: .cli) })
            else { throw CLIError("origin \(id) is being crawled by another process") }
            printError("crawling origin \(id) (job \(job.id))")
            await crawl()
            guard let done = try await base.store.crawlJob(id: job.id) else { throw CLIError("the job vanished") }
            let c = done.counts
            try printJSON([
                "job_id": done.id, "status": done.status.rawValue, "error": done.error ?? NSNull(),
                "pages_attempted": c.pagesAttempted, "pages_succeeded": c.pagesSucceeded,
                "pages_not_modified": c.pagesNotModified, "pages_failed": c.pagesFailed,
                "pages_robots_disallowed": c.pagesRobotsDisallowed, "documents_added": c.documentsAdded,
                "documents_updated": c.documentsUpdated, "documents_unchanged": c.documentsUnchanged,
                "documents_removed": c.documentsRemoved, "chunks_embedded": c.chunksEmbedded,
                "pages_irrelevant": c.pagesIrrelevant,
                "errors": done.errors.map { ["code": $0.code, "url": $0.url, "message": $0.message] },
            ])
            if done.status != .completed { throw ExitCode(1) }
        }
    }

    /// An origin's settings as options; on `update`, an option left out keeps the stored value.
    struct Settings: ParsableArguments {
        @Option(help: "A name for people.") var name: String?
        @Option(help: "Who publishes it (e.g. EUR-Lex).") var source: String?
        @Option(help: "Hours between crawls (1-8760).") var frequencyHours: Int?
        @Option(help: "ISO 3166-1 alpha-2 (EU accepted).") var countryCode: String?
        @Option(help: "A topic tag (repeatable).") var topicTag: [String] = []
        @Option(help: "1 (lowest) to 10.") var crawlPriority: Int?
        @Option(help: "A regular expression a crawled path must match (repeatable).") var allowPath: [String] = []
        @Option(help: "A regular expression of paths never crawled (repeatable).") var excludePath: [String] = []
        @Option(help: "The sitemap to start from.") var sitemapURL: String?
        @Option(help: "Link hops from the URL; 0 is the page alone.") var maxDepth: Int?
        @Option(help: "Pages per crawl.") var maxPages: Int?

        func applied(to base: OriginDraft) -> OriginDraft {
            var draft = base
            if let name { draft.name = name }
            if let source { draft.source = source }
            if let frequencyHours { draft.frequencyHours = frequencyHours }
            if let countryCode { draft.countryCode = countryCode }
            if !topicTag.isEmpty { draft.topicTags = topicTag }
            if let crawlPriority { draft.crawlPriority = crawlPriority }
            if !allowPath.isEmpty { draft.allowedPathPatterns = allowPath }
            if !excludePath.isEmpty { draft.excludedPathPatterns = excludePath }
            if let sitemapURL { draft.sitemapURL = sitemapURL }
            if let maxDepth { draft.maxDepth = maxDepth }
            if let maxPages { draft.maxPages = maxPages }
            return draft
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every origin.")
        @OptionGroup var data: DataOptions
        @Flag(help: "Print a JSON array on stdout.") var json = false

        func run() async throws {
            let origins = try await storeCall { try await openStore(data).origins() }
            if json { return try printOrigins(origins) }
            for origin in origins {
                let state = origin.enabled ? "enabled" : "disabled"
                print("\(origin.id)\t\(state)\t\(origin.frequencyHours)h\t\(origin.title ?? "-")\t\(origin.url)")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print one origin as JSON.")
        @OptionGroup var data: DataOptions
        @Argument(help: "The origin's id.") var id: Int64

        func run() async throws {
            guard let origin = try await storeCall({ try await openStore(data).origin(id: id) }) else {
                throw CLIError("no origin has id \(id)")
            }
            try printOrigins([origin], single: true)
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register an origin (due at once when enabled).")
        @OptionGroup var data: DataOptions
        @Argument(help: "An absolute http or https URL.") var url: String
        @OptionGroup var settings: Settings
        @Flag(help: "Register it disabled.") var disabled = false

        func run() async throws {
            var draft = settings.applied(to: OriginDraft(url: url))
            draft.enabled = !disabled
            let origin = try await storeCall { try await openStore(data).createOrigin(draft) }
            try printOrigins([origin], single: true)
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change an origin's settings (others stay).")
        @OptionGroup var data: DataOptions
        @Argument(help: "The origin's id.") var id: Int64
        @Option(help: "A new URL.") var url: String?
        @OptionGroup var settings: Settings

        func run() async throws {
            let store = try await openStore(data)
            guard let current = try await storeCall({ try await store.origin(id: id) }) else {
                throw CLIError("no origin has id \(id)")
            }
            var draft = settings.applied(to: OriginRoutes.draft(of: current))
            if let url { draft.url = url }
            let updated = try await storeCall { try await store.updateOrigin(id: id, draft) }
            try printOrigins([updated], single: true)
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete an origin (its documents stay).")
        @OptionGroup var data: DataOptions
        @Argument(help: "The origin's id.") var id: Int64

        func run() async throws {
            try await storeCall { try await openStore(data).deleteOrigin(id: id) }
            printError("origin \(id) removed")
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register the origins of a JSON file (an array of /api/admin/origins request objects).",
            discussion: """
                Origins whose URL is registered already are left as they are. Every entry is checked before any is \
                written: one bad entry writes nothing. corpus/origins.json lists the regulators' sources, disabled; \
                `aigov origins enable --all` turns them on.
                """)
        @OptionGroup var data: DataOptions
        @Argument(help: "The JSON file.") var file: String
        @Flag(help: "Print the counts as JSON on stdout.") var json = false

        func run() async throws {
            let bytes: Data
            do {
                bytes = try Data(contentsOf: URL(fileURLWithPath: file))
            } catch {
                throw CLIError("cannot read \(file)")
            }
            let entries: [OriginRoutes.OriginFields]
            do {
                entries = try JSONDecoder().decode([OriginRoutes.OriginFields].self, from: bytes)
            } catch {
                throw CLIError("\(file) is not a JSON array of origin objects: \(Self.describe(error))")
            }
            var drafts: [OriginDraft] = []
            for (position, entry) in entries.enumerated() {
                guard entry.url != nil, entry.name != nil else {
                    throw CLIError("\(file) entry \(position + 1): name and url are required")
                }
                do {
                    drafts.append(try entry.applied(to: OriginDraft(url: "")).validated())
                } catch let error as StoreError {
                    throw CLIError("\(file) entry \(position + 1): \(error.message)")
                }
            }
            let store = try await openStore(data)
            let known = Set(try await storeCall { try await store.origins() }.map(\.url))
            var added = 0
            var skipped = 0
            for draft in drafts {
                if known.contains(draft.url) {
                    skipped += 1
                    continue
                }
                _ = try await storeCall { try await store.createOrigin(draft) }
                added += 1
            }
            if json { try printJSON(["added": added, "skipped": skipped]) }
            printError("\(added) origins added, \(skipped) already registered")
        }

        static func describe(_ error: any Error) -> String {
            if let error = error as? APIError { return error.detail }
            return "it does not decode"
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable origins (by id, or --all).")
        @OptionGroup var data: DataOptions
        @Argument(help: "Origin ids.") var ids: [Int64] = []
        @Flag(help: "Every origin.") var all = false

        func validate() throws {
            guard all != !ids.isEmpty else { throw ValidationError("name origin ids or pass --all, not both") }
        }

        func run() async throws { try await setEnabled(true, ids: ids, all: all, data: data) }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable origins (by id, or --all).")
        @OptionGroup var data: DataOptions
        @Argument(help: "Origin ids.") var ids: [Int64] = []
        @Flag(help: "Every origin.") var all = false

        func validate() throws {
            guard all != !ids.isEmpty else { throw ValidationError("name origin ids or pass --all, not both") }
        }

        func run() async throws { try await setEnabled(false, ids: ids, all: all, data: data) }
    }
}

private func setEnabled(_ enabled: Bool, ids: [Int64], all: Bool, data: DataOptions) async throws {
    let store = try await openStore(data)
    let origins = try await storeCall { try await store.origins() }
    let chosen =
        all
        ? origins
        : try ids.map { id in
            guard let origin = origins.first(where: { $0.id == id }) else { throw CLIError("no origin has id \(id)") }
            return origin
        }
    for origin in chosen where origin.enabled != enabled {
        var draft = OriginRoutes.draft(of: origin)
        draft.enabled = enabled
        _ = try await storeCall { try await store.updateOrigin(id: origin.id, draft) }
    }
    printError("\(chosen.count) origins \(enabled ? "enabled" : "disabled")")
}

/// A store call whose failures print as `code: message`.
private func storeCall<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as StoreError {
        throw CLIError(error.code == .conflict ? "an origin with this url is registered already" : error.message)
    }
}

private func printOrigins(_ origins: [Origin], single: Bool = false) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
    encoder.dateEncodingStrategy = .iso8601
    let bodies = origins.map { OriginRoutes.OriginBody(origin: $0) }
    let data = single ? try encoder.encode(bodies[0]) : try encoder.encode(bodies)
    FileHandle.standardOutput.write(data + Data("\n".utf8))
}
