/// A query a store runs with bound parameters: data, never SQL text, so a filter cannot
/// reach the SQL (RFC 7644 §7.6 warns against filter-driven injection).
///
/// Text parameters are NFC; for fields that are not ``SCIMStoreField/isCaseExact`` they are
/// lowercased, and the store compares them with the field lowercased the same way. A store
/// that uses `LIKE` for ``startsWith(_:_:)``, ``endsWith(_:_:)`` and ``contains(_:_:)`` must
/// escape `%`, `_` and its escape character in the parameter.
///
/// ```swift
/// // userName sw "nguyen" and active eq true
/// .and([.startsWith(.username, "nguyen"), .equals(.active, .bool(true))])
/// ```
public indirect enum SCIMStoreQuery: Hashable, Sendable {
    /// The field equals the value.
    case equals(SCIMStoreField, SCIMStoreValue)
    /// The text field starts with the parameter.
    case startsWith(SCIMStoreField, String)
    /// The text field ends with the parameter.
    case endsWith(SCIMStoreField, String)
    /// The text field contains the parameter.
    case contains(SCIMStoreField, String)
    /// The field has a value: not null and, for text, not empty.
    case present(SCIMStoreField)
    /// Every query holds; `and([])` holds for every account.
    case and([SCIMStoreQuery])
    /// Some query holds; `or([])` holds for none.
    case or([SCIMStoreQuery])
    /// The query does not hold, including where the field has no value (SQL:
    /// `NOT COALESCE(…, FALSE)`).
    case not(SCIMStoreQuery)

    /// Every account.
    public static let everything = SCIMStoreQuery.and([])
}

/// A parameter of a ``SCIMStoreQuery``.
public enum SCIMStoreValue: Hashable, Sendable {
    /// Text, folded as the field requires.
    case text(String)
    /// A boolean, for ``SCIMStoreField/active``.
    case bool(Bool)
}
