import Foundation
import Testing

extension ProjectPaths {
    /// True when `../shared` (RSNA's sample templates and reference lists) lies beside the repository, as in CI; a
    /// newcomer's fresh clone has none.
    public static var sharedIsPresent: Bool {
        FileManager.default.fileExists(atPath: shared.appendingPathComponent("mrrt-samples").path)
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs only with `../shared` beside the repository; elsewhere the test is skipped, and the skip says why.
    public static var needsShared: Self {
        .enabled(
            if: ProjectPaths.sharedIsPresent,
            "needs ../shared (RSNA's MRRT samples and RadLex lists beside the repository): absent, so skipped"
        )
    }
}
