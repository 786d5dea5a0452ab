public import Foundation
public import Logging

/// A swift-log handler that writes one JSON object per line: what log collectors ingest
/// when the output is not a terminal.
///
/// ```json
/// {"ts":"2026-11-27T16:49:35.120Z","level":"info","label":"gatehouse","msg":"request","request_id":"…","status":200}
/// ```
/// Values are whatever the caller logged: Gatehouse never logs secrets, tokens, codes,
/// passwords or query strings, so this handler does no redaction of its own.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    private let label: String
    private let stream: TextOutputStreamWrapper

    public init(label: String, stream: FileHandle = .standardOutput) {
        self.label = label
        self.stream = TextOutputStreamWrapper(handle: stream)
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var object: [String: Any] = [
            "ts": Self.timestamp(),
            "level": event.level.rawValue,
            "label": label,
            "msg": event.message.description,
        ]
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        for (key, value) in merged {
            object[Self.key(key)] = Self.json(value)
        }
        guard var data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        data.append(0x0A)
        stream.write(data)
    }

    /// `hb.request.id` becomes `request_id`: stable names for dashboards.
    private static func key(_ key: String) -> String {
        key == "hb.request.id" ? "request_id" : key
    }

    private static func json(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let s): s
        case .stringConvertible(let c): c.description
        case .array(let a): a.map(json)
        case .dictionary(let d): d.mapValues(json)
        }
    }

    private static func timestamp() -> String {
        Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}

/// Serialises whole lines onto a file handle so concurrent log calls never interleave.
final class TextOutputStreamWrapper: @unchecked Sendable {
    private let handle: FileHandle
    private let lock = NSLock()
    init(handle: FileHandle) { self.handle = handle }
    func write(_ data: Data) { lock.withLock { handle.write(data) } }
}

/// Process-wide logging set-up for the `gatehouse` tool.
public enum GatehouseLogging {
    /// JSON lines when standard output is not a terminal (or `json` forces it), swift-log's
    /// plain stream handler otherwise. Level from `level`.
    public static func bootstrap(level: Logger.Level = .info, json: Bool? = nil) {
        let useJSON = json ?? (isatty(STDOUT_FILENO) == 0)
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler = useJSON ? JSONLogHandler(label: label) : StreamLogHandler.standardOutput(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
