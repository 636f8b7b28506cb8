import Foundation

/// Band-limited sample-rate conversion (windowed sinc), so 44.1/48 kHz recordings reach the recognizer
/// without aliasing that would blur its features.
enum Resampler {
    /// Half-width of the sinc kernel in input samples at the lower of the two rates.
    private static let zeroCrossings = 16

    static func resample(_ input: [Float], from sourceRate: Int, to targetRate: Int) -> [Int16] {
        guard sourceRate != targetRate else { return input.map(quantize) }
        let ratio = Double(targetRate) / Double(sourceRate)
        let outputCount = Int((Double(input.count) * ratio).rounded(.down))
        // Below the Nyquist frequency of the lower rate, with a little room for the window's transition band.
        let cutoff = min(1, ratio) * 0.95
        let halfWidth = Double(zeroCrossings) / cutoff
        var output = [Int16](repeating: 0, count: outputCount)
        input.withUnsafeBufferPointer { source in
            for index in 0..<outputCount {
                let center = Double(index) / ratio
                let first = max(0, Int((center - halfWidth).rounded(.up)))
                let last = min(source.count - 1, Int((center + halfWidth).rounded(.down)))
                var sum = 0.0
                var weightSum = 0.0
                if first <= last {
                    for tap in first...last {
                        let distance = Double(tap) - center
                        let weight = sinc(distance * cutoff) * hann(distance / halfWidth)
                        sum += Double(source[tap]) * weight
                        weightSum += weight
                    }
                }
                output[index] = quantize(Float(weightSum > 0 ? sum / weightSum : 0))
            }
        }
        return output
    }

    private static func sinc(_ x: Double) -> Double {
        x == 0 ? 1 : sin(Double.pi * x) / (Double.pi * x)
    }

    private static func hann(_ x: Double) -> Double {
        abs(x) >= 1 ? 0 : 0.5 * (1 + cos(Double.pi * x))
    }

    private static func quantize(_ value: Float) -> Int16 {
        Int16(max(-32768, min(32767, (value * 32768).rounded())))
    }
}
