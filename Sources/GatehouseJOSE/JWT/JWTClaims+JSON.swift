import Foundation

extension JWTClaims {
    /// Reads a claims set from a parsed JSON value (RFC 7519 §7.2 step 10).
    /// - Throws: ``JOSEError/Code/invalidClaims`` when it is not an object or a registered claim
    ///   has the wrong type (e.g. `exp` as a string, `aud` as a number).
    init(parsing value: JSONValue) throws {
        guard case .object(var members) = value else { throw JOSEError(.invalidClaims, "the JWT payload is not a JSON object") }
        func string(_ name: String) throws -> String? {
            guard let v = members.removeValue(forKey: name) else { return nil }
            guard case .string(let s) = v else { throw JOSEError(.invalidClaims, "\(name) must be a string (RFC 7519 §4.1)") }
            return s
        }
        func date(_ name: String) throws -> Date? {
            guard let v = members.removeValue(forKey: name) else { return nil }
            guard let seconds = v.doubleValue else { throw JOSEError(.invalidClaims, "\(name) must be a NumericDate (RFC 7519 §2)") }
            return Date(timeIntervalSince1970: seconds)
        }
        let issuer = try string("iss"), subject = try string("sub"), jwtID = try string("jti")
        let expiresAt = try date("exp"), notBefore = try date("nbf"), issuedAt = try date("iat")
        var audience: Audience?
        switch members.removeValue(forKey: "aud") {
        case nil: audience = nil
        case .string(let s)?: audience = .single(s)
        case .array(let elements)?:
            audience = .multiple(try elements.map {
                guard case .string(let s) = $0 else { throw JOSEError(.invalidClaims, "aud must hold strings (RFC 7519 §4.1.3)") }
                return s
            })
        case _?: throw JOSEError(.invalidClaims, "aud must be a string or an array of strings (RFC 7519 §4.1.3)")
        }
        self.init(issuer: issuer, subject: subject, audience: audience, expiresAt: expiresAt, notBefore: notBefore,
                  issuedAt: issuedAt, jwtID: jwtID, additional: members)
    }

    /// Parses a JWT payload: strict, duplicate-free JSON holding an object.
    public init(json: [UInt8]) throws {
        try self.init(parsing: try JSONParser.parse(json))
    }

    /// Compact JSON: registered claims first (`iss`, `sub`, `aud`, `exp`, `nbf`, `iat`, `jti`),
    /// then ``additional`` sorted by name.
    public func encoded() -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "{")]
        out.reserveCapacity(256)
        var first = true
        for name in ["iss", "sub", "aud", "exp", "nbf", "iat", "jti"] {
            guard let value = self[name] else { continue }
            JSONWriter.writeKey(name, first: first, into: &out)
            JSONWriter.write(value, into: &out)
            first = false
        }
        for name in additional.keys.sorted() where !JWTClaims.registeredNames.contains(name) {
            JSONWriter.writeKey(name, first: first, into: &out)
            JSONWriter.write(additional[name]!, into: &out)
            first = false
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// Decodes with any `Decoder`; registered claims get their RFC 7519 types.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        var members: [String: JSONValue] = [:]
        for key in c.allKeys { members[key.stringValue] = try c.decode(JSONValue.self, forKey: key) }
        do { try self.init(parsing: .object(members)) } catch let error as JOSEError {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.reason, underlyingError: error))
        }
    }

    /// Encodes every claim as a flat object; dates as NumericDate.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyKey.self)
        for name in ["iss", "sub", "aud", "exp", "nbf", "iat", "jti"] {
            if let value = self[name] { try c.encode(value, forKey: AnyKey(stringValue: name)) }
        }
        for (name, value) in additional where !JWTClaims.registeredNames.contains(name) {
            try c.encode(value, forKey: AnyKey(stringValue: name))
        }
    }
}
