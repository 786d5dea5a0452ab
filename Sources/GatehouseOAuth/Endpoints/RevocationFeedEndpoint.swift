public import GatehouseJOSE
import Foundation
import GatehouseCore

extension OAuthEngine {
    /// `POST /revocations`: a page of the revocation feed as JSON, or the client-authentication
    /// or request error.
    public func revocationFeed(_ request: EndpointRequest) async -> OAuthHTTPResponse {
        do {
            return .json(try await revocationFeedPage(request))
        } catch {
            return error.httpResponse(realm: issuer)
        }
    }

    /// The revocation feed: what applications that verify access tokens offline poll, every
    /// couple of seconds, to refuse a token within seconds of its session ending (`sid`), its
    /// account being disabled (`sub`), its grant being revoked (`gid`) or itself being revoked
    /// (`jti`), without a call to the server per request. It complements back-channel logout,
    /// which reaches only clients that registered a URI and only for sessions they took part in.
    ///
    /// Form parameters: `after`, the last sequence the caller has seen (default 0), and `limit`,
    /// 1…1000 events (default 500); anything else there is `invalid_request`. The answer:
    ///
    /// ```json
    /// {"events":[{"seq":42,"kind":"sid","value":"…","time":1764275000,"expires":1764318200}],
    ///  "next":42,"latest":57,"oldest":12}
    /// ```
    ///
    /// Events come in increasing `seq` order; `time` and `expires` are Unix seconds (`time`
    /// rounded down, `expires` up). `next` is the cursor for the next call: the last event's
    /// `seq`, or `min(after, latest)` when there is none. `latest` is the last sequence ever
    /// assigned (pruning never lowers it) and `oldest` the smallest one still kept (both 0
    /// when there is none): a caller whose cursor is below `oldest - 1` has missed events that
    /// expired, which no longer matter. Sequences are assigned in commit order (see
    /// `StoreWriter.appendRevocation`), so polling with `after = next` never skips an event.
    ///
    /// The client authenticates as at the introspection endpoint (RFC 7662 §2.1): confidential
    /// clients only, by their registered method; public clients and failures get
    /// `invalid_client`. Every authenticated client sees the whole feed, not only events about
    /// its own tokens: the values are opaque identifiers (session hashes, account UUIDs, token
    /// and grant ids) that reveal nothing without the tokens, and a resource server must hear of
    /// tokens issued to any client whose tokens it accepts (`aud` may name several, or a shared
    /// audience), which it cannot know in advance. Reading is not audited (applications poll
    /// every few seconds); failed authentication is.
    public func revocationFeedPage(_ request: EndpointRequest) async throws(OAuthError) -> [String: JSONValue] {
        let parameters = Result { () throws(OAuthError) in try Self.feedParameters(request.parameters) }
        let now = clock.now()
        let authenticator = ClientAuthenticator(configuration: configuration, endpoint: configuration.endpoints.revocationFeed)
        let authenticated: Result<Client, OAuthError> = try await write { storage in
            try authenticator.authenticate(request, publicClients: .refused, now: now, storage: storage)
        }
        _ = try authenticated.get()
        let (after, limit) = try parameters.get()
        // A read of its own: the page must not hold the write transaction (and, on PostgreSQL,
        // its read locks) that authentication needed.
        let (events, bounds) = try await read { storage in
            (try storage.tx.revocations(after: after, limit: limit), try storage.tx.revocationBounds())
        }
        let next = events.last?.sequence ?? min(after, bounds.latest)
        return [
            "events": .array(events.map(Self.json)),
            "next": .integer(next),
            "latest": .integer(bounds.latest),
            "oldest": .integer(bounds.oldest),
        ]
    }

    /// Default and largest page size.
    static let feedPageSize = (default: 500, maximum: 1000)

    /// `after` (a whole number, at least 0; default 0) and `limit` (1…1000; default 500).
    static func feedParameters(_ parameters: [String: String]) throws(OAuthError) -> (after: Int64, limit: Int) {
        let reader = ParameterReader(parameters: parameters)
        var after: Int64 = 0
        if let text = try reader.optional("after", maximumLength: 20) {
            guard let value = Int64(text), value >= 0 else {
                throw OAuthError(.invalidRequest, "The parameter after must be a whole number, 0 or more.")
            }
            after = value
        }
        var limit = feedPageSize.default
        if let text = try reader.optional("limit", maximumLength: 8) {
            guard let value = Int(text), (1...feedPageSize.maximum).contains(value) else {
                throw OAuthError(.invalidRequest, "The parameter limit must be a whole number from 1 to \(feedPageSize.maximum).")
            }
            limit = value
        }
        return (after, limit)
    }

    static func json(_ event: RevocationEvent) -> JSONValue {
        .object([
            "seq": .integer(event.sequence),
            "kind": .string(event.kind.rawValue),
            "value": .string(event.value),
            "time": .integer(Int64(event.time.timeIntervalSince1970.rounded(.down))),
            "expires": .integer(Int64(event.expiresAt.timeIntervalSince1970.rounded(.up))),
        ])
    }
}
