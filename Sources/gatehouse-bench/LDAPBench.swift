import Foundation
import GatehouseCrypto

#if canImport(Glibc)
import Glibc
#endif

/// `gatehouse ldap sync` of a 150,000-entry directory, through the release `gatehouse` binary
/// (`GATEHOUSE_BIN`, default `.build/release/gatehouse`), into SQLite and (when
/// `GATEHOUSE_BENCH_POSTGRES_URL` is set) PostgreSQL.
///
/// The directory is generated as LDIF and loaded with slapadd into a throwaway slapd
/// (`scripts/test-slapd.sh` with `GATEHOUSE_SLAPD_EXTRA_LDIF`): the 34 provinces of
/// `Tests/Fixtures/provinces.csv` with 98 communes each as OUs, users with Vietnamese names
/// (one in ten stored in NFD) and `{SSHA}` passwords, one in ten at province level, the rest
/// in communes; a clerks group per province (its province-level users) and one officials group
/// of every fifth user. `ldap.yaml` maps each commune and province OU to its unit (3,366 rules).
///
/// Each run is a child process waited for with wait4(2), so its time and peak memory (max RSS)
/// are its own: the first run (full, everything created), a second (incremental RFC 4533
/// refresh, nothing changed) and a forced full run (everything read and compared, nothing
/// changed). `GATEHOUSE_BENCH_LDAP_ENTRIES` sets another entry count.
enum LDAPBench {
    static var entries: Int { ProcessInfo.processInfo.environment["GATEHOUSE_BENCH_LDAP_ENTRIES"].flatMap { Int($0) } ?? 150_000 }
    static let base = "ou=bench,dc=gatehouse,dc=test"
    static let syncPassword = "gatehouse-sync-test-password"

    static func run() async throws {
        let binary = ProcessInfo.processInfo.environment["GATEHOUSE_BIN"].flatMap { $0.isEmpty ? nil : $0 } ?? ".build/release/gatehouse"
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw BenchFailure("\(binary) not found: build it with `swift build -c release --product gatehouse` (scripts/run-bench.sh does)")
        }
        let entries = self.entries
        try await OIDCBench.withScratchFolder { folder in
            let unitsFile = folder.appendingPathComponent("units.csv"), ldif = folder.appendingPathComponent("bench.ldif")
            let units = try ImportFiles.writeUnits(to: unitsFile)
            var start = DispatchTime.now().uptimeNanoseconds
            let (rules, members) = try writeDirectory(to: ldif, entries: entries, units: units)
            let generated = seconds(since: start)
            let size = ByteCountFormatter.string(fromByteCount: Int64((try? FileManager.default.attributesOfItem(atPath: ldif.path)[.size] as? Int) ?? 0), countStyle: .file)
            print("\(entries) users (\(size) of LDIF, generated in \(String(format: "%.1f", generated)) s), \(rules.count) unit rules, \(members) group members, \(ProcessInfo.processInfo.activeProcessorCount) cores")

            let slapdFolder = folder.appendingPathComponent("slapd").path
            start = DispatchTime.now().uptimeNanoseconds
            let url = try startSlapd(slapdFolder, extra: ldif.path)
            defer { _ = try? shell(["scripts/test-slapd.sh", "stop", slapdFolder]) }
            report("slapd: slapadd of \(entries) users and start", seconds(since: start), "s")

            try writePolicies(folder.appendingPathComponent("Policies"), url: url, rules: rules)
            try measure("sqlite", binary: binary, folder: folder, units: unitsFile.path, entries: entries, grants: members,
                        databaseURL: "sqlite:" + folder.appendingPathComponent("gatehouse.sqlite").path)
            if let postgres = ProcessInfo.processInfo.environment["GATEHOUSE_BENCH_POSTGRES_URL"], !postgres.isEmpty {
                try await OIDCBench.withScratchPostgresURL(postgres) { databaseURL in
                    try measure("postgres", binary: binary, folder: folder, units: unitsFile.path, entries: entries, grants: members, databaseURL: databaseURL)
                }
            } else {
                print("postgres: skipped (GATEHOUSE_BENCH_POSTGRES_URL is not set)")
            }
        }
    }

    static func measure(_ label: String, binary: String, folder: URL, units: String, entries: Int, grants: Int, databaseURL: String) throws {
        let data = ["--database", databaseURL, "--policies", folder.appendingPathComponent("Policies").path,
                    "--keys", folder.appendingPathComponent("Keys-\(label)").path]
        try OIDCBench.runTool(binary, ["units", "import", units] + data)
        let runs: [(String, [String], (String, Int))] = [
            ("first run, full, all created", [], ("created", entries)),
            ("second run, incremental, nothing changed", [], ("created", 0)),
            ("forced full run, nothing changed", ["--full"], ("unchanged", entries)),
        ]
        for (name, extra, expected) in runs {
            let run = try spawn(binary, ["ldap", "sync"] + extra + data, environment: ["GATEHOUSE_LDAP_BENCH_PASSWORD": syncPassword])
            guard run.status == 0 else { throw BenchFailure("\(label) \(name): gatehouse ldap sync failed (\(run.status)): \(run.output)") }
            let figures = summary(run.output)
            guard figures[expected.0] == expected.1 else { throw BenchFailure("\(label) \(name): expected \(expected.1) \(expected.0), got \(figures)") }
            if extra.isEmpty, expected.1 == entries, figures["grants added"] != grants {
                throw BenchFailure("\(label) \(name): expected \(grants) grants added, got \(figures)")
            }
            let read = figures["entries read"] ?? 0
            report("\(label): ldap sync, \(name), time", run.seconds, "s")
            if read > 0 { report("\(label): ldap sync, \(name), rate", Double(read) / run.seconds, "entries/s") }
            report("\(label): ldap sync, \(name), max RSS", Double(run.maxRSSKiB) / 1024, "MiB")
        }
    }

    // MARK: The directory

    /// Writes the LDIF; returns the unit rules (suffix DN, unit path; communes before provinces)
    /// and the number of group members, each of which becomes a grant.
    static func writeDirectory(to url: URL, entries: Int, units: [String]) throws -> ([(String, String)], Int) {
        let provinces = Array(units.prefix(34)), communes = Array(units.dropFirst(34))
        func dn(_ unit: String) -> String {
            let parts = unit.split(separator: "/").reversed().map { "ou=\($0)" }
            return (parts + [base]).joined(separator: ",")
        }
        FileManager.default.createFile(atPath: url.path, contents: nil)
        let file = try FileHandle(forWritingTo: url)
        defer { try? file.close() }
        var out = ""
        out.reserveCapacity(1 << 20)
        func flush(_ force: Bool = false) {
            if force || out.utf8.count > 1 << 20 {
                file.write(Data(out.utf8))
                out.removeAll(keepingCapacity: true)
            }
        }
        func organizationalUnit(_ dn: String) {
            let value = dn.split(separator: ",")[0].dropFirst(3)
            out += "dn: \(dn)\nobjectClass: organizationalUnit\nou: \(value)\n\n"
        }
        organizationalUnit(base)
        organizationalUnit("ou=groups,\(base)")
        for unit in provinces + communes { organizationalUnit(dn(unit)) }

        var clerks: [String: [String]] = [:]
        var officials: [String] = []
        for i in 0..<entries {
            let (f, m, g) = (ImportFiles.family[i % ImportFiles.family.count], ImportFiles.middle[(i / 7) % ImportFiles.middle.count],
                             ImportFiles.given[(i / 3) % ImportFiles.given.count])
            let uid = "\(ImportFiles.ascii(f)).\(ImportFiles.ascii(m)).\(ImportFiles.ascii(g)).\(i)".lowercased()
            let unit = i % 10 == 0 ? provinces[(i / 10) % provinces.count] : communes[i % communes.count]
            let userDN = "uid=\(uid),\(dn(unit))"
            let name = "\(f) \(m) \(g)"
            out += "dn: \(userDN)\nobjectClass: inetOrgPerson\nuid: \(uid)\n"
            out += "cn:: \(Data((i % 10 == 3 ? name.decomposedStringWithCanonicalMapping : name).utf8).base64EncodedString())\n"
            out += "sn:: \(Data(f.utf8).base64EncodedString())\nmail: \(uid)@\(unit.split(separator: "/")[0]).gov.vn\n"
            out += "userPassword: \(ImportFiles.ssha("Mật khẩu \(i)"))\n\n"
            if i % 10 == 0 { clerks[unit, default: []].append(userDN) }
            if i % 5 == 0 { officials.append(userDN) }
            flush()
        }
        for province in provinces {
            out += "dn: cn=van-thu-\(province.dropFirst()),ou=groups,\(base)\nobjectClass: groupOfNames\ncn: van-thu-\(province.dropFirst())\n"
            for member in clerks[province] ?? [] { out += "member: \(member)\n" }
            out += "\n"
            flush()
        }
        out += "dn: cn=can-bo,ou=groups,\(base)\nobjectClass: groupOfNames\ncn: can-bo\n"
        for member in officials {
            out += "member: \(member)\n"
            flush()
        }
        out += "\n"
        flush(true)
        let members = clerks.values.reduce(0) { $0 + $1.count } + officials.count
        return (communes.map { (dn($0), $0) } + provinces.map { (dn($0), $0) }, members)
    }

    static func writePolicies(_ folder: URL, url: String, rules: [(String, String)]) throws {
        try FileManager.default.copyItem(atPath: "Policies", toPath: folder.path)
        var yaml = """
            directories:
              - name: bench
                url: \(url)
                bind_dn: cn=gatehouse-sync,dc=gatehouse,dc=test
                bind_password_env: GATEHOUSE_LDAP_BENCH_PASSWORD
                user_base: \(base)
                group_base: ou=groups,\(base)
                units:

            """
        for (suffix, unit) in rules { yaml += "      - dn_suffix: \(suffix)\n        unit: \(unit)\n" }
        yaml += "    groups:\n"
        for (suffix, unit) in rules where unit.split(separator: "/").count == 1 {
            _ = suffix
            yaml += "      - group: cn=van-thu-\(unit.dropFirst()),ou=groups,\(base)\n        role: clerk\n        unit: \(unit)\n"
        }
        yaml += "      - group: cn=can-bo,ou=groups,\(base)\n        role: official\n        unit: /\n"
        try yaml.write(to: folder.appendingPathComponent("ldap.yaml"), atomically: true, encoding: .utf8)
    }

    // MARK: Processes

    static func startSlapd(_ folder: String, extra: String) throws -> String {
        let result = try shell(["scripts/test-slapd.sh", "start", folder], environment: ["GATEHOUSE_SLAPD_EXTRA_LDIF": extra])
        guard result.status == 0, let url = result.output.split(separator: "\n").last.map(String.init), url.hasPrefix("ldap://") else {
            throw BenchFailure("scripts/test-slapd.sh start failed: \(result.output)")
        }
        // scripts/run-bench.sh stops what is listed here if the benchmark dies before its own stop.
        if let list = ProcessInfo.processInfo.environment["GATEHOUSE_BENCH_PIDFILE"], !list.isEmpty,
           let pid = try? String(contentsOfFile: folder + "/run/launcher.pid", encoding: .utf8),
           let handle = FileHandle(forWritingAtPath: list) ?? (FileManager.default.createFile(atPath: list, contents: nil) ? FileHandle(forWritingAtPath: list) : nil) {
            handle.seekToEndOfFile()
            handle.write(Data(pid.utf8))
            try? handle.close()
        }
        return url
    }

    static func shell(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let run = try spawn("/usr/bin/env", arguments, environment: environment)
        return (run.status, run.output)
    }

    struct Run {
        var status: Int32
        var output: String
        var seconds: Double
        var maxRSSKiB: Int
    }

    /// Runs `executable` with `arguments` (stdout and stderr captured together) and returns its
    /// exit status, output, wall time and peak resident memory, from wait4(2).
    static func spawn(_ executable: String, _ arguments: [String], environment: [String: String]) throws -> Run {
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("gh-bench-\(UUID().uuidString).out").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var pid: pid_t = 0
        let start = DispatchTime.now().uptimeNanoseconds
        let rc = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard rc == 0 else { throw BenchFailure("cannot start \(executable): \(String(cString: strerror(rc)))") }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let elapsed = seconds(since: start)
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let exit = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return Run(status: exit, output: output, seconds: elapsed, maxRSSKiB: Int(usage.ru_maxrss))
    }

    /// The summary table's figures: `created 150,000` → ["created": 150000].
    static func summary(_ output: String) -> [String: Int] {
        var figures: [String: Int] = [:]
        for line in output.split(separator: "\n") {
            let words = line.split(separator: " ")
            guard words.count >= 2, let value = Int(words.last!.replacingOccurrences(of: ",", with: "")) else { continue }
            figures[words.dropLast().joined(separator: " ")] = value
        }
        return figures
    }

    static func seconds(since start: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
}
