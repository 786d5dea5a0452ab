/// A JWS Protected Header (RFC 7515 §4) for the compact serialization.
///
/// Key-carrying parameters (`jku`, `jwk`, `x5u`, `x5c`) are kept in ``additional`` but never
/// used to find a key: a verifier trusts only its own ``VerificationKeySet``.
///
/// ```swift
/// let header = JWSHeader(algorithm: .es256, keyID: key.keyID, type: "at+jwt")
/// ```
public struct JWSHeader: Sendable, Hashable {
    /// `alg` (RFC 7515 §4.1.1).
    public var algorithm: JWSAlgorithm
    /// `kid` (RFC 7515 §4.1.4).
    public var keyID: String?
    /// `typ` (RFC 7515 §4.1.9), e.g. `JWT` or `at+jwt` (RFC 9068 §2.1).
    public var type: String?
    /// `cty` (RFC 7515 §4.1.10).
    public var contentType: String?
    /// `crit` (RFC 7515 §4.1.11): extensions the recipient must understand.
    public var critical: [String]?
    /// Every other member, as sent. Never consulted for key selection.
    public var additional: [String: JSONValue]

    /// Parameter names RFC 7515 §4.1 registers; `crit` may not list them.
    static let registeredNames: Set<String> = ["alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit"]

    /// Creates a header.
    public init(
        algorithm: JWSAlgorithm, keyID: String? = nil, type: String? = nil, contentType: String? = nil,
        critical: [String]? = nil, additional: [String: JSONValue] = [:]
    ) {
        self.algorithm = algorithm
        self.keyID = keyID
        self.type = type
        self.contentType = contentType
        self.critical = critical
        self.additional = additional
    }

    /// Reads a decoded header object, refusing wrong member types and unusable algorithms.
    init(parsing value: JSONValue) throws {
        guard case .object(var members) = value else { throw JOSEError(.invalidHeader, "the JOSE header is not a JSON object") }
        guard let alg = members.removeValue(forKey: "alg") else { throw JOSEError(.invalidHeader, "the JOSE header has no alg") }
        guard case .string(let name) = alg else { throw JOSEError(.invalidHeader, "alg is not a string") }
        algorithm = try JWSAlgorithm(parsing: name)
        func string(_ key: String) throws -> String? {
            guard let value = members.removeValue(forKey: key) else { return nil }
            guard case .string(let s) = value else { throw JOSEError(.invalidHeader, "\(key) is not a string") }
            return s
        }
        keyID = try string("kid")
        type = try string("typ")
        contentType = try string("cty")
        if let crit = members.removeValue(forKey: "crit") {
            guard case .array(let elements) = crit, !elements.isEmpty else {
                throw JOSEError(.unsupportedCriticalHeader, "crit must be a non-empty array (RFC 7515 §4.1.11)")
            }
            critical = try elements.map {
                guard case .string(let s) = $0 else { throw JOSEError(.unsupportedCriticalHeader, "crit members must be strings") }
                return s
            }
        } else {
            critical = nil
        }
        additional = members
    }

    /// Checks `crit` (RFC 7515 §4.1.11): every name must be understood, not a registered
    /// parameter, listed once, and present in the header.
    func checkCritical(understood: Set<String>) throws {
        guard let critical else { return }
        guard Set(critical).count == critical.count else { throw JOSEError(.unsupportedCriticalHeader, "crit lists a name twice") }
        for name in critical {
            guard !JWSHeader.registeredNames.contains(name) else {
                throw JOSEError(.unsupportedCriticalHeader, "crit must not list registered parameter \(name)")
            }
            guard understood.contains(name) else { throw JOSEError(.unsupportedCriticalHeader, "critical extension \(name) is not understood") }
            guard additional[name] != nil else { throw JOSEError(.unsupportedCriticalHeader, "critical extension \(name) is absent") }
        }
    }

    /// Compact JSON: `alg`, `kid`, `typ`, `cty`, `crit` first, then ``additional`` sorted.
    /// Members of ``additional`` that collide with those five are not written.
    func encoded() -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "{")]
        out.reserveCapacity(96)
        JSONWriter.writeKey("alg", first: true, into: &out)
        JSONWriter.writeString(algorithm.rawValue, into: &out)
        if let keyID { JSONWriter.writeKey("kid", first: false, into: &out); JSONWriter.writeString(keyID, into: &out) }
        if let type { JSONWriter.writeKey("typ", first: false, into: &out); JSONWriter.writeString(type, into: &out) }
        if let contentType { JSONWriter.writeKey("cty", first: false, into: &out); JSONWriter.writeString(contentType, into: &out) }
        if let critical {
            JSONWriter.writeKey("crit", first: false, into: &out)
            JSONWriter.write(.array(critical.map(JSONValue.string)), into: &out)
        }
        for key in additional.keys.sorted() where !["alg", "kid", "typ", "cty", "crit"].contains(key) {
            JSONWriter.writeKey(key, first: false, into: &out)
            JSONWriter.write(additional[key]!, into: &out)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }
}
