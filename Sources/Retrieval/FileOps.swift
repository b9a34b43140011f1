import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The few POSIX file operations durability depends on, with errors mapped to ``RetrievalError``.
enum FileOps {
    static func ioError(_ operation: String, _ path: String) -> RetrievalError {
        RetrievalError(.io, "\(operation) \(path): \(String(cString: strerror(errno)))")
    }

    static func openFile(_ path: String, _ flags: Int32, _ mode: mode_t = 0o644) -> Int32 {
        open(path, flags, mode)
    }

    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
        var done = 0
        while done < bytes.count {
            let n = write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw ioError("write", path)
            }
            done += n
        }
    }

    static func pwriteAll(_ fd: Int32, _ bytes: [UInt8], at offset: Int, path: String) throws {
        let n = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress!, $0.count, off_t(offset)) }
        guard n == bytes.count else { throw ioError("pwrite", path) }
    }

    static func sync(_ fd: Int32, path: String) throws {
        guard fsync(fd) == 0 else { throw ioError("fsync", path) }
    }

    /// Makes a rename or file creation in `directory` durable.
    static func syncDirectory(_ directory: String) throws {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw ioError("open directory", directory) }
        defer { close(fd) }
        try sync(fd, path: directory)
    }

    /// Writes `bytes` to `path` durably and atomically: a temporary file, fsync, rename, fsync of the directory.
    static func atomicReplace(_ path: String, with bytes: [UInt8], beforeRename: () -> Void = {}) throws {
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ioError("create", temporary) }
        do {
            try bytes.withUnsafeBytes { (raw) in try writeAll(fd, raw, path: temporary) }
            try sync(fd, path: temporary)
        } catch {
            close(fd)
            throw error
        }
        close(fd)
        beforeRename()
        guard rename(temporary, path) == 0 else { throw ioError("rename", temporary) }
        try syncDirectory((path as NSString).deletingLastPathComponent)
    }
}

/// A read-only memory mapping of a whole file: a snapshot is checksummed and parsed straight from the page
/// cache, without a second copy in a read buffer.
final class MappedFile {
    let path: String
    let size: Int
    private let address: UnsafeMutableRawPointer?

    init(_ path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { throw RetrievalError(.corruptManifest, "\(path) named by the manifest is missing") }
            throw FileOps.ioError("open", path)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FileOps.ioError("stat", path) }
        size = Int(info.st_size)
        if size == 0 {
            address = nil
            return
        }
        let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let mapped, mapped != MAP_FAILED else { throw FileOps.ioError("mmap", path) }
        address = mapped
    }

    deinit { if let address { munmap(address, size) } }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: address, count: size) }
}
