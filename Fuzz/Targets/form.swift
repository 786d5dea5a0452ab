// Fuzz target: `application/x-www-form-urlencoded` parsing (GatehouseOAuth FormParameters,
// RFC 6749 Appendix B) and the parameter checks that read its result before any storage is
// involved: client credentials (RFC 6749 §2.3, RFC 7523), `scope` (§3.3) and PKCE (RFC 7636).
//
// The input is a form body or query string. When it holds a line break, the part before the
// first one is taken as the request's Authorization header, as the token endpoint receives it.
//
// The server's FormBody (GatehouseServer/Web/FormBody.swift) is left out: it depends on
// Hummingbird, and adds only a size check and `String(buffer:)` before `FormParameters.parse`.
//
// Invariants:
// - a failure is `invalid_request`;
// - what parses, encoded with `FormParameters.encode` and parsed again, is the same dictionary;
// - a parsed `scope` holds at least one token, each a valid scope token, written back unchanged;
// - a parsed PKCE challenge is 43 characters; a valid verifier matches its own challenge.
@testable import GatehouseOAuth

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    var authorization: String?
    var body = Substring(text)
    if let newline = text.firstIndex(of: "\n") {
        authorization = String(text[..<newline])
        body = text[text.index(after: newline)...]
    }
    checkForm(body, authorization: authorization)
    return 0
}

func checkForm(_ body: Substring, authorization: String?) {
    let parameters: [String: String]
    do {
        parameters = try FormParameters.parse(body)
    } catch {
        invariant(error.code == .invalidRequest, "a form fails with \(error.code)")
        return
    }
    let pairs = parameters.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    let again = try? FormParameters.parse(FormParameters.encode(pairs))
    invariant(again == parameters, "encoded parameters parse to something else")

    _ = try? PresentedCredentials.read(EndpointRequest(parameters: parameters, authorization: authorization))
    if let authorization { _ = try? PresentedCredentials.parseBasic(authorization) }
    if let assertion = parameters["client_assertion"] { _ = PresentedCredentials.unverifiedSubject(of: assertion) }

    let reader = ParameterReader(parameters: parameters)
    if let value = try? reader.optional("scope"), let scope = Scope(parsing: value) {
        invariant(!scope.tokens.isEmpty && scope.tokens.allSatisfy(Scope.isToken), "a parsed scope holds an invalid token")
        invariant(Scope(parsing: scope.description) == scope, "a scope written back parses differently")
    }
    if let challenge = parameters["code_challenge"], PKCE.isValidChallenge(challenge) {
        invariant(challenge.utf8.count == 43, "a PKCE challenge of \(challenge.utf8.count) bytes is valid")
    }
    if let verifier = parameters["code_verifier"], PKCE.isValidVerifier(verifier) {
        invariant(PKCE.verify(verifier, challenge: PKCE.challenge(for: verifier)), "a verifier does not match its own challenge")
    }
    for name in ["grant_type", "code", "redirect_uri", "client_id", "refresh_token", "token", "token_type_hint", "state", "nonce"] {
        _ = try? reader.required(name)
    }
}
