public import Foundation
public import GatehouseJOSE

/// One key in the ring: its identity, algorithm and lifecycle times.
///
/// A key is published in the JWKS from creation, signs from ``activatesAt`` until
/// ``retiredAt``, and stays published until `retiredAt + maxTokenLifetime`, so every token it
/// signed can still be verified.
public struct KeyInfo: Sendable, Hashable {
    /// The RFC 7638 thumbprint of the public key; also the file name stem.
    public let keyID: String
    /// The algorithm the key signs with.
    public let algorithm: JWSAlgorithm
    /// When the key was generated.
    public let createdAt: Date
    /// From when the key may sign.
    public let activatesAt: Date
    /// From when the key no longer signs; `nil` while in service.
    public let retiredAt: Date?
    /// The public key as published (with `kid`, `alg`, `use`).
    public let publicJWK: JWK

    /// True when the key is retired at `time`.
    public func isRetired(at time: Date) -> Bool { retiredAt.map { $0 <= time } ?? false }

    /// True when the key may sign at `time`: activated and not retired.
    public func maySign(at time: Date) -> Bool { activatesAt <= time && !isRetired(at: time) }

    /// True when the key belongs in the JWKS at `time`: always, until `retiredAt + maxTokenLifetime`.
    public func isPublished(at time: Date, maxTokenLifetime: TimeInterval) -> Bool {
        retiredAt.map { time < $0 + maxTokenLifetime } ?? true
    }
}

/// Where a key stands at some time, for `gatehouse keys list`.
public enum KeyStatus: String, Sendable, Hashable {
    /// Published, not yet signing: caches are learning it.
    case pending
    /// The key that signs for its algorithm now.
    case signing
    /// Activated and not retired, but a newer key of the same algorithm signs.
    case standby
    /// Retired, still published for tokens it signed.
    case retired
    /// Retired long enough that no token it signed is valid; no longer published. Safe to delete.
    case expired
}
