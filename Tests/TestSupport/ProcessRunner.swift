import Foundation

/// What a finished child process left behind.
public struct ProcessResult: Sendable {
    public var exitCode: Int32
    public var stdout: String
    public var stderr: String
}

public struct ProcessFailure: Error, CustomStringConvertible {
    public var description: String

    public init(description: String) {
        self.description = description
    }
}

/// Runs programs the way a user would, capturing their output.
public enum ProcessRunner {
    /// Runs `executable` with `arguments` and waits for it.
    /// - Parameters:
    ///   - environment: variables added to (or replacing) the current environment.
    ///   - stdin: bytes written to the child's standard input, then closed.
    public static func run(
        _ executable: URL,
        _ arguments: [String],
        environment: [String: String] = [:],
        currentDirectory: URL? = nil,
        stdin: Data? = nil
    ) throws -> ProcessResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }

        // Files rather than pipes: a chatty child can never block on a full pipe.
        let dir = try ProjectPaths.temporaryDirectory("proc")
        defer { try? FileManager.default.removeItem(at: dir) }
        let outURL = dir.appendingPathComponent("out")
        let errURL = dir.appendingPathComponent("err")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = stdin == nil ? FileHandle.nullDevice : input
        try process.run()
        if let stdin {
            input.fileHandleForWriting.write(stdin)
            try input.fileHandleForWriting.close()
        }
        process.waitUntilExit()
        try out.close()
        try err.close()
        return ProcessResult(
            exitCode: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
        )
    }

    /// Runs a program found on `PATH`.
    public static func run(tool: String, _ arguments: [String], environment: [String: String] = [:]) throws
        -> ProcessResult
    {
        try run(URL(fileURLWithPath: "/usr/bin/env"), [tool] + arguments, environment: environment)
    }

    /// Runs the built `radscribe` binary.
    public static func radscribe(
        _ arguments: [String],
        environment: [String: String] = [:],
        currentDirectory: URL? = nil,
        stdin: Data? = nil
    ) throws -> ProcessResult {
        let binary = ProjectPaths.radscribeBinary
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw ProcessFailure(description: "radscribe binary not found at \(binary.path); run `swift build` first")
        }
        return try run(binary, arguments, environment: environment, currentDirectory: currentDirectory, stdin: stdin)
    }
}
