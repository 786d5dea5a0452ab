public import Foundation

/// Whether an account may log in.
public enum AccountStatus: String, Sendable, Codable, CaseIterable {
    /// May log in.
    case active
    /// Turned off by an administrator or by directory sync; sessions are ended.
    case disabled
    /// Locked by brute-force protection or policy until unlocked.
    case locked
}

/// Where an account comes from.
public enum AccountSource: Hashable, Sendable, Codable {
    /// Created in Gatehouse; its password verifier lives here.
    case local
    /// Synchronised from the LDAP directory `directory`, keyed by the entry's stable
    /// `externalID` (entryUUID or objectGUID), never by its DN.
    case directory(name: String, externalID: String)

    /// Directory name, or `nil` for a local account.
    public var directoryName: String? {
        if case .directory(let name, _) = self { return name }
        return nil
    }

    /// External id within the directory, or `nil` for a local account.
    public var externalID: String? {
        if case .directory(_, let id) = self { return id }
        return nil
    }
}

/// An official's account.
public struct Account: Hashable, Sendable, Codable, Identifiable {
    public var id: UUID
    /// Case-folded, unique.
    public var username: Username
    public var displayName: String
    public var email: String?
    /// The home unit.
    public var unitID: UUID
    public var status: AccountStatus
    /// PHC-format password verifier (`$argon2id$…`) or a legacy verifier awaiting rehash.
    public var passwordHash: String?
    /// When the password was last set; drives expiry when policy asks for it.
    public var passwordChangedAt: Date?
    /// The next login must change the password before finishing.
    public var mustChangePassword: Bool
    /// Second-factor secret, encrypted at rest by the caller (never plaintext here); `nil` when
    /// the account has not enrolled a second factor.
    public var mfaSecret: [UInt8]?
    /// Keyed hashes of the unused recovery codes (never the codes); each is removed when used.
    public var mfaRecoveryCodes: [String]
    /// The last TOTP time step accepted (RFC 6238 §5.2): no code of this step or an earlier one
    /// is accepted again, on any node, since the value lives in the store.
    public var mfaLastStep: Int64?
    /// Wrong second-factor codes since the last accepted one; a login flow may add only a few.
    public var mfaFailures: Int
    public var source: AccountSource
    /// The id a provisioning client knows a local account by (SCIM `externalId`, RFC 7643
    /// §3.1), case-exact and not unique: each client issues its own. A directory account is
    /// known by ``AccountSource/externalID`` instead.
    public var provisioningID: String?
    public var createdAt: Date
    public var updatedAt: Date
    /// Incremented by the store on every update; used for optimistic concurrency (ETags).
    public var version: Int

    public init(
        id: UUID, username: Username, displayName: String, email: String? = nil, unitID: UUID,
        status: AccountStatus = .active, passwordHash: String? = nil, passwordChangedAt: Date? = nil,
        mustChangePassword: Bool = false, mfaSecret: [UInt8]? = nil, mfaRecoveryCodes: [String] = [], mfaLastStep: Int64? = nil,
        mfaFailures: Int = 0, source: AccountSource = .local, provisioningID: String? = nil, createdAt: Date, updatedAt: Date? = nil,
        version: Int = 1
    ) {
        self.id = id
        self.username = username
        self.displayName = Text.nfc(displayName)
        self.email = email
        self.unitID = unitID
        self.status = status
        self.passwordHash = passwordHash
        self.passwordChangedAt = passwordChangedAt
        self.mustChangePassword = mustChangePassword
        self.mfaSecret = mfaSecret
        self.mfaRecoveryCodes = mfaRecoveryCodes
        self.mfaLastStep = mfaLastStep
        self.mfaFailures = mfaFailures
        self.source = source
        self.provisioningID = provisioningID
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
        self.version = version
    }

    /// True when the account has enrolled a second factor: every login asks for it.
    public var hasSecondFactor: Bool { mfaSecret != nil }

    /// Forgets the second factor: secret, recovery codes, replay guard and failure count.
    public mutating func clearSecondFactor() {
        mfaSecret = nil
        mfaRecoveryCodes = []
        mfaLastStep = nil
        mfaFailures = 0
    }
}
