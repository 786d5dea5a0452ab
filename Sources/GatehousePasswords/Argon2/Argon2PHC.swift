/// An Argon2id hash in the PHC string format, as the reference implementation writes it:
/// `$argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<tag>`, salt and tag in standard
/// base64 without padding (PHC string format specification, "B64").
///
/// Parsing is strict (fixed field order, decimal numbers without leading zeros, version 19 only)
/// and refuses costs above ``Argon2Parameters/storedHashLimits`` before any work is done.
struct Argon2PHC: Equatable {
    var parameters: Argon2Parameters
    var salt: [UInt8]
    var tag: [UInt8]

    static let scheme = "argon2id"
    /// No well-formed hash within the limits comes near this length.
    static let maxLength = 512

    init(parameters: Argon2Parameters, salt: [UInt8], tag: [UInt8]) {
        self.parameters = parameters
        self.parameters.saltLength = salt.count
        self.parameters.hashLength = tag.count
        self.salt = salt
        self.tag = tag
    }

    var encoded: String {
        "$argon2id$v=19$\(parameters)$\(PHCBase64.encode(salt))$\(PHCBase64.encode(tag))"
    }

    init(parsing string: String) throws(PasswordError) {
        func malformed(_ why: String) -> PasswordError { .malformedHash(scheme: Self.scheme, reason: why) }
        guard string.utf8.count <= Self.maxLength else { throw malformed("longer than \(Self.maxLength) characters") }
        let parts = string.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0].isEmpty, parts[1] == "argon2id" else {
            throw malformed("expected $argon2id$v=19$m=…,t=…,p=…$salt$hash")
        }
        guard parts[2] == "v=19" else {
            throw malformed("version field '\(parts[2])' is not v=19 (Argon2 1.3)")
        }
        let fields = parts[3].split(separator: ",", omittingEmptySubsequences: false)
        guard fields.count == 3 else { throw malformed("parameters must be m=…,t=…,p=…") }
        var values: [Int] = []
        for (field, name) in zip(fields, ["m", "t", "p"]) {
            guard field.hasPrefix("\(name)="), let n = Self.decimal(field.dropFirst(2)) else {
                throw malformed("parameter '\(field)' is not \(name)=<decimal>")
            }
            values.append(n)
        }
        let (m, t, p) = (values[0], values[1], values[2])
        let limits = Argon2Parameters.storedHashLimits
        guard m <= limits.maxMemoryKiB, t <= limits.maxIterations, p <= limits.maxParallelism else {
            throw .costOutOfBounds(scheme: Self.scheme, reason: "m=\(m),t=\(t),p=\(p) exceeds m≤\(limits.maxMemoryKiB),t≤\(limits.maxIterations),p≤\(limits.maxParallelism)")
        }
        guard p >= 1, t >= 1, m >= 8 * p else { throw malformed("m=\(m),t=\(t),p=\(p) is below Argon2's minimums (t≥1, p≥1, m≥8p)") }
        guard let salt = PHCBase64.decode(parts[4]), (8...64).contains(salt.count) else {
            throw malformed("salt is not 8–64 bytes of base64")
        }
        guard let tag = PHCBase64.decode(parts[5]), (4...1024).contains(tag.count) else {
            throw malformed("hash is not 4–1024 bytes of base64")
        }
        self.init(parameters: Argon2Parameters(memoryKiB: m, iterations: t, parallelism: p), salt: salt, tag: tag)
    }

    /// A decimal number of at most 10 digits without a leading zero.
    static func decimal(_ s: Substring) -> Int? {
        guard (1...10).contains(s.utf8.count), s.utf8.allSatisfy({ (48...57).contains($0) }),
              s.utf8.count == 1 || s.utf8.first != 48 else { return nil }
        return Int(s)
    }
}
