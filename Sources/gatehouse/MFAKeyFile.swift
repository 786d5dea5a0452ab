import GatehouseServer

/// `Keys/mfa.key`: the second-factor key (``SecondFactorKeys``). TOTP secrets are stored
/// encrypted under it (AES-256-GCM, bound to the account), recovery codes as HMAC-SHA-256 under
/// a key derived from it, so a copy of the database reveals neither. Every node needs the same
/// file: `keys generate` creates it, and `serve` creates it at start when missing (a first
/// start, or an upgrade).
enum MFAKeyFile {
    static let file = SecretFile(name: "mfa.key")
    static var name: String { file.name }

    /// Creates the key when missing; returns whether it did.
    @discardableResult
    static func ensure(keys: String) throws -> Bool { try file.ensure(keys: keys) }

    /// The second-factor keys from the file.
    static func load(keys: String) throws -> SecondFactorKeys {
        let bytes = try file.load(keys: keys)
        do { return try SecondFactorKeys(key: bytes) } catch {
            throw CLIError("\(file.path(keys: keys)): \(error.description)")
        }
    }
}
