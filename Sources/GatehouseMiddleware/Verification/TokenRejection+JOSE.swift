import GatehouseJOSE

extension TokenRejection {
    /// The rejection for a verification error of GatehouseJOSE.
    init(_ error: JOSEError) {
        let reason: Reason = switch error.code {
        case .tokenTooLarge, .malformedToken, .invalidBase64URL, .invalidJSON, .invalidHeader, .invalidClaims,
             .unsupportedCriticalHeader: .malformed
        case .unsupportedAlgorithm, .algorithmNotAllowed, .algorithmKeyMismatch: .algorithmNotAllowed
        case .keyNotFound: .unknownKey
        case .invalidSignature, .invalidKey, .weakKey, .privateKeyMaterial, .cryptoFailure: .invalidSignature
        case .expired: .expired
        case .notYetValid: .notYetValid
        case .wrongIssuer: .wrongIssuer
        case .wrongAudience: .wrongAudience
        case .wrongType: .wrongType
        case .missingClaim: .missingClaim
        }
        self.init(reason, error.reason)
    }
}
