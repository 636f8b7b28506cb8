import Foundation

/// Converts PocketSphinx's quantized `sendump` into the Sphinx-III `mixture_weights` file that `bw` needs.
///
/// Debian's `en-us` model ships only `sendump`. Formats as in sphinxtrain's `sendump.py` and `s3file.py`: `sendump`
/// is a header of length-prefixed strings ended by a zero length, then (without clusters) the codeword and pdf
/// counts, then per feature stream per codeword one byte per senone; each byte `b` stands for the weight
/// `1.0001^-(b << 10)`. `mixture_weights` is an "s3" text header aligned to 4 bytes, the byte-order word
/// 0x11223344, the three dimensions (senones, streams, codewords), their product, then float32 weights.
enum MixtureWeights {
    private static let mixwShift = 10

    static func convert(sendump: URL, to output: URL) throws {
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: sendump))
        } catch {
            throw AdaptationError.modelUnusable("cannot read \(sendump.path): \(error.localizedDescription)")
        }
        var offset = 0
        var bigEndian = false
        func int32() throws -> Int {
            guard offset + 4 <= bytes.count else {
                throw AdaptationError.modelUnusable("\(sendump.path) is truncated")
            }
            let raw = bytes[offset..<offset + 4].enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * $1.offset) }
            offset += 4
            return Int(bigEndian ? raw.byteSwapped : raw)
        }
        func string() throws -> String? {
            var length = try int32()
            if length > 65_536 {
                bigEndian.toggle()
                length = Int(UInt32(length).byteSwapped)
            }
            guard length > 0 else { return nil }
            guard offset + length <= bytes.count else {
                throw AdaptationError.modelUnusable("\(sendump.path) has a broken header")
            }
            defer { offset += length }
            return String(decoding: bytes[offset..<offset + length - 1], as: UTF8.self)
        }

        _ = try string()  // title
        var features = 1
        var clusters = 0
        var shift = mixwShift
        while let header = try string() {
            let parts = header.split(separator: " ")
            guard parts.count == 2, let value = Int(parts[1]) else { continue }
            switch parts[0] {
            case "feature_count": features = value
            case "cluster_count": clusters = value
            case "mixw_shift": shift = value
            default: break
            }
        }
        guard clusters == 0 else {
            throw AdaptationError.modelUnusable("\(sendump.path) uses clustered weights, which RadScribe cannot convert")
        }
        let codewords = try int32()
        let senones = try int32()
        guard codewords > 0, senones > 0, offset + features * codewords * senones <= bytes.count else {
            throw AdaptationError.modelUnusable("\(sendump.path) is shorter than its header says")
        }

        // weights[senone][feature][codeword], each (senone, feature) row normalized to sum 1.
        var weights = [Float](repeating: 0, count: senones * features * codewords)
        for feature in 0..<features {
            for codeword in 0..<codewords {
                let base = offset + (feature * codewords + codeword) * senones
                for senone in 0..<senones {
                    let value = Double(Int(bytes[base + senone]) << shift)
                    weights[(senone * features + feature) * codewords + codeword] = Float(pow(1.0001, -value))
                }
            }
        }
        for row in 0..<(senones * features) {
            let range = row * codewords..<(row + 1) * codewords
            let sum = weights[range].reduce(0, +)
            if sum > 0 { for index in range { weights[index] /= sum } }
        }

        var data = Data()
        var header = "s3\nversion 1.0\n"
        let misalignment = (header.utf8.count + "endhdr\n".utf8.count) & 3
        if misalignment != 0 { header += String(repeating: " ", count: 4 - misalignment) }
        header += "endhdr\n"
        data.append(contentsOf: Array(header.utf8))
        func append(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        append(0x1122_3344)
        append(UInt32(senones))
        append(UInt32(features))
        append(UInt32(codewords))
        append(UInt32(weights.count))
        for weight in weights { append(weight.bitPattern) }
        do {
            try data.write(to: output)
        } catch {
            throw AdaptationError.modelUnusable("cannot write \(output.path): \(error.localizedDescription)")
        }
    }
}
