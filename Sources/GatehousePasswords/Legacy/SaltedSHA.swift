import GatehouseCrypto

/// OpenLDAP's salted SHA schemes (`slappasswd -h {SSHA}`, and `{SSHA512}` from the
/// `pw-sha2` contrib module): `{SSHA}` + base64(SHA-1(password ‖ salt) ‖ salt).
enum SaltedSHA {
    static func verify(_ candidates: [[UInt8]], encoded: Substring, algorithm: Digest.Algorithm, scheme: String) throws(PasswordError) -> Bool {
        guard let raw = PHCBase64.decodePadded(encoded) else {
            throw .malformedHash(scheme: scheme, reason: "not padded standard base64")
        }
        let digestLength = algorithm.length
        // passlib and OpenLDAP write 4–16 salt bytes; accept up to 64.
        guard (digestLength + 4...digestLength + 64).contains(raw.count) else {
            throw .malformedHash(scheme: scheme, reason: "expected a \(digestLength)-byte digest and a 4–64-byte salt")
        }
        let expected = Array(raw.prefix(digestLength))
        let salt = Array(raw.dropFirst(digestLength))
        var matched = false
        for password in candidates {
            matched = ConstantTime.equals(Digest.hash(algorithm, password + salt), expected) || matched
        }
        return matched
    }
}
