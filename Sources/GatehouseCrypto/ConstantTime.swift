internal import COpenSSL

/// Comparison whose running time does not depend on where two secrets differ.
public enum ConstantTime {
    /// True when `a` and `b` are equal. Lengths are compared first; the length of a
    /// secret is not itself secret for the values Gatehouse compares (hashes, MACs).
    public static func equals(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        let x = Array(a), y = Array(b)
        guard x.count == y.count else { return false }
        if x.isEmpty { return true }
        return x.withUnsafeBytes { xp in
            y.withUnsafeBytes { yp in CRYPTO_memcmp(xp.baseAddress, yp.baseAddress, x.count) == 0 }
        }
    }

    /// Compares the UTF-8 bytes of two strings in constant time.
    public static func equals(_ a: String, _ b: String) -> Bool {
        equals(Array(a.utf8), Array(b.utf8))
    }
}
