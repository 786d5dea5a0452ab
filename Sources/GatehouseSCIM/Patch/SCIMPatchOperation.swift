/// One entry of a PATCH request's `Operations` (RFC 7644 §3.5.2).
public struct SCIMPatchOperation: Hashable, Sendable {
    /// The `op` member: `add`, `remove` or `replace`, in any case on the wire.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// RFC 7644 §3.5.2.1.
        case add
        /// RFC 7644 §3.5.2.2.
        case remove
        /// RFC 7644 §3.5.2.3.
        case replace
    }

    /// What to do.
    public var op: Kind
    /// The target; `nil` means the resource itself (not allowed for `remove`).
    public var path: SCIMPatchPath?
    /// The value; required for `add` and `replace`. For `remove` of a multi-valued attribute
    /// it may list the values to take out.
    public var value: SCIMValue?

    /// Creates an operation; ``SCIMPatchRequest/init(_:limits:)`` checks the combination.
    public init(op: Kind, path: SCIMPatchPath? = nil, value: SCIMValue? = nil) {
        self.op = op
        self.path = path
        self.value = value
    }
}
