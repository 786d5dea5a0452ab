/// Argon2id cost parameters (RFC 9106 §3.1) plus the salt and tag lengths.
///
/// ```swift
/// let params = Argon2Parameters(memoryKiB: 19_456, iterations: 2, parallelism: 1)
/// let phc = try Argon2id.hash(password: "correct horse", parameters: params)
/// ```
public struct Argon2Parameters: Hashable, Sendable, CustomStringConvertible {
    /// Memory size `m` in KiB (1 KiB blocks). At least 8 × `parallelism`.
    public var memoryKiB: Int
    /// Number of passes `t`.
    public var iterations: Int
    /// Degree of parallelism `p` (lanes). Each lane runs on its own thread inside the library.
    public var parallelism: Int
    /// Salt length in bytes; RFC 9106 §3.1 recommends 16.
    public var saltLength: Int
    /// Tag length in bytes; 32 is the reference implementation's default.
    public var hashLength: Int

    public init(memoryKiB: Int, iterations: Int, parallelism: Int, saltLength: Int = 16, hashLength: Int = 32) {
        self.memoryKiB = memoryKiB
        self.iterations = iterations
        self.parallelism = parallelism
        self.saltLength = saltLength
        self.hashLength = hashLength
    }

    /// Gatehouse's defaults: m = 19 MiB, t = 2, p = 1 (the OWASP Password Storage Cheat Sheet's
    /// recommended minimum). `Policies/password.yaml` explains the sizing for the morning
    /// login peak; `gatehouse-bench passwords` measures it.
    public static let `default` = Argon2Parameters(memoryKiB: 19_456, iterations: 2, parallelism: 1)

    /// The most work Gatehouse spends on a hash it reads from storage. Anything costlier is
    /// refused rather than computed, so a hostile row cannot take the server's memory or CPU:
    /// at most 1 GiB, 10 passes and 16 lanes.
    public static let storedHashLimits = Limits(maxMemoryKiB: 1 << 20, maxIterations: 10, maxParallelism: 16)

    /// Upper bounds on parameters read from a stored hash.
    public struct Limits: Hashable, Sendable {
        public var maxMemoryKiB: Int
        public var maxIterations: Int
        public var maxParallelism: Int
        public init(maxMemoryKiB: Int, maxIterations: Int, maxParallelism: Int) {
            self.maxMemoryKiB = maxMemoryKiB
            self.maxIterations = maxIterations
            self.maxParallelism = maxParallelism
        }
    }

    /// Checks the values against RFC 9106 §3.1 and the limits: m ≥ 8p, 1 ≤ t, 1 ≤ p,
    /// salt ≥ 8 bytes (the reference implementation's minimum), tag 4…1024 bytes.
    public func validate(limits: Limits = Argon2Parameters.storedHashLimits) throws(PasswordError) {
        guard (1...limits.maxParallelism).contains(parallelism) else {
            throw .invalidParameters("parallelism \(parallelism) is outside 1...\(limits.maxParallelism)")
        }
        guard (8 * parallelism...limits.maxMemoryKiB).contains(memoryKiB) else {
            throw .invalidParameters("memory \(memoryKiB) KiB is outside \(8 * parallelism)...\(limits.maxMemoryKiB) KiB")
        }
        guard (1...limits.maxIterations).contains(iterations) else {
            throw .invalidParameters("iterations \(iterations) is outside 1...\(limits.maxIterations)")
        }
        guard (8...64).contains(saltLength) else { throw .invalidParameters("salt length \(saltLength) is outside 8...64 bytes") }
        guard (4...1024).contains(hashLength) else { throw .invalidParameters("hash length \(hashLength) is outside 4...1024 bytes") }
    }

    /// `m=19456,t=2,p=1`, as in a PHC string.
    public var description: String { "m=\(memoryKiB),t=\(iterations),p=\(parallelism)" }
}
