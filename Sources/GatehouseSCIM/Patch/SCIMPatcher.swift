/// Applies PATCH operations to a resource held as a ``SCIMValue`` (RFC 7644 §3.5.2) and
/// returns the new resource; the input is never changed. A request applies all its
/// operations or, when one fails, none (RFC 7644 §3.5.2: "each operation … is applied
/// in sequence … if any fails, the whole request fails").
///
/// ```swift
/// let request = try SCIMPatchRequest(json: body)
/// let updated = try SCIMPatcher().apply(request, to: group)
/// ```
///
/// Without a schema, the shape of the data decides: a JSON array is multi-valued, an object
/// is complex. Attributes in ``readOnlyAttributes`` (by default `id` and `meta`) are refused
/// with `mutability` (RFC 7643 §2.2). When an operation creates an extension's object, the
/// extension URN is added to `schemas`.
public struct SCIMPatcher: Sendable {
    /// Matches value filters, with its case-exact attributes and core schemas.
    public let evaluator: SCIMFilterEvaluator
    /// Attributes no operation may touch, relative to the core schemas.
    public let readOnlyAttributes: Set<SCIMAttributePath>
    /// Extension URNs that, as members of a path-less value, hold extension attributes.
    /// The resource's own `schemas` count too.
    public let extensionSchemas: [String]
    /// Attributes known to be multi-valued even before they have a value, so that a single
    /// value added to them becomes a one-entry array.
    public let multiValuedAttributes: Set<SCIMAttributePath>

    /// The multi-valued attributes of the core User and Group schemas (RFC 7643 §4.1.2,
    /// §4.2) and `schemas`.
    public static let coreMultiValuedAttributes: Set<SCIMAttributePath> = Set(
        ["emails", "phoneNumbers", "ims", "photos", "addresses", "groups", "entitlements", "roles", "x509Certificates",
         "members", "schemas"].map { SCIMAttributePath(name: $0) })

    /// Creates a patcher.
    public init(evaluator: SCIMFilterEvaluator = SCIMFilterEvaluator(),
                readOnlyAttributes: Set<SCIMAttributePath> = [SCIMAttributePath(name: "id"), SCIMAttributePath(name: "meta")],
                extensionSchemas: [String] = [SCIMSchema.enterpriseUser, SCIMSchema.gatehouseUser],
                multiValuedAttributes: Set<SCIMAttributePath> = SCIMPatcher.coreMultiValuedAttributes) {
        self.evaluator = evaluator
        self.multiValuedAttributes = Set(multiValuedAttributes.map { $0.relative(toCore: evaluator.coreSchemas) })
        self.readOnlyAttributes = Set(readOnlyAttributes.map { $0.relative(toCore: evaluator.coreSchemas) })
        self.extensionSchemas = extensionSchemas
    }

    /// Applies every operation of `request` in order. An error names the operation:
    /// `Operations[1]: no value of "members" matches [value eq "…"]`.
    public func apply(_ request: SCIMPatchRequest, to resource: SCIMValue) throws(SCIMError) -> SCIMValue {
        var result = resource
        for (index, operation) in request.operations.enumerated() {
            do { result = try apply(operation, to: result) } catch {
                var error = error
                error.detail = "Operations[\(index)]: \(error.detail)"
                throw error
            }
        }
        return result
    }

    /// Applies one operation.
    public func apply(_ operation: SCIMPatchOperation, to resource: SCIMValue) throws(SCIMError) -> SCIMValue {
        guard case .object(var root) = resource else { throw .invalidValue("the resource to patch is not a JSON object") }
        guard let path = operation.path else {
            guard operation.op != .remove else { throw .noTarget("remove needs a path (RFC 7644 §3.5.2.2)") }
            guard case .object(let members)? = operation.value else {
                throw .invalidValue("\(operation.op.rawValue) without a path needs a JSON object of attributes as its value")
            }
            try applyWithoutPath(operation.op, members, to: &root)
            return .object(root)
        }
        if operation.op != .remove, operation.value == nil || operation.value == .null {
            throw .invalidValue("\(operation.op.rawValue) needs a value")
        }
        if let urn = extensionNamed(by: path, in: root) {
            try applyExtension(operation.op, urn, operation.value, to: &root)
            return .object(root)
        }
        if let filter = path.filter {
            try applyFiltered(operation.op, path.attribute, filter, path.subAttribute, operation.value, to: &root)
        } else {
            try applyAttribute(operation.op, path.attribute, operation.value, to: &root)
        }
        return .object(root)
    }

    /// A path-less `add` or `replace`: each member of the value is an attribute, an
    /// extension URN holding attributes, or a URN-prefixed attribute (RFC 7644 §3.5.2.1).
    func applyWithoutPath(_ op: SCIMPatchOperation.Kind, _ members: [String: SCIMValue],
                          to root: inout [String: SCIMValue]) throws(SCIMError) {
        for key in members.keys.sorted() {
            let value = members[key]!
            if evaluator.isCore(key) || isExtension(key, in: root) {
                guard case .object(let inner) = value else { throw .invalidValue("\"\(key)\" must hold an object of attributes") }
                for name in inner.keys.sorted() {
                    guard let path = SCIMAttributePath(name), path.schema == nil else {
                        throw .invalidPath("\"\(FilterToken.clipped(name))\" is not an attribute name")
                    }
                    let qualified = SCIMAttributePath(schema: key, name: path.name, subAttribute: path.subAttribute)
                    try applyAttribute(op, qualified, inner[name]!, to: &root)
                }
            } else {
                guard let path = SCIMAttributePath(key) else {
                    throw .invalidPath("\"\(FilterToken.clipped(key))\" is not an attribute name")
                }
                try applyAttribute(op, path, value, to: &root)
            }
        }
    }
}
