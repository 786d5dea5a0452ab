import Foundation
import GatehouseAdmin
import GatehouseCore
import GatehouseSCIM

/// A Gatehouse account as a SCIM User (RFC 7643 §4.1), with the Enterprise User extension
/// (§4.3) and Gatehouse's own:
///
/// ```json
/// {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
///              "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
///              "urn:ietf:params:scim:schemas:extension:gatehouse:2.0:User"],
///  "id": "4f6c…", "userName": "lan.nguyen", "displayName": "Nguyễn Thị Lan",
///  "name": {"formatted": "Nguyễn Thị Lan"}, "active": true,
///  "emails": [{"value": "lan@hanoi.gov.vn", "type": "work", "primary": true}],
///  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "/ha-noi/phuong-ba-dinh"},
///  "urn:ietf:params:scim:schemas:extension:gatehouse:2.0:User": {"unit": "/ha-noi/phuong-ba-dinh", "status": "active",
///      "source": "local", "grants": ["clerk@/ha-noi/phuong-ba-dinh"]},
///  "meta": {"resourceType": "User", "created": "…", "lastModified": "…", "location": "…/scim/v2/Users/4f6c…", "version": "W/\"3\""}}
/// ```
///
/// The home unit's path is both the Enterprise `department` and the Gatehouse `unit`; either
/// may be written, and both filter through the store. `externalId` is a directory account's
/// id in its directory, else the id the provisioning client gave a local account
/// (``Account/provisioningID``), absent when neither exists. `emails` holds the one address an
/// account has, as the primary, and is absent without one: what ``SCIMQueryMapping`` expects.
enum SCIMUserResource {
    /// The schemas of every rendered User.
    static let schemas = [SCIMSchema.coreUser, SCIMSchema.enterpriseUser, SCIMSchema.gatehouseUser]

    /// The Enterprise extension's `department`, which carries the unit path.
    static let department = SCIMAttributePath(schema: SCIMSchema.enterpriseUser, name: "department")
    /// The Gatehouse extension's `unit`.
    static let unit = SCIMAttributePath(schema: SCIMSchema.gatehouseUser, name: "unit")

    /// The filter mapping that agrees with ``render(_:base:)``: the Gatehouse defaults plus
    /// the Enterprise `department`.
    static let mapping: SCIMQueryMapping = {
        var mapping = SCIMQueryMapping.gatehouseUsers(unitAttribute: unit)
        mapping.fields[department] = .unitPath
        return mapping
    }()

    /// Attributes a client may not write: the server's own, and what Gatehouse derives.
    static let readOnly: Set<SCIMAttributePath> = [
        SCIMAttributePath(name: "id"), SCIMAttributePath(name: "meta"), SCIMAttributePath(name: "groups"),
        SCIMAttributePath(schema: SCIMSchema.gatehouseUser, name: "status"),
        SCIMAttributePath(schema: SCIMSchema.gatehouseUser, name: "source"),
        SCIMAttributePath(schema: SCIMSchema.gatehouseUser, name: "grants"),
        SCIMAttributePath(schema: SCIMSchema.gatehouseUser, name: "mustChangePassword"),
        SCIMAttributePath(schema: SCIMSchema.gatehouseUser, name: "secondFactorEnrolled"),
    ]

    /// The resource for `managed`; `base` is the absolute URL of `/scim/v2`.
    static func render(_ managed: ManagedAccount, base: String) -> SCIMValue {
        let a = managed.account
        let id = a.id.uuidString.lowercased()
        var user: [String: SCIMValue] = [
            "schemas": .array(schemas.map(SCIMValue.string)),
            "id": .string(id),
            "userName": .string(a.username.value),
            "displayName": .string(a.displayName),
            "name": ["formatted": .string(a.displayName)],
            "active": .bool(a.status == .active),
            SCIMSchema.enterpriseUser: ["department": .string(managed.unit.description)],
            SCIMSchema.gatehouseUser: [
                "unit": .string(managed.unit.description),
                "status": .string(a.status.rawValue),
                "source": .string(a.source.directoryName.map { "ldap:\($0)" } ?? "local"),
                "mustChangePassword": .bool(a.mustChangePassword),
                "secondFactorEnrolled": .bool(a.hasSecondFactor),
            ],
            "meta": [
                "resourceType": "User",
                "created": .string(timestamp(a.createdAt)),
                "lastModified": .string(timestamp(a.updatedAt)),
                "location": .string("\(base)/Users/\(id)"),
                "version": .string(etag(a.version)),
            ],
        ]
        if let email = a.email, !email.isEmpty {
            user["emails"] = [["value": .string(email), "type": "work", "primary": true]]
        }
        if let external = externalID(of: a) { user["externalId"] = .string(external) }
        if !managed.grants.isEmpty, case .object(var gatehouse)? = user[SCIMSchema.gatehouseUser] {
            // An empty multi-valued attribute is left out (RFC 7643 §2.4).
            gatehouse["grants"] = .array(managed.grants.map { .string("\($0.role)@\($0.unit)") })
            user[SCIMSchema.gatehouseUser] = .object(gatehouse)
        }
        return .object(user)
    }

    /// The account's `externalId`: its directory's id, else the provisioning client's.
    static func externalID(of account: Account) -> String? { account.source.externalID ?? account.provisioningID }

    /// The weak entity tag of an account version (RFC 7644 §3.14, RFC 9110 §8.8.3).
    static func etag(_ version: Int) -> String { "W/\"\(version)\"" }

    /// An RFC 3339 `dateTime` (RFC 7643 §2.3.5).
    static func timestamp(_ date: Date) -> String { date.formatted(.iso8601) }
}

/// The attributes Gatehouse keeps, as a client sent them in a User (POST, PUT, or a PATCHed
/// copy). Members are found case-insensitively (RFC 7643 §2.1); everything else is ignored,
/// as RFC 7644 §3.3 lets a service provider do with attributes it does not support.
struct SCIMUserInput {
    var userName: String?
    /// `displayName`, else `name.formatted`, else `name.givenName name.familyName`.
    var displayName: String?
    /// `name.formatted` alone.
    var formatted: String?
    /// The address of `emails`; `nil` when there is none. An account has one address, so
    /// two different ones are refused.
    var email: String?
    var active: Bool?
    /// Every unit path given (Gatehouse `unit`, Enterprise `department`), parsed, without repeats.
    var units: [UnitPath]
    var password: String?
    /// `externalId`; `nil` when absent, null or blank.
    var externalID: String?
    /// Whether the User has an `externalId` member, null included.
    var hasExternalID: Bool

    init(_ value: SCIMValue) throws(SCIMError) {
        guard value.isObject else { throw .invalidSyntax("a User must be a JSON object") }
        userName = try Self.text(value.member("userName"), "userName")
        let name = value.member("name")
        formatted = try Self.text(name?.member("formatted"), "name.formatted")
        let given = [try Self.text(name?.member("givenName"), "name.givenName"), try Self.text(name?.member("familyName"), "name.familyName")]
            .compactMap { $0 }.joined(separator: " ")
        displayName = try Self.text(value.member("displayName"), "displayName") ?? formatted ?? (given.isEmpty ? nil : given)
        email = try Self.email(value.member("emails"))
        active = try Self.boolean(value.member("active"), "active")
        password = try Self.text(value.member("password"), "password")
        externalID = try Self.text(value.member("externalId"), "externalId")
        hasExternalID = value.member("externalId") != nil
        var units: [UnitPath] = []
        for (schema, member) in [(SCIMSchema.gatehouseUser, "unit"), (SCIMSchema.enterpriseUser, "department")] {
            guard let raw = try Self.text(value.member(schema)?.member(member), "\(schema):\(member)") else { continue }
            let path: UnitPath
            do { path = try UnitPath(raw) } catch {
                throw .invalidValue("\(schema):\(member) must be a unit path such as /ha-noi/phuong-ba-dinh: \(error.description)")
            }
            if !units.contains(path) { units.append(path) }
        }
        self.units = units
    }

    /// The one unit given, if any; two different ones are a contradiction.
    func unit() throws(SCIMError) -> UnitPath? {
        guard units.count <= 1 else {
            throw .invalidValue("the Gatehouse unit and the Enterprise department name different units: \(units.map(\.description).joined(separator: ", "))")
        }
        return units.first
    }

    private static func text(_ value: SCIMValue?, _ name: String) throws(SCIMError) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let s)?: return s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : s
        default: throw .invalidValue("\(name) must be a string")
        }
    }

    /// Booleans, and the strings "true"/"false" that some provisioning clients send.
    private static func boolean(_ value: SCIMValue?, _ name: String) throws(SCIMError) -> Bool? {
        switch value {
        case nil, .null?: return nil
        case .bool(let b)?: return b
        case .string(let s)? where ["true", "false"].contains(s.lowercased()): return s.lowercased() == "true"
        default: throw .invalidValue("\(name) must be a boolean")
        }
    }

    private static func email(_ value: SCIMValue?) throws(SCIMError) -> String? {
        guard let value, value != .null else { return nil }
        let entries = value.items.filter { $0 != .null }
        var addresses: [(String, Bool)] = []
        for entry in entries {
            guard let address = try text(entry.member("value"), "emails.value") else { continue }
            let primary = if case .bool(true)? = entry.member("primary") { true } else { false }
            addresses.append((address, primary))
        }
        let distinct = Set(addresses.map { $0.0.lowercased() })
        guard distinct.count <= 1 else {
            throw .invalidValue("emails: a Gatehouse account has one address, not \(distinct.count)")
        }
        return (addresses.first { $0.1 } ?? addresses.first)?.0
    }
}
