import Foundation
import Testing

@Suite struct UnitsCLITests {
    @Test func addAndListUnits() async throws {
        let cli = try CLI(); defer { cli.cleanUp() }
        var r = try await cli.run(["units", "add", "/ha-noi", "--name", "Hà Nội", "--level", "province"])
        #expect(r.status == 0, "\(r.stderr)")
        r = try await cli.run(["units", "add", "/ha-noi/phuong-ba-dinh", "--name", "Phường Ba Đình", "--level", "commune"])
        #expect(r.status == 0, "\(r.stderr)")
        r = try await cli.run(["units", "list"])
        let lines = r.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(lines.map { $0.first } == ["/", "/ha-noi", "/ha-noi/phuong-ba-dinh"])
        #expect(r.stdout.contains("Phường Ba Đình"))
    }

    @Test func levelMustMatchPathAndParentMustExist() async throws {
        let cli = try CLI(); defer { cli.cleanUp() }
        var r = try await cli.run(["units", "add", "/ha-noi/x", "--name", "X", "--level", "province"])
        #expect(r.isOneLineFailure, "\(r.stderr)")
        #expect(r.stderr.contains("commune-level"))
        r = try await cli.run(["units", "add", "/hue/xa-1", "--name", "Xã 1", "--level", "commune"])
        #expect(r.isOneLineFailure, "\(r.stderr)")
        #expect(r.stderr.contains("parent unit /hue does not exist"))
        r = try await cli.run(["units", "add", "/Hue", "--name", "Huế", "--level", "province"])
        #expect(r.isOneLineFailure, "\(r.stderr)")
    }

    @Test func importingTheProvincesTwiceChangesNothingTheSecondTime() async throws {
        let cli = try CLI(); defer { cli.cleanUp() }
        let file = CLI.repositoryRoot.appendingPathComponent("Tests/Fixtures/provinces.csv").path
        var r = try await cli.run(["units", "import", file])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("created 34, renamed 0, unchanged 0"))
        r = try await cli.run(["units", "import", file])
        #expect(r.stdout.contains("created 0, renamed 0, unchanged 34"), "\(r.stdout)")
        r = try await cli.run(["units", "list"])
        #expect(r.stdout.split(separator: "\n").count == 35)
        #expect(r.stdout.contains("Thành phố Hồ Chí Minh") || r.stdout.contains("Hồ Chí Minh"))
    }

    @Test func aFileWithBadRowsImportsNothingAndNamesEachLine() async throws {
        let cli = try CLI(); defer { cli.cleanUp() }
        let file = try cli.write("units.csv", """
        path,name
        /hue,Huế
        /hue/xa-1,Xã Tân Phước 1
        /Bad Path,Nope
        /hue/xa-2,
        /hue/xa-1,Again
        """)
        let r = try await cli.run(["units", "import", file])
        #expect(r.status != 0)
        #expect(r.stderr.contains("units.csv:4:"))
        #expect(r.stderr.contains("units.csv:5:"))
        #expect(r.stderr.contains("units.csv:6:"))
        #expect(r.stderr.contains("nothing was imported"))
        let list = try await cli.run(["units", "list"])
        #expect(list.stdout.split(separator: "\n").count == 1)
    }

    @Test func aRowWhoseParentIsMissingRollsBackTheWholeBatch() async throws {
        let cli = try CLI(); defer { cli.cleanUp() }
        let file = try cli.write("units.csv", "path,name\n/hue,Huế\n/hue/xa-1,Xã 1\n/da-nang/xa-1,Xã 1\n")
        let r = try await cli.run(["units", "import", file])
        #expect(r.isOneLineFailure, "\(r.stderr)")
        #expect(r.stderr.contains("/da-nang"))
        #expect(try await cli.run(["units", "list"]).stdout.split(separator: "\n").count == 1)
    }

    @Test func dryRunWritesNothing() async throws {
        let cli = try CLI(); defer { cli.cleanUp() }
        let file = try cli.write("units.csv", "slug,name\nhue,Huế\n")
        let r = try await cli.run(["units", "import", "--dry-run", file])
        #expect(r.stdout.contains("would create 1"), "\(r.stdout) \(r.stderr)")
        #expect(try await cli.run(["units", "list"]).stdout.split(separator: "\n").count == 1)
    }
}

@Suite struct UnitReorganisationCLITests {
    /// /ha-tay with a commune, /ha-noi with another: the 2008 merger of Hà Tây into Hà Nội.
    private func tree(_ cli: CLI) async throws {
        for (path, name, level) in [("/ha-tay", "Tỉnh Hà Tây", "province"), ("/ha-tay/xa-son-dong", "Xã Sơn Đồng", "commune"),
                                    ("/ha-noi", "Thành phố Hà Nội", "province"), ("/ha-noi/phuong-ba-dinh", "Phường Ba Đình", "commune")] {
            let r = try await cli.run(["units", "add", path, "--name", name, "--level", level])
            #expect(r.status == 0, "\(r.stderr)")
        }
    }

    @Test func mergeWithDryRunFirst() async throws {
        let cli = try CLI(); defer { cli.cleanUp() }
        try await tree(cli)
        var r = try await cli.run(["units", "merge", "/ha-tay", "--into", "/ha-noi", "--dry-run"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("dry run, nothing written: would merge /ha-tay → /ha-noi: 1 unit path(s)"), "\(r.stdout)")
        r = try await cli.run(["units", "list"])
        #expect(r.stdout.contains("/ha-tay/xa-son-dong"))
        r = try await cli.run(["units", "merge", "/ha-tay", "--into", "/ha-noi"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("merged /ha-tay → /ha-noi"), "\(r.stdout)")
        r = try await cli.run(["units", "list"])
        let paths = r.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
        #expect(paths == ["/", "/ha-noi", "/ha-noi/phuong-ba-dinh", "/ha-noi/xa-son-dong"])
        r = try await cli.run(["audit", "verify"])
        #expect(r.status == 0, "\(r.stderr)")
    }

    @Test func moveKeepsTheLevelAndRefusesClashes() async throws {
        let cli = try CLI(); defer { cli.cleanUp() }
        try await tree(cli)
        var r = try await cli.run(["units", "move", "/ha-tay/xa-son-dong", "--to", "/"])
        #expect(r.isOneLineFailure, "\(r.stderr)")
        #expect(r.stderr.contains("keeps a unit's level"))
        r = try await cli.run(["units", "move", "/ha-tay/xa-son-dong", "--to", "/ha-noi", "--slug", "phuong-ba-dinh"])
        #expect(r.isOneLineFailure, "\(r.stderr)")
        #expect(r.stderr.contains("/ha-noi/phuong-ba-dinh already exists"), "\(r.stderr)")
        r = try await cli.run(["units", "move", "/ha-tay/xa-son-dong", "--to", "/ha-noi"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("moved /ha-tay/xa-son-dong → /ha-noi/xa-son-dong: 1 unit path(s), 0 account(s), 0 role grant(s)"), "\(r.stdout)")
    }
}
