import Foundation
import Testing

/// The test tiers. `RADSCRIBE_TESTS=fast swift test` runs the fast tier only: pure logic, SQLite files and the
/// radscribe binary, no speech decoding, no browser, no Python validators or peers, no sphinxtrain (a few minutes).
/// Without it every tier runs (CI does). The integration tiers carry tags naming what they need, so they can also
/// be run or skipped by name (`swift test --filter` / `--skip` on their suites).
public enum TestTiers {
    public static var fastOnly: Bool { ProcessInfo.processInfo.environment["RADSCRIBE_TESTS"] == "fast" }
}

extension Tag {
    /// PocketSphinx decoding audio synthesized with flite or festival.
    @Tag public static var speech: Self
    /// Chromium driven by Selenium.
    @Tag public static var browser: Self
    /// External validators and peers in the Python venv (hl7apy strict, python-hl7, fhir.resources,
    /// openapi-spec-validator) or scripts run with python3.
    @Tag public static var validators: Self
    /// Speaker adaptation with sphinxtrain.
    @Tag public static var adaptation: Self
}

extension Trait where Self == ConditionTrait {
    /// An integration suite: skipped, with a visible notice, when only the fast tier runs.
    public static var integration: Self {
        .disabled(if: TestTiers.fastOnly, "integration tier (RADSCRIBE_TESTS=fast runs the fast tier only)")
    }
}
