import Foundation
import GatehouseCore
import GatehouseCrypto
import GatehouseJOSE
import GatehousePasswords
import GatehouseStore
import GatehouseStorePostgres
import GatehouseStoreSQL
import GatehouseStoreSQLite

#if canImport(Glibc)
import Glibc
#endif

/// The provider under load, over HTTP on loopback, with 150,000 accounts in the store, on SQLite
/// and (when `GATEHOUSE_BENCH_POSTGRES_URL` is set) on PostgreSQL:
///
/// - `client_credentials` token requests per second, next to one ES256 signature per second;
/// - full password logins per second (`GET /authorize` with PKCE, the login form `POST`ed with a
///   fresh cookie jar, the code redeemed at `/token`), next to Argon2id hashes per second with
///   the stored hash's parameters on all cores;
/// - introspection requests per second;
/// - the server's resident memory after the run.
///
/// Each backend gets a scratch folder (Policies copied from the repository, fresh keys, the 34
/// provinces), set up through the release `gatehouse` binary (`GATEHOUSE_BIN`, default
/// `.build/release/gatehouse`). One account gets a real Argon2id hash through
/// `gatehouse accounts add`; the 150,000 bench accounts reuse that hash and are written
/// straight into the store, 1,000 per transaction. If `GATEHOUSE_BENCH_PIDFILE` is set, the
/// server's pid is appended to it, so that scripts/run-bench.sh stops it even if this process dies.
enum OIDCBench {
    static let accounts = 150_000
    static let batch = 1_000
    static let concurrency = 16
    static let seconds = 10.0
    static let password = "Sông Hồng mùa thu năm 2025"
    static let redirectURI = "http://127.0.0.1:9/cb"
    static let svcSecret = hexSecret()
    static let webSecret = hexSecret()

    static func run() async throws {
        let binary = ProcessInfo.processInfo.environment["GATEHOUSE_BIN"].flatMap { $0.isEmpty ? nil : $0 } ?? ".build/release/gatehouse"
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw BenchFailure("\(binary) not found: build it with `swift build -c release --product gatehouse` (scripts/run-bench.sh does)")
        }
        print("\(accounts) accounts, \(concurrency) requests in flight, \(Int(seconds)) s per measurement, \(ProcessInfo.processInfo.activeProcessorCount) cores")
        try await withScratchFolder { folder in
            try await bench("sqlite", binary: binary, folder: folder, databaseURL: "sqlite:" + folder.appendingPathComponent("gatehouse.sqlite").path)
        }
        if let url = ProcessInfo.processInfo.environment["GATEHOUSE_BENCH_POSTGRES_URL"], !url.isEmpty {
            try await withScratchPostgresURL(url) { databaseURL in
                try await withScratchFolder { folder in
                    try await bench("postgres", binary: binary, folder: folder, databaseURL: databaseURL)
                }
            }
        } else {
            print("postgres: skipped (GATEHOUSE_BENCH_POSTGRES_URL is not set)")
        }
    }

    // MARK: - One backend

    static func bench(_ label: String, binary: String, folder: URL, databaseURL: String) async throws {
        let policies = folder.appendingPathComponent("Policies").path
        let keys = folder.appendingPathComponent("Keys").path
        try FileManager.default.copyItem(atPath: "Policies", toPath: policies)
        let data = ["--database", databaseURL, "--policies", policies, "--keys", keys]
        try runTool(binary, ["keys", "generate", "--keys", keys])
        try runTool(binary, ["units", "import", "Tests/Fixtures/provinces.csv"] + data)
        try runTool(binary, ["accounts", "add", "bench.hash", "--unit", "/ha-noi", "--password-stdin"] + data, stdin: password)
        try runTool(binary, ["clients", "add", "bench-svc", "--grant-type", "client_credentials", "--secret-stdin"] + data, stdin: svcSecret)
        try runTool(binary, ["clients", "add", "bench-web", "--redirect-uri", redirectURI, "--secret-stdin"] + data, stdin: webSecret)

        let (hash, insertRate) = try await seed(databaseURL)
        report("\(label): account inserts (set-up), 1,000 per tx", insertRate, "accounts/s")
        let parameters = try argon2Parameters(hash)

        let port = try freePort()
        let server = try Server(binary: binary, arguments: ["serve", "--host", "127.0.0.1", "--port", "\(port)", "--issuer", "http://127.0.0.1:\(port)"] + data,
                                log: folder.appendingPathComponent("server.log"))
        do {
            try server.waitReady(port: port)
            try await measure(label, port: port, server: server, parameters: parameters)
        } catch {
            server.stop()
            FileHandle.standardError.write(Data("\(label): server log tail:\n\(server.logTail())\n".utf8))
            throw error
        }
        server.stop()
    }

    static func measure(_ label: String, port: UInt16, server: Server, parameters: Argon2Parameters) async throws {
        let svcAuth = basic("bench-svc", svcSecret)
        let webAuth = basic("bench-web", webSecret)

        // 1. client_credentials, next to one ES256 signature.
        let first = try HTTPConnection(port: port).request("POST", "/token", form: ["grant_type": "client_credentials"], headers: [("Authorization", svcAuth)])
        guard first.status == 200, let accessToken = first.json?["access_token"] as? String else {
            throw BenchFailure("client_credentials: \(first.status) \(first.text.prefix(300))")
        }
        let tokens = try load("\(label): client_credentials", port: port) { http in
            let r = try http.request("POST", "/token", form: ["grant_type": "client_credentials"], headers: [("Authorization", svcAuth)])
            guard r.status == 200 else { throw BenchFailure("token \(r.status) \(r.text.prefix(200))") }
        }
        let es256 = try es256Rate()
        report("\(label): client_credentials, POST /token", tokens, "requests/s")
        report("\(label): one ES256 signature (JWTSigner), 1 thread", es256, "signs/s")

        // 2. Full password logins, next to Argon2id at the stored parameters on all cores.
        let logins = try load("\(label): password login", port: port) { http in
            try login(http, port: port, webAuth: webAuth)
        }
        let argon = try await argon2Rate(parameters)
        report("\(label): password logins, authorize to code exchange", logins, "logins/s")
        report("\(label): Argon2id m=\(parameters.memoryKiB),t=\(parameters.iterations),p=\(parameters.parallelism), \(ProcessInfo.processInfo.activeProcessorCount) cores", argon, "hashes/s")

        // 3. Introspection of an access token from step 1.
        let check = try HTTPConnection(port: port).request("POST", "/introspect", form: ["token": accessToken], headers: [("Authorization", svcAuth)])
        guard check.status == 200, check.json?["active"] as? Bool == true else {
            throw BenchFailure("introspect: \(check.status) \(check.text.prefix(300))")
        }
        let introspections = try load("\(label): introspection", port: port) { http in
            let r = try http.request("POST", "/introspect", form: ["token": accessToken], headers: [("Authorization", svcAuth)])
            guard r.status == 200 else { throw BenchFailure("introspect \(r.status) \(r.text.prefix(200))") }
        }
        report("\(label): introspection, POST /introspect", introspections, "requests/s")

        // 4. Resident memory after the run.
        if let rss = server.residentKiB() {
            report("\(label): server VmRSS after the run", Double(rss) / 1024, "MiB")
        }
    }

    /// One browser login with a fresh cookie jar: authorize, the form, the code at /token.
    static func login(_ http: HTTPConnection, port: UInt16, webAuth: String) throws {
        let verifier = SecureRandom.token(byteCount: 32)
        let challenge = Base64URL.encode(Digest.sha256(verifier))
        let state = SecureRandom.token(byteCount: 12)
        let query = FormCoding.encode([
            ("response_type", "code"), ("client_id", "bench-web"), ("redirect_uri", redirectURI), ("scope", "openid profile"),
            ("state", state), ("nonce", SecureRandom.token(byteCount: 12)), ("code_challenge", challenge), ("code_challenge_method", "S256"),
        ])
        // The authorization request answers the login form, possibly after a redirect to it.
        var page = try http.request("GET", "/authorize?" + query)
        var jar = Cookies()
        for _ in 0..<3 where page.status == 302 || page.status == 303 {
            jar.take(page)
            guard let location = page.header("location"), let target = localTarget(location) else { break }
            page = try http.request("GET", target, headers: [("Cookie", jar.header)])
        }
        guard page.status == 200 else { throw BenchFailure("authorize \(page.status) \(page.header("location") ?? "") \(page.text.prefix(200))") }
        jar.take(page)
        let cookies = jar.header
        let (action, hidden) = try loginForm(page.text)
        var fields = hidden
        fields.append(("username", String(format: "bench.%06d", Int.random(in: 0..<accounts))))
        fields.append(("password", password))
        let posted = try http.request("POST", action, body: Array(FormCoding.encode(fields).utf8),
                                      headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Cookie", cookies)])
        guard posted.status == 302 || posted.status == 303, let location = posted.header("location"), location.hasPrefix(redirectURI + "?"),
              let items = URLComponents(string: location)?.queryItems,
              let code = items.first(where: { $0.name == "code" })?.value, items.first(where: { $0.name == "state" })?.value == state
        else { throw BenchFailure("login \(posted.status) \(posted.header("location") ?? "") \(posted.text.prefix(200))") }
        let token = try http.request("POST", "/token", form: [
            "grant_type": "authorization_code", "code": code, "redirect_uri": redirectURI, "code_verifier": verifier,
        ], headers: [("Authorization", webAuth)])
        guard token.status == 200 else { throw BenchFailure("code exchange \(token.status) \(token.text.prefix(200))") }
    }

    /// A cookie jar for one browser: name → value from `Set-Cookie`.
    struct Cookies {
        var values: [(String, String)] = []
        mutating func take(_ response: HTTPResponse) {
            for (name, value) in response.headers where name.lowercased() == "set-cookie" {
                guard let pair = value.split(separator: ";").first, let eq = pair.firstIndex(of: "=") else { continue }
                let key = String(pair[..<eq]).trimmingCharacters(in: .whitespaces)
                values.removeAll { $0.0 == key }
                values.append((key, String(pair[pair.index(after: eq)...])))
            }
        }
        var header: String { values.map { "\($0.0)=\($0.1)" }.joined(separator: "; ") }
    }

    /// The path and query of a redirect on the server itself (relative, or http://127.0.0.1:PORT/...).
    static func localTarget(_ location: String) -> String? {
        if location.hasPrefix("/") { return location }
        guard let url = URLComponents(string: location), url.host == "127.0.0.1" else { return nil }
        return url.percentEncodedPath + (url.percentEncodedQuery.map { "?" + $0 } ?? "")
    }

    /// The first POST form of the page: its action and its hidden fields.
    static func loginForm(_ html: String) throws -> (String, [(String, String)]) {
        guard let form = html.range(of: "<form method=\"post\" action=\""),
              let end = html[form.upperBound...].firstIndex(of: "\"")
        else { throw BenchFailure("no login form in the /authorize page") }
        let action = unescape(String(html[form.upperBound..<end]))
        var fields: [(String, String)] = []
        var rest = html[end...]
        while let input = rest.range(of: "<input type=\"hidden\" name=\"") {
            let afterName = rest[input.upperBound...]
            guard let nameEnd = afterName.firstIndex(of: "\""),
                  let valueStart = afterName[nameEnd...].range(of: "value=\""),
                  let valueEnd = afterName[valueStart.upperBound...].firstIndex(of: "\"")
            else { break }
            fields.append((String(afterName[..<nameEnd]), unescape(String(afterName[valueStart.upperBound..<valueEnd]))))
            rest = afterName[valueEnd...]
        }
        guard fields.contains(where: { $0.0 == "csrf" }), fields.contains(where: { $0.0 == "flow" }) else {
            throw BenchFailure("the login form lacks csrf or flow")
        }
        return (action, fields)
    }

    static func unescape(_ s: String) -> String {
        s.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }

    // MARK: - Primitives measured in the same run

    static func es256Rate() throws -> Double {
        let signer = JWTSigner(key: try SigningKey.generate(.es256), type: "at+jwt")
        let now = Date()
        let claims = JWTClaims(issuer: "http://127.0.0.1", subject: "bench-svc", audience: "bench-svc", expiresAt: now + 300, issuedAt: now,
                               jwtID: SecureRandom.token(byteCount: 16), additional: ["client_id": "bench-svc", "scope": "openid"])
        return try opsPerSecond(seconds: 2) { _ = try signer.sign(claims) }
    }

    static func argon2Rate(_ parameters: Argon2Parameters) async throws -> Double {
        let service = try PasswordService(parameters: parameters)
        defer { service.shutdown() }
        let jobs = 24 * ProcessInfo.processInfo.activeProcessorCount
        _ = try await service.hash(password)
        let start = DispatchTime.now().uptimeNanoseconds
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<jobs { group.addTask { _ = try await service.hash(password) } }
            try await group.waitForAll()
        }
        return Double(jobs) / (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }

    /// `$argon2id$v=19$m=…,t=…,p=…$salt$hash` → its parameters.
    static func argon2Parameters(_ phc: String) throws -> Argon2Parameters {
        let parts = phc.split(separator: "$")
        guard parts.count >= 4, parts[0] == "argon2id" else { throw BenchFailure("not an Argon2id hash: \(phc.prefix(20))") }
        var values: [String: Int] = [:]
        for pair in parts[2].split(separator: ",") {
            let kv = pair.split(separator: "=")
            if kv.count == 2 { values[String(kv[0])] = Int(kv[1]) }
        }
        guard let m = values["m"], let t = values["t"], let p = values["p"] else { throw BenchFailure("no parameters in \(parts[2])") }
        return Argon2Parameters(memoryKiB: m, iterations: t, parallelism: p)
    }

    // MARK: - Load

    /// Runs `body` on `concurrency` threads, each with its own keep-alive connection, for
    /// `seconds` (and at most `limit` operations in all); returns successful operations per
    /// second. Fails if more than 1% of the operations fail.
    static func load(_ name: String, port: UInt16, seconds: Double = seconds, limit: Int = 2_000_000,
                     _ body: @escaping @Sendable (HTTPConnection) throws -> Void) throws -> Double {
        let tally = Tally()
        let group = DispatchGroup()
        let start = DispatchTime.now().uptimeNanoseconds
        let deadline = start + UInt64(seconds * 1e9)
        for _ in 0..<concurrency {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                var http: HTTPConnection?
                while DispatchTime.now().uptimeNanoseconds < deadline, tally.claim(limit) {
                    do {
                        if http == nil { http = try HTTPConnection(port: port) }
                        try body(http!)
                        tally.succeeded()
                    } catch {
                        http = nil
                        tally.failed(error)
                    }
                }
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        group.wait()
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let (ok, failed, firstError) = tally.result
        if failed > 0 {
            FileHandle.standardError.write(Data("\(name): \(failed) of \(ok + failed) failed; first: \(firstError ?? "?")\n".utf8))
        }
        guard ok > 0, failed * 100 <= ok + failed else { throw BenchFailure("\(name): too many failures (\(failed) of \(ok + failed))") }
        return Double(ok) / elapsed
    }

    final class Tally: @unchecked Sendable {
        private let lock = NSLock()
        private var claimed = 0, ok = 0, failures = 0
        private var first: String?

        func claim(_ limit: Int) -> Bool {
            lock.withLock {
                guard claimed < limit else { return false }
                claimed += 1
                return true
            }
        }
        func succeeded() { lock.withLock { ok += 1 } }
        func failed(_ error: any Error) {
            lock.withLock {
                failures += 1
                if first == nil { first = String(describing: error) }
            }
        }
        var result: (Int, Int, String?) { lock.withLock { (ok, failures, first) } }
    }

    // MARK: - Set-up

    /// Inserts the bench accounts with the hash `gatehouse accounts add` made for bench.hash;
    /// returns that hash and the insert rate.
    static func seed(_ databaseURL: String) async throws -> (String, Double) {
        let database: any SQLDatabase = databaseURL.hasPrefix("sqlite:")
            ? try SQLiteDatabase(path: String(databaseURL.dropFirst("sqlite:".count)))
            : try PostgresDatabase(url: databaseURL, poolSize: 2)
        let store = try await SQLStore(database: database)
        do {
            let result = try await seedAccounts(store)
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }

    static func seedAccounts(_ store: SQLStore) async throws -> (String, Double) {
        let template = try await store.read { try $0.account(username: Username("bench.hash")) }
        guard let hash = template.passwordHash else { throw BenchFailure("bench.hash has no password hash") }
        let csv = try String(contentsOfFile: "Tests/Fixtures/provinces.csv", encoding: .utf8)
        let slugs = csv.split(separator: "\n").dropFirst().compactMap { $0.split(separator: ",").first.map(String.init) }
        var unitIDs: [UUID] = []
        for slug in slugs {
            let path = try UnitPath("/" + slug)
            unitIDs.append(try await store.read { try $0.unit(path: path).id })
        }
        guard !unitIDs.isEmpty else { throw BenchFailure("no provinces imported") }
        let units = unitIDs
        let now = Date()
        let start = DispatchTime.now().uptimeNanoseconds
        for first in stride(from: 0, to: accounts, by: batch) {
            try await store.write { tx in
                for i in first..<min(first + batch, accounts) {
                    let name = String(format: "bench.%06d", i)
                    try tx.insertAccount(Account(
                        id: UUID(), username: try Username(name), displayName: "Cán bộ \(i)", email: "\(name)@example.gov.vn",
                        unitID: units[i % units.count], passwordHash: hash, passwordChangedAt: now, createdAt: now))
                }
            }
        }
        return (hash, Double(accounts) / (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9))
    }

    static func runTool(_ binary: String, _ arguments: [String], stdin: String? = nil) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data((stdin + "\n").utf8)) }
        try input.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchFailure("gatehouse \(arguments.prefix(2).joined(separator: " ")) failed (\(process.terminationStatus)): \(text)")
        }
    }

    static func withScratchFolder(_ body: (URL) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-oidc-bench-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try await body(folder)
    }

    /// A fresh database through the maintenance URL, dropped afterwards (random hex name: safe
    /// in CREATE/DROP DATABASE, which take no parameters).
    static func withScratchPostgresURL(_ url: String, _ body: (String) async throws -> Void) async throws {
        let admin = try PostgresDatabase(url: url, poolSize: 1)
        let name = "gh_oidc_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        try await admin.withConnection(forWriting: true) { try $0.executeScript("CREATE DATABASE \(name)") }
        var failure: (any Error)?
        if var components = URLComponents(string: url) {
            components.path = "/" + name
            do { try await body(components.string ?? url) } catch { failure = error }
        } else {
            failure = BenchFailure("GATEHOUSE_BENCH_POSTGRES_URL is not a URL")
        }
        try await admin.withConnection(forWriting: true) { try $0.executeScript("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
        await admin.close()
        if let failure { throw failure }
    }

    static func hexSecret() -> String { (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined() }

    static func basic(_ id: String, _ secret: String) -> String {
        "Basic " + Data("\(FormCoding.escape(id)):\(FormCoding.escape(secret))".utf8).base64EncodedString()
    }

    static func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchFailure("socket: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in.loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw BenchFailure("bind: errno \(errno)") }
        return UInt16(bigEndian: address.sin_port)
    }
}

// MARK: - The server process

final class Server {
    let process = Process()
    let logURL: URL

    init(binary: String, arguments: [String], log: URL) throws {
        logURL = log
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice  // one log line per request
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        if let pidfile = ProcessInfo.processInfo.environment["GATEHOUSE_BENCH_PIDFILE"], !pidfile.isEmpty,
           let handle = FileHandle(forWritingAtPath: pidfile) ?? (FileManager.default.createFile(atPath: pidfile, contents: nil) ? FileHandle(forWritingAtPath: pidfile) : nil) {
            handle.seekToEndOfFile()
            handle.write(Data("\(process.processIdentifier)\n".utf8))
            try? handle.close()
        }
    }

    func waitReady(port: UInt16, timeout: Double = 60) throws {
        let deadline = Date() + timeout
        while Date() < deadline {
            guard process.isRunning else { throw BenchFailure("gatehouse serve exited with status \(process.terminationStatus)") }
            if let r = try? HTTPConnection(port: port).request("GET", "/health/ready"), r.status == 200 { return }
            usleep(100_000)
        }
        throw BenchFailure("gatehouse serve not ready after \(Int(timeout)) s")
    }

    func residentKiB() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Int(line.dropFirst("VmRSS:".count).trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "")
        }
        return nil
    }

    /// SIGTERM (graceful), then SIGKILL after 10 s.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date() + 10
        while process.isRunning && Date() < deadline { usleep(50_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    func logTail() -> String {
        let text = (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(20).joined(separator: "\n")
    }
}

// MARK: - A small blocking HTTP/1.1 client (keep-alive, loopback)

struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

enum FormCoding {
    static let allowed: CharacterSet = {
        var set = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        set.insert(charactersIn: "-._~")
        return set
    }()
    static func escape(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s }
    static func encode(_ pairs: [(String, String)]) -> String { pairs.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&") }
}

struct HTTPResponse {
    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }
    var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] }
    func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name }?.1 }
    /// The `Set-Cookie` name=value pairs, as one `Cookie` header value.
    var cookies: String {
        headers.filter { $0.0.lowercased() == "set-cookie" }.compactMap { $0.1.split(separator: ";").first.map(String.init) }.joined(separator: "; ")
    }
}

extension sockaddr_in {
    static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}

final class HTTPConnection {
    let fd: Int32
    let port: UInt16
    private var buffer: [UInt8] = []
    private var closed = false

    init(port: UInt16) throws {
        self.port = port
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchFailure("socket: errno \(errno)") }
        var address = sockaddr_in.loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard connected else {
            let e = errno
            close(fd)
            throw BenchFailure("connect 127.0.0.1:\(port): errno \(e)")
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    func request(_ method: String, _ target: String, form: [String: String], headers: [(String, String)] = []) throws -> HTTPResponse {
        try request(method, target, body: Array(FormCoding.encode(form.map { ($0.key, $0.value) }).utf8),
                    headers: [("Content-Type", "application/x-www-form-urlencoded")] + headers)
    }

    func request(_ method: String, _ target: String, body: [UInt8] = [], headers: [(String, String)] = []) throws -> HTTPResponse {
        guard !closed else { throw BenchFailure("connection closed by the server") }
        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if method != "GET" || !body.isEmpty { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        try send(Array(head.utf8) + body)
        return try readResponse()
    }

    private func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw BenchFailure("send: errno \(errno)") }
            sent += n
        }
    }

    /// Reads more bytes into the buffer; false at end of stream.
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n < 0 { throw BenchFailure("recv: errno \(errno)") }
        if n == 0 { return false }
        buffer.append(contentsOf: chunk[..<n])
        return true
    }

    private func headEnd() -> Int? {
        guard buffer.count >= 4 else { return nil }
        for i in 0...(buffer.count - 4) where buffer[i] == 13 && buffer[i + 1] == 10 && buffer[i + 2] == 13 && buffer[i + 3] == 10 { return i }
        return nil
    }

    private func readResponse() throws -> HTTPResponse {
        var end = headEnd()
        while end == nil {
            guard try fill() else { throw BenchFailure("connection closed before a response") }
            end = headEnd()
        }
        let head = String(decoding: buffer[..<end!], as: UTF8.self)
        buffer.removeFirst(end! + 4)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw BenchFailure("bad status line") }
        var headers: [(String, String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        var response = HTTPResponse(status: status, headers: headers, body: [])
        if response.header("transfer-encoding")?.lowercased().contains("chunked") == true {
            response.body = try readChunked()
        } else if let length = response.header("content-length").flatMap(Int.init) {
            while buffer.count < length { guard try fill() else { throw BenchFailure("short body") } }
            response.body = Array(buffer[..<length])
            buffer.removeFirst(length)
        } else if status != 204 && status != 304 && !(100..<200).contains(status) {
            while try fill() {}
            response.body = buffer
            buffer = []
            closed = true
        }
        if response.header("connection")?.lowercased() == "close" { closed = true }
        return response
    }

    private func readLine() throws -> String {
        while true {
            if let i = buffer.indices.dropLast().first(where: { buffer[$0] == 13 && buffer[$0 + 1] == 10 }) {
                let line = String(decoding: buffer[..<i], as: UTF8.self)
                buffer.removeFirst(i + 2)
                return line
            }
            guard try fill() else { throw BenchFailure("connection closed in a chunk header") }
        }
    }

    private func readChunked() throws -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let sizeLine = try readLine()
            guard let size = Int(sizeLine.split(separator: ";").first ?? "", radix: 16) else { throw BenchFailure("bad chunk size") }
            if size == 0 {
                while try readLine() != "" {}
                return body
            }
            while buffer.count < size + 2 { guard try fill() else { throw BenchFailure("short chunk") } }
            body.append(contentsOf: buffer[..<size])
            buffer.removeFirst(size + 2)
        }
    }
}
