/// What the synchronisation keeps of a user entry: a few short strings instead of every
/// attribute, so a full read of a large directory holds little at a time.
public struct DirectoryUser: Sendable, Hashable {
    /// The stable identifier (e.g. `entryUUID`); accounts are keyed by it.
    public var externalID: String
    /// The DN as the server spelled it, for people and logs.
    public var dn: String
    /// `DistinguishedName.canonicalKey` of the DN, for comparisons and group members.
    public var dnKey: String
    /// The parsed DN, for the unit rules.
    public var distinguishedName: DistinguishedName
    /// The login name as the directory holds it (NFC); nil when the entry has none.
    public var username: String?
    /// The display name (NFC); nil when the entry has none.
    public var displayName: String?
    public var email: String?
    /// `modifyTimestamp` (RFC 4512 §3.4), GeneralizedTime; nil when not returned.
    public var modifyTimestamp: String?
    /// Locked or disabled in the directory itself: `pwdAccountLockedTime` set to
    /// `000001010000Z` (locked by an administrator, draft-behera-ldap-password-policy §5.3.3)
    /// or Active Directory's ACCOUNTDISABLE bit (2) in `userAccountControl`.
    public var disabledInDirectory: Bool
}

/// Turns entries into `DirectoryUser`s according to the attribute map.
struct DirectoryUserMapper: Sendable {
    let attributes: DirectorySyncConfiguration.Attributes

    /// The attributes a user search asks for.
    var requestedAttributes: [String] {
        var names = [attributes.username, attributes.displayName, attributes.email, attributes.externalID,
                     "modifyTimestamp", "pwdAccountLockedTime", "userAccountControl"]
        var seen = Set<String>()
        names = names.filter { seen.insert($0.lowercased()).inserted }
        return names
    }

    /// Why an entry cannot be used at all.
    enum Refusal: Error, Equatable {
        case noExternalID
        case unparsableDN(String)
    }

    /// The compact record of `entry`; `entryUUID` from the RFC 4533 sync state stands in
    /// when the external id attribute is `entryUUID` and was not returned.
    func user(_ entry: LDAPEntry, entryUUID: String? = nil) -> Result<DirectoryUser, Refusal> {
        guard let externalID = externalID(entry) ?? (isEntryUUID ? entryUUID : nil) else { return .failure(.noExternalID) }
        let parsed: DistinguishedName
        do { parsed = try DistinguishedName(entry.dn) } catch { return .failure(.unparsableDN(error.message)) }
        func text(_ name: String) -> String? {
            let value = entry.string(name)?.trimmingSpaces
            return value?.isEmpty == false ? value : nil
        }
        return .success(DirectoryUser(
            externalID: externalID, dn: entry.dn, dnKey: parsed.canonicalKey, distinguishedName: parsed,
            username: text(attributes.username), displayName: text(attributes.displayName), email: text(attributes.email),
            modifyTimestamp: entry.string("modifyTimestamp"), disabledInDirectory: Self.isDisabled(entry)))
    }

    var isEntryUUID: Bool { attributes.externalID.lowercased() == "entryuuid" }

    /// The external id as text: the value as sent when it is text, else (a binary
    /// `objectGUID`) its 16 bytes in UUID form.
    func externalID(_ entry: LDAPEntry) -> String? {
        guard let raw = entry.values(attributes.externalID).first, !raw.isEmpty else { return nil }
        if raw.count == 16, String(validating: raw, as: UTF8.self) == nil {
            return try? ContentSyncValues.formatUUID(raw)
        }
        guard let text = String(validating: raw, as: UTF8.self) else { return nil }
        return isEntryUUID ? text.lowercased() : text
    }

    static func isDisabled(_ entry: LDAPEntry) -> Bool {
        if entry.strings("pwdAccountLockedTime").contains("000001010000Z") { return true }
        if let control = entry.string("userAccountControl"), let flags = Int(control), flags & 2 != 0 { return true }
        return false
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var scalars = Substring(self)
        while scalars.first?.isWhitespace == true { scalars.removeFirst() }
        while scalars.last?.isWhitespace == true { scalars.removeLast() }
        return String(scalars)
    }
}

extension LDAPEntry {
    /// The entry's external id as the synchronisation keys accounts by it: the value of
    /// `attribute` as text (lowercase for `entryUUID`), or a binary `objectGUID` in UUID form.
    /// Ask for `attribute` in the search.
    public func externalID(attribute: String) -> String? {
        DirectoryUserMapper(attributes: .init(externalID: attribute)).externalID(self)
    }
}
