import Foundation

extension ProjectPaths {
    /// The project's own MRRT templates (`Templates/` in the repository).
    public static var templates: URL { root.appendingPathComponent("Templates") }

    /// The real RSNA RadReport templates kept beside the repository (`../shared/mrrt-samples`).
    public static var mrrtSamples: URL { shared.appendingPathComponent("mrrt-samples") }
}
