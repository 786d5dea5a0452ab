import COpenSSL
import Foundation
import GatehouseJOSE
import GatehouseMiddleware

/// What an application pays per request to accept a Gatehouse access token, and per key set
/// it caches:
///
/// - tokens verified per second on one core through `TokenVerifier.verify` with a warm JWK Set
///   cache (signature, `typ` and claims, then a `RevocationList` holding 5,000 entries), next to
///   the raw OpenSSL `EVP_DigestVerify` rate for the same key and signing input and to
///   GatehouseJOSE's `JWTVerifier` alone, measured in the same run in alternating rounds (the
///   best round of each counts);
/// - the memory one cached 3-key set takes (two ES256 keys and one RS256, as a provider
///   rotating its access-token key and signing ID tokens with RS256 publishes): the growth of
///   resident memory over 2,000 caches, each decoding the same document into keys of its own,
///   divided by 2,000.
enum MiddlewareBench {
    /// Many short rounds: on a shared machine the best of eight is steadier than the best of four.
    static let rounds = 8
    static let roundSeconds = 0.25
    static let caches = 2_000

    static func run() async throws {
        let now = Date()
        let issuer = "https://sso.example.gov.vn", audience = "cong-van"
        let revocations = RevocationList()
        revocations.add(sampleRevocations(now: now))
        print("revocation list: \(revocations.count) entries")
        for algorithm in [JWSAlgorithm.es256, .edDSA] {
            let key = try SigningKey.generate(algorithm)
            let jwks = try JWKSet(keys: [key.publicJWK, SigningKey.generate(algorithm).publicJWK, SigningKey.generate(.rs256).publicJWK]).jsonData()
            let cache = JWKSCache(now: { now }) { FetchedDocument(body: Array(jwks), cacheControl: "max-age=86400") }
            try await cache.refresh()
            let verifier = TokenVerifier(configuration: GatehouseVerifierConfiguration(issuer: issuer, audience: audience),
                                         keys: cache, revocations: revocations)
            let token = try JWTSigner(key: key, type: "at+jwt").sign(claims(issuer: issuer, audience: audience, now: now))
            let signingInput = Array(token.utf8[..<token.utf8.lastIndex(of: UInt8(ascii: "."))!])
            let raw = try RawOpenSSL(pem: key.pemRepresentation(), algorithm: algorithm)
            let nativeSignature = try raw.sign(signingInput)
            precondition(raw.verify(nativeSignature, signingInput), "raw OpenSSL verification failed")
            _ = try await verifier.verify(token, now: now)

            let jose = JWTVerifier(keys: cache.current, allowedAlgorithms: [algorithm],
                                   validator: JWTValidator(issuer: issuer, audience: audience, type: "at+jwt"))
            var rawVerify = 0.0, joseVerify = 0.0, middleware = 0.0
            for _ in 0..<rounds {
                rawVerify = max(rawVerify, opsPerSecond(seconds: roundSeconds) { precondition(raw.verify(nativeSignature, signingInput)) })
                joseVerify = max(joseVerify, try opsPerSecond(seconds: roundSeconds) { _ = try jose.verify(token, now: now) })
                middleware = max(middleware, try await asyncOpsPerSecond(seconds: roundSeconds) { _ = try await verifier.verify(token, now: now) })
            }
            report("\(algorithm) verify, raw EVP_DigestVerify", rawVerify, "ops/s")
            report("\(algorithm) verify, JWTVerifier (GatehouseJOSE, + claims)", joseVerify, "ops/s (\(String(format: "%.0f%%", 100 * joseVerify / rawVerify)) of raw)")
            report("\(algorithm) TokenVerifier.verify (+ claims, revocations)", middleware,
                   "tokens/s per core (\(String(format: "%.0f%%", 100 * middleware / rawVerify)) of raw)")
        }
        try await measureKeySetMemory()
    }

    /// 2,000 sessions, 1,000 subjects, 1,500 tokens and 500 grants.
    static func sampleRevocations(now: Date) -> [Revocation] {
        let kinds: [(RevocationKind, Int)] = [(.session, 2_000), (.subject, 1_000), (.token, 1_500), (.grant, 500)]
        return kinds.flatMap { kind, count in
            (0..<count).map { Revocation(kind: kind, value: "\(kind.rawValue)-\($0)-\(UUID().uuidString)", time: now - 60, expires: now + 3_600) }
        }
    }

    static func claims(issuer: String, audience: String, now: Date) -> JWTClaims {
        JWTClaims(
            issuer: issuer, subject: "6f0d3c1e-8a52-4c1b-9a3e-2f6b1d7c9e10", audience: .single(audience),
            expiresAt: now + 600, issuedAt: now, jwtID: "Yk3l0c2V4dC1qdGktMDAwMDAwMDE",
            additional: ["client_id": .string(audience), "scope": "openid profile", "sid": "c2lkLTAwMDE", "gid": "Z2lkLTAwMDE",
                         "unit": "/ha-noi/phuong-ba-dinh", "roles": ["clerk@/ha-noi", "admin@/ha-noi/phuong-ba-dinh"]])
    }

    static func measureKeySetMemory() async throws {
        // One document for all: each cache still decodes it into keys of its own.
        let document = Array(try JWKSet(keys: [SigningKey.generate(.es256).publicJWK, SigningKey.generate(.es256).publicJWK,
                                               SigningKey.generate(.rs256).publicJWK]).jsonData())
        var held: [JWKSCache] = []
        held.reserveCapacity(caches)
        let rssBefore = residentBytes()
        for _ in 0..<caches {
            let cache = JWKSCache { FetchedDocument(body: document, cacheControl: "max-age=300") }
            try await cache.refresh()
            held.append(cache)
        }
        let rssAfter = residentBytes()
        precondition(held.allSatisfy { $0.status.keyCount == 3 })
        report("cached 3-key JWK Set (2 x ES256 + RS256), resident", Double(rssAfter - rssBefore) / Double(caches), "bytes per cache")
        withExtendedLifetime(held) {}
    }

    /// `VmRSS` of this process.
    static func residentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return 1024 * (Int(line.dropFirst("VmRSS:".count).trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "") ?? 0)
        }
        return 0
    }

    /// ``opsPerSecond(seconds:_:)`` for an async body.
    static func asyncOpsPerSecond(seconds: Double, _ body: () async throws -> Void) async rethrows -> Double {
        for _ in 0..<10 { try await body() }
        let start = DispatchTime.now().uptimeNanoseconds
        var n = 0
        var elapsed = 0.0
        repeat {
            for _ in 0..<16 { try await body() }
            n += 16
            elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        } while elapsed < seconds
        return Double(n) / elapsed
    }
}
