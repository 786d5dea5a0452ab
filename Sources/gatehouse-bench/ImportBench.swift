import Foundation
import GatehouseCrypto

/// `gatehouse accounts import` of 150,000 officials, on SQLite and (when
/// `GATEHOUSE_BENCH_POSTGRES_URL` is set) on PostgreSQL, through the release `gatehouse` binary
/// (`GATEHOUSE_BIN`, default `.build/release/gatehouse`):
///
/// - the first run, which creates every account (1,000 rows per transaction);
/// - the second run of the same file, which finds every account unchanged and writes nothing.
///
/// The files are generated first: the 34 provinces of `Tests/Fixtures/provinces.csv` with 98
/// communes each (Vietnamese names), imported with `gatehouse units import`, and 150,000 accounts
/// with Vietnamese names in UTF-8, a home unit spread over every province and commune, one or two
/// role grants for most, 2% disabled, and password hashes mixed evenly between `{SSHA}` (each
/// its own salt), `$6$`, bcrypt and Django PBKDF2 (valid hashes of "Mật khẩu"; verifying them is
/// not what is measured). `GATEHOUSE_BENCH_IMPORT_ROWS` sets another row count.
enum ImportBench {
    static var rows: Int { ProcessInfo.processInfo.environment["GATEHOUSE_BENCH_IMPORT_ROWS"].flatMap { Int($0) } ?? 150_000 }

    static func run() async throws {
        let binary = ProcessInfo.processInfo.environment["GATEHOUSE_BIN"].flatMap { $0.isEmpty ? nil : $0 } ?? ".build/release/gatehouse"
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw BenchFailure("\(binary) not found: build it with `swift build -c release --product gatehouse` (scripts/run-bench.sh does)")
        }
        let rows = self.rows
        try await OIDCBench.withScratchFolder { folder in
            let units = folder.appendingPathComponent("units.csv"), accounts = folder.appendingPathComponent("accounts.csv")
            let communes = try ImportFiles.writeUnits(to: units)
            try ImportFiles.writeAccounts(to: accounts, rows: rows, communes: communes)
            print("\(rows) rows (\(ByteCountFormatter.string(fromByteCount: Int64(try Data(contentsOf: accounts).count), countStyle: .file))), 34 provinces and \(communes.count - 34) communes, \(ProcessInfo.processInfo.activeProcessorCount) cores")
            try measure("sqlite", binary: binary, folder: folder, files: (units.path, accounts.path), rows: rows,
                        databaseURL: "sqlite:" + folder.appendingPathComponent("gatehouse.sqlite").path)
            if let url = ProcessInfo.processInfo.environment["GATEHOUSE_BENCH_POSTGRES_URL"], !url.isEmpty {
                try await OIDCBench.withScratchPostgresURL(url) { databaseURL in
                    try measure("postgres", binary: binary, folder: folder, files: (units.path, accounts.path), rows: rows, databaseURL: databaseURL)
                }
            } else {
                print("postgres: skipped (GATEHOUSE_BENCH_POSTGRES_URL is not set)")
            }
        }
    }

    static func measure(_ label: String, binary: String, folder: URL, files: (units: String, accounts: String), rows: Int, databaseURL: String) throws {
        let policies = folder.appendingPathComponent("Policies-\(label)").path
        try FileManager.default.copyItem(atPath: "Policies", toPath: policies)
        let data = ["--database", databaseURL, "--policies", policies, "--keys", folder.appendingPathComponent("Keys").path]
        try OIDCBench.runTool(binary, ["units", "import", files.units] + data)
        for (run, expected) in [("first run, all created", "created"), ("second run, all unchanged", "unchanged")] {
            let start = DispatchTime.now().uptimeNanoseconds
            let summary = try importFile(binary, [files.accounts] + data)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            guard summary[expected] == rows else { throw BenchFailure("\(label) \(run): expected \(rows) \(expected), got \(summary)") }
            report("\(label): accounts import, \(run)", Double(rows) / seconds, "rows/s")
            report("\(label): accounts import, \(run), total", seconds, "s")
        }
    }

    /// Runs `gatehouse accounts import ARGS` and returns the figures of its summary table.
    static func importFile(_ binary: String, _ arguments: [String]) throws -> [String: Int] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["accounts", "import"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchFailure("accounts import failed (\(process.terminationStatus)): \(text)") }
        var figures: [String: Int] = [:]
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ")
            if words.count == 2, let n = Int(words[1].replacingOccurrences(of: ",", with: "")) { figures[String(words[0])] = n }
        }
        return figures
    }
}

/// The generated unit and account files.
enum ImportFiles {
    static let family = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
    static let middle = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quốc", "Thu", "Gia"]
    static let given = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hòa", "Hùng", "Hương", "Khánh", "Lan", "Linh",
                        "Long", "Mai", "Nam", "Nga", "Phúc", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Thắng", "Trang", "Tuấn", "Vy", "Xuân", "Yến"]
    static let places = ["Tân Phước", "Bến Thành", "Hòa Bình", "Phú Mỹ", "Đông Hưng", "Thạnh Lộc", "Yên Thế", "Quảng Điền", "Vĩnh Lợi", "An Khánh", "Ngũ Hành Sơn"]
    static let communesPerProvince = 98
    /// Valid hashes of "Mật khẩu" (Tests/GatehousePasswordsTests/Vectors): SHA-512-crypt, bcrypt, Django PBKDF2.
    static let fixedHashes = [
        "{CRYPT}$6$gatehouse2025$mVlx8tclbiy.NOzyPGo9lY9I.StJjTHK3/1e4LmAKJD3ltk8QsZgNO673IKwpweBBbL3GAG0xIdbtJh9vtfmU/",
        "$2b$05$1UQT4tIXCoYx66NXcaXO/OwvavaPcUIe29/QU.inHnuryihepZspK",
        "pbkdf2_sha256$1000000$Gh7sQ2pLm9Xc4Rt1$ZhTGMU+56JT2SJ4KZwIzT41Sem7tY5G0OKUSj+LcwE0=",
    ]

    /// `path,name` for the provinces and their communes; returns every unit path written.
    static func writeUnits(to url: URL) throws -> [String] {
        let csv = try String(contentsOfFile: "Tests/Fixtures/provinces.csv", encoding: .utf8)
        var out = "path,name\n", paths: [String] = []
        for line in csv.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count >= 2 else { continue }
            let province = "/" + fields[0]
            out += "\(province),\(field(String(fields[1])))\n"
            paths.append(province)
        }
        for province in paths.prefix(34) {
            for n in 1...communesPerProvince {
                let place = places[n % places.count]
                let kind = n % 3 == 0 ? "Phường" : "Xã"
                let name = "\(kind) \(place) \(n)"
                let path = "\(province)/\(ascii(name).replacingOccurrences(of: " ", with: "-"))"
                out += "\(path),\(field(name))\n"
                paths.append(path)
            }
        }
        try out.write(to: url, atomically: true, encoding: .utf8)
        return paths
    }

    /// `rows` accounts, one in ten at province level, the rest in communes.
    static func writeAccounts(to url: URL, rows: Int, communes units: [String]) throws {
        let provinces = Array(units.prefix(34)), communes = Array(units.dropFirst(34))
        var out = "username,display_name,email,unit,password_hash,grants,status\n"
        out.reserveCapacity(rows * 190)
        for i in 0..<rows {
            let (f, m, g) = (family[i % family.count], middle[(i / 7) % middle.count], given[(i / 3) % given.count])
            let username = "\(ascii(f)).\(ascii(m)).\(ascii(g)).\(i)".lowercased()
            let unit = i % 10 == 0 ? provinces[(i / 10) % provinces.count] : communes[i % communes.count]
            let province = unit.split(separator: "/").first!
            var grants = i % 10 < 7 ? "official@\(unit)" : i % 10 < 9 ? "clerk@\(unit)" : ""
            if i % 25 == 0 { grants += " clerk@/\(province)" }
            let hash = i % 4 == 0 ? ssha("Mật khẩu") : fixedHashes[i % 4 - 1]
            let status = i % 50 == 0 ? "disabled" : ""
            out += "\(username),\(f) \(m) \(g),\(username)@\(province).gov.vn,\(unit),\(hash),\(grants),\(status)\n"
        }
        try out.write(to: url, atomically: true, encoding: .utf8)
    }

    /// `{SSHA}` with a fresh 8-byte salt, as slappasswd writes it.
    static func ssha(_ password: String) -> String {
        let salt = SecureRandom.bytes(8)
        return "{SSHA}" + Data(Digest.hash(.sha1, Array(password.utf8) + salt) + salt).base64EncodedString()
    }

    /// Lowercase ASCII without diacritics: "Phường Bến Thành" → "phuong ben thanh".
    static func ascii(_ s: String) -> String {
        s.replacingOccurrences(of: "Đ", with: "D").replacingOccurrences(of: "đ", with: "d")
            .folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
    }

    /// A CSV field, quoted when it must be (RFC 4180).
    static func field(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
