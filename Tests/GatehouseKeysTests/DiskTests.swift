import Foundation
import GatehouseJOSE
import Testing
@testable import GatehouseKeys

@Suite("Key folder on disk")
struct DiskTests {
    @Test("files: <kid>.pem mode 0600 and <kid>.json metadata, no temporary files left")
    func layout() throws {
        try KeyFolder.with { folder in
            let ring = try KeyRing.load(directory: folder.path)
            #expect(try FileManager.default.attributesOfItem(atPath: folder.path)[.posixPermissions] as? NSNumber == 0o700)
            let info = try ring.generate(.es256, now: T.t0.addingTimeInterval(0.75))
            #expect(try folder.names() == [info.keyID + ".json", info.keyID + ".pem"])
            #expect(try folder.mode(info.keyID + ".pem") == 0o600)
            #expect(try folder.read(info.keyID + ".pem").hasPrefix("-----BEGIN PRIVATE KEY-----"))
            let json = try folder.read(info.keyID + ".json")
            #expect(json.contains(#""alg" : "ES256""#))
            #expect(json.contains(#""createdAt" : "2027-01-15T08:00:00Z""#))
            #expect(json.contains(#""activatesAt" : "2027-01-15T08:00:00Z""#))
            #expect(!json.contains("retiredAt"))
            #expect(info.createdAt == T.t0)  // whole seconds, as stored
        }
    }

    @Test("a private key readable by group or others is refused, naming the file and the fix")
    func worldReadable() throws {
        try KeyFolder.with { folder in
            let info = try KeyRing.load(directory: folder.path).generate(.es256, now: T.t0)
            for mode in [0o644, 0o640, 0o604, 0o660] {
                try folder.chmod(info.keyID + ".pem", mode)
                let pem = folder.file(info.keyID + ".pem")
                let error = #expect(throws: KeyRingError(.insecurePermissions)) { try KeyRing.load(directory: folder.path) }
                #expect(error?.path == pem)
                if mode == 0o644 {
                    #expect(error?.description == "\(pem): private key is readable by others (mode 0644); run chmod 600 \(pem)")
                }
            }
            try folder.chmod(info.keyID + ".pem", 0o400)
            #expect(try KeyRing.load(directory: folder.path).list().count == 1)
        }
    }

    @Test("a malformed PEM is refused, naming the file")
    func malformedPEM() throws {
        try KeyFolder.with { folder in
            let info = try KeyRing.load(directory: folder.path).generate(.es256, now: T.t0)
            let name = info.keyID + ".pem"
            for text in ["garbage", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"] {
                try FileManager.default.removeItem(atPath: folder.file(name))
                try folder.write(text, to: name)
                let error = #expect(throws: KeyRingError(.malformedKey)) { try KeyRing.load(directory: folder.path) }
                #expect(error?.path == folder.file(name))
            }
        }
    }

    @Test("a key whose type does not fit the metadata alg is refused")
    func algorithmMismatch() throws {
        try KeyFolder.with { folder in
            let info = try KeyRing.load(directory: folder.path).generate(.es256, now: T.t0)
            let json = try folder.read(info.keyID + ".json").replacingOccurrences(of: "ES256", with: "EdDSA")
            try folder.write(json, to: info.keyID + ".json", mode: 0o644)
            #expect(throws: KeyRingError(.malformedKey)) { try KeyRing.load(directory: folder.path) }
        }
    }

    @Test("malformed or missing metadata is refused, naming the .json",
          arguments: ["{", #"{"alg":"none","createdAt":"2027-01-15T08:00:00Z","activatesAt":"2027-01-15T08:00:00Z"}"#,
                      #"{"alg":"ES256","createdAt":"yesterday","activatesAt":"2027-01-15T08:00:00Z"}"#, #"{"alg":"ES256"}"#, nil])
    func malformedMetadata(_ text: String?) throws {
        try KeyFolder.with { folder in
            let info = try KeyRing.load(directory: folder.path).generate(.es256, now: T.t0)
            let name = info.keyID + ".json"
            try FileManager.default.removeItem(atPath: folder.file(name))
            if let text { try folder.write(text, to: name, mode: 0o644) }
            let error = #expect(throws: KeyRingError(.malformedMetadata)) { try KeyRing.load(directory: folder.path) }
            #expect(error?.path == folder.file(name))
        }
    }

    @Test("a file name that is not the key's thumbprint is refused")
    func keyIDMismatch() throws {
        try KeyFolder.with { folder in
            let info = try KeyRing.load(directory: folder.path).generate(.es256, now: T.t0)
            let other = (info.keyID.hasPrefix("x") ? "y" : "x") + info.keyID.dropFirst()  // always a different name
            try FileManager.default.moveItem(atPath: folder.file(info.keyID + ".pem"), toPath: folder.file(other + ".pem"))
            try FileManager.default.moveItem(atPath: folder.file(info.keyID + ".json"), toPath: folder.file(other + ".json"))
            let error = #expect(throws: KeyRingError(.keyIDMismatch)) { try KeyRing.load(directory: folder.path) }
            #expect(error?.path == folder.file(other + ".pem"))
            #expect(error?.description.contains(info.keyID) == true)
        }
    }

    @Test("README.md, public-only files, stray metadata and temporary files are ignored")
    func ignored() throws {
        try KeyFolder.with { folder in
            let ring = try KeyRing.load(directory: folder.path)
            let info = try ring.generate(.es256, now: T.t0)
            try folder.write("# Keys\n", to: "README.md", mode: 0o644)
            try folder.write("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", to: "legacy.pem", mode: 0o644)
            try folder.write("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", to: "\(info.keyID).pub.pem", mode: 0o644)
            try folder.write("{}", to: "orphan.json", mode: 0o644)
            try folder.write("half", to: ".\(info.keyID).pem.tmp-0011aabbccdd", mode: 0o644)
            try folder.write("notes", to: "notes.txt", mode: 0o644)
            #expect(try KeyRing.load(directory: folder.path).list().map(\.keyID) == [info.keyID])
        }
    }

    @Test("atomic write: never overwrites a key, leaves no temporary file behind")
    func atomicWrite() throws {
        try KeyFolder.with { folder in
            let ring = try KeyRing.load(directory: folder.path)
            let info = try ring.generate(.es256, now: T.t0)
            let original = try folder.read(info.keyID + ".pem")
            let directory = KeyDirectory(path: folder.path)
            #expect(throws: KeyRingError(.io)) {
                try directory.writeAtomically(Data("x".utf8), to: info.keyID + ".pem", mode: 0o600, replace: false)
            }
            #expect(try folder.read(info.keyID + ".pem") == original)
            try directory.writeAtomically(Data("new".utf8), to: "scratch.txt", mode: 0o600, replace: true)
            try directory.writeAtomically(Data("newer".utf8), to: "scratch.txt", mode: 0o600, replace: true)
            #expect(try folder.read("scratch.txt") == "newer")
            #expect(try folder.mode("scratch.txt") == 0o600)
            #expect(try folder.names().allSatisfy { !$0.hasPrefix(".") })
        }
    }

    @Test("reloadIfChanged picks up another node's keys, and keeps the old keys when the folder breaks")
    func reload() throws {
        try KeyFolder.with { folder in
            let nodeA = try KeyRing.load(directory: folder.path)
            let nodeB = try KeyRing.load(directory: folder.path)
            #expect(try nodeB.reloadIfChanged() == false)
            let info = try nodeA.generate(.es256, now: T.t0)
            #expect(try nodeA.reloadIfChanged() == false)  // its own write is already known
            #expect(try nodeB.reloadIfChanged() == true)
            #expect(try nodeB.signingKey(for: .es256, at: T.t0).keyID == info.keyID)
            #expect(try nodeB.reloadIfChanged() == false)

            try nodeA.retire(keyID: info.keyID, at: T.t0 + T.hour)
            #expect(try nodeB.reloadIfChanged() == true)
            #expect(nodeB.info(keyID: info.keyID)?.retiredAt == T.t0 + T.hour)

            try folder.write("garbage", to: "AAAA.pem")
            try folder.write("{}", to: "AAAA.json", mode: 0o644)
            #expect(throws: KeyRingError.self) { try nodeB.reloadIfChanged() }
            #expect(nodeB.info(keyID: info.keyID) != nil)
        }
    }

    @Test("concurrent signing-key lookups while reloading")
    func concurrency() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gh-keys-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let ring = try KeyRing.load(directory: path)
        let first = try ring.generate(.es256, now: T.t0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<6 {
                group.addTask {
                    for _ in 0..<40 {
                        if i == 0 { try ring.reloadIfChanged() }
                        #expect(try ring.signingKey(for: .es256, at: T.t0).keyID == first.keyID)
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    @Test("a missing folder is created; a file in its place is an error")
    func missingFolder() throws {
        try KeyFolder.with { folder in
            let nested = folder.file("a/Keys")
            _ = try KeyRing.load(directory: nested)
            #expect(FileManager.default.fileExists(atPath: nested))
            try folder.write("x", to: "file")
            #expect(throws: KeyRingError(.io)) { try KeyRing.load(directory: folder.file("file")) }
        }
    }
}
