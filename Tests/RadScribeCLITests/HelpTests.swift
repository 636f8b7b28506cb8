import Testing
import TestSupport

@Suite("Command-line manners")
struct HelpTests {
    @Test("--help works on every command", arguments: [
        [], ["transcribe"], ["dictate"], ["report"], ["report", "show"], ["report", "sign"], ["hl7"], ["hl7", "oru"],
        ["template"], ["template", "list"], ["serve"], ["report", "history"], ["report", "edit"],
        ["report", "send-for-correction"], ["report", "addendum"], ["report", "correct"], ["report", "cancel"],
        ["report", "search"], ["user", "add"], ["user", "list"], ["order", "add"], ["worklist"], ["stats"],
        ["backup"], ["restore"],
    ])
    func help(command: [String]) throws {
        let result = try ProcessRunner.radscribe(command + ["--help"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout.contains("USAGE"))
    }

    @Test("usage errors exit 64 and say what is wrong")
    func usage() throws {
        let result = try ProcessRunner.radscribe(["dictate", "--accession", "A", "--template", "t"])
        #expect(result.exitCode == 64)
        #expect(result.stderr.contains("exactly one of --audio"))
    }
}
