import AudioCapture
import Dictation
import Foundation
import RadScribeCore
import ReportStore
import SpeechRecognition

/// Adaptation sentences from transcriptionist-corrected dictations.
///
/// The transcriptionist corrects written text, but adaptation needs the words as spoken. Per section with recognized
/// words:
/// 1. **Confirmed**: the corrected text equals the recognized words as formatted: the recognized spoken words are
///    what was said, and are used as they are.
/// 2. **Derived**: otherwise the corrected text is turned back into spoken form (spoken punctuation, numbers and
///    abbreviations spelled out with ``SpokenForm``) and kept only when formatting those words gives back the
///    corrected text exactly. Anything else (a rewording the formatter cannot reproduce) is skipped, never guessed.
///
/// The section's audio is cut from its first recognized word's start to its last word's end (with a margin).
enum CorrectionSamples {
    struct Outcome {
        var samples: [AdaptationSample] = []
        var confirmed = 0
        var derived = 0
        var skipped = 0
    }

    static let margin = 0.15

    static func samples(from dictations: [CorrectedDictation], knownWords: Set<String>) throws -> Outcome {
        let formatter = SpokenTextFormatter()
        var outcome = Outcome()
        for dictation in dictations {
            let audio = try WAVReader.decode(dictation.audio.wav, path: "dictation \(dictation.accession)")
            let corrected = Dictionary(
                dictation.correctedSections.map { ($0.key, $0.text) }, uniquingKeysWith: { first, _ in first }
            )
            for (key, words) in dictation.spokenWords.sorted(by: { $0.key < $1.key }) where !words.isEmpty {
                guard let correctedText = corrected[key] else {
                    outcome.skipped += 1
                    continue
                }
                let recognized = words.map(\.text)
                var spoken: [String]?
                if normalized(formatter.format(recognized)) == normalized(correctedText) {
                    spoken = recognized
                    outcome.confirmed += 1
                } else if let derived = spokenForm(of: correctedText),
                    normalized(formatter.format(derived)) == normalized(correctedText),
                    derived.allSatisfy(knownWords.contains)
                {
                    spoken = derived
                    outcome.derived += 1
                }
                guard let spoken, let first = words.first, let last = words.last else {
                    outcome.skipped += 1
                    continue
                }
                let start = max(0, Int((first.start - margin) * Double(audio.sampleRate)))
                let end = min(audio.samples.count, Int((last.end + margin) * Double(audio.sampleRate)))
                guard end > start else {
                    outcome.skipped += 1
                    continue
                }
                outcome.samples.append(
                    AdaptationSample(
                        name: SpeakerProfiles.safeName("corr-\(dictation.accession)-v\(dictation.correctedVersion)-\(key)"),
                        audio: PCMAudio(samples: Array(audio.samples[start..<end]), sampleRate: audio.sampleRate),
                        words: spoken
                    )
                )
            }
        }
        return outcome
    }

    /// Written text back in spoken form: punctuation as words, paragraphs as "new paragraph", numbers spelled out.
    static func spokenForm(of written: String) -> [String]? {
        var words: [String] = []
        let paragraphs = written.components(separatedBy: "\n\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        for (index, paragraph) in paragraphs.enumerated() where !paragraph.isEmpty {
            if index > 0, !words.isEmpty { words += ["new", "paragraph"] }
            var piece = ""
            var previous: Character?
            let characters = Array(paragraph)
            for (position, character) in characters.enumerated() {
                let next = position + 1 < characters.count ? characters[position + 1] : nil
                let isDecimalPoint = character == "." && (previous?.isNumber ?? false) && (next?.isNumber ?? false)
                if let mark = punctuationWords[character], !isDecimalPoint {
                    words += SpokenForm.words(piece).map { $0.lowercased() } + mark
                    piece = ""
                } else {
                    piece.append(character)
                }
                previous = character
            }
            words += SpokenForm.words(piece).map { $0.lowercased() }
        }
        return words.isEmpty ? nil : words
    }

    private static let punctuationWords: [Character: [String]] = [
        ".": ["period"], ",": ["comma"], ":": ["colon"], ";": ["semicolon"], "?": ["question", "mark"],
    ]

    private static func normalized(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
