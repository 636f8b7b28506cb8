import Foundation

/// Locations every test needs: the repository, the built `radscribe` binary, the shared folder and the Python venv.
public enum ProjectPaths {
    /// The repository root (the folder holding `Package.swift`).
    public static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url
            }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    /// `../shared` beside the repository (CI lays it there too).
    public static var shared: URL { root.deletingLastPathComponent().appendingPathComponent("shared") }

    /// The `radscribe` executable built beside the test bundle (`swift test` builds every product).
    public static var radscribeBinary: URL {
        if let override = ProcessInfo.processInfo.environment["RADSCRIBE_BIN"] {
            return URL(fileURLWithPath: override)
        }
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = testBinary.deletingLastPathComponent()
        // Swift Testing may run from inside `X.xctest`; the products sit beside the bundle.
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("radscribe")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir.deleteLastPathComponent()
        }
        return root.appendingPathComponent(".build/debug/radscribe")
    }

    /// The Python interpreter of the project's venv (made by `scripts/setup-python.sh`).
    public static var python: URL {
        if let override = ProcessInfo.processInfo.environment["RADSCRIBE_PYTHON"] {
            return URL(fileURLWithPath: override)
        }
        return root.appendingPathComponent(".venv/bin/python3")
    }

    /// A fresh temporary directory under this test process's own folder, which is removed when the process exits.
    public static func temporaryDirectory(_ label: String = "radscribe-test") throws -> URL {
        let dir = processTemporaryRoot.appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// One folder per test process, so a run cleans up after itself: removed at exit unless
    /// `RADSCRIBE_KEEP_TEST_FILES` is set (to inspect a failure); folders of processes that died are removed
    /// by the next run.
    private static let processTemporaryRoot: URL = {
        let files = FileManager.default
        let base = files.temporaryDirectory
        let prefix = "radscribe-tests-"
        for name in (try? files.contentsOfDirectory(atPath: base.path)) ?? [] where name.hasPrefix(prefix) {
            if let pid = Int32(name.dropFirst(prefix.count)), kill(pid, 0) != 0, errno == ESRCH {
                try? files.removeItem(at: base.appendingPathComponent(name))
            }
        }
        let root = base.appendingPathComponent(prefix + String(getpid()))
        try? files.createDirectory(at: root, withIntermediateDirectories: true)
        if ProcessInfo.processInfo.environment["RADSCRIBE_KEEP_TEST_FILES"] == nil {
            atexit { try? FileManager.default.removeItem(at: ProjectPaths.processTemporaryRoot) }
        }
        return root
    }()
}
