import Foundation
import Testing
@testable import GatehouseMFA

/// Symbols from this encoder read by an independent decoder, zxing-cpp through
/// Tests/Interop/decode_qr.py. Runs when GATEHOUSE_PYTHON names a Python with
/// Tests/Interop/requirements.txt installed (`make test` sets it).
@Suite("QR interop with zxing-cpp")
struct QRInteropTests {
    static let python = ProcessInfo.processInfo.environment["GATEHOUSE_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Interop/decode_qr.py").path

    struct Decoded: Decodable {
        let file: String
        let text: String
        let bytes: String
        let version: Int
        let ecLevel: String
        let mask: Int?

        enum CodingKeys: String, CodingKey { case file, text, bytes, version, ecLevel = "ec_level", mask }
    }

    /// The longest prefix of repeated Vietnamese text whose UTF-8 form fits `version` at
    /// `level` and no smaller version.
    static func text(filling version: Int, level: QRCode.ErrorCorrectionLevel) -> String {
        let v = QRVersion(number: version)
        let capacity = (v.dataCodewords(level) * 8 - 4 - v.byteModeCountBits) / 8
        let source = String(repeating: "Sở Nội vụ tỉnh Thừa Thiên Huế cấp mã xác thực cho cán bộ Lê Thị Hoa. ", count: 60)
        var text = ""
        for character in source {
            if text.utf8.count + String(character).utf8.count > capacity { break }
            text.append(character)
        }
        return text
    }

    static func payloads() -> [(name: String, text: String, level: QRCode.ErrorCorrectionLevel, version: Int?)] {
        let secret = TOTPSecret(bytes: Array("12345678901234567890".utf8))!
        let uri = OTPAuthURI.totp(issuer: "Sở Nội vụ Huế", account: "lê.thị.hoa@huế.vn", secret: secret)
        var payloads: [(String, String, QRCode.ErrorCorrectionLevel, Int?)] = []
        for (index, level) in QRCode.ErrorCorrectionLevel.allCases.enumerated() {
            payloads.append(("uri-\(index)", uri, level, nil))
            payloads.append(("one-\(index)", "A", level, 1))
            for version in [1, 2, 7, 10, 25] {
                payloads.append(("v\(version)-\(index)", text(filling: version, level: level), level, version))
            }
        }
        return payloads
    }

    @Test(.enabled(if: python != nil, "GATEHOUSE_PYTHON is not set (make test sets it)"))
    func zxingReadsEverySymbol() async throws {
        let python = try #require(Self.python)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-qr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        var expected: [String: (text: String, symbol: QRCode)] = [:]
        for payload in Self.payloads() {
            let symbol = try QRCode(text: payload.text, errorCorrectionLevel: payload.level)
            if let version = payload.version { #expect(symbol.version == version, "\(payload.name)") }
            let path = folder.appendingPathComponent("\(payload.name).png").path
            try Data(symbol.png(moduleSize: symbol.version >= 10 ? 3 : 4)).write(to: URL(fileURLWithPath: path))
            expected[path] = (payload.text, symbol)
        }

        let paths = expected.keys.sorted()
        let result = try await Self.run(python, [Self.script] + paths)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == paths.count)
        for line in lines {
            let decoded = try JSONDecoder().decode(Decoded.self, from: Data(line.utf8))
            let want = try #require(expected[decoded.file])
            #expect(decoded.text == want.text, "\(decoded.file)")
            #expect(decoded.bytes == Array(want.text.utf8).hexString, "\(decoded.file)")
            #expect(decoded.version == want.symbol.version, "\(decoded.file)")
            #expect(decoded.ecLevel == ["L", "M", "Q", "H"][want.symbol.errorCorrectionLevel.tableIndex], "\(decoded.file)")
            #expect(decoded.mask == want.symbol.mask.rawValue, "\(decoded.file)")
        }
    }

    /// Runs a process to completion on a detached task, off the cooperative pool.
    static func run(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await Task.detached {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            let stdout = out.fileHandleForReading.readDataToEndOfFile()
            let stderr = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
        }.value
    }
}
