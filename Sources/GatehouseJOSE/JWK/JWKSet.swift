public import Foundation

/// A JWK Set (RFC 7517 §5): what `/.well-known/jwks.json` serves.
///
/// Members other than `keys` are ignored (RFC 7517 §5). To verify with the set, build a
/// ``VerificationKeySet`` from it.
///
/// ```swift
/// let set = try JWKSet(json: responseBody)
/// let keys = try VerificationKeySet(set)
/// ```
public struct JWKSet: Codable, Sendable, Hashable {
    /// The keys, in publication order.
    public var keys: [JWK]

    /// Creates a set.
    public init(keys: [JWK]) { self.keys = keys }

    /// Parses a JWK Set document.
    /// - Throws: ``JOSEError/Code/invalidKey`` when it is not a JSON object with a `keys` array of JWKs.
    public init(json: Data) throws {
        do { self = try JSONDecoder().decode(JWKSet.self, from: json) } catch {
            throw JOSEError(.invalidKey, "not a JWK Set: \(error)")
        }
    }

    /// Compact JSON with sorted keys, suitable for serving.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// The key with `kid`, if any.
    public subscript(keyID keyID: String) -> JWK? { keys.first { $0.keyID == keyID } }
}
