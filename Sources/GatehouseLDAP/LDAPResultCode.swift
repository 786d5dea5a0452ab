extension LDAPError {
    /// An LDAP result code: the server's (RFC 4511 §4.1.9, Appendix A; zero or positive) or
    /// libldap's client-side codes (negative, OpenLDAP `ldap.h`).
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }
        init(_ rawValue: Int32) { self.rawValue = rawValue }

        // RFC 4511 Appendix A.
        public static let success = Code(0)
        public static let operationsError = Code(1)
        public static let protocolError = Code(2)
        public static let timeLimitExceeded = Code(3)
        public static let sizeLimitExceeded = Code(4)
        public static let authMethodNotSupported = Code(7)
        public static let strongerAuthRequired = Code(8)
        public static let adminLimitExceeded = Code(11)
        public static let unavailableCriticalExtension = Code(12)
        public static let confidentialityRequired = Code(13)
        public static let noSuchAttribute = Code(16)
        public static let noSuchObject = Code(32)
        public static let invalidDNSyntax = Code(34)
        public static let inappropriateAuthentication = Code(48)
        public static let invalidCredentials = Code(49)
        public static let insufficientAccessRights = Code(50)
        public static let busy = Code(51)
        public static let unavailable = Code(52)
        public static let unwillingToPerform = Code(53)
        public static let objectClassViolation = Code(65)
        public static let entryAlreadyExists = Code(68)
        public static let other = Code(80)

        // libldap's client-side codes.
        /// The connection is down: never made, or closed by the server.
        public static let serverDown = Code(-1)
        public static let localError = Code(-2)
        public static let encodingError = Code(-3)
        public static let decodingError = Code(-4)
        /// No answer within the client-side time limit.
        public static let timeout = Code(-5)
        public static let filterError = Code(-7)
        public static let userCancelled = Code(-8)
        public static let paramError = Code(-9)
        public static let noMemory = Code(-10)
        /// The connection (or its TLS negotiation) could not be established.
        public static let connectError = Code(-11)
        public static let notSupported = Code(-12)
        public static let controlNotFound = Code(-13)
        public static let noResultsReturned = Code(-14)
        public static let moreResultsToReturn = Code(-15)

        public var description: String {
            switch self {
            case .success: "success"
            case .operationsError: "operations error"
            case .protocolError: "protocol error"
            case .timeLimitExceeded: "time limit exceeded"
            case .sizeLimitExceeded: "size limit exceeded"
            case .authMethodNotSupported: "authentication method not supported"
            case .strongerAuthRequired: "stronger authentication required"
            case .adminLimitExceeded: "administrative limit exceeded"
            case .unavailableCriticalExtension: "unavailable critical extension"
            case .confidentialityRequired: "confidentiality required"
            case .noSuchAttribute: "no such attribute"
            case .noSuchObject: "no such object"
            case .invalidDNSyntax: "invalid DN syntax"
            case .inappropriateAuthentication: "inappropriate authentication"
            case .invalidCredentials: "invalid credentials"
            case .insufficientAccessRights: "insufficient access rights"
            case .busy: "busy"
            case .unavailable: "unavailable"
            case .unwillingToPerform: "unwilling to perform"
            case .objectClassViolation: "object class violation"
            case .entryAlreadyExists: "entry already exists"
            case .other: "other"
            case .serverDown: "server down"
            case .localError: "local error"
            case .encodingError: "encoding error"
            case .decodingError: "decoding error"
            case .timeout: "timeout"
            case .filterError: "bad search filter"
            case .userCancelled: "cancelled"
            case .paramError: "bad parameter"
            case .noMemory: "out of memory"
            case .connectError: "connect error"
            case .notSupported: "not supported"
            case .controlNotFound: "control not found"
            case .noResultsReturned: "no results returned"
            case .moreResultsToReturn: "more results to return"
            default: "result code \(rawValue)"
            }
        }
    }
}
