import Foundation
import GatehouseAdmin
import GatehouseSCIM

/// `POST /scim/v2/Bulk` (RFC 7644 §3.7): POST, PUT, PATCH and DELETE of Users in one request.
///
/// - Each operation is its own transaction with its own audit event and its own `status`:
///   a failure does not undo the operations before it.
/// - `bulkId` (§3.7.2): a POST's `bulkId` names the account it created; `"bulkId:ID"` in a
///   later operation's `path` or anywhere in its `data` stands for that account's id. An
///   operation that refers to a `bulkId` created further on waits for it; one that refers to
///   a `bulkId` no operation creates (or whose POST failed) fails with 409 `invalidValue`.
/// - `failOnErrors` (§3.7.3): after that many failed operations the rest are not attempted
///   and are left out of the response.
/// - `version` on an operation is its `If-Match`.
/// - More than ``maxOperations`` operations or a body over ``maxPayloadSize`` bytes is 413
///   for the whole request (§3.7.4).
struct SCIMBulk: Sendable {
    let users: SCIMUsers

    static let maxOperations = 1000
    static let maxPayloadSize = 1 << 20
    static let requestSchema = "urn:ietf:params:scim:api:messages:2.0:BulkRequest"
    static let responseSchema = "urn:ietf:params:scim:api:messages:2.0:BulkResponse"

    struct Operation {
        var method: String
        var bulkId: String?
        var version: Int?
        var path: String
        var data: SCIMValue?
    }

    func run(_ body: SCIMValue, by actor: AdminActor) async throws -> SCIMValue {
        guard case .array(let schemas)? = body.member("schemas"), schemas.contains(.string(Self.requestSchema)) else {
            throw SCIMError.invalidSyntax("schemas must list \(Self.requestSchema)")
        }
        guard case .array(let raw)? = body.member("Operations") else { throw SCIMError.invalidSyntax("Operations must be an array") }
        guard raw.count <= Self.maxOperations else {
            throw SCIMError.tooLarge("the request has \(raw.count) operations; at most \(Self.maxOperations) are accepted (maxOperations)")
        }
        let failOnErrors: Int?
        switch body.member("failOnErrors") {
        case nil, .null?: failOnErrors = nil
        case .int(let n)? where n >= 1: failOnErrors = n
        default: throw SCIMError.invalidValue("failOnErrors must be a positive integer")
        }
        var operations: [Operation] = []
        for (index, value) in raw.enumerated() { operations.append(try Self.operation(value, index: index)) }
        let declared = Set(operations.compactMap(\.bulkId))
        guard declared.count == operations.compactMap(\.bulkId).count else {
            throw SCIMError.invalidValue("each bulkId must be unique within the request")
        }

        var created: [String: String] = [:]     // bulkId → account id
        var failedBulkIds: Set<String> = []
        var results: [Int: SCIMValue] = [:]
        var pending = Array(operations.indices)
        var errors = 0
        processing: while !pending.isEmpty {
            var progressed = false
            var waiting: [Int] = []
            for index in pending {
                let operation = operations[index]
                let references = Self.references(in: operation)
                let unknown = references.filter { !declared.contains($0) || failedBulkIds.contains($0) }
                let outstanding = references.filter { created[$0] == nil }
                if unknown.isEmpty, !outstanding.isEmpty {
                    waiting.append(index)
                    continue
                }
                progressed = true
                let result: SCIMValue
                if let missing = unknown.sorted().first {
                    result = Self.failure(operation, SCIMError(status: 409, scimType: .invalidValue,
                                                               detail: "bulkId \"\(missing)\" names no resource created in this request"))
                } else {
                    result = await perform(Self.resolve(operation, created), by: actor, created: &created)
                }
                results[index] = result
                if case .string(let status)? = result.member("status"), let code = Int(status), code >= 400 {
                    errors += 1
                    if let bulkId = operation.bulkId, operation.method == "POST" { failedBulkIds.insert(bulkId) }
                    if let failOnErrors, errors >= failOnErrors { break processing }
                }
            }
            if !progressed {
                // The rest wait on each other: a circle of references (RFC 7644 §3.7.1).
                for index in waiting {
                    results[index] = Self.failure(operations[index], SCIMError(status: 409, scimType: .invalidValue,
                                                                              detail: "the bulkId references of this operation form a circle"))
                }
                break
            }
            pending = waiting
        }
        let answered = results.keys.sorted().map { results[$0]! }
        return ["schemas": [.string(Self.responseSchema)], "Operations": .array(answered)]
    }

    /// Runs one operation; its outcome, success or failure, as a response operation.
    private func perform(_ operation: Operation, by actor: AdminActor, created: inout [String: String]) async -> SCIMValue {
        do {
            let segments = operation.path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
            guard segments.first == "Users" else {
                throw SCIMError.invalidValue("path \"\(operation.path)\": Bulk takes /Users and /Users/{id}")
            }
            switch (operation.method, segments.count) {
            case ("POST", 1):
                let account = try await users.create(try Self.data(operation), by: actor)
                let id = account.account.id.uuidString.lowercased()
                if let bulkId = operation.bulkId { created[bulkId] = id }
                return success(operation, status: 201, id: id, version: account.account.version)
            case ("PUT", 2):
                let account = try await users.replace(segments[1], with: try Self.data(operation), ifVersion: operation.version, by: actor)
                return success(operation, status: 200, id: segments[1], version: account.account.version)
            case ("PATCH", 2):
                let request = try SCIMPatchRequest(try Self.data(operation))
                let account = try await users.patch(segments[1], with: request, ifVersion: operation.version, by: actor)
                return success(operation, status: 200, id: segments[1], version: account.account.version)
            case ("DELETE", 2):
                try await users.delete(segments[1], ifVersion: operation.version, by: actor)
                return success(operation, status: 204, id: segments[1], version: nil)
            default:
                throw SCIMError.invalidValue("\(operation.method) \(operation.path) is not a Bulk operation: POST /Users, PUT, PATCH or DELETE /Users/{id}")
            }
        } catch {
            return Self.failure(operation, SCIMError.from(error))
        }
    }

    private func success(_ operation: Operation, status: Int, id: String, version: Int?) -> SCIMValue {
        var result = Self.envelope(operation, status: status)
        result["location"] = .string("\(users.base)/Users/\(id)")
        if let version { result["version"] = .string(SCIMUserResource.etag(version)) }
        return .object(result)
    }

    private static func failure(_ operation: Operation, _ error: SCIMError) -> SCIMValue {
        var result = envelope(operation, status: error.status)
        result["response"] = error.json
        return .object(result)
    }

    private static func envelope(_ operation: Operation, status: Int) -> [String: SCIMValue] {
        var result: [String: SCIMValue] = ["method": .string(operation.method), "status": .string(String(status))]
        if let bulkId = operation.bulkId { result["bulkId"] = .string(bulkId) }
        return result
    }

    private static func data(_ operation: Operation) throws(SCIMError) -> SCIMValue {
        guard let data = operation.data, data.isObject else { throw .invalidSyntax("\(operation.method) \(operation.path) needs data") }
        return data
    }

    private static func operation(_ value: SCIMValue, index: Int) throws(SCIMError) -> Operation {
        guard case .string(let method)? = value.member("method") else { throw .invalidSyntax("Operations[\(index)] lacks method") }
        guard case .string(let path)? = value.member("path") else { throw .invalidSyntax("Operations[\(index)] lacks path") }
        let upper = method.uppercased()
        var bulkId: String?
        if case .string(let id)? = value.member("bulkId") { bulkId = id }
        if upper == "POST", bulkId == nil { throw .invalidSyntax("Operations[\(index)]: a POST needs a bulkId") }
        var version: Int?
        if case .string(let tag)? = value.member("version") {
            let bare = tag.hasPrefix("W/") ? String(tag.dropFirst(2)) : tag
            guard let v = Int(bare.trimmingCharacters(in: CharacterSet(charactersIn: "\""))) else {
                throw .invalidValue("Operations[\(index)]: version \(tag) is not an entity tag of this server")
            }
            version = v
        }
        return Operation(method: upper, bulkId: bulkId, version: version, path: path, data: value.member("data"))
    }

    /// The bulkIds an operation refers to, in its path and its data.
    private static func references(in operation: Operation) -> Set<String> {
        var found: Set<String> = []
        func visit(_ value: SCIMValue) {
            switch value {
            case .string(let s) where s.hasPrefix("bulkId:"): found.insert(String(s.dropFirst(7)))
            case .array(let items): items.forEach(visit)
            case .object(let members): members.values.forEach(visit)
            default: break
            }
        }
        for segment in operation.path.split(separator: "/") where segment.hasPrefix("bulkId:") { found.insert(String(segment.dropFirst(7))) }
        if let data = operation.data { visit(data) }
        return found
    }

    /// The operation with every `bulkId:ID` replaced by the id created for it.
    private static func resolve(_ operation: Operation, _ created: [String: String]) -> Operation {
        func replace(_ value: SCIMValue) -> SCIMValue {
            switch value {
            case .string(let s) where s.hasPrefix("bulkId:"): .string(created[String(s.dropFirst(7))] ?? s)
            case .array(let items): .array(items.map(replace))
            case .object(let members): .object(members.mapValues(replace))
            default: value
            }
        }
        var resolved = operation
        resolved.path = operation.path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix("bulkId:") ? created[String(segment.dropFirst(7))] ?? String(segment) : String(segment)
        }.joined(separator: "/")
        resolved.data = operation.data.map(replace)
        return resolved
    }
}
