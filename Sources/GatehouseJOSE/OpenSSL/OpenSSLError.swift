internal import COpenSSL

/// Reads and clears OpenSSL's thread-local error queue.
///
/// Every failure path calls this, so a failed verification never leaves stale entries that a
/// later, unrelated call on the same thread could misreport.
enum OpenSSLError {
    /// The queued error messages joined by "; " (empty when the queue is empty); clears the queue.
    static func drain() -> String {
        var messages: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            messages.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return messages.joined(separator: "; ")
    }

    /// Clears the queue without building messages (the hot verification path).
    static func clear() { ERR_clear_error() }

    /// A ``JOSEError`` carrying `what` plus OpenSSL's own explanation.
    static func error(_ code: JOSEError.Code, _ what: String, file: String = #fileID, line: Int = #line) -> JOSEError {
        let detail = drain()
        return JOSEError(code, detail.isEmpty ? what : "\(what) (\(detail))", file: file, line: line)
    }
}
