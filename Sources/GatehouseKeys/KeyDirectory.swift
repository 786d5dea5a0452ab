import Foundation
import GatehouseCrypto
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The key folder on disk: listing, permission checks, change detection and atomic writes.
struct KeyDirectory: Sendable {
    /// The folder as the operator named it (e.g. `Keys`), used in every message.
    let path: String

    /// `path/name`, for messages and system calls.
    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    /// Creates the folder with mode 0700 when it does not exist.
    func create() throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw KeyRingError(.io, path: path, "exists but is not a directory") }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw KeyRingError(.io, path: path, "cannot create the key directory: \(error.localizedDescription)")
        }
    }

    /// Names in the folder, sorted.
    func names() throws -> [String] {
        do { return try FileManager.default.contentsOfDirectory(atPath: path).sorted() } catch {
            throw KeyRingError(.io, path: path, "cannot list the key directory: \(error.localizedDescription)")
        }
    }

    /// `stat` (following symbolic links, as mounted secrets use them) of `name`.
    func status(_ name: String) throws -> stat {
        var info = stat()
        guard stat(file(name), &info) == 0 else {
            throw KeyRingError(.io, path: file(name), "cannot stat: \(String(cString: strerror(errno)))")
        }
        return info
    }

    /// Reads `name`.
    func read(_ name: String) throws -> Data {
        do { return try Data(contentsOf: URL(fileURLWithPath: file(name))) } catch {
            throw KeyRingError(.io, path: file(name), "cannot read: \(error.localizedDescription)")
        }
    }

    /// A cheap summary of the folder: names, sizes, modification times and inodes of the key
    /// files. Any change to a key or its metadata changes it.
    func fingerprint() throws -> [String] {
        try names().filter { KeyDirectory.isKeyFile($0) }.map { name in
            let s = try status(name)
            #if canImport(Darwin)
            let modified = s.st_mtimespec
            #else
            let modified = s.st_mtim
            #endif
            return "\(name) \(s.st_size) \(modified.tv_sec).\(modified.tv_nsec) \(s.st_ino) \(s.st_mode)"
        }
    }

    /// `<kid>.pem` or `<kid>.json` (not hidden, not temporary, one dot).
    static func isKeyFile(_ name: String) -> Bool {
        !name.hasPrefix(".") && name.split(separator: ".", omittingEmptySubsequences: false).count == 2
            && (name.hasSuffix(".pem") || name.hasSuffix(".json"))
    }

    /// Writes `data` to `name` so that readers see either nothing (or the old file) or the
    /// complete new file: write a temporary file created with `mode`, `fsync` it, then move it
    /// into place and `fsync` the folder. With `replace: false` an existing file is never
    /// overwritten (the move is a `link`, which fails if the name exists).
    func writeAtomically(_ data: Data, to name: String, mode: mode_t, replace: Bool) throws {
        let target = file(name)
        let temporary = file(".\(name).tmp-\(SecureRandom.bytes(6).hexString)")
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw KeyRingError(.io, path: temporary, "cannot create: \(String(cString: strerror(errno)))") }
        var closed = false
        defer {
            if !closed { close(fd) }
            unlink(temporary)  // gone already after a successful rename; harmless otherwise
        }
        guard fchmod(fd, mode) == 0 else { throw KeyRingError(.io, path: temporary, "cannot set mode: \(String(cString: strerror(errno)))") }
        try data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0, errno == EINTR { continue }
                guard n > 0 else { throw KeyRingError(.io, path: temporary, "cannot write: \(String(cString: strerror(errno)))") }
                offset += n
            }
        }
        guard fsync(fd) == 0 else { throw KeyRingError(.io, path: temporary, "cannot sync: \(String(cString: strerror(errno)))") }
        close(fd)
        closed = true
        if replace {
            guard rename(temporary, target) == 0 else {
                throw KeyRingError(.io, path: target, "cannot replace: \(String(cString: strerror(errno)))")
            }
        } else {
            guard link(temporary, target) == 0 else {
                throw KeyRingError(.io, path: target, errno == EEXIST ? "already exists; refusing to overwrite" : "cannot create: \(String(cString: strerror(errno)))")
            }
        }
        syncDirectory()
    }

    /// Makes the folder's new entries durable (best effort: not every file system supports it).
    private func syncDirectory() {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }
}
