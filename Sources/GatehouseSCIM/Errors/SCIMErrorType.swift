/// The `scimType` keywords of RFC 7644 §3.12, Table 9: what kind of HTTP 400 (or 409, 413)
/// a SCIM request caused.
public enum SCIMErrorType: String, Sendable, Hashable, Codable, CaseIterable {
    /// The filter syntax was invalid, or the operator is not supported for the attribute
    /// (RFC 7644 §3.4.2.2).
    case invalidFilter
    /// The filter yields more results than the server is willing to process.
    case tooMany
    /// A value must be unique and is not (HTTP 409).
    case uniqueness
    /// The attribute is read-only or immutable (RFC 7643 §2.2 `mutability`).
    case mutability
    /// The request body was not valid JSON or did not follow the message schema.
    case invalidSyntax
    /// The PATCH `path` was malformed (RFC 7644 §3.5.2, Figure 7).
    case invalidPath
    /// The PATCH `path` selected nothing; a value filter matched no value.
    case noTarget
    /// A value was missing or does not suit the operation or attribute.
    case invalidValue
    /// The protocol version is not supported.
    case invalidVers
    /// The request would reveal sensitive data in a URI (RFC 7644 §7.5.2).
    case sensitive
}
