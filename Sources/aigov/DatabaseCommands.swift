import ArgumentParser
import Foundation
import Store

struct Database: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db", abstract: "Metadata database maintenance.", subcommands: [Migrate.self])

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create or upgrade the metadata database's schema (idempotent).",
            discussion: "The database is $DATABASE_URL, else aigov.sqlite in the data directory.")

        @OptionGroup var data: DataOptions

        @Flag(help: "Print a JSON summary on stdout.")
        var json = false

        func run() async throws {
            let location: DatabaseLocation
            do {
                location = try DatabaseLocation(
                    databaseURL: ProcessInfo.processInfo.environment["DATABASE_URL"],
                    dataDirectory: data.dataDirectory)
            } catch let error as StoreError {
                throw CLIError(error.description)
            }
            switch location {
            case .postgres:
                throw CLIError(
                    "DATABASE_URL names PostgreSQL, which this build does not support yet; unset it to use SQLite")
            case .sqlite(let path):
                do {
                    let store = try SQLiteStore(path: path)
                    let report = try await store.migrate()
                    if json {
                        try printJSON([
                            "engine": "sqlite", "path": path, "applied": report.applied, "versions": report.versions,
                            "current": report.current,
                        ])
                    } else {
                        let applied =
                            report.applied.isEmpty ? "none" : report.applied.map(String.init).joined(separator: ", ")
                        printError("\(path): schema version \(report.current) (applied now: \(applied))")
                    }
                } catch let error as StoreError {
                    throw CLIError(error.description)
                }
            }
        }
    }
}
