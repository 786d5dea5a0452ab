import Foundation

/// Text normalisation shared by every module that stores or compares names.
public enum Text {
    /// Unicode NFC (canonical composition). Vietnamese typed on one system may
    /// arrive decomposed (NFD) from another; everything is stored NFC.
    public static func nfc(_ s: String) -> String { s.precomposedStringWithCanonicalMapping }

    /// A display name: NFC, trimmed, 1–200 characters, no control characters.
    public static func displayName(_ s: String) throws(DomainError) -> String {
        let v = nfc(s).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !v.isEmpty else { throw .invalidName("must not be empty") }
        guard v.count <= 200 else { throw .invalidName("longer than 200 characters") }
        guard !v.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalidName("contains control characters")
        }
        return v
    }
}

/// A username: NFC, case-folded, unique across Gatehouse.
///
/// Usernames compare case-insensitively, so `Nguyen.Van.A` and `nguyen.van.a` are the same
/// account; the folded form is what is stored and looked up.
public struct Username: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    /// The folded form.
    public let value: String

    /// Folds and validates `raw`: 1–128 characters, no white space, no control characters,
    /// none of `/ \ * ( ) , = " < > ; +` (they have meaning in URLs, DNs or LDAP filters).
    public init(_ raw: String) throws(DomainError) {
        let folded = Text.nfc(raw).lowercased()
        guard !folded.isEmpty else { throw .invalidUsername(raw, "must not be empty") }
        guard folded.count <= 128 else { throw .invalidUsername(raw, "longer than 128 characters") }
        let forbidden = Set("/\\*(),=\"<>;+ ".unicodeScalars)
        for s in folded.unicodeScalars {
            if forbidden.contains(s) || s.properties.isWhitespace || s.properties.generalCategory == .control {
                throw .invalidUsername(raw, "must not contain spaces, control characters or any of / \\ * ( ) , = \" < > ; +")
            }
        }
        self.value = folded
    }

    public var description: String { value }
    public static func < (a: Username, b: Username) -> Bool { a.value < b.value }

    public init(from decoder: any Decoder) throws {
        let s = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(s) } catch { throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(value)
    }
}
