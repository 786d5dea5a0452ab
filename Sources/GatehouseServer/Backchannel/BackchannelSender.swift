import AsyncHTTPClient
import Foundation
import NIOCore

/// What one attempt to deliver a logout token came to.
enum BackchannelAttemptOutcome: Sendable, Equatable {
    /// The application answered 200 or 204.
    case delivered
    /// It did not (another status, a redirect, a timeout, no connection): worth another try.
    case failed(String)
    /// Never to be sent: the URI is refused or no longer registered, or the token expired.
    case abandoned(String)
}

/// Sends one logout token (OIDC Back-Channel Logout 1.0 §2.5): `POST` to the client's
/// back-channel logout URI with the form-encoded body `logout_token=…`. Success is 200, or 204,
/// which some frameworks send for an empty 200 (§2.8). Redirects are never followed, so the
/// token never goes anywhere but the registered URI: a 3xx is a failure like any other status.
struct BackchannelSender: Sendable {
    let client: HTTPClient
    let timeout: Duration

    /// Largest response body read, for the `error` code of a 400 (§2.8).
    static let responseLimit = 4096

    /// The URI as a URL when it may be called: `http` or `https` with a host, and no fragment.
    static func acceptableURI(_ uri: String) -> URL? {
        guard let components = URLComponents(string: uri), let scheme = components.scheme?.lowercased(),
              scheme == "https" || scheme == "http", let host = components.host, !host.isEmpty, components.fragment == nil,
              let url = components.url
        else { return nil }
        return url
    }

    /// The configuration the dispatcher's client uses: no redirects, bounded connect and read.
    static func configuration(connectTimeout: Duration, readTimeout: Duration) -> HTTPClient.Configuration {
        HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: timeAmount(connectTimeout), read: timeAmount(readTimeout)),
            decompression: .disabled)
    }

    static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    func post(logoutToken: String, to uri: String) async -> BackchannelAttemptOutcome {
        guard let url = Self.acceptableURI(uri) else { return .abandoned("refused: not an http(s) URI") }
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "User-Agent", value: "Gatehouse back-channel logout")
        request.body = .bytes(ByteBuffer(string: "logout_token=" + Self.formEncode(logoutToken)))
        do {
            let response = try await client.execute(request, timeout: Self.timeAmount(timeout))
            let status = Int(response.status.code)
            let body = try? await response.body.collect(upTo: Self.responseLimit)
            switch status {
            case 200, 204:
                return .delivered
            case 300..<400:
                return .failed("HTTP \(status): redirects are not followed")
            default:
                let code = body.flatMap { Self.errorCode(in: $0) }
                return .failed("HTTP \(status)" + (code.map { " \($0)" } ?? ""))
            }
        } catch {
            return .failed(Self.describe(error))
        }
    }

    /// `application/x-www-form-urlencoded`: everything but the unreserved characters escaped.
    static func formEncode(_ value: String) -> String {
        var allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// The `error` member of a JSON error response (§2.8), when it is a short plain code.
    static func errorCode(in body: ByteBuffer) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any],
              let code = object["error"] as? String, (1...64).contains(code.count),
              code.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "_-.".unicodeScalars.contains($0)) })
        else { return nil }
        return code
    }

    /// A short reason for a request that got no response; never the token, never the body.
    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout, .readTimeout, .deadlineExceeded: return "timeout"
            case .cancelled: return "cancelled"
            case .remoteConnectionClosed: return "connection closed by the application"
            default: break
            }
        }
        if error is CancellationError { return "cancelled" }
        let text = String(describing: error)
        return "request failed: " + (text.count > 160 ? String(text.prefix(160)) + "…" : text)
    }
}
