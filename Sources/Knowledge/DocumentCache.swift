import Documents
import Foundation
import Store
import Synchronization

/// Recently read documents, so that a search's citations need one store query (their chunks) instead of one
/// more per cited document: on the hot retrieve path the document reads and their metadata decoding cost as
/// much as the search itself.
///
/// Entries live `timeToLive` at most, which bounds how long another replica's change to a title, source or URL
/// can be missed; this process's own commits empty the cache at once. A chunk is always read fresh, so a
/// deleted document never reappears through the cache.
final class DocumentCache: Sendable {
    private struct State {
        var entries: [String: (document: StoredDocument, stored: ContinuousClock.Instant)] = [:]
        /// Bumped by every invalidation: a read that began before one must not store what it read.
        var generation = 0
    }

    private let state = Mutex(State())
    private let clock = ContinuousClock()
    let timeToLive: Duration
    let capacity: Int

    init(timeToLive: Duration = .seconds(5), capacity: Int = 4096) {
        self.timeToLive = timeToLive
        self.capacity = capacity
    }

    /// The cached documents among `ids` and the generation to pass to ``store(_:generation:)``.
    func lookup(_ ids: Set<String>) -> (found: [String: StoredDocument], generation: Int) {
        let now = clock.now
        return state.withLock { state in
            var found: [String: StoredDocument] = [:]
            for id in ids {
                if let entry = state.entries[id], now - entry.stored < timeToLive { found[id] = entry.document }
            }
            return (found, state.generation)
        }
    }

    /// Caches `documents` read from the store, unless the cache was invalidated since `generation`.
    func store(_ documents: [StoredDocument], generation: Int) {
        let now = clock.now
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.entries.count + documents.count > capacity { state.entries.removeAll(keepingCapacity: true) }
            for document in documents { state.entries[document.id] = (document, now) }
        }
    }

    /// Forgets everything; called after every commit and delete of this process.
    func invalidate() {
        state.withLock { state in
            state.entries.removeAll(keepingCapacity: true)
            state.generation += 1
        }
    }
}
