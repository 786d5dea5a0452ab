import GatehouseCore

// Small assertion helpers for conformance cases. They throw `ConformanceFailure` carrying
// the caller's source location, so a failing case points at the line that checked.

/// Fails unless `condition` holds.
func check(
    _ condition: Bool, _ message: @autoclosure () -> String,
    fileID: String = #fileID, filePath: String = #filePath, line: Int = #line, column: Int = #column
) throws(ConformanceFailure) {
    if !condition { throw ConformanceFailure(message(), fileID: fileID, filePath: filePath, line: line, column: column) }
}

/// Fails unless `actual == expected`, showing both.
func checkEqual<T: Equatable>(
    _ actual: T, _ expected: T, _ what: @autoclosure () -> String,
    fileID: String = #fileID, filePath: String = #filePath, line: Int = #line, column: Int = #column
) throws(ConformanceFailure) {
    if actual != expected {
        throw ConformanceFailure("\(what()): expected \(expected), got \(actual)", fileID: fileID, filePath: filePath, line: line, column: column)
    }
}

/// Runs `body`, which must throw a `StoreError` of `kind`; returns that error so the caller
/// can check its message.
@discardableResult
func expectError<T>(
    _ kind: StoreError.Kind, _ what: @autoclosure () -> String,
    fileID: String = #fileID, filePath: String = #filePath, line: Int = #line, column: Int = #column,
    _ body: () async throws -> T
) async throws -> StoreError {
    do {
        let value = try await body()
        throw ConformanceFailure("\(what()): expected \(kind) error, got a result: \(value)", fileID: fileID, filePath: filePath, line: line, column: column)
    } catch let error as StoreError {
        guard error.kind == kind else {
            throw ConformanceFailure("\(what()): expected \(kind) error, got \(error.debugDescription)", fileID: fileID, filePath: filePath, line: line, column: column)
        }
        return error
    } catch let failure as ConformanceFailure {
        throw failure
    } catch {
        throw ConformanceFailure("\(what()): expected \(kind) error, got \(type(of: error)): \(error)", fileID: fileID, filePath: filePath, line: line, column: column)
    }
}

/// Fails unless `error`'s description mentions `fragment` (messages must name the thing).
func checkMentions(
    _ error: StoreError, _ fragment: String,
    fileID: String = #fileID, filePath: String = #filePath, line: Int = #line, column: Int = #column
) throws(ConformanceFailure) {
    if !error.description.contains(fragment) {
        throw ConformanceFailure("error '\(error)' should mention '\(fragment)'", fileID: fileID, filePath: filePath, line: line, column: column)
    }
}
