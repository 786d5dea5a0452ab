import GatehouseCrypto

/// Proof Key for Code Exchange (RFC 7636), S256 only: `plain` offers no protection when the
/// authorization request itself leaks, so RFC 9700 §2.1.1 asks for S256, and Gatehouse
/// requires it of every client.
enum PKCE {
    /// RFC 7636 §4.2: `BASE64URL(SHA256(ASCII(code_verifier)))` is 43 characters.
    static func isValidChallenge(_ challenge: String) -> Bool {
        challenge.utf8.count == 43 && Base64URL.decode(challenge)?.count == 32
    }

    /// RFC 7636 §4.1: 43 to 128 characters of `A-Z a-z 0-9 - . _ ~`.
    static func isValidVerifier(_ verifier: String) -> Bool {
        (43...128).contains(verifier.utf8.count) && verifier.utf8.allSatisfy { c in
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                true
            default: false
            }
        }
    }

    /// The S256 challenge of `verifier` (RFC 7636 §4.2).
    static func challenge(for verifier: String) -> String { Base64URL.encode(Digest.sha256(verifier)) }

    /// RFC 7636 §4.6: the verifier's challenge equals the stored one (constant time).
    static func verify(_ verifier: String, challenge: String) -> Bool {
        ConstantTime.equals(self.challenge(for: verifier), challenge)
    }
}
