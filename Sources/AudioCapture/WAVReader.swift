import Foundation

/// Reads RIFF/WAVE files of linear PCM (8-bit unsigned, 16/24/32-bit signed; mono or stereo; any common rate)
/// and converts them to 16 kHz mono 16-bit, the recognizer's input.
public enum WAVReader {
    /// What the `fmt ` chunk of a file says.
    public struct Format: Sendable, Hashable, CustomStringConvertible {
        public var formatTag: UInt16
        public var channels: Int
        public var sampleRate: Int
        public var bitsPerSample: Int

        public var description: String {
            "\(Self.formatName(formatTag, bits: bitsPerSample)), \(channels) channel(s), \(sampleRate) Hz"
        }

        static func formatName(_ tag: UInt16, bits: Int) -> String {
            switch tag {
            case 1: "\(bits)-bit linear PCM"
            case 3: "\(bits)-bit IEEE float"
            case 6: "8-bit A-law (format tag 6)"
            case 7: "8-bit µ-law (format tag 7)"
            case 2: "Microsoft ADPCM (format tag 2)"
            case 0x11: "IMA ADPCM (format tag 0x11)"
            case 0x55: "MP3 (format tag 0x55)"
            default: "audio format tag \(tag)"
            }
        }
    }

    private static let supportedRates = 8_000...192_000

    /// Reads and converts a WAV file.
    /// - Throws: ``AudioError`` naming the format found when the file is not usable.
    public static func read(contentsOf url: URL) throws -> PCMAudio {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw AudioError.fileUnreadable(url.path, reason: (error as NSError).localizedDescription)
        }
        return try decode(data, path: url.path)
    }

    /// Decodes WAV bytes; `path` only names the source in errors.
    public static func decode(_ data: Data, path: String = "audio") throws -> PCMAudio {
        let bytes = [UInt8](data)
        guard !bytes.isEmpty else { throw AudioError.emptyFile(path) }
        guard bytes.count >= 12 else {
            throw AudioError.truncated(path, detail: "\(bytes.count) bytes, shorter than a RIFF header")
        }
        let riff = String(decoding: bytes[0..<4], as: UTF8.self)
        let wave = String(decoding: bytes[8..<12], as: UTF8.self)
        guard riff == "RIFF", wave == "WAVE" else {
            throw AudioError.notWAV(path, found: "starts with \(printable(bytes[0..<min(4, bytes.count)]))")
        }

        var format: Format?
        var offset = 12
        while offset + 8 <= bytes.count {
            let id = String(decoding: bytes[offset..<offset + 4], as: UTF8.self)
            let size = Int(readUInt32(bytes, offset + 4))
            let body = offset + 8
            switch id {
            case "fmt ":
                guard size >= 16, body + 16 <= bytes.count else {
                    throw AudioError.truncated(path, detail: "the format chunk is cut short")
                }
                var tag = readUInt16(bytes, body)
                let bits = Int(readUInt16(bytes, body + 14))
                if tag == 0xFFFE, size >= 40, body + 26 <= bytes.count {
                    // WAVE_FORMAT_EXTENSIBLE: the real format tag opens the sub-format GUID.
                    tag = readUInt16(bytes, body + 24)
                }
                format = Format(
                    formatTag: tag,
                    channels: Int(readUInt16(bytes, body + 2)),
                    sampleRate: Int(readUInt32(bytes, body + 4)),
                    bitsPerSample: bits
                )
            case "data":
                guard let format else {
                    throw AudioError.notWAV(path, found: "the data chunk comes before any format chunk")
                }
                try validate(format, path: path)
                let available = bytes.count - body
                // Streaming writers leave 0 or 0xFFFFFFFF here; anything else that overshoots is a cut file.
                let declared = (size == 0 || size == 0xFFFF_FFFF) ? available : size
                guard declared <= available else {
                    throw AudioError.truncated(
                        path,
                        detail: "header promises \(declared) bytes of samples, the file holds \(available)"
                    )
                }
                let frameBytes = format.channels * format.bitsPerSample / 8
                let frames = declared / frameBytes
                guard frames > 0 else { throw AudioError.emptyFile(path) }
                let mono = downmix(bytes, from: body, frames: frames, format: format)
                return PCMAudio(samples: Resampler.resample(mono, from: format.sampleRate, to: PCMAudio.recognizerSampleRate))
            default:
                break
            }
            offset = body + size + (size & 1)
        }
        if format == nil {
            throw AudioError.truncated(path, detail: "no format chunk before the end of the file")
        }
        throw AudioError.truncated(path, detail: "no data chunk before the end of the file")
    }

    private static func validate(_ format: Format, path: String) throws {
        let linear = format.formatTag == 1 && [8, 16, 24, 32].contains(format.bitsPerSample)
        guard linear, (1...2).contains(format.channels), supportedRates.contains(format.sampleRate) else {
            throw AudioError.unsupportedFormat(path, found: format.description)
        }
    }

    /// Averages the channels into one float signal in -1…1.
    private static func downmix(_ bytes: [UInt8], from start: Int, frames: Int, format: Format) -> [Float] {
        let width = format.bitsPerSample / 8
        var mono = [Float](repeating: 0, count: frames)
        let scale = 1 / Float(format.channels)
        bytes.withUnsafeBufferPointer { raw in
            for frame in 0..<frames {
                var sum: Float = 0
                for channel in 0..<format.channels {
                    let at = start + (frame * format.channels + channel) * width
                    sum += sampleValue(raw, at, width: width)
                }
                mono[frame] = sum * scale
            }
        }
        return mono
    }

    private static func sampleValue(_ raw: UnsafeBufferPointer<UInt8>, _ at: Int, width: Int) -> Float {
        switch width {
        case 1:
            return (Float(raw[at]) - 128) / 128
        case 2:
            return Float(Int16(bitPattern: UInt16(raw[at]) | UInt16(raw[at + 1]) << 8)) / 32768
        case 3:
            let value = Int32(bitPattern: UInt32(raw[at]) << 8 | UInt32(raw[at + 1]) << 16 | UInt32(raw[at + 2]) << 24)
            return Float(value >> 8) / 8_388_608
        default:
            let value = Int32(
                bitPattern: UInt32(raw[at]) | UInt32(raw[at + 1]) << 8 | UInt32(raw[at + 2]) << 16
                    | UInt32(raw[at + 3]) << 24
            )
            return Float(value) / 2_147_483_648
        }
    }

    private static func readUInt16(_ bytes: [UInt8], _ at: Int) -> UInt16 {
        UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
    }

    private static func readUInt32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        guard at + 4 <= bytes.count else { return 0 }
        return UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    }

    private static func printable(_ bytes: ArraySlice<UInt8>) -> String {
        let text = bytes.map { (32...126).contains($0) ? String(UnicodeScalar($0)) : "." }.joined()
        return "\"\(text)\""
    }
}
