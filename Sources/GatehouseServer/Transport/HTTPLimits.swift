/// The limits every connection and request is held to, so that no client, slow or large, can
/// hold more of the server than its share (RFC 9110 §15.5.14 and §15.5.9, RFC 6585 §5).
///
/// | limit | default | answer |
/// |---|---|---|
/// | ``maxBodySize`` | 1 MiB | 413 Content Too Large |
/// | ``maxHeaderFieldSize`` (one field, name and value) | 8 KiB | 431 |
/// | ``maxHeaderListSize`` (all fields) | 32 KiB | 431 |
/// | ``maxHeaderCount`` | 100 | 431 |
/// | ``headerTimeout``: a new connection's first request head complete | 10 s | connection closed |
/// | ``bodyTimeout``: a request's body complete after its head | 30 s | connection closed |
/// | ``idleTimeout``: a kept-alive connection's next request head complete | 60 s | connection closed |
///
/// A client that trickles its headers a byte at a time (slowloris) is therefore closed after
/// ``headerTimeout`` on a new connection, ``idleTimeout`` on a kept-alive one; over TLS the
/// handshake must also finish within ``headerTimeout``. Pages and protocol endpoints read forms
/// of at most 64 KiB whatever ``maxBodySize`` says.
///
/// ```swift
/// var limits = HTTPLimits()
/// limits.headerTimeout = .seconds(5)
/// let app = GatehouseServer.application(configuration: .init(limits: limits), readiness: [], logger: logger)
/// ```
public struct HTTPLimits: Sendable, Equatable {
    /// The largest request body, declared (`Content-Length`) or streamed.
    public var maxBodySize: Int
    /// The largest single header field, name and value.
    public var maxHeaderFieldSize: Int
    /// The largest request head: all header fields together.
    public var maxHeaderListSize: Int
    /// The most header fields a request may carry.
    public var maxHeaderCount: Int
    /// From connection (or TLS handshake) to the complete first request head.
    public var headerTimeout: Duration
    /// From a request's head to the end of its body.
    public var bodyTimeout: Duration
    /// How long a kept-alive connection may wait, between a response and the next complete
    /// request head.
    public var idleTimeout: Duration

    public init(
        maxBodySize: Int = 1 << 20, maxHeaderFieldSize: Int = 8 * 1024, maxHeaderListSize: Int = 32 * 1024,
        maxHeaderCount: Int = 100, headerTimeout: Duration = .seconds(10), bodyTimeout: Duration = .seconds(30),
        idleTimeout: Duration = .seconds(60)
    ) {
        self.maxBodySize = maxBodySize
        self.maxHeaderFieldSize = maxHeaderFieldSize
        self.maxHeaderListSize = maxHeaderListSize
        self.maxHeaderCount = maxHeaderCount
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.idleTimeout = idleTimeout
    }

    /// Why a set of limits cannot be used, or `nil`: every size and count positive, every
    /// timeout longer than zero, the list at least as large as one field.
    public var problem: String? {
        if maxBodySize <= 0 || maxHeaderFieldSize <= 0 || maxHeaderListSize <= 0 || maxHeaderCount <= 0 {
            return "HTTP limits must be positive"
        }
        if maxHeaderListSize < maxHeaderFieldSize { return "the header list limit is smaller than the header field limit" }
        if headerTimeout <= .zero || bodyTimeout <= .zero || idleTimeout <= .zero { return "HTTP timeouts must be longer than zero" }
        return nil
    }
}

extension HTTPLimits {
    /// The names `serve` takes limits by (`--NAME VALUE`, or `GATEHOUSE_NAME` in the environment
    /// with `-` as `_`): sizes in bytes, counts, timeouts in seconds.
    public static let settingNames = ["max-body-size", "max-header-size", "max-header-count", "header-timeout", "body-timeout", "idle-timeout"]

    /// The defaults changed by the named `settings` (see ``settingNames``). `max-header-size` is
    /// the whole head; one field stays at 8 KiB or less. Throws ``InvalidSetting``.
    public init(settings: [String: String]) throws {
        self.init()
        func number(_ name: String) throws -> Int? {
            guard let text = settings[name] else { return nil }
            guard let value = Int(text), value > 0 else { throw InvalidSetting(description: "invalid \(name) '\(text)': use a whole number above zero") }
            return value
        }
        if let value = try number("max-body-size") { maxBodySize = value }
        if let value = try number("max-header-size") {
            maxHeaderListSize = value
            maxHeaderFieldSize = min(maxHeaderFieldSize, value)
        }
        if let value = try number("max-header-count") { maxHeaderCount = value }
        if let value = try number("header-timeout") { headerTimeout = .seconds(value) }
        if let value = try number("body-timeout") { bodyTimeout = .seconds(value) }
        if let value = try number("idle-timeout") { idleTimeout = .seconds(value) }
        if let problem { throw InvalidSetting(description: problem) }
    }

    /// A limit given as something other than a positive whole number.
    public struct InvalidSetting: Error, CustomStringConvertible {
        public let description: String
    }
}
