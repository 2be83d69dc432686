// The shared scenario list, run through the iOS shell: every scenario of
// tests/scenarios/scenarios.json, each from a fresh phone. Writes the results
// file the Kotlin runner writes too (STEADY_SCENARIO_RESULTS), so that
// scripts/compare-scenarios.sh can check both phones behave alike, and
// prints a count line.
import Foundation
import XCTest

final class ScenarioTests: XCTestCase {
    @MainActor
    func testEveryScenarioOfTheSharedList() async throws {
        let env = ProcessInfo.processInfo.environment
        guard let listPath = env["STEADY_SCENARIOS"] else {
            return XCTFail("STEADY_SCENARIOS (the path of tests/scenarios/scenarios.json) is not set: run scripts/test-ios-shell.sh")
        }
        let list = try JSONDecoder().decode(JSON.self, from: Data(contentsOf: URL(fileURLWithPath: listPath)))
        XCTAssertEqual(list["format"]?.int, 1, "the runner reads format 1")
        let clinic = TestClinic.fromEnvironment()
        var results: [String: JSON] = [:]
        var counts: [String: Int] = ["pass": 0, "fail": 0, "skipped": 0]
        for scenario in list["scenarios"]?.array ?? [] {
            let id = scenario["id"]?.string ?? "?"
            let result = await ScenarioRun(scenario, clinic: clinic).run()
            results[id] = result.json
            counts[result.status, default: 0] += 1
            print("scenario \(id): \(result.status)\(result.reason.map { " (\($0))" } ?? "")")
            for failure in result.failures { XCTFail("\(id): \(failure)") }
        }
        print("ios shell scenarios: \(counts["pass"]!) passed, \(counts["fail"]!) failed, \(counts["skipped"]!) skipped")
        XCTAssertFalse(results.isEmpty, "the scenario list is empty")
        if let out = env["STEADY_SCENARIO_RESULTS"] {
            let file = JSON.object(["format": .int(1), "shell": .string("ios"), "scenarios": .object(results)])
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try FileManager.default.createDirectory(
                at: URL(fileURLWithPath: out).deletingLastPathComponent(), withIntermediateDirectories: true)
            try encoder.encode(file).write(to: URL(fileURLWithPath: out))
        }
    }
}
