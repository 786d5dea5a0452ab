/// A key-ring failure that names the file involved, ready to print as one line for an operator.
///
/// ```
/// Keys/abc.pem: private key is readable by others (mode 0644); run chmod 600 Keys/abc.pem
/// ```
/// Errors compare equal on ``code``, so tests read `#expect(throws: KeyRingError(.insecurePermissions))`.
public struct KeyRingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable, CaseIterable {
        /// A private key file is readable or writable by group or others.
        case insecurePermissions
        /// A `.pem` file is not a usable PKCS#8 private key for its algorithm.
        case malformedKey
        /// A `.json` metadata file is missing, unreadable or invalid.
        case malformedMetadata
        /// A key's RFC 7638 thumbprint differs from its file name.
        case keyIDMismatch
        /// No key of the algorithm may sign at the requested time.
        case noActiveKey
        /// No key has the requested key ID.
        case unknownKey
        /// Reading or writing the directory failed.
        case io
    }

    /// What went wrong.
    public let code: Code
    /// The file or directory involved, as the operator named it (e.g. `Keys/abc.pem`); may be empty.
    public let path: String
    /// Why, and what to do.
    public let message: String

    /// Creates an error.
    public init(_ code: Code, path: String = "", _ message: String = "") {
        self.code = code
        self.path = path
        self.message = message.isEmpty ? code.rawValue : message
    }

    /// Equal when the codes are equal; the message and location are not compared.
    public static func == (lhs: KeyRingError, rhs: KeyRingError) -> Bool { lhs.code == rhs.code }
    /// Hashes the code only, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// `path: message`, or just the message when no file is involved.
    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}
