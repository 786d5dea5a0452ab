/// The `path` of a PATCH operation (RFC 7644 §3.5.2, Figure 7):
///
///     PATH = attrPath / valuePath [subAttr]
///
/// ```swift
/// try SCIMPatchPath.parse("name.familyName")                     // attribute name.familyName
/// try SCIMPatchPath.parse(#"emails[type eq "work"].value"#)      // emails, filter, sub-attribute value
/// try SCIMPatchPath.parse(#"members[value eq "2819c223"]"#)      // members, filter
/// ```
public struct SCIMPatchPath: Hashable, Sendable, CustomStringConvertible {
    /// The attribute. It has a sub-attribute only when there is no ``filter``.
    public var attribute: SCIMAttributePath
    /// The value selection filter between `[` and `]`, whose paths name sub-attributes of
    /// ``attribute``.
    public var filter: SCIMFilter?
    /// The sub-attribute after `]`, as in `emails[type eq "work"].value`.
    public var subAttribute: String?

    /// Creates a path from its parts.
    public init(attribute: SCIMAttributePath, filter: SCIMFilter? = nil, subAttribute: String? = nil) {
        self.attribute = attribute
        self.filter = filter
        self.subAttribute = subAttribute
    }

    /// Parses a path. Failures are 400 `invalidPath` (RFC 7644 §3.5.2) and name the offset.
    public static func parse(_ text: String, limits: SCIMFilterLimits = .default) throws(SCIMError) -> SCIMPatchPath {
        do {
            var parser = try FilterParser(text, limits: limits, subject: "path")
            return try parser.parseWholePath()
        } catch {
            throw .invalidPath(error.detail, offset: error.offset)
        }
    }

    /// The path in Figure 7 syntax.
    public var description: String {
        guard let filter else { return attribute.description }
        return "\(attribute)[\(filter)]" + (subAttribute.map { "." + $0 } ?? "")
    }
}
