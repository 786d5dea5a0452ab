/// Splitting a JWS Compact Serialization (RFC 7515 §7.1) into its three segments, without copying.
struct CompactSegments {
    /// `BASE64URL(header)`.
    let header: UnsafeBufferPointer<UInt8>
    /// `BASE64URL(payload)`.
    let payload: UnsafeBufferPointer<UInt8>
    /// `BASE64URL(signature)`.
    let signature: UnsafeBufferPointer<UInt8>
    /// `header '.' payload`: the JWS Signing Input (RFC 7515 §5.2 step 8).
    let signingInput: UnsafeBufferPointer<UInt8>

    /// Requires exactly two dots and a non-empty header. An empty signature (as `alg: none`
    /// tokens carry) is left for the algorithm and length checks to reject with a precise error.
    init(_ token: UnsafeBufferPointer<UInt8>) throws {
        var first = -1, second = -1
        for i in token.indices where token[i] == UInt8(ascii: ".") {
            if first < 0 { first = i } else if second < 0 { second = i } else {
                throw JOSEError(.malformedToken, "a compact JWS has exactly three segments (found more)")
            }
        }
        guard second > 0 else { throw JOSEError(.malformedToken, "a compact JWS has exactly three segments (found fewer)") }
        guard first > 0 else { throw JOSEError(.malformedToken, "empty header segment") }
        header = UnsafeBufferPointer(rebasing: token[0..<first])
        payload = UnsafeBufferPointer(rebasing: token[(first + 1)..<second])
        signature = UnsafeBufferPointer(rebasing: token[(second + 1)...])
        signingInput = UnsafeBufferPointer(rebasing: token[0..<second])
    }
}
