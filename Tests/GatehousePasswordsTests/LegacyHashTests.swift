import Foundation
import GatehousePasswords
import Testing

@Suite struct LegacyHashTests {
    static let files = ["ssha", "ssha512", "sha-crypt", "bcrypt", "pbkdf2-sha256"]

    @Test(arguments: files) func publishedAndGeneratedVectorsVerify(file: String) throws {
        let hasher = try PasswordHasher(parameters: fastParameters)
        let vectors = try VectorFile.load(file).vectors
        #expect(!vectors.isEmpty)
        for v in vectors {
            #expect(PasswordScheme.identify(v.hash)?.isLegacy == true, "\(v.hash)")
            #expect(try hasher.verify(v.password, against: v.hash) == .valid(needsRehash: true), "\(v.source): \(v.hash)")
            #expect(try hasher.verify("x" + v.password, against: v.hash) == .invalid, "\(v.source): \(v.hash)")
            #expect(hasher.needsRehash(v.hash))
        }
    }

    @Test(arguments: files) func malformedHashesThrow(file: String) throws {
        let hasher = try PasswordHasher(parameters: fastParameters)
        for bad in try VectorFile.load(file).malformed {
            #expect(throws: PasswordError.self, "\(bad)") { try hasher.verify("password", against: bad) }
        }
    }

    @Test func schemesAreIdentified() {
        #expect(PasswordScheme.identify("{SSHA}abc") == .ssha)
        #expect(PasswordScheme.identify("{ssha512}abc") == .ssha512)
        #expect(PasswordScheme.identify("{CRYPT}$6$salt$x") == .sha512Crypt)
        #expect(PasswordScheme.identify("{crypt}$2b$05$x") == .bcrypt)
        #expect(PasswordScheme.identify("$2y$05$x") == .bcrypt)
        #expect(PasswordScheme.identify("$pbkdf2-sha256$1$a$b") == .pbkdf2SHA256)
        #expect(PasswordScheme.identify("pbkdf2_sha256$1$a$b") == .djangoPBKDF2SHA256)
        #expect(PasswordScheme.identify("$argon2id$v=19$…") == .argon2id)
        #expect(PasswordScheme.identify("$1$salt$hash") == nil)
        #expect(PasswordScheme.identify("$argon2i$v=19$m=8,t=1,p=1$a$b") == nil)
    }

    @Test func vietnameseTypedDecomposedMatchesEveryScheme() throws {
        let nfd = "Mật khẩu".decomposedStringWithCanonicalMapping
        let hasher = try PasswordHasher(parameters: fastParameters)
        for file in Self.files {
            for v in try VectorFile.load(file).vectors where v.password == "Mật khẩu".precomposedStringWithCanonicalMapping {
                #expect(try hasher.verify(nfd, against: v.hash).isValid, "\(v.hash)")
            }
        }
    }

    @Test func costlyLegacyHashesAreRefused() throws {
        let hasher = try PasswordHasher(parameters: fastParameters)
        let hostile = [
            "$6$rounds=999999999$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1",
            "$2b$31$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW",
            "$pbkdf2-sha256$999999999$4vjV83LKPjQzk31VI4E0Vw$hsYF68OiOUPdDZ1Fg.fJPeq1h/gXXY7acBp9/6c.tmQ",
            "pbkdf2_sha256$999999999$seasalt$Ybw8zsFxqja97tY/o6G+Fy1ksY4U/Hw3DRrGED6Up4s=",
        ]
        for h in hostile {
            #expect(performing: { try hasher.verify("password", against: h) }, throws: { error in
                if case .costOutOfBounds = error as? PasswordError { return true }
                return false
            })
        }
    }

    @Test func unsupportedSchemesAreTypedErrors() throws {
        let hasher = try PasswordHasher(parameters: fastParameters)
        #expect(throws: PasswordError.unsupportedScheme("$1$")) { try hasher.verify("pw", against: "$1$saltsalt$hashhashhash") }
        #expect(throws: PasswordError.unsupportedScheme("{MD5}")) { try hasher.verify("pw", against: "{MD5}X03MO1qnZdYdgyfeuILPmQ==") }
        #expect(throws: PasswordError.unsupportedScheme("unknown")) { try hasher.verify("pw", against: "") }
    }

    @Test func errorsNeverEchoThePasswordOrAPlaintextStoredValue() throws {
        let hasher = try PasswordHasher(parameters: fastParameters)
        let password = "Bí-mật-2025!"
        let stored = ["S3cr3t-plaintext$value", "{SSHA}S3cr3t-plaintext", "$6$S3cr3t$plaintext", "$argon2id$S3cr3t"]
        for s in stored {
            do {
                _ = try hasher.verify(password, against: s)
                Issue.record("expected an error for \(s)")
            } catch {
                #expect(!error.description.contains(password))
                #expect(!error.description.contains("S3cr3t"), "\(error)")
            }
        }
    }
}
