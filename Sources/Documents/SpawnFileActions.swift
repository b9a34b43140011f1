import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Descriptor hygiene for children started with `posix_spawn`.
///
/// A descriptor the server opened without close-on-exec (a file another thread is writing, a library's socket)
/// would otherwise live on in the child for as long as the child runs. For the PDF extractor that is both a
/// leak to a process parsing untrusted input and a hazard: a child holding a file open for writing makes
/// every `exec` of that file fail with ETXTBSY until the child exits.
enum SpawnFileActions {
    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// glibc 2.34's `posix_spawn_file_actions_addclosefrom_np`, looked up at run time: Swift's Glibc module
    /// does not declare it (it sits behind `_GNU_SOURCE`), and an older libc simply lacks it.
    private static let closeFrom: CloseFrom? = {
        #if os(Linux)
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
            else { return nil }
            return unsafeBitCast(symbol, to: CloseFrom.self)
        #else
            return nil
        #endif
    }()

    /// Adds actions that close every descriptor from 3 up in the child, after the standard ones are set up.
    /// Without `closefrom` in the C library, the descriptors open now are listed and each is closed.
    static func closeAllButStandard(_ actions: inout posix_spawn_file_actions_t) {
        if let closeFrom, closeFrom(&actions, 3) == 0 { return }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/dev/fd")) ?? []
        for descriptor in open.compactMap(Int32.init) where descriptor > 2 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
    }
}
