internal import Foundation
internal import GatehouseCore

/// Where and how to look a user up by the name typed at login.
///
/// ```swift
/// LDAPUserSearch(baseDN: "dc=gatehouse,dc=test",
///                filter: "(objectClass=inetOrgPerson)",
///                usernameAttribute: "uid",            // Active Directory: "sAMAccountName"
///                attributes: ["uid", "cn", "mail", "entryUUID"])
/// // searches (&(objectClass=inetOrgPerson)(uid=ESCAPED-USERNAME)) below dc=gatehouse,dc=test
/// ```
public struct LDAPUserSearch: Sendable, Hashable {
    /// Where the users are.
    public var baseDN: String
    public var scope: LDAPSearchRequest.Scope
    /// A filter every user entry matches (RFC 4515, in parentheses), combined with the
    /// username assertion by `&`.
    public var filter: String
    /// The attribute that holds the login name.
    public var usernameAttribute: String
    /// The attributes returned with the entry; nil for all user attributes.
    public var attributes: [String]?

    public init(
        baseDN: String,
        scope: LDAPSearchRequest.Scope = .subtree,
        filter: String = "(objectClass=inetOrgPerson)",
        usernameAttribute: String = "uid",
        attributes: [String]? = nil
    ) {
        self.baseDN = baseDN
        self.scope = scope
        self.filter = filter
        self.usernameAttribute = usernameAttribute
        self.attributes = attributes
    }

    /// The search filter for `username`, escaped (RFC 4515 §3) after NFC normalisation.
    public func filter(for username: String) -> String {
        "(&\(filter)(\(usernameAttribute)=\(LDAPEscape.filterValue(Text.nfc(username)))))"
    }
}

/// Why a login against the directory failed.
public enum LDAPAuthenticationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The username is unknown or the password is wrong: deliberately one case, so the
    /// caller cannot tell (nor tell anyone) which accounts exist.
    case invalidCredentials
    /// The directory could not be reached, did not answer in time, or had no free
    /// connection. Trying again later may succeed.
    case unavailable(LDAPError)
    /// Anything else: the directory refused the search, the username matched several
    /// entries, a configuration error. For the logs; show users a generic message.
    case failed(LDAPError)

    public var description: String {
        switch self {
        case .invalidCredentials: "invalid credentials"
        case .unavailable(let error): error.message
        case .failed(let error): error.message
        }
    }
}

/// Login by bind-through: find the user's entry with the service account, then bind as
/// that entry with the password typed, on a separate connection (RFC 4513 §5.1.3). The
/// directory checks the password; Gatehouse never sees its hash.
///
/// ```swift
/// let authenticator = try LDAPAuthenticator(
///     configuration: LDAPConfiguration(url: "ldaps://ldap.hue.gov.vn"),
///     serviceAccount: LDAPCredentials(dn: "cn=gatehouse-sync,dc=hue,dc=gov,dc=vn", password: secret),
///     userSearch: LDAPUserSearch(baseDN: "dc=hue,dc=gov,dc=vn"))
/// let entry = try await authenticator.authenticate(username: "pham.minh.duc", password: typed)
/// ```
///
/// - The username is NFC-normalised and escaped into `(&(filter)(uid=…))`, so `*` or `)`
///   typed at the login page match only themselves.
/// - Exactly one entry must match; several is a directory error, not a login.
/// - An empty password fails as `invalidCredentials` without contacting the directory (it
///   would be an unauthenticated bind, RFC 4513 §5.1.2), as do oversized input.
/// - An unknown user costs a bind round trip like a wrong password (a bind to a DN that
///   cannot exist), so response times do not reveal which accounts exist.
/// - The user bind runs on the bind pool, whose connections are returned to anonymous
///   before they serve anyone else.
public final class LDAPAuthenticator: Sendable {
    /// The longest username accepted, in UTF-8 bytes.
    public static let maximumUsernameLength = 256
    /// The longest password accepted, in UTF-8 bytes.
    public static let maximumPasswordLength = 1024

    public let userSearch: LDAPUserSearch
    private let searchPool: LDAPConnectionPool
    private let bindPool: LDAPConnectionPool
    /// Told the DN of every user bind before it is sent (tests watch it).
    private let bindObserver: (@Sendable (String) -> Void)?

    /// An authenticator over existing pools: `searchPool` bound as the service account,
    /// `bindPool` for the user binds (normally anonymous). Throws `paramError` for a
    /// username attribute that is not an attribute name or a filter not in parentheses.
    public convenience init(
        searchPool: LDAPConnectionPool, bindPool: LDAPConnectionPool, userSearch: LDAPUserSearch
    ) throws(LDAPError) {
        try self.init(searchPool: searchPool, bindPool: bindPool, userSearch: userSearch, bindObserver: nil)
    }

    /// An authenticator with its own two pools to `configuration`: one bound as
    /// `serviceAccount` for the searches, one anonymous for the user binds.
    public convenience init(
        configuration: LDAPConfiguration,
        serviceAccount: LDAPCredentials,
        userSearch: LDAPUserSearch,
        maximumConnections: Int = 4,
        checkoutTimeout: Duration = .seconds(5)
    ) throws(LDAPError) {
        try self.init(
            searchPool: LDAPConnectionPool(
                configuration: configuration, credentials: serviceAccount,
                maximumConnections: maximumConnections, checkoutTimeout: checkoutTimeout),
            bindPool: LDAPConnectionPool(
                configuration: configuration, credentials: nil,
                maximumConnections: maximumConnections, checkoutTimeout: checkoutTimeout),
            userSearch: userSearch)
    }

    init(
        searchPool: LDAPConnectionPool, bindPool: LDAPConnectionPool, userSearch: LDAPUserSearch,
        bindObserver: (@Sendable (String) -> Void)?
    ) throws(LDAPError) {
        let attribute = userSearch.usernameAttribute
        guard let first = attribute.unicodeScalars.first, first.isASCIILetter || first.isASCIIDigit,
            attribute.unicodeScalars.allSatisfy({ $0.isASCIILetter || $0.isASCIIDigit || $0 == "-" || $0 == "." })
        else {
            throw LDAPError(.paramError, "the username attribute '\(attribute)' is not an attribute name")
        }
        guard userSearch.filter.hasPrefix("("), userSearch.filter.hasSuffix(")") else {
            throw LDAPError(.paramError, "the user filter '\(userSearch.filter)' must be in parentheses")
        }
        self.searchPool = searchPool
        self.bindPool = bindPool
        self.userSearch = userSearch
        self.bindObserver = bindObserver
    }

    /// Checks `password` for `username` against the directory and returns the user's entry.
    public func authenticate(username: String, password: String) async throws(LDAPAuthenticationError) -> LDAPEntry {
        guard !username.isEmpty, username.utf8.count <= Self.maximumUsernameLength,
            !password.isEmpty, password.utf8.count <= Self.maximumPasswordLength
        else {
            throw .invalidCredentials
        }
        guard let entry = try await findUser(username) else {
            await bindToNobody()
            throw .invalidCredentials
        }
        let dn = entry.dn
        bindObserver?(dn)
        do {
            try await bindPool.withConnection { connection in try connection.bind(dn: dn, password: password) }
        } catch {
            throw Self.classify(error, invalidCredentials: [.invalidCredentials, .inappropriateAuthentication, Self.constraintViolation])
        }
        return entry
    }

    /// The one entry whose username attribute is `username`, or nil when there is none.
    func findUser(_ username: String) async throws(LDAPAuthenticationError) -> LDAPEntry? {
        let request = LDAPSearchRequest(
            base: userSearch.baseDN, scope: userSearch.scope, filter: userSearch.filter(for: username),
            attributes: userSearch.attributes, sizeLimit: 2)
        let entries: [LDAPEntry]
        do {
            entries = try await searchPool.withConnection { connection in try connection.search(request) }
        } catch let error as LDAPError where error.code == .sizeLimitExceeded {
            throw .failed(Self.ambiguous(username))
        } catch {
            throw Self.classify(error, invalidCredentials: [])
        }
        switch entries.count {
        case 0: return nil
        case 1: return entries[0]
        default: throw .failed(Self.ambiguous(username))
        }
    }

    /// A bind to a DN that cannot exist, with a throwaway password, so that an unknown user
    /// costs the same round trip as a wrong password. Its outcome is ignored.
    private func bindToNobody() async {
        let dn = "uid=\(UUID().uuidString.lowercased()),\(userSearch.baseDN)"
        let password = UUID().uuidString
        _ = try? await bindPool.withConnection { connection in try? connection.bind(dn: dn, password: password) }
    }

    private static let constraintViolation = LDAPError.Code(19)

    private static func ambiguous(_ username: String) -> LDAPError {
        LDAPError(.moreResultsToReturn, "the username '\(username)' matches more than one directory entry")
    }

    private static func classify(_ error: any Error, invalidCredentials: Set<LDAPError.Code>) -> LDAPAuthenticationError {
        guard let error = error as? LDAPError else {
            return .failed(LDAPError(.other, "directory login failed: \(error)"))
        }
        if invalidCredentials.contains(error.code) { return .invalidCredentials }
        return error.isUnavailable ? .unavailable(error) : .failed(error)
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
