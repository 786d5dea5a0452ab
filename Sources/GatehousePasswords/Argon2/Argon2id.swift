internal import CArgon2
import GatehouseCrypto

/// Argon2id (RFC 9106) over the reference implementation (libargon2), producing and verifying
/// PHC strings: `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<tag>`.
///
/// These are the synchronous core functions: each call takes tens of milliseconds of CPU.
/// Servers call them through ``PasswordService``, which runs them on a dedicated pool.
public enum Argon2id {
    /// Hashes `password` (NFC-normalised) with a fresh random salt; returns the PHC string.
    public static func hash(password: String, parameters: Argon2Parameters = .default) throws(PasswordError) -> String {
        let bytes = PasswordText.bytes(password)
        guard bytes.count <= PasswordText.maxBytes else { throw .passwordTooLong(maxBytes: PasswordText.maxBytes) }
        try parameters.validate()
        let salt = SecureRandom.bytes(parameters.saltLength)
        let tag = try derive(password: bytes, salt: salt, parameters: parameters)
        return Argon2PHC(parameters: parameters, salt: salt, tag: tag).encoded
    }

    /// True when `password` (NFC-normalised) matches `phc`. Uses the parameters stored in the
    /// string, within ``Argon2Parameters/storedHashLimits``; compares tags in constant time.
    public static func verify(password: String, phc: String) throws(PasswordError) -> Bool {
        try verify(passwordBytes: PasswordText.bytes(password), phc: Argon2PHC(parsing: phc))
    }

    static func verify(passwordBytes: [UInt8], phc: Argon2PHC) throws(PasswordError) -> Bool {
        guard passwordBytes.count <= PasswordText.maxBytes else { return false }
        let tag = try derive(password: passwordBytes, salt: phc.salt, parameters: phc.parameters)
        return ConstantTime.equals(tag, phc.tag)
    }

    /// The raw Argon2id tag (RFC 9106 §3) of `password` under `salt`, optionally keyed with
    /// `secret` and bound to `associatedData`. `parameters.hashLength` sets the tag length;
    /// `parameters.saltLength` is ignored in favour of `salt.count` (at least 8 bytes).
    public static func derive(
        password: [UInt8], salt: [UInt8], parameters: Argon2Parameters,
        secret: [UInt8] = [], associatedData: [UInt8] = []
    ) throws(PasswordError) -> [UInt8] {
        var checked = parameters
        checked.saltLength = salt.count
        try checked.validate()
        var out = [UInt8](repeating: 0, count: parameters.hashLength)
        // libargon2 only reads the inputs (no ARGON2_FLAG_CLEAR_PASSWORD), so lending it
        // read-only buffers as `uint8_t *` is sound.
        let status = out.withUnsafeMutableBufferPointer { o in
            password.withUnsafeBufferPointer { p in
                salt.withUnsafeBufferPointer { s in
                    secret.withUnsafeBufferPointer { k in
                        associatedData.withUnsafeBufferPointer { a in
                            var ctx = argon2_context(
                                out: o.baseAddress, outlen: UInt32(o.count),
                                pwd: mutable(p), pwdlen: UInt32(p.count),
                                salt: mutable(s), saltlen: UInt32(s.count),
                                secret: mutable(k), secretlen: UInt32(k.count),
                                ad: mutable(a), adlen: UInt32(a.count),
                                t_cost: UInt32(parameters.iterations), m_cost: UInt32(parameters.memoryKiB),
                                lanes: UInt32(parameters.parallelism), threads: UInt32(parameters.parallelism),
                                version: UInt32(ARGON2_VERSION_13.rawValue),
                                allocate_cbk: nil, free_cbk: nil, flags: 0)
                            return argon2_ctx(&ctx, Argon2_id)
                        }
                    }
                }
            }
        }
        guard status == ARGON2_OK.rawValue else {
            throw .hashingFailed(String(cString: argon2_error_message(status)))
        }
        return out
    }

    private static func mutable(_ b: UnsafeBufferPointer<UInt8>) -> UnsafeMutablePointer<UInt8>? {
        b.baseAddress.map { UnsafeMutablePointer(mutating: $0) }
    }
}
