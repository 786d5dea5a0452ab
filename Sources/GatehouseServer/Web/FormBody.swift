import GatehouseOAuth
import Hummingbird

/// Reading `application/x-www-form-urlencoded` bodies within a size limit, so that no form post
/// can make the server buffer more than ``maximumLength`` bytes.
///
/// ```swift
/// switch await FormBody.read(request) {
/// case .success(let form): …                 // [name: value], each name once (RFC 6749 §3.1)
/// case .failure(.tooLarge): …                // 413
/// case .failure(.malformed(let error)): …    // 400
/// }
/// ```
enum FormBody {
    /// The largest body accepted: 64 KiB, the engine's limit on a form too.
    static let maximumLength = FormParameters.maximumLength

    enum Failure: Error {
        /// Longer than ``maximumLength`` (declared or actual): answer 413 Content Too Large.
        case tooLarge
        /// Not a well-formed form (bad escape, repeated name) or a body that could not be read.
        case malformed(OAuthError)
    }

    /// The form parameters of `request`'s body.
    static func read(_ request: Request) async -> Result<[String: String], Failure> {
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > maximumLength {
            return .failure(.tooLarge)
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maximumLength)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            return .failure(.tooLarge)
        } catch {
            return .failure(.malformed(OAuthError(.invalidRequest, "The request body could not be read.")))
        }
        do {
            return .success(try FormParameters.parse(String(buffer: buffer)))
        } catch {
            return .failure(.malformed(error))
        }
    }

    /// The parameters of `request`'s query string.
    static func query(_ request: Request) -> Result<[String: String], OAuthError> {
        guard let query = request.uri.query, !query.isEmpty else { return .success([:]) }
        do { return .success(try FormParameters.parse(query)) } catch { return .failure(error) }
    }
}
