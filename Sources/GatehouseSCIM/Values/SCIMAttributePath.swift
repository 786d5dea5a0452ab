/// An attribute path (RFC 7644 §3.10, `attrPath` in Figure 1): an optional schema URN, an
/// attribute name and an optional sub-attribute.
///
/// ```swift
/// SCIMAttributePath("name.familyName")                      // name, sub-attribute familyName
/// SCIMAttributePath("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department")
/// ```
///
/// Attribute names and schema URIs are case-insensitive (RFC 7643 §2.1, RFC 7644 §3.10), and
/// so are equality and hashing here: `userName` and `USERNAME` are one path. The text keeps
/// the spelling it was written with.
public struct SCIMAttributePath: Hashable, Sendable, CustomStringConvertible {
    /// The schema URN before the attribute name, e.g. the Enterprise User extension's.
    public var schema: String?
    /// The attribute name (`ATTRNAME`).
    public var name: String
    /// The sub-attribute name after the dot (`subAttr`).
    public var subAttribute: String?

    /// A path from its parts; the names are not checked.
    public init(schema: String? = nil, name: String, subAttribute: String? = nil) {
        self.schema = schema
        self.name = name
        self.subAttribute = subAttribute
    }

    /// Parses `[URI ":"] ATTRNAME ["." ATTRNAME]`; `nil` when `text` is not such a path.
    /// The URN is everything before the last colon.
    public init?(_ text: String) {
        guard AttributePathSyntax.problem(in: text) == nil else { return nil }
        self.init(checked: text)
    }

    /// A path from text that ``AttributePathSyntax/problem(in:)`` accepted.
    init(checked text: String) {
        let (schema, rest) = AttributePathSyntax.splitSchema(text)
        let parts = rest.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        self.init(schema: schema, name: parts[0], subAttribute: parts.count > 1 ? parts[1] : nil)
    }

    /// `urn:…:name.sub`, as written.
    public var description: String {
        var text = schema.map { $0 + ":" } ?? ""
        text += name
        if let subAttribute { text += "." + subAttribute }
        return text
    }

    /// The same path without its sub-attribute.
    public var parent: SCIMAttributePath { SCIMAttributePath(schema: schema, name: name) }

    /// The path of `sub` under this attribute: `emails` + `value` is `emails.value`.
    public func appending(_ sub: String) -> SCIMAttributePath {
        SCIMAttributePath(schema: schema, name: name, subAttribute: sub)
    }

    /// The path with its schema dropped when that schema is one of `coreSchemas`, since core
    /// attributes sit at the top of a resource (RFC 7644 §3.10).
    public func relative(toCore coreSchemas: [String]) -> SCIMAttributePath {
        guard let schema, coreSchemas.contains(where: { SCIMSchema.same($0, schema) }) else { return self }
        return SCIMAttributePath(name: name, subAttribute: subAttribute)
    }

    /// Equal when the parts are equal ignoring case.
    public static func == (a: SCIMAttributePath, b: SCIMAttributePath) -> Bool {
        a.schema?.lowercased() == b.schema?.lowercased() && a.name.lowercased() == b.name.lowercased()
            && a.subAttribute?.lowercased() == b.subAttribute?.lowercased()
    }

    /// Hashes the folded parts, consistent with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(schema?.lowercased())
        hasher.combine(name.lowercased())
        hasher.combine(subAttribute?.lowercased())
    }
}
