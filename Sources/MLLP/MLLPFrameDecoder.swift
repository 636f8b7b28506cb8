import NIOCore

/// MLLP framing bytes: a frame is `0x0B` + message + `0x1C 0x0D`.
public enum MLLPFraming {
    public static let startBlock: UInt8 = 0x0B
    public static let endBlock: UInt8 = 0x1C
    public static let carriageReturn: UInt8 = 0x0D
}

/// Splits an MLLP byte stream into messages (without framing bytes).
///
/// Bytes before a start block are discarded (line noise, a peer's keep-alive newlines). A frame whose content grows
/// past `maximumFrameSize` before its end block fails the channel with ``MLLPError`` (`frameTooLarge`, carrying the
/// frame's first bytes so a receiver can answer AR to its MSH-10); a peer must not make the receiver buffer without
/// bound.
public struct MLLPFrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = ByteBuffer

    /// The largest message accepted, in bytes without framing.
    public let maximumFrameSize: Int
    /// How far the search for an end block has already looked, within the current frame.
    private var scanned = 0

    public init(maximumFrameSize: Int = 1 << 20) {
        self.maximumFrameSize = maximumFrameSize
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        // Skip noise up to the start block.
        if buffer.readableBytes > 0, buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) != MLLPFraming.startBlock {
            let view = buffer.readableBytesView
            if let start = view.firstIndex(of: MLLPFraming.startBlock) {
                buffer.moveReaderIndex(to: start)
            } else {
                buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
                return .needMoreData
            }
            scanned = 0
        }
        guard buffer.readableBytes > 1 else { return .needMoreData }
        let contentStart = buffer.readerIndex + 1
        let view = buffer.readableBytesView
        var index = max(contentStart, buffer.readerIndex + 1 + scanned)
        while index < view.endIndex {
            if view[index] == MLLPFraming.endBlock {
                guard index + 1 < view.endIndex else {
                    scanned = index - contentStart
                    return .needMoreData
                }
                if view[index + 1] == MLLPFraming.carriageReturn {
                    let length = index - contentStart
                    guard length <= maximumFrameSize else { throw tooLarge(buffer) }
                    buffer.moveReaderIndex(forwardBy: 1)
                    let frame = buffer.readSlice(length: length)!
                    buffer.moveReaderIndex(forwardBy: 2)
                    scanned = 0
                    context.fireChannelRead(Self.wrapInboundOut(frame))
                    return .continue
                }
            }
            index += 1
        }
        scanned = index - contentStart
        if scanned > maximumFrameSize + 1 { throw tooLarge(buffer) }
        return .needMoreData
    }

    /// How much of a refused frame's start is kept in the error: enough for its MSH segment.
    public static let frameHeadLength = 4096

    private func tooLarge(_ buffer: ByteBuffer) -> MLLPError {
        let length = min(Self.frameHeadLength, buffer.readableBytes - 1)
        let head = buffer.getBytes(at: buffer.readerIndex + 1, length: max(0, length)) ?? []
        return MLLPError.frameTooLarge(limit: maximumFrameSize, head: head)
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws
        -> DecodingState
    {
        // An unfinished frame at EOF is dropped: its sender never completed it.
        try decode(context: context, buffer: &buffer)
    }
}

/// Wraps each outbound message in MLLP framing.
public struct MLLPFrameEncoder: MessageToByteEncoder {
    public typealias OutboundIn = ByteBuffer

    public init() {}

    public func encode(data: ByteBuffer, out: inout ByteBuffer) throws {
        out.reserveCapacity(data.readableBytes + 3)
        out.writeInteger(MLLPFraming.startBlock)
        out.writeImmutableBuffer(data)
        out.writeInteger(MLLPFraming.endBlock)
        out.writeInteger(MLLPFraming.carriageReturn)
    }
}
