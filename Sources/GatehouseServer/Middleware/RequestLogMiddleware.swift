public import Hummingbird
public import HTTPTypes
import Logging
import Foundation

/// Logs one line per request after it completes: method, path (never the query string,
/// which can carry codes and tokens), status, duration and the request id. The id is also
/// returned in `X-Request-Id` so a person reporting a problem can quote it.
public struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let requestID = context.logger[metadataKey: "hb.request.id"]?.description ?? ""
        do {
            var response = try await next(request, context)
            response.headers[.requestID] = requestID
            log(request, context: context, status: response.status.code, since: start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            log(request, context: context, status: status, since: start)
            throw error
        }
    }

    private func log(_ request: Request, context: Context, status: Int, since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        context.logger.log(
            level: status >= 500 ? .error : .info,
            "request",
            metadata: [
                "method": .string(request.method.rawValue),
                "path": .string(request.uri.path),
                "status": .stringConvertible(status),
                "duration_ms": .string(String(format: "%.2f", ms)),
            ]
        )
    }
}

extension HTTPField.Name {
    /// `X-Request-Id`.
    public static var requestID: Self { Self("X-Request-Id")! }
}
