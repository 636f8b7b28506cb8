import Foundation

/// The base (context-independent) phones of a PocketSphinx acoustic model, read from its `mdef`
/// (binary `BMDF`, as Debian ships it, or the text format `0.3`).
public struct AcousticPhoneSet: Sendable, Hashable {
    /// Every base phone, fillers (`SIL`, `+NSN+`) included.
    public let phones: Set<String>

    public init(phones: Set<String>) { self.phones = phones }

    /// Reads `mdef` of the acoustic model directory.
    /// - Throws: ``PronunciationError/modelUnreadable(_:)`` when the file is missing or not an mdef.
    public init(acousticModel: URL) throws(PronunciationError) {
        let file = acousticModel.appendingPathComponent("mdef")
        guard let data = try? Data(contentsOf: file) else { throw .modelUnreadable(file.path) }
        guard let phones = Self.binaryPhones(data) ?? Self.textPhones(data), phones.contains("AA") else {
            throw .modelUnreadable(file.path)
        }
        self.phones = phones
    }

    /// The phones a dictionary pronunciation may use: every base phone but the fillers.
    public var speechPhones: [String] {
        phones.filter { !$0.hasPrefix("+") && $0 != "SIL" }.sorted()
    }

    /// The phones of a pronunciation that the model does not have (after upper-casing and dropping stress digits).
    public func unknown(in pronunciation: [String]) -> [String] {
        let speech = Set(speechPhones)
        return pronunciation.filter { !speech.contains($0) }
    }

    /// Normalizes a written pronunciation: upper case, stress digits dropped ("AH0" → "AH"), split on spaces.
    public static func normalize(_ pronunciation: String) -> [String] {
        pronunciation.split(whereSeparator: \.isWhitespace).map {
            String($0.uppercased().filter { !$0.isNumber })
        }
    }

    /// BMDF: magic, version, format-text length and text, ten int32 counts (the first: CI phones), then the
    /// CI phone names as NUL-terminated strings. "FDMB" means the other byte order.
    private static func binaryPhones(_ data: Data) -> Set<String>? {
        let bytes = [UInt8](data)
        guard bytes.count > 12 else { return nil }
        let magic = String(decoding: bytes[0..<4], as: UTF8.self)
        guard magic == "BMDF" || magic == "FDMB" else { return nil }
        let swap = magic == "FDMB"
        func int32(at offset: Int) -> Int? {
            guard offset + 4 <= bytes.count else { return nil }
            var value = UInt32(0)
            for index in 0..<4 { value |= UInt32(bytes[offset + index]) << (8 * UInt32(index)) }
            return Int(Int32(bitPattern: swap ? value.byteSwapped : value))
        }
        guard let textLength = int32(at: 8), textLength >= 0 else { return nil }
        var offset = 12 + textLength
        guard let count = int32(at: offset), (1...1000).contains(count) else { return nil }
        offset += 40
        var phones = Set<String>()
        while phones.count < count, offset < bytes.count {
            guard let end = bytes[offset...].firstIndex(of: 0) else { return nil }
            phones.insert(String(decoding: bytes[offset..<end], as: UTF8.self))
            offset = end + 1
        }
        return phones.count == count ? phones : nil
    }

    /// Text mdef: base phone lines read `AA - - - n/a …`.
    private static func textPhones(_ data: Data) -> Set<String>? {
        guard data.starts(with: Array("0.3".utf8)) else { return nil }
        var phones = Set<String>()
        for line in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) {
            let fields = line.split(whereSeparator: \.isWhitespace)
            if fields.count >= 6, fields[1] == "-", fields[2] == "-", fields[3] == "-" { phones.insert(String(fields[0])) }
        }
        return phones
    }
}
