import Foundation
import GatehouseCore
import GatehouseCrypto
import GatehousePolicy
import GatehouseStore
import Synchronization

/// Slows down and then stops password guessing at the login form (NIST SP 800-63B §5.2.2),
/// with counters kept in the store so that every node sees the same counts
/// (``ThrottleCounter``). The thresholds are `password.yaml` `lockout:` (``LockoutPolicy``).
///
/// Each attempt is counted under four keys:
///
/// - **account × source network** (`acctnet:`): the growing delay and then the lock. An
///   attacker guessing from one network locks the account only for that network, so the
///   official at the office still logs in.
/// - **account** (`acct:`), from every network together: a lock at `account_lock_after`,
///   against guessing spread over a botnet, which the per-network counters would not see.
/// - **source address** (`ip:`) and **source network** (`net:`, IPv4 /24, IPv6 /64), over
///   every account: a block against credential stuffing, where each account is tried once.
///
/// Account keys name the account by id, or the folded username (``Username``) when no account
/// has it, hashed: the table then holds no usernames, nor passwords typed into the wrong field.
/// Any spelling that reaches the account, whatever its case or Unicode normalisation, folds to
/// the same account and so to the same counters.
///
/// Rules:
/// - A blocked source (address or network) is refused without its password being checked:
///   the refusal says nothing about any account, and stuffing then costs no Argon2id time.
/// - A blocked account (for this network, or everywhere) is refused *after* the password is
///   checked, as every other failure is, so a lock neither shows in the timing nor lets a
///   correct password through; the attempt is counted whether the password was right or not,
///   so the counts carry no hint of which guess was right.
/// - A failure counted while its key is already blocked does not move the end of that block:
///   the owner gets their account back when the lock ends, however hard it is hammered. The
///   count keeps growing, so the first failure after the lock locks again at once.
///
/// What a successful login clears: **only the account × network counter of the network the
/// login came from**. Its failures were made from where the owner now proved the password,
/// typically the owner's own typos. The account-wide counter is left alone, as are every other
/// network's counters and the address and network counters: clearing them would hand an
/// attacker who guesses from elsewhere (or stuffs from a network the owner also uses) a fresh
/// allowance each time the owner logs in. They are forgotten only through `window` without
/// failures. An attacker sharing the owner's network (one NAT) regains that network's
/// allowance when the owner logs in, but the account-wide counter still bounds them.
final class LoginThrottle: Sendable {
    let policy: LockoutPolicy
    /// When this node last purged stale counters.
    private let purged = Mutex<Date?>(nil)

    init(policy: LockoutPolicy) { self.policy = policy }

    /// The counters of one attempt.
    struct Keys: Hashable, Sendable {
        /// The account (or the folded username) from the source network; `nil` without a
        /// valid username.
        let accountNetwork: String?
        /// The account from every network.
        let account: String?
        let address: String
        let network: String

        var all: [String] { [accountNetwork, account, address, network].compactMap { $0 } }
    }

    /// Where one attempt stands before its password is checked.
    struct Standing: Sendable {
        /// The address or the network is blocked: refuse without checking the password.
        let sourceBlocked: Bool
        /// The account is locked or must still wait, for this network or everywhere.
        let accountBlocked: Bool
        /// Of `accountBlocked`: a lock rather than the delay (for the audit reason).
        let locked: Bool
        /// The keys blocked now: a failure counted under them does not move their block.
        let blockedKeys: Set<String>

        /// The audit reason of a refusal that follows from this standing.
        var reason: String? {
            if sourceBlocked { return "throttled" }
            if accountBlocked { return locked ? "locked" : "throttled" }
            return nil
        }
    }

    func keys(accountID: UUID?, username: Username?, sourceIP: String?) -> Keys {
        let source = SourceNetwork(sourceIP)
        let subject = accountID.map { "id " + $0.uuidString.lowercased() } ?? username.map { "name " + $0.value }
        return Keys(
            accountNetwork: subject.map { "acctnet:" + Self.hash($0 + "\n" + source.network) },
            account: subject.map { "acct:" + Self.hash($0) },
            address: "ip:" + source.address, network: "net:" + source.network)
    }

    func standing(_ counters: [ThrottleCounter], keys: Keys, at now: Date) -> Standing {
        let byKey = Dictionary(counters.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        func blocked(_ key: String?) -> Bool { key.flatMap { byKey[$0] }?.isBlocked(at: now) ?? false }
        let blockedKeys = Set(keys.all.filter(blocked))
        let accountNetwork = keys.accountNetwork.flatMap { byKey[$0] }
        let accountLocked = blocked(keys.account)
            || (blocked(keys.accountNetwork) && (accountNetwork?.failures ?? 0) >= policy.lockAfter)
        return Standing(
            sourceBlocked: blocked(keys.address) || blocked(keys.network),
            accountBlocked: blocked(keys.accountNetwork) || blocked(keys.account),
            locked: accountLocked, blockedKeys: blockedKeys)
    }

    /// Counts a failure under `keys` in `tx`, and blocks each key whose new count calls for it,
    /// unless it was blocked when the attempt came (`standing.blockedKeys`). `accountKeys`
    /// false counts only the source: the attempt never reached an account.
    func recordFailure(_ tx: any StoreWriter, keys: Keys, standing: Standing, accountKeys: Bool, at now: Date) throws {
        let policy = self.policy
        var counted: [(String, (Int) -> TimeInterval?)] = [
            (keys.address, { $0 >= policy.addressLimit ? policy.sourceBlock : nil }),
            (keys.network, { $0 >= policy.networkLimit ? policy.sourceBlock : nil }),
        ]
        if accountKeys, let accountNetwork = keys.accountNetwork, let account = keys.account {
            counted.append((accountNetwork, { policy.wait(afterFailures: $0) }))
            counted.append((account, { $0 >= policy.accountLockAfter ? policy.lockDuration : nil }))
        }
        if purgeDue(at: now) {
            // A counter whose last failure and block are a window old is as good as none.
            _ = try tx.deleteExpiredThrottleCounters(before: now - policy.window)
        }
        for (key, wait) in counted {
            let counter = try tx.recordThrottleFailure(key: key, at: now, window: policy.window)
            if !standing.blockedKeys.contains(key), let wait = wait(counter.failures) {
                try tx.blockThrottle(key: key, until: now + wait)
            }
        }
    }

    /// After a successful login: forgets the account × network counter of the source it came
    /// from, and nothing else (see the type's documentation).
    func recordSuccess(_ tx: any StoreWriter, keys: Keys) throws {
        if let accountNetwork = keys.accountNetwork { try tx.resetThrottle(key: accountNetwork) }
    }

    /// At most once every ten minutes per node, stale counters go with a failure's transaction.
    private func purgeDue(at now: Date) -> Bool {
        purged.withLock { last in
            if let last, now.timeIntervalSince(last) < 600, now >= last { return false }
            last = now
            return true
        }
    }

    static func hash(_ s: String) -> String { Digest.sha256(s).hexString }
}
