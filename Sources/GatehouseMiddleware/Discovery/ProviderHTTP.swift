import AsyncHTTPClient
public import Foundation
import NIOCore

/// A provider response the middleware keeps: the body and the two headers that say how long
/// it may be reused (RFC 9111 §5.1, §5.2).
///
/// ```swift
/// let document = FetchedDocument(body: Array(jwksJSON.utf8), cacheControl: "max-age=600")
/// ```
public struct FetchedDocument: Sendable, Hashable {
    /// The response body.
    public var body: [UInt8]
    /// The `Cache-Control` header, if any.
    public var cacheControl: String?
    /// The `Age` header in seconds, if any (RFC 9111 §5.1).
    public var age: TimeInterval?

    /// Creates a document.
    public init(body: [UInt8], cacheControl: String? = nil, age: TimeInterval? = nil) {
        self.body = body
        self.cacheControl = cacheControl
        self.age = age
    }
}

/// One bounded `GET` to the provider: a time limit, a size limit, status 200 only.
struct ProviderHTTP: Sendable {
    let client: HTTPClient
    let timeout: TimeInterval
    let maximumSize: Int

    /// Fetches `url`, which must pass ``ProviderURL/check(_:_:)``.
    /// - Throws: ``ProviderError`` with `insecureURL`, `unreachable`, `httpStatus` or `responseTooLarge`.
    func get(_ url: String) async throws(ProviderError) -> FetchedDocument {
        try ProviderURL.check(url, "the URL")
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "application/json")
        let deadline = TimeAmount.milliseconds(Int64(max(timeout, 0.001) * 1000))
        do {
            let response = try await client.execute(request, timeout: deadline)
            // A redirect may not lead to plain HTTP (OpenID Connect Discovery 1.0 §4).
            if let final = response.url?.absoluteString { try ProviderURL.check(final, "the redirected URL") }
            guard response.status.code == 200 else {
                throw ProviderError(.httpStatus, "\(url) answered \(response.status.code)")
            }
            let body = try await response.body.collect(upTo: maximumSize)
            return FetchedDocument(
                body: Array(body.readableBytesView), cacheControl: response.headers.first(name: "Cache-Control"),
                age: response.headers.first(name: "Age").flatMap(ProviderHTTP.deltaSeconds))
        } catch let error as ProviderError {
            throw error
        } catch is NIOTooManyBytesError {
            throw ProviderError(.responseTooLarge, "\(url) answered more than \(maximumSize) bytes")
        } catch {
            throw ProviderError(.unreachable, "\(url): \(error)")
        }
    }

    /// `delta-seconds` (RFC 9111 §1.2.2): digits only, so `nan` or `-1` count as absent.
    static func deltaSeconds(_ value: String) -> TimeInterval? {
        let digits = value.trimmingCharacters(in: .whitespaces)
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return TimeInterval(digits)
    }
}
