extension DistinguishedName {
    /// One string per DN, equal for DNs that compare equal: attribute types in their short
    /// lowercase names, values prepared for `caseIgnoreMatch` (RFC 4518) and escaped
    /// (RFC 4514 §2.4), the parts of a multi-valued RDN sorted.
    ///
    /// ```swift
    /// try DistinguishedName(#"CN=\23Ngô Bảo Châu\2C PGS.,OU=Hue,DC=gatehouse,DC=test"#).canonicalKey
    /// // cn=\#ngô bảo châu\, pgs.,ou=hue,dc=gatehouse,dc=test
    /// ```
    ///
    /// Group members name users by DN, and a server spells a DN differently from how it was
    /// written; the synchronisation resolves members through this key, never the DN as sent.
    public var canonicalKey: String {
        rdns.map(\.canonicalKey).joined(separator: ",")
    }
}

extension RelativeDistinguishedName {
    /// The RDN's part of `DistinguishedName.canonicalKey`.
    public var canonicalKey: String {
        attributes.map { part in
            let value = part.isHexEncoded ? part.value.lowercased() : LDAPEscape.dnValue(AttributeTypeAndValue.caseIgnoreKey(part.value))
            return AttributeTypeAndValue.canonicalType(part.type) + "=" + value
        }.sorted().joined(separator: "+")
    }
}
