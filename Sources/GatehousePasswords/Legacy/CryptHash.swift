internal import CCrypt
import GatehouseCrypto

/// Hashes verified through libxcrypt's reentrant `crypt_rn`: SHA-512-crypt `$6$` and
/// SHA-256-crypt `$5$` (Drepper, "Unix crypt using SHA-256 and SHA-512"), and bcrypt
/// `$2b$`/`$2a$`/`$2y$` (Provos & Mazières; OpenBSD). Each call owns its `struct crypt_data`, so
/// any number of threads may verify at once.
enum CryptHash {
    /// Which family `hash` belongs to, after checking its shape and cost; throws for a
    /// malformed or too costly hash.
    static func validate(_ hash: Substring) throws(PasswordError) {
        guard hash.utf8.count <= LegacyLimits.maxEncodedLength else {
            throw .malformedHash(scheme: "crypt", reason: "longer than \(LegacyLimits.maxEncodedLength) characters")
        }
        if hash.hasPrefix("$6$") || hash.hasPrefix("$5$") {
            try validateSHACrypt(hash)
        } else if hash.hasPrefix("$2a$") || hash.hasPrefix("$2b$") || hash.hasPrefix("$2y$") {
            try validateBcrypt(hash)
        } else {
            throw .unsupportedScheme("crypt")
        }
    }

    /// True when one of `candidates` hashes to `hash`. Compares the whole output in constant time.
    static func verify(_ candidates: [[UInt8]], hash: Substring) throws(PasswordError) -> Bool {
        try validate(hash)
        let setting = Array(hash.utf8) + [0]
        var matched = false
        for password in candidates where !password.contains(0) {
            let output = try crypt(password + [0], setting: setting)
            matched = ConstantTime.equals(output, Array(hash.utf8)) || matched
        }
        return matched
    }

    private static func crypt(_ phrase: [UInt8], setting: [UInt8]) throws(PasswordError) -> [UInt8] {
        let size = MemoryLayout<crypt_data>.size
        let data = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: MemoryLayout<crypt_data>.alignment)
        data.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        defer {
            data.initializeMemory(as: UInt8.self, repeating: 0, count: size)
            data.deallocate()
        }
        let result: [UInt8]? = phrase.withUnsafeBufferPointer { p in
            setting.withUnsafeBufferPointer { s in
                p.withMemoryRebound(to: CChar.self) { pc in
                    s.withMemoryRebound(to: CChar.self) { sc in
                        guard let out = crypt_rn(pc.baseAddress, sc.baseAddress, data, Int32(size)) else { return nil }
                        return Array(String(cString: out).utf8)
                    }
                }
            }
        }
        guard let result else { throw .malformedHash(scheme: "crypt", reason: "rejected by libxcrypt") }
        return result
    }

    private static func validateSHACrypt(_ hash: Substring) throws(PasswordError) {
        let scheme = hash.hasPrefix("$6$") ? "sha512-crypt" : "sha256-crypt"
        let digestChars = hash.hasPrefix("$6$") ? 86 : 43
        var parts = hash.dropFirst(3).split(separator: "$", omittingEmptySubsequences: false)
        if let first = parts.first, first.hasPrefix("rounds=") {
            guard let rounds = Argon2PHC.decimal(first.dropFirst(7)) else {
                throw .malformedHash(scheme: scheme, reason: "rounds is not a decimal number")
            }
            guard rounds <= LegacyLimits.maxSHACryptRounds else {
                throw .costOutOfBounds(scheme: scheme, reason: "\(rounds) rounds exceeds \(LegacyLimits.maxSHACryptRounds)")
            }
            parts.removeFirst()
        }
        guard parts.count == 2, parts[0].utf8.count <= 16, parts[1].utf8.count == digestChars,
              parts[0].utf8.allSatisfy(isCryptAlphabet), parts[1].utf8.allSatisfy(isCryptAlphabet) else {
            throw .malformedHash(scheme: scheme, reason: "expected [rounds=N$]<salt ≤16>$<\(digestChars) characters>")
        }
    }

    private static func validateBcrypt(_ hash: Substring) throws(PasswordError) {
        // $2b$ cc $ <22 salt><31 digest>: 60 characters.
        let b = Array(hash.utf8)
        let digit = UInt8(ascii: "0")...UInt8(ascii: "9")
        guard b.count == 60, digit.contains(b[4]), digit.contains(b[5]), b[6] == UInt8(ascii: "$"),
              b[7...].allSatisfy(isCryptAlphabet) else {
            throw .malformedHash(scheme: "bcrypt", reason: "expected $2b$<two-digit cost>$<53 characters>")
        }
        let cost = Int(b[4] - digit.lowerBound) * 10 + Int(b[5] - digit.lowerBound)
        guard (4...31).contains(cost) else { throw .malformedHash(scheme: "bcrypt", reason: "cost \(cost) is outside 04...31") }
        guard cost <= LegacyLimits.maxBcryptCost else {
            throw .costOutOfBounds(scheme: "bcrypt", reason: "cost \(cost) exceeds \(LegacyLimits.maxBcryptCost)")
        }
    }

    /// `./0-9A-Za-z`, the alphabet of crypt(3) salts and digests.
    static func isCryptAlphabet(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "/"):
            true
        default: false
        }
    }
}
