import Foundation
import GatehouseJOSE

/// The contents of `<kid>.json` beside each `<kid>.pem`.
///
/// ```json
/// {
///   "activatesAt" : "2027-01-16T08:00:00Z",
///   "alg" : "ES256",
///   "createdAt" : "2027-01-15T08:00:00Z",
///   "retiredAt" : "2027-03-01T00:00:00Z"
/// }
/// ```
/// Times are RFC 3339 UTC with whole seconds; `retiredAt` is absent until the key is retired.
struct KeyMetadata: Codable, Hashable {
    var alg: JWSAlgorithm
    var createdAt: Date
    var activatesAt: Date
    var retiredAt: Date?

    static func decode(_ data: Data) throws -> KeyMetadata {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(KeyMetadata.self, from: data)
    }

    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }
}

extension Date {
    /// Truncated to whole seconds, as metadata files store it.
    var wholeSeconds: Date { Date(timeIntervalSince1970: timeIntervalSince1970.rounded(.down)) }
}
