enum JOSEBench {
    static func run() async throws {}
}
