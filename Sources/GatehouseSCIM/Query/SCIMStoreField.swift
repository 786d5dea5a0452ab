/// An account field a store can filter on, and how its values compare.
public enum SCIMStoreField: String, Hashable, Sendable, CaseIterable {
    /// The account id, as its lowercase UUID text. Case-exact (RFC 7643 §3.1).
    case id
    /// The username, stored folded.
    case username
    /// The display name (`displayName`).
    case displayName
    /// The one email address (`emails.value`).
    case email
    /// The id the provisioning client gave the account (`externalId`). Case-exact
    /// (RFC 7643 §3.1).
    case externalID
    /// Whether the account may log in: status `active` is true, `disabled` and `locked` false.
    case active
    /// The path of the account's home unit, such as `/ha-noi/phuong-ba-dinh`.
    case unitPath

    /// True when text compares as is; otherwise parameters come lowercased and the store
    /// compares them with the lowercased field.
    public var isCaseExact: Bool { self == .id || self == .externalID }

    /// True for the one boolean field, ``active``.
    public var isBoolean: Bool { self == .active }
}
