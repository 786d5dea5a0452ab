import Foundation
import GatehouseCrypto
import GatehouseOAuth

/// `Keys/client-secret.pepper`: the server-wide key of the HMAC-SHA-256 that stores client
/// secrets. It lives with the signing keys (shared by every node, never in the database), so a
/// stolen database alone does not let anyone test guesses of client secrets.
enum PepperFile {
    static let name = "client-secret.pepper"

    /// Reads the pepper; a missing file says how to create it, a readable-by-others file is refused.
    static func load(keys: String) throws -> [UInt8] {
        let path = (keys as NSString).appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: path) else {
            throw CLIError("\(path) is missing; run gatehouse keys generate")
        }
        try checkMode(path)
        guard let data = FileManager.default.contents(atPath: path), let bytes = Array(hexString: String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)), bytes.count >= 32 else {
            throw CLIError("\(path): expected 64 hexadecimal digits (32 random bytes)")
        }
        return bytes
    }

    /// Creates the pepper when missing (mode 0600, written atomically); returns whether it did.
    @discardableResult
    static func ensure(keys: String) throws -> Bool {
        let path = (keys as NSString).appendingPathComponent(name)
        if FileManager.default.fileExists(atPath: path) { try checkMode(path); return false }
        try FileManager.default.createDirectory(atPath: keys, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let temporary = path + ".tmp-\(getpid())"
        let text = ClientSecrets.generatePepper().hexString + "\n"
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
