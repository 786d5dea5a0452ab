internal import CPostgres
internal import GatehouseStoreSQL
#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// One libpq connection (`PGconn*`), finished in `deinit`.
///
/// Not `Sendable`: each connection is owned by one `PostgresSlot` and used only on its serial
/// queue (libpq allows a connection on one thread at a time).
///
/// Statements run with `PQexecParams`: parameters travel as text with their types left to the
/// server (OID 0), and results come back as text, decoded by column type (see
/// `PostgresValues`).
final class PostgresConnection: SQLConnection {
    let dialect: SQLDialect = .postgres
    private let handle: OpaquePointer
    private let target: PostgresTarget

    /// Connects (blocking, bounded by `connect_timeout`).
    init(target: PostgresTarget) throws(SQLError) {
        let keywords = ["connect_timeout", "fallback_application_name", "dbname", "client_encoding"]
        let values = [String(target.connectTimeout), "gatehouse", target.url, "UTF8"]
        // Later entries override earlier ones, and `dbname` is expanded into everything the
        // URL says: the URL may override the timeout and the application name, but the client
        // encoding is always UTF-8.
        guard let connection = withCStrings(keywords, { keywords in
            withCStrings(values) { values in PQconnectdbParams(keywords, values, 1) }
        }) else {
            throw SQLError(.connectionFailure, "cannot connect to PostgreSQL at \(target.display): out of memory")
        }
        handle = connection
        self.target = target
        guard PQstatus(handle) == CONNECTION_OK else { throw connectError("cannot connect to") }
        // Server NOTICEs (and the FATAL a terminated backend sends while idle) would otherwise
        // be printed on stderr by libpq's default notice processor.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
    }

    deinit {
        PQfinish(handle)
    }

    /// Makes sure the connection is usable before a body runs: reads whatever the server sent
    /// while the connection was idle (a terminated backend sends an error, then closes the
    /// socket), and re-establishes a connection that has gone bad.
    func revalidate() throws(SQLError) {
        drainIdleInput()
        guard PQstatus(handle) != CONNECTION_OK else { return }
        PQreset(handle)
        guard PQstatus(handle) == CONNECTION_OK else { throw connectError("cannot reconnect to") }
    }

    /// Whether a transaction is open or failed (a body returned or threw between BEGIN and
    /// COMMIT).
    var inTransaction: Bool {
        let status = PQtransactionStatus(handle)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR
    }

    var isBad: Bool { PQstatus(handle) == CONNECTION_BAD }

    @discardableResult
    func execute(_ sql: String, _ parameters: [SQLValue]) throws(SQLError) -> Int {
        let result = try run(sql, parameters)
        guard let count = PQcmdTuples(result.handle), count.pointee != 0 else { return 0 }
        return Int(String(cString: count)) ?? 0
    }

    func query(_ sql: String, _ parameters: [SQLValue]) throws(SQLError) -> [SQLRow] {
        try run(sql, parameters).rows()
    }

    /// Runs a script with `PQexec`, which accepts several statements. Unless the script has
    /// its own BEGIN/COMMIT, PostgreSQL runs it as one implicit transaction.
    func executeScript(_ sql: String) throws(SQLError) {
        _ = try check(PQexec(handle, sql))
    }

    private func run(_ sql: String, _ parameters: [SQLValue]) throws(SQLError) -> PostgresResult {
        let texts = try PostgresValues.encode(parameters)
        let raw = PostgresValues.withParameterPointers(texts) { pointers in
            PQexecParams(handle, sql, Int32(texts.count), nil, pointers, nil, nil, 0)
        }
        return try check(raw)
    }

    /// Takes ownership of a `PGresult*` and turns a failed one into an `SQLError`.
    private func check(_ raw: OpaquePointer?) throws(SQLError) -> PostgresResult {
        guard let raw else {
            throw SQLError.postgres(result: nil, connection: handle, target: target)
        }
        let result = PostgresResult(raw)
        switch PQresultStatus(raw) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return result
        case PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH:
            throw SQLError(.other, "COPY is not supported through this driver")
        default:
            throw SQLError.postgres(result: raw, connection: handle, target: target)
        }
    }

    private func connectError(_ verb: String) -> SQLError {
        let detail = PQerrorMessage(handle).map { String(cString: $0) } ?? ""
        let message = target.redact(PostgresTarget.oneLine(detail))
        return SQLError(.connectionFailure, "\(verb) PostgreSQL at \(target.display): \(message)", code: "08001")
    }

    /// Reads, without blocking, what arrived on an idle connection. A closed socket turns the
    /// connection's status to CONNECTION_BAD. The loop is bounded: an idle connection gets at
    /// most an error message and then end-of-file.
    private func drainIdleInput() {
        let socket = PQsocket(handle)
        guard socket >= 0 else { return }
        for _ in 0..<8 {
            var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 0) > 0 else { return }
            guard PQconsumeInput(handle) != 0 else { return }
            while let notification = PQnotifies(handle) { PQfreemem(notification) }
            guard PQstatus(handle) == CONNECTION_OK else { return }
        }
    }
}

/// A `PGresult*`, cleared in `deinit` so that every path frees it. Not `Sendable`: it lives
/// only within one call on the connection's queue.
final class PostgresResult {
    let handle: OpaquePointer

    init(_ handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        PQclear(handle)
    }

    func rows() -> [SQLRow] {
        let rowCount = PQntuples(handle)
        let columnCount = PQnfields(handle)
        let columns = (0..<columnCount).map { PQfname(handle, $0).map { String(cString: $0) } ?? "" }
        let types = (0..<columnCount).map { PQftype(handle, $0) }
        return (0..<rowCount).map { row in
            let values = (0..<columnCount).map { column -> SQLValue in
                guard PQgetisnull(handle, row, column) == 0, let value = PQgetvalue(handle, row, column) else {
                    return .null
                }
                let length = Int(PQgetlength(handle, row, column))
                return value.withMemoryRebound(to: UInt8.self, capacity: length) {
                    PostgresValues.decode(UnsafeBufferPointer(start: $0, count: length), type: types[Int(column)])
                }
            }
            return SQLRow(columns: columns, values: values)
        }
    }
}

/// Runs `body` with NUL-terminated copies of `strings`, freed afterwards.
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    return body(copies.map { UnsafePointer($0) } + [nil])
}
