import Foundation

/// The peers allowed to send orders: IPv4/IPv6 addresses and CIDR ranges.
///
/// An empty list allows nobody; `0.0.0.0/0` and `::/0` allow everybody. IPv4-mapped IPv6 addresses
/// (`::ffff:10.0.0.5`) are matched as IPv4.
public struct PeerAllowList: Sendable, Hashable, CustomStringConvertible {
    /// Why an entry could not be read.
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        public var entry: String
        public var description: String { "not an IP address or CIDR range: '\(entry)'" }
    }

    struct Range: Sendable, Hashable {
        var bytes: [UInt8]
        var prefixLength: Int

        func contains(_ address: [UInt8]) -> Bool {
            guard address.count == bytes.count else { return false }
            var remaining = prefixLength
            for index in bytes.indices where remaining > 0 {
                let bits = min(8, remaining)
                let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
                if address[index] & mask != bytes[index] & mask { return false }
                remaining -= bits
            }
            return true
        }
    }

    let ranges: [Range]
    /// The entries as given.
    public let entries: [String]

    /// Reads entries such as `127.0.0.1`, `10.1.0.0/16`, `::1`, `fd00::/8`.
    /// - Throws: ``ParseError`` for the first entry that is neither an address nor a CIDR range.
    public init(_ entries: [String]) throws {
        var ranges: [Range] = []
        for raw in entries {
            let entry = raw.trimmingCharacters(in: .whitespaces)
            if entry.isEmpty { continue }
            let parts = entry.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            guard let bytes = Self.addressBytes(String(parts[0])) else { throw ParseError(entry: raw) }
            var prefix = bytes.count * 8
            if parts.count == 2 {
                guard let length = Int(parts[1]), (0...prefix).contains(length), parts[1].allSatisfy(\.isNumber) else {
                    throw ParseError(entry: raw)
                }
                prefix = length
            }
            ranges.append(Range(bytes: bytes, prefixLength: prefix))
        }
        self.ranges = ranges
        self.entries = entries
    }

    /// Reads a comma- or space-separated list, e.g. `127.0.0.1, 10.0.0.0/8`.
    public init(parsing list: String) throws {
        try self.init(list.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init))
    }

    /// Whether `address` (an IPv4 or IPv6 address without port) is allowed; an unreadable address is not.
    public func allows(_ address: String) -> Bool {
        var text = address
        if let percent = text.firstIndex(of: "%") { text = String(text[..<percent]) }  // IPv6 zone id
        guard let bytes = Self.addressBytes(text) else { return false }
        // ::ffff:a.b.c.d is the IPv4 peer a.b.c.d.
        if bytes.count == 16, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
            let v4 = Array(bytes[12...])
            if ranges.contains(where: { $0.contains(v4) }) { return true }
        }
        return ranges.contains { $0.contains(bytes) }
    }

    public var description: String { entries.joined(separator: ", ") }

    /// 4 bytes for IPv4, 16 for IPv6, nil otherwise.
    static func addressBytes(_ text: String) -> [UInt8]? {
        if text.contains(":") { return ipv6Bytes(text) }
        return ipv4Bytes(text)
    }

    private static func ipv4Bytes(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0.isASCII && $0.isNumber }),
                let value = UInt8(part)
            else { return nil }
            bytes.append(value)
        }
        return bytes
    }

    private static func ipv6Bytes(_ text: String) -> [UInt8]? {
        var text = Substring(text)
        if text.hasPrefix("["), text.hasSuffix("]") { text = text.dropFirst().dropLast() }
        // A trailing dotted IPv4 part counts as two groups.
        var tail: [UInt8] = []
        if let lastColon = text.lastIndex(of: ":"), text[text.index(after: lastColon)...].contains(".") {
            guard let v4 = ipv4Bytes(String(text[text.index(after: lastColon)...])) else { return nil }
            tail = v4
            text = text[...lastColon]
            if text.hasSuffix(":") && !text.hasSuffix("::") { text = text.dropLast() }
        }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt16]? {
            if part.isEmpty { return [] }
            var values: [UInt16] = []
            for group in part.split(separator: ":", omittingEmptySubsequences: false) {
                guard !group.isEmpty, group.count <= 4, let value = UInt16(group, radix: 16) else { return nil }
                values.append(value)
            }
            return values
        }
        guard let head = groups(halves[0]) else { return nil }
        let rest = halves.count == 2 ? groups(halves[1]) : []
        guard let rest else { return nil }
        let available = 8 - tail.count / 2
        var all: [UInt16]
        if halves.count == 2 {
            guard head.count + rest.count < available else { return nil }
            all = head + Array(repeating: 0, count: available - head.count - rest.count) + rest
        } else {
            guard head.count == available else { return nil }
            all = head
        }
        var bytes: [UInt8] = []
        for value in all { bytes += [UInt8(value >> 8), UInt8(value & 0xFF)] }
        return bytes + tail
    }
}
