internal import CPostgres
internal import GatehouseStoreSQL

extension SQLError {
    /// Classifies a SQLSTATE (https://www.postgresql.org/docs/15/errcodes-appendix.html).
    static func postgresKind(_ sqlState: String) -> Kind {
        switch sqlState {
        case "23505": return .uniqueViolation
        case "23503": return .foreignKeyViolation
        case "40001", "40P01": return .serializationFailure
        // admin_shutdown (pg_terminate_backend), crash_shutdown, cannot_connect_now
        case "57P01", "57P02", "57P03": return .connectionFailure
        // protocol_violation is class 08 but means a malformed request (for example a wrong
        // parameter count); the connection stays usable.
        case "08P01": return .other
        default:
            if sqlState.hasPrefix("23") { return .constraintViolation }
            if sqlState.hasPrefix("08") { return .connectionFailure }
            return .other
        }
    }

    /// The error a failed `PQexec*` reported. Only the primary message is kept: the DETAIL of
    /// a constraint error repeats the row's values ("Key (email)=(…) already exists").
    /// A connection that went bad makes it a `.connectionFailure` whatever the SQLSTATE.
    static func postgres(result: OpaquePointer?, connection: OpaquePointer, target: PostgresTarget) -> SQLError {
        let sqlState = result.flatMap { PQresultErrorField($0, diagnostic("C")) }.map { String(cString: $0) } ?? ""
        let message = result.flatMap { PQresultErrorField($0, diagnostic("M")) }.map { String(cString: $0) }
            ?? result.flatMap { PQresultErrorMessage($0) }.map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
            ?? PQerrorMessage(connection).map { String(cString: $0) }
            ?? "unknown error"
        var kind = postgresKind(sqlState)
        if PQstatus(connection) == CONNECTION_BAD { kind = .connectionFailure }
        var text = target.redact(PostgresTarget.oneLine(message))
        if kind == .connectionFailure { text = "connection to PostgreSQL at \(target.display) lost: \(text)" }
        return SQLError(kind, text, code: sqlState)
    }

    /// A `PG_DIAG_*` field code; they are character macros that Swift does not import.
    private static func diagnostic(_ field: Unicode.Scalar) -> Int32 {
        Int32(field.value)
    }

    static var databaseClosed: SQLError { SQLError(.connectionFailure, "database is closed") }
}
