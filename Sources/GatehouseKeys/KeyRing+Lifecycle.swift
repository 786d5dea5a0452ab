public import Foundation
public import GatehouseJOSE

extension KeyRing {
    /// The key that signs `algorithm` tokens at `time`: the newest key of that algorithm whose
    /// `activatesAt` is at or before `time` and which is not retired.
    /// - Throws: ``KeyRingError/Code/noActiveKey`` when there is none.
    public func signingKey(for algorithm: JWSAlgorithm, at time: Date) throws -> SigningKey {
        guard let entry = state.withLock({ KeyRing.signingEntry(in: $0, for: algorithm, at: time) }) else {
            throw KeyRingError(.noActiveKey, path: directory,
                               "no \(algorithm) key may sign at \(time.formatted(.iso8601)); run gatehouse keys generate --alg \(algorithm)")
        }
        return entry.key
    }

    static func signingEntry(in state: State, for algorithm: JWSAlgorithm, at time: Date) -> Entry? {
        state.entries.values.filter { $0.info.algorithm == algorithm && $0.info.maySign(at: time) }
            .max { olderFirst($0.info, $1.info) }
    }

    /// Where `key` stands at `time` among the ring's keys.
    public func status(of key: KeyInfo, at time: Date, maxTokenLifetime: TimeInterval) -> KeyStatus {
        if key.isRetired(at: time) { return key.isPublished(at: time, maxTokenLifetime: maxTokenLifetime) ? .retired : .expired }
        if key.activatesAt > time { return .pending }
        let signing = state.withLock { KeyRing.signingEntry(in: $0, for: key.algorithm, at: time) }
        return signing?.info.keyID == key.keyID ? .signing : .standby
    }

    /// The JWK Set to serve at `time` (RFC 7517 §5): every key not retired for longer than
    /// `maxTokenLifetime` (the longest lifetime of any token the server issues, plus clock
    /// leeway), oldest first. Pending keys are included: that is how caches learn them.
    public func publishedJWKS(at time: Date, maxTokenLifetime: TimeInterval) -> JWKSet {
        JWKSet(keys: list().filter { $0.isPublished(at: time, maxTokenLifetime: maxTokenLifetime) }.map(\.publicJWK))
    }

    /// Generates a key and stores it (`<kid>.json` first, then `<kid>.pem` with mode 0600, each
    /// written atomically), so another node reading the folder meanwhile never sees a half key.
    ///
    /// The key activates at `now` when no other `algorithm` key may sign at `now` (the first
    /// key, or after every such key was retired); otherwise at `now + activationDelay`, so that
    /// every JWKS cache learns it before it signs.
    public func generate(
        _ algorithm: JWSAlgorithm, now: Date, activationDelay: TimeInterval = KeyRing.defaultActivationDelay, rsaBits: Int = 2048
    ) throws -> KeyInfo {
        let key: SigningKey
        do { key = try SigningKey.generate(algorithm, rsaBits: rsaBits) } catch {
            throw KeyRingError(.malformedKey, path: directory, "cannot generate a \(algorithm) key: \(error)")
        }
        let pem = Data(try key.pemRepresentation().utf8)
        let created = now.wholeSeconds
        return try state.withLock { state in
            let busy = KeyRing.signingEntry(in: state, for: algorithm, at: created) != nil
            let metadata = KeyMetadata(alg: algorithm, createdAt: created,
                                       activatesAt: busy ? (created + activationDelay).wholeSeconds : created, retiredAt: nil)
            try folder.writeAtomically(try metadata.encoded(), to: key.keyID + ".json", mode: 0o644, replace: false)
            try folder.writeAtomically(pem, to: key.keyID + ".pem", mode: 0o600, replace: false)
            let info = KeyInfo(keyID: key.keyID, algorithm: algorithm, createdAt: metadata.createdAt,
                               activatesAt: metadata.activatesAt, retiredAt: nil, publicJWK: key.publicJWK)
            state.entries[key.keyID] = Entry(info: info, key: key)
            state.fingerprint = (try? folder.fingerprint()) ?? []
            return info
        }
    }

    /// Retires a key at `time`: from then on it no longer signs; it stays published until
    /// `time + maxTokenLifetime`. Retiring an already retired key keeps the earlier time.
    /// - Throws: ``KeyRingError/Code/unknownKey`` when no key has `keyID`.
    @discardableResult
    public func retire(keyID: String, at time: Date) throws -> KeyInfo {
        try state.withLock { state in
            guard let entry = state.entries[keyID] else {
                throw KeyRingError(.unknownKey, path: directory, "no key with ID \(keyID)")
            }
            let old = entry.info
            if let retired = old.retiredAt, retired <= time { return old }
            let metadata = KeyMetadata(alg: old.algorithm, createdAt: old.createdAt, activatesAt: old.activatesAt, retiredAt: time.wholeSeconds)
            try folder.writeAtomically(try metadata.encoded(), to: keyID + ".json", mode: 0o644, replace: true)
            let info = KeyInfo(keyID: keyID, algorithm: old.algorithm, createdAt: old.createdAt, activatesAt: old.activatesAt,
                               retiredAt: metadata.retiredAt, publicJWK: old.publicJWK)
            state.entries[keyID] = Entry(info: info, key: entry.key)
            state.fingerprint = (try? folder.fingerprint()) ?? []
            return info
        }
    }

    /// Generates a key for each algorithm in `algorithms` that has no key able to sign now or
    /// later (none, or all retired). What `make run` and `gatehouse keys generate` without
    /// `--alg` do, for RS256 (ID tokens) and ES256 (access tokens). Returns the new keys.
    @discardableResult
    public func ensureKeys(for algorithms: [JWSAlgorithm], now: Date) throws -> [KeyInfo] {
        var created: [KeyInfo] = []
        for algorithm in algorithms {
            let covered = list().contains { $0.algorithm == algorithm && !$0.isRetired(at: now) }
            if !covered { created.append(try generate(algorithm, now: now)) }
        }
        return created
    }
}
