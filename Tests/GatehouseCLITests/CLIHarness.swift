import Foundation
import Testing

/// Runs the built `gatehouse` binary as an operator would, in a scratch folder of its own.
struct CLI: Sendable {
    struct Result: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The binary: `GATEHOUSE_BIN` (set by `make test`), else the debug build beside the sources.
    static var binary: String {
        if let bin = ProcessInfo.processInfo.environment["GATEHOUSE_BIN"], !bin.isEmpty { return bin }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/gatehouse").path
    }

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // Each scratch folder gets the shipped policies, so tests run against the real defaults.
        try FileManager.default.copyItem(at: Self.repositoryRoot.appendingPathComponent("Policies"), to: directory.appendingPathComponent("Policies"))
    }

    var database: String { "sqlite:\(directory.path)/gatehouse.sqlite" }

    /// Runs `gatehouse ARGS` in the scratch folder, with `--database` defaulting to its SQLite file.
    /// The process is waited for on a thread of its own, so that concurrent async tests keep the
    /// cooperative pool (two threads on this machine) free.
    @discardableResult
    func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Swift.Result { try self.runBlocking(arguments, stdin: stdin, environment: environment) })
            }
        }
    }

    private func runBlocking(_ arguments: [String], stdin: String?, environment: [String: String]) throws -> Result {
        var env = ProcessInfo.processInfo.environment
        env["GATEHOUSE_DATABASE"] = database
        env["GATEHOUSE_POLICIES"] = directory.appendingPathComponent("Policies").path
        env["GATEHOUSE_KEYS"] = directory.appendingPathComponent("Keys").path
        for (k, v) in environment { env[k] = v }
        return try Self.runBlocking(Self.binary, arguments, stdin: stdin, environment: env, directory: directory)
    }

    /// Runs any program, waiting for it on a thread of its own.
    static func runProcess(_ executable: String, _ arguments: [String], stdin: String? = nil) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Swift.Result {
                    try runBlocking(executable, arguments, stdin: stdin, environment: ProcessInfo.processInfo.environment, directory: nil)
                })
            }
        }
    }

    private static func runBlocking(_ executable: String, _ arguments: [String], stdin: String?, environment env: [String: String], directory: URL?) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        process.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        let stderrData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self), stderr: String(decoding: stderrData, as: UTF8.self))
    }

    /// Writes `text` to a file in the scratch folder and returns its path.
    func write(_ name: String, _ text: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// Declares one confidential client in the scratch folder's Policies/clients.yaml, its secret
    /// taken from the environment variable CONG_VAN_SECRET.
    func declareCongVanClient() throws {
        let yaml = """
        clients:
          - id: cong-van
            name: Công văn
            type: confidential
            redirect_uris: [https://congvan.example.vn/cb]
            grant_types: [authorization_code, refresh_token]
            scopes: [openid, profile]
            token_endpoint_auth_method: client_secret_basic
            secret_env: CONG_VAN_SECRET
        """
        try yaml.write(to: directory.appendingPathComponent("Policies/clients.yaml"), atomically: true, encoding: .utf8)
    }

    func cleanUp() { try? FileManager.default.removeItem(at: directory) }
}

extension CLI.Result {
    /// Non-zero exit, and stderr is exactly one line starting `gatehouse:`.
    var isOneLineFailure: Bool {
        let lines = stderr.split(separator: "\n", omittingEmptySubsequences: true)
        return status != 0 && lines.count == 1 && lines[0].hasPrefix("gatehouse: ")
    }
}

/// A TCP port on 127.0.0.1 that was free a moment ago (the issuer URL must name the real port,
/// so `serve --port 0` is not enough for protocol tests).
func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw POSIXError(.EMFILE) }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard bound else { throw POSIXError(.EADDRINUSE) }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Reads a started process's output until `match` finds what it waits for in the text so far,
/// the pipe closes, or `timeout` passes; returns the match (if any) and the text read. Blocks:
/// call it on a thread of its own.
func awaitOutput<T>(_ pipe: Pipe, timeout: TimeInterval, _ match: (String) -> T?) -> (T?, String) {
    var buffer = Data()
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        let chunk = pipe.fileHandleForReading.availableData
        if chunk.isEmpty { break }
        buffer.append(chunk)
        let text = String(decoding: buffer, as: UTF8.self)
        if let found = match(text) { return (found, text) }
    }
    return (nil, String(decoding: buffer, as: UTF8.self))
}
