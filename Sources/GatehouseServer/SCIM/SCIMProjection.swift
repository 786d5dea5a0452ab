import Foundation
import GatehouseSCIM

/// The `attributes` and `excludedAttributes` parameters (RFC 7644 §3.4.2.5, §3.9): which
/// attributes of a resource are returned. `id` and `schemas` are always returned; `attributes`
/// wins when both are given. Paths may name a sub-attribute (`name.formatted`,
/// `emails.value`), an extension attribute (`urn:…:enterprise:2.0:User:department`) or a
/// whole extension (`urn:…:enterprise:2.0:User`).
///
/// ```swift
/// let projection = try SCIMProjection(attributes: "userName,emails.value", excluded: nil)
/// projection.apply(user)   // {"schemas": […], "id": …, "userName": …, "emails": [{"value": …}]}
/// ```
struct SCIMProjection: Sendable {
    var attributes: [SCIMAttributePath]
    var excluded: [SCIMAttributePath]

    static let all = SCIMProjection(attributes: [], excluded: [])
    static let alwaysReturned: Set<String> = ["id", "schemas"]
    static let coreSchemas = [SCIMSchema.coreUser.lowercased(), SCIMSchema.coreGroup.lowercased()]

    init(attributes: [SCIMAttributePath], excluded: [SCIMAttributePath]) {
        self.attributes = attributes
        self.excluded = excluded
    }

    init(attributes: String?, excluded: String?) throws(SCIMError) {
        self.attributes = try Self.paths(attributes, "attributes")
        self.excluded = try Self.paths(excluded, "excludedAttributes")
    }

    private static func paths(_ text: String?, _ parameter: String) throws(SCIMError) -> [SCIMAttributePath] {
        guard let text else { return [] }
        var paths: [SCIMAttributePath] = []
        for part in text.split(separator: ",") {
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            guard let path = SCIMAttributePath(trimmed) else { throw .invalidValue("\(parameter): \"\(trimmed)\" is not an attribute path") }
            paths.append(path)
        }
        return paths
    }

    func apply(_ resource: SCIMValue) -> SCIMValue {
        guard case .object(let members) = resource, !(attributes.isEmpty && excluded.isEmpty) else { return resource }
        if !attributes.isEmpty {
            var out = members.filter { Self.alwaysReturned.contains($0.key.lowercased()) }
            for path in attributes { Self.include(path, from: members, into: &out) }
            return .object(out)
        }
        var out = members
        for path in excluded { Self.exclude(path, from: &out) }
        return .object(out)
    }

    private static func key(_ name: String, in members: [String: SCIMValue]) -> String? {
        let folded = name.lowercased()
        return members.keys.first { $0.lowercased() == folded }
    }

    /// The extension URN a path's schema stands for, or `nil` for the core schemas.
    private static func extensionSchema(_ path: SCIMAttributePath) -> String? {
        guard let schema = path.schema, !coreSchemas.contains(schema.lowercased()) else { return nil }
        return schema
    }

    private static func include(_ path: SCIMAttributePath, from source: [String: SCIMValue], into out: inout [String: SCIMValue]) {
        guard let schema = extensionSchema(path) else {
            includeAttribute(path.name, path.subAttribute, from: source, into: &out)
            return
        }
        if let whole = key(schema + ":" + path.name, in: source) {
            out[whole] = source[whole]
            return
        }
        guard let k = key(schema, in: source), case .object(let ext)? = source[k] else { return }
        var target: [String: SCIMValue] = if case .object(let o)? = out[k] { o } else { [:] }
        includeAttribute(path.name, path.subAttribute, from: ext, into: &target)
        if !target.isEmpty { out[k] = .object(target) }
    }

    private static func includeAttribute(_ name: String, _ sub: String?, from source: [String: SCIMValue], into out: inout [String: SCIMValue]) {
        guard let k = key(name, in: source), let value = source[k] else { return }
        guard let sub else {
            out[k] = value
            return
        }
        switch value {
        case .object(let o):
            guard let s = key(sub, in: o) else { return }
            var target: [String: SCIMValue] = if case .object(let t)? = out[k] { t } else { [:] }
            target[s] = o[s]
            out[k] = .object(target)
        case .array(let items):
            let existing: [SCIMValue] = if case .array(let e)? = out[k], e.count == items.count { e } else { items.map { _ in .object([:]) } }
            out[k] = .array(zip(items, existing).map { item, done in
                guard case .object(let o) = item, let s = key(sub, in: o), case .object(var t) = done else { return done }
                t[s] = o[s]
                return .object(t)
            })
        default:
            return
        }
    }

    private static func exclude(_ path: SCIMAttributePath, from out: inout [String: SCIMValue]) {
        if let schema = extensionSchema(path) {
            if let whole = key(schema + ":" + path.name, in: out) {
                out[whole] = nil
                return
            }
            guard let k = key(schema, in: out), case .object(var ext)? = out[k] else { return }
            excludeAttribute(path.name, path.subAttribute, from: &ext)
            out[k] = .object(ext)
            return
        }
        excludeAttribute(path.name, path.subAttribute, from: &out)
    }

    private static func excludeAttribute(_ name: String, _ sub: String?, from out: inout [String: SCIMValue]) {
        guard let k = key(name, in: out), !alwaysReturned.contains(k.lowercased()) else { return }
        guard let sub else {
            out[k] = nil
            return
        }
        switch out[k] {
        case .object(var o)?:
            if let s = key(sub, in: o) { o[s] = nil }
            out[k] = .object(o)
        case .array(let items)?:
            out[k] = .array(items.map { item in
                guard case .object(var o) = item, let s = key(sub, in: o) else { return item }
                o[s] = nil
                return .object(o)
            })
        default:
            return
        }
    }
}
