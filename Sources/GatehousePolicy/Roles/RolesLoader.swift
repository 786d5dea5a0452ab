import GatehouseCore
import Yams

enum RolesLoader {
    static let roleKeys = ["name", "description", "permissions", "levels", "mfa", "visible_to"]

    /// What `roles.yaml` declares: the roles, and the units whose every account must use a
    /// second factor whatever its roles.
    struct File {
        var roles: [Role]
        var mfaRequiredUnits: [UnitPath]
    }

    /// Reads `roles.yaml`: `roles:` followed by a list of roles, and `mfa_required_units:`.
    static func load(_ root: Node, diagnostics: Diagnostics) -> File? {
        guard let f = Fields(root, allowed: ["roles", "mfa_required_units"], context: "", diagnostics: diagnostics) else { return nil }
        let units = loadSecondFactorUnits(f)
        guard let roles = loadRoles(f, diagnostics: diagnostics) else { return nil }
        return File(roles: roles, mfaRequiredUnits: units)
    }

    private static func loadRoles(_ f: Fields, diagnostics: Diagnostics) -> [Role]? {
        guard let items = f.sequence("roles", required: true) else { return nil }
        var roles: [Role] = []
        var seen: [String: Int] = [:]
        for item in items {
            guard let role = loadRole(item, diagnostics: diagnostics) else { continue }
            if let line = seen[role.name] {
                diagnostics.error("role '\(role.name)': declared twice (first on line \(line))", at: item)
                continue
            }
            seen[role.name] = item.mark?.line ?? 0
            roles.append(role)
        }
        return roles
    }

    private static func loadRole(_ item: Node, diagnostics: Diagnostics) -> Role? {
        // Name first, so that every later message can say which role it is about.
        let name = item.mapping?["name"]?.scalar?.string
        let context = name.map { "role '\($0)'" } ?? "role"
        guard let f = Fields(item, allowed: roleKeys, context: context, diagnostics: diagnostics) else { return nil }
        guard let name = f.string("name", required: true) else { return nil }
        var ok = true
        if !isValidName(name) {
            f.error("name '\(name)' must be 1–64 lowercase letters, digits or hyphens", at: f.value("name"))
            ok = false
        }
        let description = f.string("description") ?? ""

        var permissions: Set<Permission> = []
        if let list = f.strings("permissions", required: true) {
            for (text, node) in list {
                if isValidPermission(text) {
                    permissions.insert(Permission(rawValue: text))
                } else {
                    f.error("permission '\(text)' must look like area.action (lowercase letters, digits, '_'), e.g. accounts.create", at: node)
                    ok = false
                }
            }
        } else { ok = false }

        var levels: Set<UnitLevel> = []
        let levelNames = UnitLevel.allCases.map(\.rawValue).joined(separator: ", ")
        if let list = f.strings("levels", required: true) {
            if list.isEmpty { f.error("levels must name at least one of \(levelNames)", at: f.value("levels")); ok = false }
            for (text, node) in list {
                if let level = UnitLevel(rawValue: text) { levels.insert(level) } else {
                    f.error("unknown level '\(text)' (expected \(levelNames))", at: node)
                    ok = false
                }
            }
        } else { ok = false }

        let mfa = f.choice("mfa", [("required", true), ("optional", false)]) ?? false

        var visibleTo: Set<String> = ["*"]
        if let list = f.strings("visible_to") {
            visibleTo = []
            if list.isEmpty { f.error("visible_to must list client ids or \"*\"", at: f.value("visible_to")); ok = false }
            for (text, node) in list {
                if text != "*" {
                    do { try Client.validateID(text) } catch {
                        f.error("visible_to: \(error.description)", at: node)
                        ok = false
                        continue
                    }
                }
                visibleTo.insert(text)
            }
        }
        guard ok else { return nil }
        return Role(name: name, description: description, permissions: permissions, grantableAt: levels,
                    mfaRequired: mfa, visibleTo: visibleTo)
    }

    static func isValidName(_ s: String) -> Bool {
        (1...64).contains(s.utf8.count) && s.utf8.allSatisfy { isLowerDigit($0) || $0 == UInt8(ascii: "-") }
            && s.first != "-" && s.last != "-"
    }

    /// `area.action`: two dot-separated words of lowercase letters, digits and underscores,
    /// each starting with a letter.
    static func isValidPermission(_ s: String) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        return s.utf8.count <= 128 && parts.count == 2 && parts.allSatisfy { part in
            guard let first = part.utf8.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first) else { return false }
            return part.utf8.allSatisfy { isLowerDigit($0) || $0 == UInt8(ascii: "_") }
        }
    }

    private static func isLowerDigit(_ c: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(c) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c)
    }
}
