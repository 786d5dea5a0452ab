import Foundation
import GatehouseCrypto

/// Dispatches a legacy hash to its verifier.
enum LegacyVerifier {
    /// The byte strings to try against a legacy hash: the NFC form and, when it differs, the
    /// NFD form. The systems these hashes come from hashed whatever bytes the keyboard sent, and
    /// Vietnamese input methods send either form; a match rehashes to Argon2id over NFC, after
    /// which only NFC counts.
    static func candidates(_ password: String, nfc: [UInt8]) -> [[UInt8]] {
        let nfd = Array(password.decomposedStringWithCanonicalMapping.utf8)
        return nfd == nfc ? [nfc] : [nfc, nfd]
    }

    static func verify(_ scheme: PasswordScheme, _ body: Substring, candidates: [[UInt8]]) throws(PasswordError) -> Bool {
        switch scheme {
        case .argon2id:
            preconditionFailure("Argon2id is not a legacy scheme")
        case .ssha:
            try SaltedSHA.verify(candidates, encoded: body, algorithm: .sha1, scheme: "{SSHA}")
        case .ssha512:
            try SaltedSHA.verify(candidates, encoded: body, algorithm: .sha512, scheme: "{SSHA512}")
        case .sha512Crypt, .sha256Crypt, .bcrypt:
            try CryptHash.verify(candidates, hash: body)
        case .pbkdf2SHA256:
            try PBKDF2SHA256.verify(candidates, encoded: body, encoding: .passlib)
        case .djangoPBKDF2SHA256:
            try PBKDF2SHA256.verify(candidates, encoded: body, encoding: .django)
        }
    }

    /// Checks the hash's shape without computing anything (for passwords too long to try).
    static func validate(_ scheme: PasswordScheme, _ body: Substring) throws(PasswordError) {
        _ = try verify(scheme, body, candidates: [])
    }
}
