public import GatehouseOAuth

/// Delivers OpenID Connect Back-Channel Logout tokens to the applications that took part in an
/// ended session. The logout route hands the deliveries over and answers the browser at once:
/// a slow or unreachable application never holds up a logout.
public protocol LogoutNotifier: Sendable {
    /// Accepts `logouts` for delivery. Returns once they are recorded, not once they are delivered.
    func notify(_ logouts: [BackchannelLogout]) async
}
