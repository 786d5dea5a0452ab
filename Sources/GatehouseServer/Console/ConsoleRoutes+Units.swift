import Foundation
import GatehouseAdmin
import GatehouseCore
import GatehouseOAuth
import GatehouseStore
import Hummingbird
import HTTPTypes

/// The unit tree, moving a unit (a dry run shown first, then confirmed), and the audit trail.
extension ConsoleRoutes {
    /// Audit events per page.
    static let auditPageSize = 50

    func registerUnits(_ group: RouterGroup<GatehouseRequestContext>) {
        group.get("units") { request, context in
            await page(request, context) { c in
                let reach = services.admin.authorizer.reach(of: c.actor, for: Set(Permission.administrative))
                let under: UnitPath
                if let raw = c.value("under") {
                    under = try Self.path(raw)
                } else {
                    // Without a unit: the actor's only subtree, or the root to list them all.
                    under = reach.count == 1 ? reach[0] : .root
                }
                let units = try await services.admin.units(in: under, page: GatehouseStore.Page(limit: 5_000), by: c.actor)
                let current = units.first { $0.path == under }
                let paths = Set(units.map(\.path))
                let children = units.filter { unit in
                    unit.path.parent == under || (current == nil && unit.path != under && !(unit.path.parent.map { paths.contains($0) } ?? false))
                }
                return c.page(c.texts.units, ConsoleUnitPages.units(c, under: under, current: current, children: children),
                              switchLink: c.switchLink).response()
            }
        }
        group.get("units/move") { request, context in
            await page(request, context) { c in
                guard let path = c.value("path"), let parent = c.value("parent") else {
                    return c.page(c.texts.moveUnit, ConsoleUnitPages.moveForm(c), switchLink: c.switchLink).response()
                }
                let preview = try await services.admin.moveUnit(try Self.path(path), under: try Self.path(parent), slug: c.value("slug"),
                                                                dryRun: true, by: c.actor)
                return c.page(c.texts.moveUnit, ConsoleUnitPages.movePreview(c, preview), switchLink: c.switchLink).response()
            }
        }
        group.post("units/move") { request, context in
            await action(request, context) { c in
                let moved = try await services.admin.moveUnit(try Self.path(c.value("path")), under: try Self.path(c.value("parent")),
                                                              slug: c.value("slug"), dryRun: false, by: c.actor)
                let parent = moved.to.parent?.description ?? "/"
                return redirect("\(base)/units?" + FormParameters.encode([("under", parent)]),
                                notice: ConsoleNotice(message: c.texts.moved(moved.from.description, moved.to.description)))
            }
        }
        group.get("audit") { request, context in
            await page(request, context) { c in
                let after = max(0, Int64(c.value("after") ?? "0") ?? 0)
                let unit = try c.value("unit").map { try Self.path($0) }
                let events = try await services.admin.auditEvents(in: unit, after: after, limit: Self.auditPageSize, by: c.actor)
                return c.page(c.texts.audit, ConsoleUnitPages.audit(c, events: events, after: after, unit: unit, pageSize: Self.auditPageSize),
                              switchLink: c.switchLink).response()
            }
        }
    }
}

/// The bodies of the unit and audit pages.
enum ConsoleUnitPages {
    static func units(_ c: ConsoleRoutes.Call, under: UnitPath, current: OrgUnit?, children: [OrgUnit]) -> HTML {
        let t = c.texts
        let rows = HTML.joined(children.map { u in
            """
            <tr><td><a href="\(c.base)/units?\(FormParameters.encode([("under", u.path.description)]))">\(u.path.description)</a></td>\
            <td>\(u.name)</td><td>\(t.levelName(u.level))</td>\
            <td><a href="\(c.base)/accounts?\(FormParameters.encode([("unit", u.path.description)]))">\(t.accountsHere)</a></td></tr>
            """
        })
        let up: HTML = under.parent.map { parent in
            "<p><a href=\"\(c.base)/units?\(FormParameters.encode([("under", parent.description)]))\">\(t.up)</a></p>"
        } ?? ""
        let heading: HTML = current.map { u in
            """
            <p><strong>\(u.name)</strong> · <code>\(u.path.description)</code> · \(t.levelName(u.level)) · \
            <a href="\(c.base)/accounts?\(FormParameters.encode([("unit", u.path.description)]))">\(t.accountsHere)</a> · \
            <a href="\(c.base)/accounts/new?\(FormParameters.encode([("unit", u.path.description)]))">\(t.newAccount)</a></p>
            """
        } ?? "<p><code>\(under.description)</code></p>"
        return """
            \(ConsolePages.notice(c))
            \(heading)
            \(up)
            <h2>\(t.unitsUnder)</h2>
            <table id="units"><thead><tr><th>\(t.unit)</th><th>\(t.name)</th><th>\(t.level)</th><th></th></tr></thead><tbody>\(rows)</tbody></table>
            <h2>\(t.moveUnit)</h2>
            \(moveForm(c, path: current.map(\.path.description)))
            """
    }

    /// The move form; it asks for a preview (a `GET`, which changes nothing).
    static func moveForm(_ c: ConsoleRoutes.Call, path: String? = nil) -> HTML {
        let t = c.texts
        return """
            <form method="get" action="\(c.base)/units/move">
            <label for="move-path">\(t.unitToMove)</label><input id="move-path" name="path" type="text" value="\(path ?? c.value("path"))" required>
            <label for="move-parent">\(t.newParent)</label><input id="move-parent" name="parent" type="text" value="\(c.value("parent"))" required>
            <label for="move-slug">\(t.newSlug)</label><input id="move-slug" name="slug" type="text" value="\(c.value("slug"))">
            <button type="submit">\(t.preview)</button>
            </form>
            """
    }

    static func movePreview(_ c: ConsoleRoutes.Call, _ o: UnitReorganisation) -> HTML {
        let t = c.texts
        let slug = o.to.slug ?? ""
        return """
            <p role="status" id="preview">\(t.movePreview((o.from.description, o.to.description, o.unitsRepathed, o.accounts, o.grants, o.clients)))</p>
            <form method="post" action="\(c.base)/units/move" class="inline">
            \(ConsolePages.csrf(c))
            <input type="hidden" name="path" value="\(o.from.description)">
            <input type="hidden" name="parent" value="\(o.to.parent?.description ?? "/")">
            <input type="hidden" name="slug" value="\(slug)">
            <button type="submit">\(t.confirmMove)</button>
            </form>
            <a href="\(c.base)/units?\(FormParameters.encode([("under", o.from.description)]))">\(t.cancel)</a>
            """
    }

    static func audit(_ c: ConsoleRoutes.Call, events: [AuditEvent], after: Int64, unit: UnitPath?, pageSize: Int) -> HTML {
        let t = c.texts
        let formatter = ISO8601DateFormatter()
        let rows = HTML.joined(events.map { e in
            let r = e.record
            let detail = r.detail.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            return """
                <tr><td>\(Int(e.sequence))</td><td>\(formatter.string(from: r.time))</td><td><code>\(r.action)</code></td>\
                <td>\(r.detail["actor_username"] ?? r.actor)</td><td>\(r.target)</td><td>\(r.unit?.description)</td>\
                <td>\(r.result.rawValue)</td><td>\(detail)</td></tr>
                """
        })
        func link(_ after: Int64, _ label: String) -> HTML {
            var query: [(String, String)] = [("after", String(after))]
            if let unit { query.append(("unit", unit.description)) }
            return "<a href=\"\(c.base)/audit?\(FormParameters.encode(query))\">\(label)</a> "
        }
        let more: HTML = events.count == pageSize ? link(events.last?.sequence ?? after, t.next) : "<span>\(t.noEvents)</span> "
        return """
            <form method="get" action="\(c.base)/audit">
            <label for="unit">\(t.unit)</label><input id="unit" name="unit" type="text" value="\(unit?.description)">
            <button type="submit">\(t.search)</button>
            </form>
            <table id="audit"><thead><tr><th>\(t.sequence)</th><th>\(t.time)</th><th>\(t.action)</th><th>\(t.actor)</th><th>\(t.target)</th>\
            <th>\(t.unit)</th><th>\(t.result)</th><th>\(t.detail)</th></tr></thead><tbody>\(rows)</tbody></table>
            <p>\(HTML.when(after > 0, link(0, t.fromStart)))\(more)</p>
            """
    }
}
