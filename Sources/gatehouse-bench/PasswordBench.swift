enum PasswordBench {
    static func run() async throws {}
}
