public import GatehouseCore

/// The behaviour every `Store` backend must show, as a library of named cases.
///
/// A backend's test file runs each case on a fresh, freshly migrated database whose store
/// uses the `ManualClock` it passes in:
///
/// ```swift
/// @Test(arguments: StoreConformance.cases.map(\.name))
/// func conformance(_ name: String) async throws {
///     let clock = ManualClock()
///     let store = try await makeFreshStore(clock: clock)
///     try await StoreConformance.run(name, store: store, clock: clock)
/// }
/// ```
///
/// Cases that race many concurrent transactions against each other are kept apart in
/// `contentionCases`, so a backend can run them on their own; `cases` includes them.
public enum StoreConformance {
    /// Every case, functional ones first, then the contention cases.
    public static let cases: [ConformanceCase] = functionalCases + contentionCases

    /// Cases that check one behaviour at a time.
    public static let functionalCases: [ConformanceCase] =
        UnitCases.all + AccountCases.all + GrantCases.all + ClientCases.all + ProtocolStateCases.all
        + ReplayCases.all + AuditCases.all + TransactionCases.all + BackchannelCases.all + RevocationCases.all
        + DirectoryCases.all + BulkCases.all + ThrottleCases.all

    /// Cases that run many transactions at once against one row, one key, the audit chain or
    /// the revocation feed.
    public static let contentionCases: [ConformanceCase] = ContentionCases.all + BackchannelCases.contention + RevocationCases.contention
        + DirectoryCases.contention + ThrottleCases.contention

    /// The case called `name`.
    public static func named(_ name: String) -> ConformanceCase? { cases.first { $0.name == name } }

    /// Runs the case called `name`; a missing case is a failure.
    public static func run(_ name: String, store: any Store, clock: ManualClock) async throws {
        guard let conformanceCase = named(name) else {
            throw ConformanceFailure("no conformance case named '\(name)'")
        }
        try await conformanceCase.run(store, clock)
    }
}

/// One named behaviour a backend must show.
public struct ConformanceCase: Sendable, CustomStringConvertible {
    /// `area.behaviour`, e.g. `units.move-under-own-subtree-refused`.
    public let name: String
    /// Runs against a freshly migrated store whose clock is the `ManualClock` given.
    public let run: @Sendable (any Store, ManualClock) async throws -> Void

    public init(_ name: String, _ run: @escaping @Sendable (any Store, ManualClock) async throws -> Void) {
        self.name = name
        self.run = run
    }

    public var description: String { name }
}

/// A conformance expectation that did not hold, with where it was checked.
public struct ConformanceFailure: Error, CustomStringConvertible, Sendable {
    public let message: String
    public let fileID: String
    public let filePath: String
    public let line: Int
    public let column: Int

    public init(_ message: String, fileID: String = #fileID, filePath: String = #filePath, line: Int = #line, column: Int = #column) {
        self.message = message
        self.fileID = fileID
        self.filePath = filePath
        self.line = line
        self.column = column
    }

    public var description: String { "\(fileID):\(line): \(message)" }
}
