/// How to run a filter against the account store.
///
/// - ``store(_:)``: the store query gives exactly the matching accounts.
/// - ``storeThenFilter(_:residual:)``: the store query narrows the accounts, then
///   ``SCIMFilterEvaluator`` applies `residual` to what it returns (before paging, so that
///   `totalResults` stays right).
/// - ``inMemory(_:)``: nothing can go to the store; evaluate the filter on every account.
public enum SCIMQueryPlan: Hashable, Sendable {
    /// Run the query; it is the whole answer.
    case store(SCIMStoreQuery)
    /// Run the query, then keep what matches `residual`.
    case storeThenFilter(SCIMStoreQuery, residual: SCIMFilter)
    /// Evaluate the filter on every account.
    case inMemory(SCIMFilter)

    /// What to ask the store for: ``SCIMStoreQuery/everything`` for ``inMemory(_:)``.
    public var storeQuery: SCIMStoreQuery {
        switch self {
        case .store(let q), .storeThenFilter(let q, _): q
        case .inMemory: .everything
        }
    }

    /// What is left to evaluate on the accounts the store returns.
    public var residual: SCIMFilter? {
        switch self {
        case .store: nil
        case .storeThenFilter(_, let r), .inMemory(let r): r
        }
    }
}
