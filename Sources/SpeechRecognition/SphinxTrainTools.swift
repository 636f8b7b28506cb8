import Foundation

/// Where Debian's adaptation programs live, and how they are run.
///
/// `bw`, `mllr_solve` and `map_adapt` come from `sphinxtrain` (`/usr/lib/sphinxtrain`), `sphinx_fe` from
/// `sphinxbase-utils`, `pocketsphinx_mdef_convert` from `pocketsphinx`.
public struct SphinxTrainTools: Sendable, Hashable {
    /// The folder holding `bw`, `mllr_solve` and `map_adapt`.
    public var sphinxTrainDirectory: URL
    /// The folder holding `sphinx_fe` and `pocketsphinx_mdef_convert`.
    public var binDirectory: URL

    public init(
        sphinxTrainDirectory: URL = URL(fileURLWithPath: "/usr/lib/sphinxtrain"),
        binDirectory: URL = URL(fileURLWithPath: "/usr/bin")
    ) {
        self.sphinxTrainDirectory = sphinxTrainDirectory
        self.binDirectory = binDirectory
    }

    /// The Debian locations, unless `RADSCRIBE_SPHINXTRAIN` names another sphinxtrain folder.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment)
        -> SphinxTrainTools
    {
        var tools = SphinxTrainTools()
        if let directory = environment["RADSCRIBE_SPHINXTRAIN"], !directory.isEmpty {
            tools.sphinxTrainDirectory = URL(fileURLWithPath: directory)
        }
        return tools
    }

    /// The path of a tool by name (`bw`, `sphinx_fe`, …).
    public func path(of tool: String) -> URL {
        switch tool {
        case "sphinx_fe", "pocketsphinx_mdef_convert": binDirectory.appendingPathComponent(tool)
        default: sphinxTrainDirectory.appendingPathComponent(tool)
        }
    }

    /// Checks the tools are installed and executable.
    /// - Throws: ``AdaptationError`` naming the first missing tool and the packages to install.
    public func check(_ tools: [String]) throws {
        for tool in tools where !FileManager.default.isExecutableFile(atPath: path(of: tool).path) {
            throw AdaptationError.toolMissing(tool, path: path(of: tool).path)
        }
    }

    /// Runs a tool, its output going to `log`.
    /// - Throws: ``AdaptationError`` with the log's last lines when it exits non-zero.
    func run(_ tool: String, _ arguments: [String], log: URL, in directory: URL) throws {
        try check([tool])
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        handle.write(Data(("$ " + ([tool] + arguments).joined(separator: " ") + "\n").utf8))
        let process = Process()
        process.executableURL = path(of: tool)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw AdaptationError.toolMissing(tool, path: path(of: tool).path)
        }
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            let tail = text.split(separator: "\n").suffix(8).joined(separator: "\n")
            throw AdaptationError.toolFailed(tool, status: process.terminationStatus, log: log, tail: tail)
        }
    }
}
