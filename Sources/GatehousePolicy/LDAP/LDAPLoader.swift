import Foundation
import GatehouseCore
import Yams

enum LDAPLoader {
    static let directoryKeys = [
        "name", "url", "start_tls", "ca_file", "verify_certificate", "bind_dn", "bind_password",
        "bind_password_env", "bind_password_file", "user_base", "user_filter", "group_base", "group_filter",
        "attributes", "units", "groups", "sync_interval", "cached_password_fallback",
    ]

    /// A group mapping kept with its position, for the cross-check against roles.yaml.
    struct GroupRef { var role: String; var unit: UnitPath; var roleNode: Node; var unitNode: Node; var context: String }

    /// Reads `ldap.yaml`: `directories:` followed by a list (empty by default).
    static func load(_ root: Node, diagnostics: Diagnostics) -> (LDAPPolicy, [GroupRef])? {
        guard let f = Fields(root, allowed: ["directories"], context: "", diagnostics: diagnostics),
              let items = f.sequence("directories", required: true) else { return nil }
        var directories: [LDAPDirectory] = []
        var refs: [GroupRef] = []
        var seen: Set<String> = []
        for item in items {
            // Group references are kept even from a directory with other errors, so that the
            // cross-check against roles.yaml reports them in the same run.
            guard let directory = loadDirectory(item, groupRefs: &refs, diagnostics: diagnostics) else { continue }
            if !seen.insert(directory.name).inserted {
                diagnostics.error("directory '\(directory.name)': declared twice", at: item)
                continue
            }
            directories.append(directory)
        }
        return (LDAPPolicy(directories: directories), refs)
    }

    private static func loadDirectory(_ item: Node, groupRefs refs: inout [GroupRef], diagnostics: Diagnostics) -> LDAPDirectory? {
        let context = item.mapping?["name"]?.scalar.map { "directory '\($0.string)'" } ?? "directory"
        guard let f = Fields(item, allowed: directoryKeys, context: context, diagnostics: diagnostics) else { return nil }
        let before = diagnostics.issues.count

        let name = f.string("name", required: true) ?? ""
        if f.has("name") && !RolesLoader.isValidName(name) {
            f.error("name '\(name)' must be 1–64 lowercase letters, digits or hyphens", at: f.value("name"))
        }
        let url = f.string("url", required: true) ?? ""
        let startTLS = f.bool("start_tls") ?? false
        if f.has("url") { checkURL(url, startTLS: startTLS, f) }
        let caFile = f.string("ca_file")
        let verify = f.bool("verify_certificate") ?? true
        let bindDN = f.string("bind_dn", required: true) ?? ""
        if f.has("bind_dn") { checkDN(bindDN, "bind_dn", f) }
        let password = f.secretSource("bind_password", required: true)
        let userBase = f.string("user_base", required: true) ?? ""
        if f.has("user_base") { checkDN(userBase, "user_base", f) }
        let userFilter = f.string("user_filter") ?? "(objectClass=inetOrgPerson)"
        checkFilter(userFilter, "user_filter", f)
        let groupBase = f.string("group_base")
        if let groupBase { checkDN(groupBase, "group_base", f) }
        let groupFilter = f.string("group_filter") ?? "(objectClass=groupOfNames)"
        checkFilter(groupFilter, "group_filter", f)

        var attributes = LDAPDirectory.Attributes()
        if let a = f.fields("attributes", allowed: ["username", "display_name", "email", "external_id"], context: "\(context): attributes") {
            if let v = attribute(a, "username") { attributes.username = v }
            if let v = attribute(a, "display_name") { attributes.displayName = v }
            if let v = attribute(a, "email") { attributes.email = v }
            if let v = attribute(a, "external_id") { attributes.externalID = v }
        }

        var rules: [LDAPDirectory.UnitRule] = []
        for rule in f.sequence("units") ?? [] {
            guard let r = Fields(rule, allowed: ["ou", "dn_suffix", "unit"], context: "\(context): units", diagnostics: diagnostics) else { continue }
            let unit = unitPath(r, "unit")
            let ou = r.string("ou"), suffix = r.string("dn_suffix")
            if let suffix { checkDN(suffix, "dn_suffix", r) }
            switch (ou, suffix) {
            case (let ou?, nil): if let unit { rules.append(.init(match: .organizationalUnit(ou), unit: unit)) }
            case (nil, let suffix?): if let unit { rules.append(.init(match: .dnSuffix(suffix), unit: unit)) }
            case (_?, _?): r.error("give either ou or dn_suffix, not both", at: r.value("dn_suffix"))
            case (nil, nil): if !r.has("ou") && !r.has("dn_suffix") { r.error("missing ou or dn_suffix", at: rule) }
            }
        }

        var groupRoles: [LDAPDirectory.GroupRole] = []
        let groupItems = f.sequence("groups") ?? []
        if !groupItems.isEmpty && groupBase == nil && f.has("groups") {
            f.error("groups are mapped but group_base is not set", at: f.keyNode("groups"))
        }
        for g in groupItems {
            guard let r = Fields(g, allowed: ["group", "role", "unit"], context: "\(context): groups", diagnostics: diagnostics) else { continue }
            let group = r.string("group", required: true)
            if let group { checkDN(group, "group", r) }
            let role = r.string("role", required: true)
            let unit = unitPath(r, "unit")
            if let group, let role, let unit, let roleNode = r.value("role"), let unitNode = r.value("unit") {
                groupRoles.append(.init(group: group, role: role, unit: unit))
                refs.append(GroupRef(role: role, unit: unit, roleNode: roleNode, unitNode: unitNode, context: "\(context): groups"))
            }
        }

        let interval = f.duration("sync_interval", in: 60...86400) ?? 900
        let fallback = f.bool("cached_password_fallback") ?? false

        guard diagnostics.issues.count == before, let password else { return nil }
        return LDAPDirectory(
            name: name, url: url, startTLS: startTLS, caFile: caFile, verifyCertificate: verify, bindDN: bindDN,
            bindPassword: password, userBase: userBase, userFilter: userFilter, groupBase: groupBase,
            groupFilter: groupFilter, attributes: attributes, unitRules: rules, groupRoles: groupRoles,
            syncInterval: interval, cachedPasswordFallback: fallback)
    }

    private static func checkURL(_ url: String, startTLS: Bool, _ f: Fields) {
        let node = f.value("url")
        guard let c = URLComponents(string: url), let scheme = c.scheme?.lowercased(), ["ldap", "ldaps"].contains(scheme),
              let host = c.host, !host.isEmpty else {
            f.error("url '\(url)' must be ldap://host[:port] or ldaps://host[:port]", at: node)
            return
        }
        if !c.path.isEmpty && c.path != "/" { f.error("url '\(url)' must not have a path; set user_base instead", at: node) }
        if scheme == "ldaps" && startTLS {
            f.error("start_tls is for ldap:// URLs; ldaps:// is already encrypted", at: f.value("start_tls"))
        }
        if scheme == "ldap" && !startTLS && !RedirectURI.isLoopback(host) {
            f.error("url '\(url)' would send the bind password and users' passwords in clear; use ldaps:// or start_tls: true (plain ldap:// is allowed only on localhost)", at: node)
        }
    }

    /// A light check that catches typos without parsing RFC 4514 in full: comma-separated
    /// `attribute=value` pairs.
    private static func checkDN(_ dn: String, _ key: String, _ f: Fields) {
        let rdns = dn.split(separator: ",", omittingEmptySubsequences: false)
        let ok = !dn.isEmpty && rdns.allSatisfy { rdn in
            guard let eq = rdn.firstIndex(of: "=") else { return rdn.hasSuffix("\\") }
            return !rdn[..<eq].trimmingCharacters(in: .whitespaces).isEmpty
        }
        if !ok { f.error("\(key) '\(dn)' is not a DN such as ou=people,dc=example,dc=vn", at: f.value(key)) }
    }

    /// RFC 4515: a filter is one parenthesised expression.
    private static func checkFilter(_ filter: String, _ key: String, _ f: Fields) {
        var depth = 0, balanced = filter.hasPrefix("(") && filter.hasSuffix(")")
        var escaped = false
        for (i, c) in filter.enumerated() {
            if escaped { escaped = false; continue }
            if c == "\\" { escaped = true; continue }
            if c == "(" { depth += 1 }
            if c == ")" { depth -= 1; if depth == 0 && i != filter.count - 1 { balanced = false } }
            if depth < 0 { balanced = false }
        }
        if !balanced || depth != 0 { f.error("\(key) '\(filter)' is not a parenthesised LDAP filter such as (objectClass=person)", at: f.value(key)) }
    }

    private static func attribute(_ f: Fields, _ key: String) -> String? {
        guard let name = f.string(key) else { return nil }
        let ok = name.first?.isLetter == true && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        if !ok { f.error("\(key) '\(name)' is not an LDAP attribute name", at: f.value(key)); return nil }
        return name
    }

    private static func unitPath(_ f: Fields, _ key: String) -> UnitPath? {
        guard let v = f.value(key, required: true), let text = f.string(v, what: "'\(key)'") else { return nil }
        do { return try UnitPath(text) } catch {
            f.error(error.description, at: v)
            return nil
        }
    }
}
