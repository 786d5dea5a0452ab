import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A loopback TCP relay in front of the test slapd. `dropConnections()` closes every relayed
/// connection at once, as a server restart does, while the relay keeps accepting new ones:
/// a restart the tests can run without stopping the shared server.
///
/// `@unchecked Sendable`: `connections`, `stopped` and `accepted` are used only under `lock`; each
/// relayed connection is pumped by one thread of its own.
final class TCPRelay: @unchecked Sendable {
    let port: Int
    private let upstreamPort: Int
    private let listener: Int32
    private let lock = NSLock()
    private var connections: [(client: Int32, server: Int32)] = []
    private var stopped = false
    private var accepted = 0

    /// How many connections the relay has accepted so far.
    var acceptedCount: Int { lock.withLock { accepted } }

    init(upstreamPort: Int) throws {
        self.upstreamPort = upstreamPort
        listener = try LoopbackPort.listeningSocket(backlog: 64)
        port = try LoopbackPort.port(of: listener)
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// Closes every relayed connection (both sides). With `reset`, the client side is reset
    /// (RST) rather than closed (FIN), as when a server dies with requests unread.
    func dropConnections(reset: Bool = false) {
        // Under the lock, so a pump thread cannot close (and the system reuse) a descriptor
        // between the lookup and the shutdown.
        lock.withLock {
            for pair in connections {
                if reset {
                    var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
                    setsockopt(pair.client, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
                    // The pump thread then closes the client side, which sends the reset.
                    shutdown(pair.server, Int32(SHUT_RDWR))
                } else {
                    shutdown(pair.client, Int32(SHUT_RDWR))
                    shutdown(pair.server, Int32(SHUT_RDWR))
                }
            }
        }
    }

    func stop() {
        lock.withLock { stopped = true }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        dropConnections()
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if lock.withLock({ stopped }) { return }
                if errno == EINTR { continue }
                return
            }
            guard let server = try? connectUpstream() else {
                close(client)
                continue
            }
            lock.withLock {
                connections.append((client, server))
                accepted += 1
            }
            let thread = Thread { [self] in pump(client, server) }
            thread.start()
        }
    }

    private func connectUpstream() throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(upstreamPort).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else {
            close(fd)
            throw TestFailure("cannot reach the upstream server")
        }
        return fd
    }

    /// Copies bytes both ways until either side closes, then closes both.
    private func pump(_ client: Int32, _ server: Int32) {
        defer {
            lock.withLock {
                connections.removeAll { $0.client == client }
                close(client)
                close(server)
            }
        }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var fds = [pollfd(fd: client, events: Int16(POLLIN), revents: 0), pollfd(fd: server, events: Int16(POLLIN), revents: 0)]
        while true {
            fds[0].revents = 0
            fds[1].revents = 0
            guard poll(&fds, 2, 1000) >= 0 else { return }
            for (from, to) in [(0, 1), (1, 0)] where fds[from].revents != 0 {
                let count = buffer.withUnsafeMutableBytes { read(fds[from].fd, $0.baseAddress, $0.count) }
                if count <= 0 { return }
                var sent = 0
                while sent < count {
                    let n = buffer.withUnsafeBytes { send(fds[to].fd, $0.baseAddress! + sent, count - sent, Int32(MSG_NOSIGNAL)) }
                    if n <= 0 { return }
                    sent += n
                }
            }
        }
    }
}
