import Foundation
import GatehouseAdmin
import GatehouseCore
import GatehouseSCIM
import GatehouseStore

/// A query of `/Users` (RFC 7644 §3.4.2): `filter`, `sortBy`/`sortOrder`, `startIndex`/`count`.
struct SCIMUserQuery: Sendable {
    var filter: SCIMFilter?
    var sort: SCIMSort?
    var pagination: SCIMPagination

    /// The largest page (`filter.maxResults` in ServiceProviderConfig).
    static let maxResults = 1000

    init(filter: SCIMFilter?, sort: SCIMSort?, pagination: SCIMPagination) {
        self.filter = filter
        self.sort = sort
        self.pagination = pagination
    }

    init(filter: String?, sortBy: String?, sortOrder: String?, startIndex: String?, count: String?) throws(SCIMError) {
        if let filter { self.filter = try SCIMFilter.parse(filter) } else { self.filter = nil }
        self.sort = try SCIMSort.parse(sortBy: sortBy, sortOrder: sortOrder)
        self.pagination = try SCIMPagination.parse(startIndex: startIndex, count: count, defaultCount: 100, maxCount: Self.maxResults)
    }
}

extension SCIMUsers {
    /// At most this many accounts are read to evaluate the part of a filter the store cannot
    /// run (a `residual`, such as `name.formatted co "…"` or `meta.created gt "…"`), or to sort
    /// on an attribute the store cannot order by. A query that would need more is refused with
    /// 400 `tooMany` (RFC 7644 §3.12), naming the attributes the store can filter on.
    static let residualScanLimit = 5_000

    /// The page of Users within the actor's reach that match `query`.
    ///
    /// The filter goes through ``SCIMQueryPlanner``: what the store can run becomes an
    /// ``AccountSearch`` (bound parameters, and always within the actor's reach, which no
    /// filter can widen); the residual is evaluated here on the accounts the store returns.
    func list(_ query: SCIMUserQuery, by actor: AdminActor) async throws -> SCIMListResponse {
        let plan = try SCIMQueryPlanner(mapping: SCIMUserResource.mapping).plan(query.filter)
        let filter: SCIMStoreQuery? = plan.storeQuery == .everything ? nil : plan.storeQuery
        // The store sorts on the fields it filters on; any other attribute is sorted here.
        let sortField: SCIMStoreField? = if let sort = query.sort { SCIMUserResource.mapping.field(for: sort.by) } else { .username }
        let descending = query.sort?.order == .descending
        let page = query.pagination
        // SCIM orders false before true; the store orders statuses by name, active first.
        let storeDescending = sortField == .active ? !descending : descending

        if plan.residual == nil, let sortField {
            // The store answers the whole query: one page and the total.
            let search = AccountSearch(filter: filter, sortBy: sortField, descending: storeDescending,
                                       page: GatehouseStore.Page(limit: max(page.count, 1), offset: page.offset))
            let result = try await admin.searchAccounts(search, by: actor)
            let resources = page.count == 0 ? [] : result.accounts.map(render)
            return SCIMListResponse(totalResults: result.total, startIndex: page.startIndex, resources: resources)
        }

        // Read every candidate (bounded), then filter, sort and page here.
        var candidates: [SCIMValue] = []
        var offset = 0
        let chunk = 1000
        while true {
            let search = AccountSearch(filter: filter, sortBy: sortField ?? .username, descending: storeDescending,
                                       page: GatehouseStore.Page(limit: chunk, offset: offset))
            let result = try await admin.searchAccounts(search, by: actor)
            if result.total > Self.residualScanLimit {
                let fields = SCIMUserResource.mapping.fields.keys.map(\.description).sorted().joined(separator: ", ")
                throw SCIMError(.tooMany, "this query needs \(result.total) accounts read and evaluated one by one; at most "
                                + "\(Self.residualScanLimit) are. Narrow it with attributes the store filters and sorts on: \(fields)")
            }
            candidates += result.accounts.map(render)
            offset += chunk
            if result.accounts.count < chunk || offset >= result.total { break }
        }
        let evaluator = SCIMFilterEvaluator()
        var matching = try evaluator.select(candidates, matching: plan.residual)
        if let sort = query.sort, sortField == nil { matching = sort.sorted(matching, evaluator: evaluator) }
        return page.listResponse(of: matching)
    }
}
