import Foundation
import GatehouseCrypto

/// A server secret of 32 random bytes kept in the keys folder as 64 hexadecimal digits, mode
/// 0600: shared by every node like the signing keys, never in the database. The client-secret
/// pepper and the second-factor key are two such files.
struct SecretFile {
    /// The file name in the keys folder.
    let name: String
    /// Bytes a new secret has.
    static let length = 32

    func path(keys: String) -> String { (keys as NSString).appendingPathComponent(name) }

    /// Reads the secret; a missing file says how to create it, a readable-by-others file is refused.
    func load(keys: String) throws -> [UInt8] {
        let path = path(keys: keys)
        guard FileManager.default.fileExists(atPath: path) else {
            throw CLIError("\(path) is missing; run gatehouse keys generate")
        }
        try Self.checkMode(path)
        guard let data = FileManager.default.contents(atPath: path),
              let bytes = Array(hexString: String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)),
              bytes.count >= Self.length
        else {
            throw CLIError("\(path): expected 64 hexadecimal digits (32 random bytes)")
        }
        return bytes
    }

    /// Creates the file with `generate()` when missing (mode 0600, written atomically); returns
    /// whether it did.
    @discardableResult
    func ensure(keys: String, generate: () -> [UInt8] = { SecureRandom.bytes(SecretFile.length) }) throws -> Bool {
        let path = path(keys: keys)
        if FileManager.default.fileExists(atPath: path) { try Self.checkMode(path); return false }
        try FileManager.default.createDirectory(atPath: keys, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let temporary = path + ".tmp-\(getpid())"
        let text = generate().hexString + "\n"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CLIError("cannot write \(temporary)")
        }
        // link(2) refuses to replace: two nodes creating it at once keep the first one.
        if link(temporary, path) != 0 && errno != EEXIST {
            unlink(temporary)
            throw CLIError("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        unlink(temporary)
        return true
    }

    private static func checkMode(_ path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else { throw CLIError("cannot read \(path)") }
        if info.st_mode & 0o077 != 0 {
            throw CLIError("\(path) is readable by others (mode \(String(info.st_mode & 0o777, radix: 8))); run chmod 600 \(path)")
        }
    }
}
