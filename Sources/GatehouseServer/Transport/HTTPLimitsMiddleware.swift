import HTTPTypes
public import Hummingbird

/// Holds every request to ``HTTPLimits`` whatever the protocol:
/// - more header fields than ``HTTPLimits/maxHeaderCount``, a field or a head larger than
///   allowed: 431 Request Header Fields Too Large (RFC 6585 §5). Over HTTP/1.1 the parser
///   already stops such a head (``RequestTimeoutHandler`` answers 431); this covers HTTP/2,
///   whose header block arrives whole;
/// - a declared `Content-Length` above ``HTTPLimits/maxBodySize``: 413 before any of the body
///   is read (RFC 9110 §15.5.14); a body without one (chunked, or HTTP/2) is cut off with 413
///   when it grows past it.
///
/// ```swift
/// router.middlewares.add(HTTPLimitsMiddleware<GatehouseRequestContext>(limits: HTTPLimits()))
/// ```
public struct HTTPLimitsMiddleware<Context: RequestContext>: RouterMiddleware {
    let limits: HTTPLimits

    public init(limits: HTTPLimits) { self.limits = limits }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let refusal = Self.headerProblem(request.headers, limits: limits) {
            context.logger.notice("request refused: header fields too large", metadata: ["reason": .string(refusal)])
            return Response(status: .requestHeaderFieldsTooLarge, headers: [.connection: "close", .contentLength: "0"])
        }
        var request = request
        if let declared = request.headers[.contentLength] {
            guard let length = Int(declared), length <= limits.maxBodySize else {
                return Response(status: .contentTooLarge, headers: [.connection: "close", .contentLength: "0"])
            }
        } else if request.method != .get, request.method != .head {
            // Chunked (HTTP/1.1) or unframed (HTTP/2): counted as it streams.
            request.body = RequestBody(asyncSequence: BodyLimit(base: request.body, limit: limits.maxBodySize))
        }
        return try await next(request, context)
    }

    /// Which header limit `fields` break, or `nil`. Sizes count name and value, as the HTTP/1.1
    /// parser does.
    static func headerProblem(_ fields: HTTPFields, limits: HTTPLimits) -> String? {
        if fields.count > limits.maxHeaderCount { return "\(fields.count) fields" }
        var total = 0
        for field in fields {
            let size = field.name.rawName.utf8.count + field.value.utf8.count
            if size > limits.maxHeaderFieldSize { return "one field of \(size) bytes" }
            total += size
        }
        return total > limits.maxHeaderListSize ? "\(total) bytes of fields" : nil
    }
}

/// A request body that fails with 413 once more than `limit` bytes have come.
struct BodyLimit: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let base: RequestBody
    let limit: Int

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: RequestBody.AsyncIterator
        let limit: Int
        var seen = 0

        mutating func next() async throws -> ByteBuffer? {
            guard let buffer = try await base.next() else { return nil }
            seen += buffer.readableBytes
            if seen > limit { throw HTTPError(.contentTooLarge) }
            return buffer
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: base.makeAsyncIterator(), limit: limit) }
}
