/// Evaluates ``SCIMFilter``s against resources held as ``SCIMValue`` (RFC 7644 §3.4.2.2).
///
/// - Attribute names match case-insensitively (RFC 7643 §2.1). A path prefixed with a core
///   schema URN names a top-level attribute; one prefixed with an extension URN looks inside
///   the resource's member of that name.
/// - Strings compare case-insensitively (after NFC) unless the attribute is in
///   ``caseExactAttributes`` (RFC 7643 §2.3.1); `id` and `externalId` are by default
///   (RFC 7643 §3.1).
/// - A multi-valued attribute matches when any of its values does. `ne` matches an absent
///   attribute. A multi-valued complex attribute named without a sub-attribute stands for
///   its `value` sub-attribute (`emails co "@example.com"`); any other complex attribute
///   needs a sub-attribute, or the filter is `invalidFilter`.
/// - `pr` matches a value that is not null, not empty and, for a complex value, has a
///   sub-attribute with a value. `eq null` is the opposite of `pr`, `ne null` the same.
/// - `gt`, `ge`, `lt`, `le` order strings lexicographically, `xsd:dateTime` strings
///   chronologically and numbers numerically; a boolean attribute supports only `eq` and `ne`.
///
/// ```swift
/// let evaluator = SCIMFilterEvaluator()
/// let filter = try SCIMFilter.parse(#"emails[type eq "work" and value ew "@hanoi.gov.vn"]"#)
/// let matching = try evaluator.select(users, matching: filter)
/// ```
public struct SCIMFilterEvaluator: Sendable {
    /// Attributes whose strings compare case-sensitively, relative to ``coreSchemas``.
    public let caseExactAttributes: Set<SCIMAttributePath>
    /// Schema URNs whose attributes sit at the top of a resource.
    public let coreSchemas: [String]

    /// `id` and `externalId` (RFC 7643 §3.1).
    public static let defaultCaseExactAttributes: Set<SCIMAttributePath> = [
        SCIMAttributePath(name: "id"), SCIMAttributePath(name: "externalId"),
    ]

    /// Creates an evaluator.
    public init(caseExactAttributes: Set<SCIMAttributePath> = SCIMFilterEvaluator.defaultCaseExactAttributes,
                coreSchemas: [String] = [SCIMSchema.coreUser, SCIMSchema.coreGroup]) {
        self.coreSchemas = coreSchemas
        self.caseExactAttributes = Set(caseExactAttributes.map { $0.relative(toCore: coreSchemas) })
    }

    /// True when `resource` matches `filter`.
    public func matches(_ filter: SCIMFilter, _ resource: SCIMValue) throws(SCIMError) -> Bool {
        try evaluate(filter, in: Scope(resource: resource, parent: nil))
    }

    /// The resources that match `filter`, in their order; all of them when `filter` is `nil`.
    public func select(_ resources: [SCIMValue], matching filter: SCIMFilter?) throws(SCIMError) -> [SCIMValue] {
        guard let filter else { return resources }
        var selected: [SCIMValue] = []
        for resource in resources where try matches(filter, resource) { selected.append(resource) }
        return selected
    }

    /// True when strings of `path` compare case-sensitively.
    public func isCaseExact(_ path: SCIMAttributePath) -> Bool {
        caseExactAttributes.contains(path.relative(toCore: coreSchemas))
    }

    /// True when `element`, one value of the multi-valued `attribute`, matches `filter`
    /// (the inside of a value path, RFC 7644 §3.4.2.2 "[ ]").
    func matches(_ filter: SCIMFilter, element: SCIMValue, of attribute: SCIMAttributePath) throws(SCIMError) -> Bool {
        let resource = element.isObject ? element : SCIMValue.object(["value": element])
        return try evaluate(filter, in: Scope(resource: resource, parent: attribute.parent))
    }

    /// What paths are resolved against: the resource, or one value of a multi-valued
    /// attribute inside `[ ]`.
    struct Scope {
        let resource: SCIMValue
        let parent: SCIMAttributePath?
    }

    private func evaluate(_ filter: SCIMFilter, in scope: Scope) throws(SCIMError) -> Bool {
        switch filter {
        case .and(let l, let r):
            guard try evaluate(l, in: scope) else { return false }
            return try evaluate(r, in: scope)
        case .or(let l, let r):
            if try evaluate(l, in: scope) { return true }
            return try evaluate(r, in: scope)
        case .not(let inner):
            return try !evaluate(inner, in: scope)
        case .present(let path):
            return values(of: path, in: scope).values.contains { $0.hasValue }
        case .valuePath(let path, let inner):
            let attribute = scope.parent.map { $0.appending(path.name) } ?? path
            for element in values(of: path, in: scope).values where try matches(inner, element: element, of: attribute) {
                return true
            }
            return false
        case .comparison(let path, let op, let target):
            return try compare(path, op, target, in: scope)
        }
    }

    private func compare(_ path: SCIMAttributePath, _ op: SCIMComparisonOperator, _ target: SCIMValue,
                         in scope: Scope) throws(SCIMError) -> Bool {
        let (found, multiValued) = values(of: path, in: scope)
        if target == .null {
            let present = found.contains { $0.hasValue }
            return op == .eq ? !present : op == .ne ? present : false
        }
        guard !found.isEmpty else { return op == .ne }
        let fullPath = scope.parent.map { $0.appending(path.name) } ?? path
        for value in found {
            var candidate = value
            var candidatePath = fullPath
            if value.isObject {
                guard multiValued, scope.parent == nil, path.subAttribute == nil, let inner = value.member("value") else {
                    throw Self.complexAttributeError(fullPath, example: value)
                }
                candidate = inner
                candidatePath = fullPath.appending("value")
            }
            if try ValueComparison.matches(candidate, op, target, caseExact: isCaseExact(candidatePath), path: candidatePath) {
                return true
            }
        }
        return false
    }

    private static func complexAttributeError(_ path: SCIMAttributePath, example: SCIMValue) -> SCIMError {
        var sub = "value"
        if case .object(let members) = example, let first = members.keys.sorted().first { sub = first }
        return .invalidFilter("\"\(path)\" is a complex attribute; compare one of its sub-attributes, as in \"\(path.parent.appending(sub))\"")
    }

    /// The non-null values `path` names in `scope`, and whether they come from a
    /// multi-valued attribute (a JSON array).
    func values(of path: SCIMAttributePath, in scope: Scope) -> (values: [SCIMValue], multiValued: Bool) {
        var base = scope.resource
        if scope.parent == nil, let schema = path.schema, !isCore(schema) {
            guard let container = scope.resource.member(schema) else { return ([], false) }
            base = container
        }
        guard let attribute = base.member(path.name) else { return ([], false) }
        guard let sub = path.subAttribute else {
            if case .array(let items) = attribute { return (items.filter { $0 != .null }, true) }
            return (attribute == .null ? [] : [attribute], false)
        }
        switch attribute {
        case .array(let items):
            var found: [SCIMValue] = []
            for item in items {
                switch item.member(sub) {
                case .array(let inner)?: found += inner.filter { $0 != .null }
                case let value? where value != .null: found.append(value)
                default: break
                }
            }
            return (found, true)
        case .object:
            switch attribute.member(sub) {
            case .array(let inner)?: return (inner.filter { $0 != .null }, true)
            case let value? where value != .null: return ([value], false)
            default: return ([], false)
            }
        default:
            return ([], false)
        }
    }

    func isCore(_ schema: String) -> Bool { coreSchemas.contains { SCIMSchema.same($0, schema) } }
}
