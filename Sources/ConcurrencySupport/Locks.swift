#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// pthread-based: `Synchronization.Mutex`, which the other modules use to guard a value, has no shared (reader)
// mode, and searches must run side by side under one writer. `Lock` is the plain counterpart for sections that
// guard a stretch of work rather than one value (the index's single writer).

/// A reader-writer lock: many concurrent readers or one writer.
public final class ReadWriteLock: @unchecked Sendable {
    // The pthread object must not move in memory, hence a heap allocation rather than a stored property.
    @usableFromInline let handle: UnsafeMutablePointer<pthread_rwlock_t>

    public init() {
        handle = .allocate(capacity: 1)
        handle.initialize(to: pthread_rwlock_t())
        precondition(pthread_rwlock_init(handle, nil) == 0, "pthread_rwlock_init failed")
    }

    deinit {
        pthread_rwlock_destroy(handle)
        handle.deallocate()
    }

    @inlinable public func withReadLock<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        pthread_rwlock_rdlock(handle)
        defer { pthread_rwlock_unlock(handle) }
        return try body()
    }

    @inlinable public func withWriteLock<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        pthread_rwlock_wrlock(handle)
        defer { pthread_rwlock_unlock(handle) }
        return try body()
    }
}

/// A plain mutual-exclusion lock.
public final class Lock: @unchecked Sendable {
    @usableFromInline let handle: UnsafeMutablePointer<pthread_mutex_t>

    public init() {
        handle = .allocate(capacity: 1)
        handle.initialize(to: pthread_mutex_t())
        precondition(pthread_mutex_init(handle, nil) == 0, "pthread_mutex_init failed")
    }

    deinit {
        pthread_mutex_destroy(handle)
        handle.deallocate()
    }

    @inlinable public func withLock<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        pthread_mutex_lock(handle)
        defer { pthread_mutex_unlock(handle) }
        return try body()
    }
}
