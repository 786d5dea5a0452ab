import Foundation
import GatehouseAdmin
import GatehouseCore
import GatehouseStore
import Hummingbird
import HTTPTypes

/// The home page and the account pages: search, create, one account and what can be done to it.
extension ConsoleRoutes {
    /// Accounts per page of a search.
    static let pageSize = 25

    func home(_ c: Call) async throws -> Response {
        let reach = services.admin.authorizer.reach(of: c.actor, for: Set(Permission.administrative))
        return c.page(c.texts.console, ConsolePages.home(c, grants: c.actor.grants.map(\.description), reach: reach.map(\.description)),
                      switchLink: c.switchLink).response()
    }

    func registerAccounts(_ group: RouterGroup<GatehouseRequestContext>) {
        group.get("accounts") { request, context in
            await page(request, context) { c in
                var search = AccountSearch(text: c.value("q"), unit: try c.value("unit").map { try Self.path($0) })
                if let raw = c.value("status") {
                    guard let status = AccountStatus(rawValue: raw) else { throw AdminError.invalid("status must be active, disabled or locked") }
                    search.status = status
                }
                let offset = max(0, Int(c.value("offset") ?? "0") ?? 0)
                search.page = GatehouseStore.Page(limit: Self.pageSize, offset: offset)
                let found = try await services.admin.searchAccounts(search, by: c.actor)
                return c.page(c.texts.accounts, ConsolePages.search(c, found: found, offset: offset, pageSize: Self.pageSize),
                              switchLink: c.switchLink).response()
            }
        }
        group.get("accounts/new") { request, context in
            await page(request, context) { c in
                c.page(c.texts.newAccount, ConsolePages.createAccount(c), switchLink: c.switchLink).response()
            }
        }
        group.post("accounts") { request, context in
            await action(request, context) { c in
                let draft = AccountDraft(username: c.value("username") ?? "", displayName: c.value("display_name") ?? "",
                                         email: c.value("email"), unit: try Self.path(c.value("unit")), password: c.parameters["password"].flatMap { $0.isEmpty ? nil : $0 },
                                         active: c.value("active") != nil)
                let created = try await services.admin.createAccount(draft, by: c.actor)
                let id = created.account.account.id.uuidString.lowercased()
                return redirect("\(base)/accounts/\(id)", notice: ConsoleNotice(
                    message: c.texts.created(created.account.account.username.value), temporaryPassword: created.temporaryPassword, accountID: id))
            }
        }
        group.get("accounts/:id") { request, context in
            await page(request, context) { c in
                let account = try await services.admin.account(id: try Self.id(context), by: c.actor)
                let roles = services.admin.grantableRoles(at: account.unit, by: c.actor)
                return c.page(account.account.displayName, ConsolePages.account(c, account, grantableRoles: roles.map(\.name)),
                              switchLink: c.switchLink).response()
            }
        }
        group.post("accounts/:id/status") { request, context in
            await action(request, context) { c in
                let id = try Self.id(context)
                let active = c.value("active") == "true"
                _ = try await services.admin.setActive(active, id: id, by: c.actor)
                return redirect(accountPath(id), notice: ConsoleNotice(message: active ? c.texts.enabledDone : c.texts.disabledDone))
            }
        }
        group.post("accounts/:id/password-reset") { request, context in
            await action(request, context) { c in
                let id = try Self.id(context)
                let (_, temporary) = try await services.admin.resetPassword(id: id, by: c.actor)
                return redirect(accountPath(id), notice: ConsoleNotice(message: c.texts.passwordResetDone, temporaryPassword: temporary,
                                                                       accountID: id.uuidString.lowercased()))
            }
        }
        group.post("accounts/:id/second-factor-reset") { request, context in
            await action(request, context) { c in
                let id = try Self.id(context)
                _ = try await services.admin.resetSecondFactor(id: id, by: c.actor)
                return redirect(accountPath(id), notice: ConsoleNotice(message: c.texts.secondFactorResetDone))
            }
        }
        group.post("accounts/:id/grants") { request, context in
            await action(request, context) { c in
                let id = try Self.id(context)
                guard let role = c.value("role") else { throw AdminError.invalid("choose a role") }
                let grant = try await services.admin.grantRole(role, at: try Self.path(c.value("unit")), to: id, by: c.actor)
                return redirect(accountPath(id), notice: ConsoleNotice(message: c.texts.granted(grant.role, grant.unit.description)))
            }
        }
        group.post("grants/:id/revoke") { request, context in
            await action(request, context) { c in
                try await services.admin.revokeGrant(id: try Self.id(context), by: c.actor)
                let back = c.value("account").flatMap(UUID.init(uuidString:)).map(accountPath) ?? "\(base)/accounts"
                return redirect(back, notice: ConsoleNotice(message: c.texts.revokedDone))
            }
        }
    }

    func accountPath(_ id: UUID) -> String { "\(base)/accounts/\(id.uuidString.lowercased())" }
}
