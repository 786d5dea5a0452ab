import Foundation

/// Standard output, or a file created (or truncated) for the export.
struct AuditExportSink {
    private let handle: FileHandle
    private let isFile: Bool

    init(path: String?) throws {
        guard let path else { handle = .standardOutput; isFile = false; return }
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw CLIError("cannot write \(path)")
        }
        self.handle = handle
        isFile = true
    }

    func write(_ text: String) throws {
        guard !text.isEmpty else { return }
        do { try handle.write(contentsOf: Data(text.utf8)) } catch { throw CLIError("cannot write the export: \(error.localizedDescription)") }
    }

    func close() throws {
        if isFile { try handle.close() }
    }
}
