import Foundation
import GatehouseAdmin
import GatehouseCore
import GatehouseOAuth

/// The console's page bodies. Every value from a request or the store enters through ``HTML``
/// interpolation and is escaped there; every form carries the session's CSRF token.
enum ConsolePages {
    /// The hidden CSRF field of a form.
    static func csrf(_ c: ConsoleRoutes.Call) -> HTML { "<input type=\"hidden\" name=\"csrf\" value=\"\(c.chrome.csrf)\">" }

    /// A `<form>` with one button that posts `fields` to `action`.
    static func button(_ c: ConsoleRoutes.Call, action: String, label: String, fields: [(String, String)] = [], secondary: Bool = false) -> HTML {
        let hidden = HTML.joined(fields.map { "<input type=\"hidden\" name=\"\($0.0)\" value=\"\($0.1)\">" })
        return """
            <form method="post" action="\(action)" class="inline">\(csrf(c))\(hidden)<button type="submit"\(secondary ? " class=\"secondary\"" : "")>\(label)</button></form>
            """
    }

    /// The notice of the change just made, if any.
    static func notice(_ c: ConsoleRoutes.Call, accountID: String? = nil) -> HTML {
        guard let notice = c.notice else { return "" }
        let password: HTML = notice.temporaryPassword.map { password in
            guard notice.accountID == nil || notice.accountID == accountID else { return "" }
            return """
                <p>\(c.texts.temporaryPassword): <code class="secret" id="temporary-password">\(password)</code></p>
                <p class="hint">\(c.texts.temporaryPasswordOnce)</p>
                """
        } ?? ""
        return "<div class=\"notice\" role=\"status\"><p>\(notice.message)</p>\(password)</div>"
    }

    static func home(_ c: ConsoleRoutes.Call, grants: [String], reach: [String]) -> HTML {
        """
        \(notice(c))
        <h2>\(c.texts.yourRoles)</h2>
        <ul>\(HTML.joined(grants.map { "<li><code>\($0)</code></li>" }))</ul>
        <h2>\(c.texts.yourReach)</h2>
        <ul>\(HTML.joined(reach.map { "<li><a href=\"\(c.base)/units?under=\($0)\">\($0)</a></li>" }))</ul>
        """
    }

    static func search(_ c: ConsoleRoutes.Call, found: AccountPage, offset: Int, pageSize: Int) -> HTML {
        let t = c.texts
        let choices = [("", t.anyStatus)] + AccountStatus.allCases.map { ($0.rawValue, t.statusName($0)) }
        let statusOptions = HTML.joined(choices.map { option($0.0, $0.1, selected: c.value("status")) })
        let rows = HTML.joined(found.accounts.map { a in
            """
            <tr><td><a href="\(c.base)/accounts/\(a.account.id.uuidString.lowercased())">\(a.account.username.value)</a></td>\
            <td>\(a.account.displayName)</td><td><a href="\(c.base)/units?under=\(a.unit.description)">\(a.unit.description)</a></td>\
            <td>\(t.statusName(a.account.status))</td></tr>
            """
        })
        func pageLink(_ newOffset: Int, _ label: String) -> HTML {
            var query: [(String, String)] = [("offset", String(newOffset))]
            for name in ["q", "unit", "status"] { if let v = c.value(name) { query.append((name, v)) } }
            return "<a href=\"\(c.base)/accounts?\(FormParameters.encode(query))\">\(label)</a> "
        }
        let paging = HTML.joined([HTML.when(offset > 0, pageLink(max(0, offset - pageSize), t.previous)),
                                  HTML.when(offset + pageSize < found.total, pageLink(offset + pageSize, t.next))])
        return """
            \(notice(c))
            <form method="get" action="\(c.base)/accounts" role="search">
            <label for="q">\(t.searchText)</label><input id="q" name="q" type="text" value="\(c.value("q"))">
            <label for="unit">\(t.unit)</label><input id="unit" name="unit" type="text" value="\(c.value("unit"))" placeholder="/ha-noi" aria-describedby="unit-hint">
            <p class="hint" id="unit-hint">\(t.unitHint)</p>
            <label for="status">\(t.status)</label><select id="status" name="status">\(statusOptions)</select>
            <button type="submit">\(t.search)</button>
            </form>
            <p role="status">\(found.total == 0 ? t.noAccounts : t.found(found.total))</p>
            \(HTML.when(!found.accounts.isEmpty, """
            <table><thead><tr><th>\(t.username)</th><th>\(t.displayName)</th><th>\(t.unit)</th><th>\(t.status)</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """))
            <p>\(paging)</p>
            """
    }

    static func option(_ value: String, _ label: String, selected: String?) -> HTML {
        "<option value=\"\(value)\"\(HTML.when(value == (selected ?? ""), " selected"))>\(label)</option>"
    }

    static func createAccount(_ c: ConsoleRoutes.Call) -> HTML {
        let t = c.texts
        return """
            <form method="post" action="\(c.base)/accounts">
            \(csrf(c))
            <label for="username">\(t.username)</label><input id="username" name="username" type="text" autocomplete="off" autocapitalize="none" spellcheck="false" maxlength="256" required>
            <label for="display_name">\(t.displayName)</label><input id="display_name" name="display_name" type="text" maxlength="256" required>
            <label for="email">\(t.email)</label><input id="email" name="email" type="email" maxlength="320">
            <label for="unit">\(t.unit)</label><input id="unit" name="unit" type="text" value="\(c.value("unit"))" required aria-describedby="unit-hint">
            <p class="hint" id="unit-hint">\(t.unitHint)</p>
            <label for="password">\(t.passwordOptional)</label><input id="password" name="password" type="password" autocomplete="new-password" maxlength="1024">
            <label><input type="checkbox" name="active" value="true" checked> \(t.activeNow)</label>
            <button type="submit">\(t.create)</button>
            </form>
            """
    }

    static func account(_ c: ConsoleRoutes.Call, _ managed: ManagedAccount, grantableRoles: [String]) -> HTML {
        let t = c.texts, a = managed.account
        let id = a.id.uuidString.lowercased()
        let path = "\(c.base)/accounts/\(id)"
        let grants = HTML.joined(managed.grants.map { g in
            """
            <tr><td><code>\(g.role)</code></td><td>\(g.unit.description)</td>\
            <td>\(button(c, action: "\(c.base)/grants/\(g.id.uuidString.lowercased())/revoke", label: t.revoke, fields: [("account", id)], secondary: true))</td></tr>
            """
        })
        let grantsTable: HTML = managed.grants.isEmpty ? "<p>\(t.noGrants)</p>" : """
            <table id="grants"><thead><tr><th>\(t.role)</th><th>\(t.unit)</th><th></th></tr></thead><tbody>\(grants)</tbody></table>
            """
        let grantForm: HTML = grantableRoles.isEmpty ? "<p class=\"hint\">\(t.noGrantableRoles)</p>" : """
            <form method="post" action="\(path)/grants">
            \(csrf(c))
            <label for="role">\(t.role)</label><select id="role" name="role">\(HTML.joined(grantableRoles.map { option($0, $0, selected: nil) }))</select>
            <label for="grant-unit">\(t.unit)</label><input id="grant-unit" name="unit" type="text" value="\(managed.unit.description)" required>
            <button type="submit">\(t.grant)</button>
            </form>
            """
        return """
            \(notice(c, accountID: id))
            <table>
            <tr><th>\(t.username)</th><td id="username">\(a.username.value)</td></tr>
            <tr><th>\(t.displayName)</th><td>\(a.displayName)</td></tr>
            <tr><th>\(t.email)</th><td>\(a.email)</td></tr>
            <tr><th>\(t.unit)</th><td><a href="\(c.base)/units?under=\(managed.unit.description)">\(managed.unit.description)</a></td></tr>
            <tr><th>\(t.status)</th><td id="status">\(t.statusName(a.status))\(HTML.when(a.mustChangePassword, " · \(t.mustChangePassword)"))</td></tr>
            <tr><th>\(t.secondFactor)</th><td>\(a.hasSecondFactor ? t.enrolled : t.notEnrolled)</td></tr>
            <tr><th>\(t.source)</th><td>\(a.source.directoryName.map { "LDAP " + $0 } ?? "Gatehouse")</td></tr>
            </table>
            <h2>\(t.grants)</h2>
            \(grantsTable)
            <h2>\(t.grantRole)</h2>
            \(grantForm)
            <h2>\(t.actions)</h2>
            <p>\(a.status == .active
                ? button(c, action: "\(path)/status", label: t.disable, fields: [("active", "false")], secondary: true)
                : button(c, action: "\(path)/status", label: t.enable, fields: [("active", "true")]))
            \(button(c, action: "\(path)/password-reset", label: t.resetPassword, secondary: true))
            \(button(c, action: "\(path)/second-factor-reset", label: t.resetSecondFactor, secondary: true))</p>
            """
    }
}
