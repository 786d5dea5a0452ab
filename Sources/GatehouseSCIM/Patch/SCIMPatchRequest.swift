public import Foundation

/// A decoded PATCH request body (RFC 7644 §3.5.2):
///
/// ```json
/// {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
///  "Operations": [{"op": "add", "path": "members", "value": [{"value": "2819c223-…"}]}]}
/// ```
///
/// Member names and `op` values are matched case-insensitively (RFC 7643 §2.1), as clients
/// send `"Operations"` and `"Replace"` alike. Every check runs before any operation is
/// applied, and failures carry the `scimType` of RFC 7644 §3.12: `invalidSyntax` for the
/// message shape, `invalidPath` for a malformed path, `noTarget` for `remove` without a
/// path, `invalidValue` for a missing or unsuitable value.
public struct SCIMPatchRequest: Hashable, Sendable {
    /// The operations, in order.
    public var operations: [SCIMPatchOperation]

    /// Most operations accepted in one request.
    public static let maxOperations = 1000

    /// A request from operations already checked.
    public init(operations: [SCIMPatchOperation]) { self.operations = operations }

    /// Decodes and checks a request body.
    public init(json: Data, limits: SCIMFilterLimits = .default) throws(SCIMError) {
        try self.init(try SCIMValue(json: json), limits: limits)
    }

    /// Checks a parsed request body.
    public init(_ body: SCIMValue, limits: SCIMFilterLimits = .default) throws(SCIMError) {
        guard case .object = body else { throw .invalidSyntax("the request body must be a JSON object") }
        guard case .array(let schemas)? = body.member("schemas"),
            schemas.contains(where: { if case .string(let s) = $0 { SCIMSchema.same(s, SCIMSchema.patchOp) } else { false } })
        else { throw .invalidSyntax("\"schemas\" must be [\"\(SCIMSchema.patchOp)\"]") }
        guard case .array(let list)? = body.member("Operations") else {
            throw .invalidSyntax("\"Operations\" must be an array of operations")
        }
        guard !list.isEmpty else { throw .invalidSyntax("\"Operations\" is empty") }
        guard list.count <= Self.maxOperations else {
            throw .invalidSyntax("\"Operations\" holds \(list.count) operations; at most \(Self.maxOperations) are accepted")
        }
        var operations: [SCIMPatchOperation] = []
        for (index, entry) in list.enumerated() {
            operations.append(try Self.operation(entry, at: index, limits: limits))
        }
        self.operations = operations
    }

    private static func operation(_ entry: SCIMValue, at index: Int, limits: SCIMFilterLimits) throws(SCIMError) -> SCIMPatchOperation {
        let name = "Operations[\(index)]"
        guard case .object = entry else { throw .invalidSyntax("\(name) must be a JSON object") }
        guard case .string(let opText)? = entry.member("op") else {
            throw .invalidSyntax("\(name).op must be \"add\", \"remove\" or \"replace\"")
        }
        guard let op = SCIMPatchOperation.Kind(rawValue: opText.lowercased()) else {
            throw .invalidSyntax("\(name).op must be \"add\", \"remove\" or \"replace\", not \"\(FilterToken.clipped(opText))\"")
        }
        var path: SCIMPatchPath?
        switch entry.member("path") {
        case nil, .null?: path = nil
        case .string(let text)?:
            do { path = try SCIMPatchPath.parse(text, limits: limits) } catch {
                throw .invalidPath("\(name).path: \(error.detail)", offset: error.offset)
            }
        default: throw .invalidPath("\(name).path must be a string")
        }
        let value = entry.member("value")
        switch op {
        case .remove:
            guard path != nil else { throw .noTarget("\(name): remove needs a path (RFC 7644 §3.5.2.2)") }
        case .add, .replace:
            guard let value, value != .null else { throw .invalidValue("\(name): \(op.rawValue) needs a value") }
            if path == nil, !value.isObject {
                throw .invalidValue("\(name): \(op.rawValue) without a path needs a JSON object of attributes as its value")
            }
        }
        return SCIMPatchOperation(op: op, path: path, value: op == .remove && value == .null ? nil : value)
    }
}
