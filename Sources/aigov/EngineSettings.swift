import Foundation
import Retrieval
import Settings

/// The engine settings of the `Settings` module as the commands use them: a bad value stops the command
/// with `configuration: VARIABLE: message`, the same line `serve` prints for its own settings.
func configured<T>(_ read: () throws -> T) throws -> T {
    do {
        return try read()
    } catch let error as ConfigurationError {
        throw CLIError("configuration: \(error)")
    }
}

/// The ranking options the environment names (``RankingSettings``); the note about missing ranking data goes
/// to stderr.
func rankingOptions(_ environment: [String: String]) throws -> RankingOptions {
    try configured { try RankingSettings.options(EnvironmentValues(environment), warn: printError) }
}

/// The search settings the environment names (``SearchSettings``).
func searchSettings(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> SearchSettings {
    try configured { try SearchSettings(EnvironmentValues(environment)) }
}
