enum StoreBench {
    static func run() async throws {}
}
