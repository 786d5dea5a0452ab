import Foundation
import GatehousePasswords
import Testing

@Suite struct Argon2idTests {
    @Test func rfc9106TestVector() throws {
        struct RFC: Decodable {
            var password_hex, salt_hex, secret_hex, associated_data_hex, tag_hex: String
            var memory_kib, iterations, parallelism: Int
        }
        let v = try JSONDecoder().decode(RFC.self, from: VectorFile.data("rfc9106"))
        let tag = try Argon2id.derive(
            password: [UInt8](hex: v.password_hex), salt: [UInt8](hex: v.salt_hex),
            parameters: Argon2Parameters(memoryKiB: v.memory_kib, iterations: v.iterations, parallelism: v.parallelism),
            secret: [UInt8](hex: v.secret_hex), associatedData: [UInt8](hex: v.associated_data_hex))
        #expect(tag == [UInt8](hex: v.tag_hex))
    }

    @Test func referenceImplementationVectorsVerify() throws {
        let file = try VectorFile.load("argon2id")
        let hasher = try PasswordHasher(parameters: .default)
        for v in file.vectors {
            #expect(try Argon2id.verify(password: v.password, phc: v.hash), "\(v.source): \(v.hash)")
            #expect(try hasher.verify("x" + v.password, against: v.hash) == .invalid, "\(v.source)")
        }
    }

    @Test func malformedHashesAreErrorsNeverMatches() throws {
        let hasher = try PasswordHasher(parameters: fastParameters)
        for bad in try VectorFile.load("argon2id").malformed {
            #expect(throws: PasswordError.self, "\(bad)") { try hasher.verify("password", against: bad) }
            #expect(hasher.needsRehash(bad))
        }
    }

    @Test func hashProducesReferenceFormatAndVerifies() throws {
        let params = Argon2Parameters(memoryKiB: 1024, iterations: 2, parallelism: 2)
        let hasher = try PasswordHasher(parameters: params)
        let phc = try hasher.hash("correct horse battery staple")
        #expect(phc.hasPrefix("$argon2id$v=19$m=1024,t=2,p=2$"))
        let fields = phc.split(separator: "$")
        #expect(fields.count == 5)
        #expect(fields[3].count == 22)   // 16-byte salt, base64 without padding
        #expect(fields[4].count == 43)   // 32-byte tag
        #expect(!fields[3].contains("=") && !fields[4].contains("="))
        #expect(try hasher.verify("correct horse battery staple", against: phc) == .valid(needsRehash: false))
        #expect(try hasher.verify("correct horse battery stapler", against: phc) == .invalid)
        #expect(try hasher.hash("same") != hasher.hash("same"))   // fresh salt each time
    }

    @Test func vietnameseNFDMatchesNFC() throws {
        let nfc = "Mật khẩu".precomposedStringWithCanonicalMapping
        let nfd = "Mật khẩu".decomposedStringWithCanonicalMapping
        #expect(Array(nfc.utf8) != Array(nfd.utf8))
        let hasher = try PasswordHasher(parameters: fastParameters)
        #expect(try hasher.verify(nfd, against: hasher.hash(nfc)).isValid)
        #expect(try hasher.verify(nfc, against: hasher.hash(nfd)).isValid)
        // A vector made by argon2-cffi over the NFC bytes.
        let vi = try #require(VectorFile.load("argon2id").vectors.first { $0.password == nfc })
        #expect(try hasher.verify(nfd, against: vi.hash).isValid)
    }

    @Test func storedParametersWinAfterDefaultsChange() throws {
        let old = try PasswordHasher(parameters: Argon2Parameters(memoryKiB: 128, iterations: 1, parallelism: 1))
        let phc = try old.hash("pw")
        let new = try PasswordHasher(parameters: Argon2Parameters(memoryKiB: 512, iterations: 2, parallelism: 1))
        #expect(try new.verify("pw", against: phc) == .valid(needsRehash: true))
        #expect(new.needsRehash(phc))
        #expect(!old.needsRehash(phc))
        #expect(Argon2id.needsRehash(phc, current: old.parameters) == false)
        #expect(Argon2id.needsRehash(phc, current: new.parameters))
        var longerTag = old.parameters
        longerTag.hashLength = 64
        #expect(Argon2id.needsRehash(phc, current: longerTag))
    }

    @Test func hostileParametersAreRefusedBeforeAnyWork() throws {
        let hasher = try PasswordHasher(parameters: fastParameters)
        let salt = "c29tZXNhbHQ", tag = "CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"
        for params in ["m=4194304,t=2,p=1", "m=65536,t=11,p=1", "m=65536,t=2,p=17", "m=9999999999,t=2,p=1"] {
            let phc = "$argon2id$v=19$\(params)$\(salt)$\(tag)"
            #expect {
                try hasher.verify("password", against: phc)
            } throws: { error in
                guard case .costOutOfBounds(scheme: "argon2id", _) = error as? PasswordError else { return false }
                return true
            }
        }
    }

    @Test func invalidParametersAreRejected() {
        #expect(throws: PasswordError.self) { try PasswordHasher(parameters: Argon2Parameters(memoryKiB: 8, iterations: 1, parallelism: 2)) }
        #expect(throws: PasswordError.self) { try PasswordHasher(parameters: Argon2Parameters(memoryKiB: 64, iterations: 0, parallelism: 1)) }
        #expect(throws: PasswordError.self) { try PasswordHasher(parameters: Argon2Parameters(memoryKiB: 64, iterations: 1, parallelism: 1, saltLength: 4)) }
    }

    @Test func overlongPasswordsAreRefusedOrInvalid() throws {
        let hasher = try PasswordHasher(parameters: fastParameters)
        let long = String(repeating: "a", count: PasswordText.maxBytes + 1)
        #expect(throws: PasswordError.passwordTooLong(maxBytes: PasswordText.maxBytes)) { try hasher.hash(long) }
        #expect(try hasher.verify(long, against: hasher.hash("a")) == .invalid)
    }

    @Test func dummyVerifyCostsAboutAsMuchAsARealVerification() throws {
        let params = Argon2Parameters(memoryKiB: 4096, iterations: 2, parallelism: 1)
        let hasher = try PasswordHasher(parameters: params)
        let phc = try hasher.hash("real password")
        hasher.dummyVerify("warm-up")   // computes the reference hash once
        let clock = ContinuousClock()
        var real = Duration.zero, dummy = Duration.zero
        for _ in 0..<5 {
            real += clock.measure { _ = try? hasher.verify("wrong guess", against: phc) }
            dummy += clock.measure { hasher.dummyVerify("wrong guess") }
        }
        let ratio = dummy / real
        #expect(ratio > 0.33 && ratio < 3.0, "dummy \(dummy) vs real \(real)")
    }
}
