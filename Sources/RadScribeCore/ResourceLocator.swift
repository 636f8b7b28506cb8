import Foundation

/// Finds RadScribe's bundled data (`Templates/`, `Lexicon/`, `Grammars/`) wherever the binary runs from.
///
/// Looked for, in order: `$RADSCRIBE_HOME`; the folders above the executable (a build inside the
/// repository); `../share/radscribe` beside the executable's folder (an installed copy); and
/// `/usr/local/share/radscribe`, `/usr/share/radscribe`.
public struct ResourceLocator: Sendable {
    public let root: URL

    public init(root: URL) {
        self.root = root
    }

    public var templatesDirectory: URL { root.appendingPathComponent("Templates") }
    public var lexiconDirectory: URL { root.appendingPathComponent("Lexicon") }
    public var grammarsDirectory: URL { root.appendingPathComponent("Grammars") }

    /// The bundled domain language model.
    public var languageModel: URL { lexiconDirectory.appendingPathComponent("radiology.lm.bin") }
    /// Pronunciations for every word of the bundled language model.
    public var dictionary: URL { lexiconDirectory.appendingPathComponent("radscribe.dict") }

    /// Locates the data folder, or explains where it looked.
    public static func discover(environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> ResourceLocator
    {
        var candidates: [URL] = []
        if let home = environment["RADSCRIBE_HOME"], !home.isEmpty {
            candidates.append(URL(fileURLWithPath: home))
        }
        // readlink, not resolvingSymlinksInPath: a long-running `serve` whose binary was rebuilt since it started
        // sees "PATH (deleted)", which still names the install folder.
        let linked = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? "/proc/self/exe"
        let executable = URL(fileURLWithPath: linked.hasSuffix(" (deleted)") ? String(linked.dropLast(10)) : linked)
        var directory = executable.deletingLastPathComponent()
        candidates.append(directory.deletingLastPathComponent().appendingPathComponent("share/radscribe"))
        while directory.path != "/" {
            candidates.append(directory)
            directory.deleteLastPathComponent()
        }
        candidates.append(URL(fileURLWithPath: "/usr/local/share/radscribe"))
        candidates.append(URL(fileURLWithPath: "/usr/share/radscribe"))
        for candidate in candidates where isDataFolder(candidate) {
            return ResourceLocator(root: candidate)
        }
        throw ResourceError(
            description: "RadScribe data (Templates/ and Lexicon/) not found beside \(executable.path) "
                + "or in /usr/local/share/radscribe; set RADSCRIBE_HOME to the folder that holds them"
        )
    }

    private static func isDataFolder(_ url: URL) -> Bool {
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        return files.fileExists(atPath: url.appendingPathComponent("Templates").path, isDirectory: &isDirectory)
            && isDirectory.boolValue
            && files.fileExists(atPath: url.appendingPathComponent("Lexicon/radscribe.dict").path)
    }
}

/// The bundled data could not be found.
public struct ResourceError: Error, Sendable, CustomStringConvertible {
    public let description: String
}
