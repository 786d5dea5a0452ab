public import Foundation

/// Why a synchronisation stopped. Each message is one line for people, naming the directory.
public enum DirectorySyncError: Error, Sendable, CustomStringConvertible {
    /// Another node (or run) holds the directory's lease until `until`.
    case leaseHeld(directory: String, holder: String, until: Date)
    /// The lease ran out and another node took it while this run was writing; the run stopped
    /// before its next batch.
    case leaseLost(directory: String)
    /// The configuration names something the store lacks (a unit).
    case configuration(directory: String, String)
    /// The directory could not be read: unreachable, too slow, refused the search.
    case directory(directory: String, LDAPError)

    public var description: String {
        switch self {
        case .leaseHeld(let directory, let holder, let until):
            "directory '\(directory)' is being synchronised by \(holder) (lease until \(until.ISO8601Format())); try again later"
        case .leaseLost(let directory):
            "the synchronisation of directory '\(directory)' lost its lease to another node and stopped; the next run converges"
        case .configuration(let directory, let why):
            "directory '\(directory)': \(why)"
        case .directory(let directory, let error):
            "directory '\(directory)': \(error.message)"
        }
    }
}

/// Disables an account so that nothing it holds keeps working: its sessions end, its refresh
/// tokens are revoked and a `sub` revocation is published. The server and the command line
/// give the engine's account-disable operation.
public protocol DirectoryAccountDisabler: Sendable {
    func disableAccount(id: UUID, actor: String) async throws
}
