public import Foundation
import GatehouseJOSE
import Synchronization

/// The server's signing keys, kept in a folder (default `Keys/`) as `<kid>.pem` (PKCS#8,
/// mode 0600) plus `<kid>.json` metadata, where `kid` is the key's RFC 7638 thumbprint.
///
/// Lifecycle: a key is published in the JWKS from creation and signs only from `activatesAt`,
/// so every node and every application cache learns it before any token uses it. Retiring a
/// key stops it signing; it stays published until `retiredAt + maxTokenLifetime`. The signing
/// key for an algorithm at time T is the newest key of that algorithm activated by T and not
/// retired.
///
/// All methods are safe to call concurrently. Several nodes may share the folder (like a
/// mounted secret); each calls ``reloadIfChanged()`` periodically to pick up the others' changes.
///
/// ```swift
/// let ring = try KeyRing.load(directory: "Keys")
/// try ring.ensureKeys(for: [.es256, .rs256], now: clock.now())
/// let key = try ring.signingKey(for: .es256, at: clock.now())
/// let jwks = ring.publishedJWKS(at: clock.now(), maxTokenLifetime: 3600)
/// ```
public final class KeyRing: Sendable {
    /// How long a key generated while another key of its algorithm can sign waits before it
    /// signs: 24 hours. It must exceed the longest time any JWKS cache (HTTP `Cache-Control`
    /// on the JWKS endpoint, the middleware's own cache) may keep an old copy.
    public static let defaultActivationDelay: TimeInterval = 24 * 60 * 60

    /// The folder as given (e.g. `Keys`).
    public var directory: String { folder.path }

    struct Entry: Sendable {
        var info: KeyInfo
        let key: SigningKey
    }

    struct State: Sendable {
        var entries: [String: Entry] = [:]
        var fingerprint: [String] = []
    }

    let folder: KeyDirectory
    let state: Mutex<State>

    private init(folder: KeyDirectory, state: State) {
        self.folder = folder
        self.state = Mutex(state)
    }

    /// Loads every key in `directory`, creating the folder (mode 0700) if it is missing and
    /// `createIfMissing` is true.
    ///
    /// Skipped silently: `README.md` and other files that are not `<kid>.pem`/`<kid>.json`,
    /// hidden and temporary files, a `.json` without its `.pem`, and `.pem` files holding only
    /// a public key or certificate.
    /// - Throws: ``KeyRingError`` naming the file: a private key readable by group or others,
    ///   a malformed PEM, missing or malformed metadata, or a file name that is not the key's thumbprint.
    public static func load(directory: String, createIfMissing: Bool = true) throws -> KeyRing {
        let folder = KeyDirectory(path: directory)
        if createIfMissing { try folder.create() }
        return KeyRing(folder: folder, state: try KeyRing.read(folder))
    }

    /// Reads the whole folder into a fresh state.
    static func read(_ folder: KeyDirectory) throws -> State {
        var state = State()
        state.fingerprint = try folder.fingerprint()
        let names = try folder.names()
        let present = Set(names)
        for name in names where KeyDirectory.isKeyFile(name) && name.hasSuffix(".pem") {
            let keyID = String(name.dropLast(".pem".count))
            let pem = String(decoding: try folder.read(name), as: UTF8.self)
            if !pem.contains("PRIVATE KEY-----"), pem.contains("-----BEGIN ") { continue }  // public key or certificate
            let mode = try folder.status(name).st_mode & 0o777
            if mode & 0o077 != 0 {
                let access = mode & 0o044 != 0 ? "readable" : "writable"
                throw KeyRingError(.insecurePermissions, path: folder.file(name),
                                   "private key is \(access) by others (mode \(String(format: "%04o", mode))); run chmod 600 \(folder.file(name))")
            }
            let metadataName = keyID + ".json"
            guard present.contains(metadataName) else {
                throw KeyRingError(.malformedMetadata, path: folder.file(metadataName), "metadata for \(folder.file(name)) is missing")
            }
            let metadata: KeyMetadata
            do { metadata = try KeyMetadata.decode(try folder.read(metadataName)) } catch let error as KeyRingError { throw error } catch {
                throw KeyRingError(.malformedMetadata, path: folder.file(metadataName), "invalid key metadata: \(describe(error))")
            }
            let key: SigningKey
            do { key = try SigningKey(pem: pem, algorithm: metadata.alg) } catch {
                throw KeyRingError(.malformedKey, path: folder.file(name), "not a usable \(metadata.alg) private key: \(describe(error))")
            }
            guard key.keyID == keyID else {
                throw KeyRingError(.keyIDMismatch, path: folder.file(name),
                                   "file name does not match the key: its RFC 7638 thumbprint is \(key.keyID); rename the .pem and .json to that name")
            }
            let keyInfo = KeyInfo(keyID: keyID, algorithm: metadata.alg, createdAt: metadata.createdAt,
                                  activatesAt: metadata.activatesAt, retiredAt: metadata.retiredAt, publicJWK: key.publicJWK)
            state.entries[keyID] = Entry(info: keyInfo, key: key)
        }
        return state
    }

    private static func describe(_ error: any Error) -> String {
        if let error = error as? JOSEError { return error.reason }
        if let error = error as? DecodingError {
            switch error {
            case .dataCorrupted(let c), .keyNotFound(_, let c), .typeMismatch(_, let c), .valueNotFound(_, let c):
                let at = c.codingPath.map(\.stringValue).joined(separator: ".")
                return at.isEmpty ? c.debugDescription : "\(at): \(c.debugDescription)"
            @unknown default: return "\(error)"
            }
        }
        return "\(error)"
    }

    /// Re-reads the folder if any key file was added, removed or changed since the last read
    /// (one directory listing and one `stat` per key file). Returns whether it reloaded.
    /// On error the previous keys stay in force.
    @discardableResult
    public func reloadIfChanged() throws -> Bool {
        let current = try folder.fingerprint()
        guard state.withLock({ $0.fingerprint }) != current else { return false }
        let fresh = try KeyRing.read(folder)
        state.withLock { $0 = fresh }
        return true
    }

    /// Every key, oldest first.
    public func list() -> [KeyInfo] {
        state.withLock { $0.entries.values.map(\.info) }.sorted(by: KeyRing.olderFirst)
    }

    /// The key with `keyID`, if any.
    public func info(keyID: String) -> KeyInfo? { state.withLock { $0.entries[keyID]?.info } }

    static func olderFirst(_ a: KeyInfo, _ b: KeyInfo) -> Bool {
        (a.createdAt, a.activatesAt, a.keyID) < (b.createdAt, b.activatesAt, b.keyID)
    }
}
