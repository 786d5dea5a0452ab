import Foundation

/// Runs `body` repeatedly for about `seconds` and returns operations per second.
func opsPerSecond(seconds: Double = 2, _ body: () throws -> Void) rethrows -> Double {
    for _ in 0..<10 { try body() }  // warm up
    let start = DispatchTime.now().uptimeNanoseconds
    var n = 0
    var elapsed = 0.0
    repeat {
        for _ in 0..<16 { try body() }
        n += 16
        elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    } while elapsed < seconds
    return Double(n) / elapsed
}

/// Prints one result line: name, figure, unit.
func report(_ name: String, _ value: Double, _ unit: String) {
    print(name.padding(toLength: max(name.count, 56), withPad: " ", startingAt: 0) + String(format: " %12.1f ", value) + unit)
}
