import GatehouseOAuth

/// `Keys/client-secret.pepper`: the server-wide key of the HMAC-SHA-256 that stores client
/// secrets. It lives with the signing keys (shared by every node, never in the database), so a
/// stolen database alone does not let anyone test guesses of client secrets.
enum PepperFile {
    static let file = SecretFile(name: "client-secret.pepper")
    static var name: String { file.name }

    /// Reads the pepper; a missing file says how to create it, a readable-by-others file is refused.
    static func load(keys: String) throws -> [UInt8] { try file.load(keys: keys) }

    /// Creates the pepper when missing (mode 0600, written atomically); returns whether it did.
    @discardableResult
    static func ensure(keys: String) throws -> Bool { try file.ensure(keys: keys, generate: ClientSecrets.generatePepper) }
}
