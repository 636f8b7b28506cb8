import MLLP
import NIOCore
import NIOEmbedded
import Testing

@Suite("MLLP framing")
struct MLLPFrameDecoderTests {
    private func channel(maximum: Int = 1 << 20) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(
            ByteToMessageHandler(MLLPFrameDecoder(maximumFrameSize: maximum))
        )
        return channel
    }

    private func frame(_ text: String) -> [UInt8] { [0x0B] + Array(text.utf8) + [0x1C, 0x0D] }

    private func readAll(_ channel: EmbeddedChannel) throws -> [String] {
        var messages: [String] = []
        while let buffer = try channel.readInbound(as: ByteBuffer.self) { messages.append(String(buffer: buffer)) }
        return messages
    }

    @Test("a frame split across reads at every byte is decoded once, whole")
    func splitFrames() throws {
        let bytes = frame("MSH|^~\\&|A\rPID|1\r")
        for cut in 1..<bytes.count {
            let channel = try channel()
            try channel.writeInbound(ByteBuffer(bytes: bytes[..<cut]))
            #expect(try readAll(channel).isEmpty)
            try channel.writeInbound(ByteBuffer(bytes: bytes[cut...]))
            #expect(try readAll(channel) == ["MSH|^~\\&|A\rPID|1\r"], "cut at \(cut)")
            _ = try channel.finish()
        }
    }

    @Test("two frames in one read give two messages, in order")
    func twoFramesInOneRead() throws {
        let channel = try channel()
        try channel.writeInbound(ByteBuffer(bytes: frame("MSH|1\r") + frame("MSH|2\r")))
        #expect(try readAll(channel) == ["MSH|1\r", "MSH|2\r"])
        _ = try channel.finish()
    }

    @Test("bytes before the start block are discarded; a lone 0x1C inside a frame is content")
    func garbageBeforeStart() throws {
        let channel = try channel()
        try channel.writeInbound(ByteBuffer(bytes: Array("\r\nnoise".utf8) + frame("MSH|1\r")))
        try channel.writeInbound(ByteBuffer(bytes: [0x0A, 0x0A] + [0x0B] + Array("A".utf8) + [0x1C, 0x41, 0x1C, 0x0D]))
        #expect(try readAll(channel) == ["MSH|1\r", "A\u{1C}A"])
        _ = try channel.finish()
    }

    @Test("a frame past the limit fails the channel, in one read or trickled")
    func oversizeFrame() throws {
        let channel = try channel(maximum: 16)
        #expect(throws: MLLPError.self) {
            try channel.writeInbound(ByteBuffer(bytes: frame(String(repeating: "x", count: 17))))
        }
        let trickle = try self.channel(maximum: 16)
        #expect(throws: MLLPError.self) {
            try trickle.writeInbound(ByteBuffer(bytes: [0x0B]))
            for _ in 0..<64 { try trickle.writeInbound(ByteBuffer(bytes: Array("xxxx".utf8))) }
        }
        let exact = try self.channel(maximum: 16)
        try exact.writeInbound(ByteBuffer(bytes: frame(String(repeating: "y", count: 16))))
        #expect(try readAll(exact) == [String(repeating: "y", count: 16)])
    }

    @Test("the encoder frames a message")
    func encoder() throws {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(MLLPFrameEncoder()))
        try channel.writeOutbound(ByteBuffer(string: "MSH|1\r"))
        let out = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(Array(out.readableBytesView) == frame("MSH|1\r"))
    }

    @Test("the benchmark acknowledger echoes MSH-10 in MSA-2")
    func ackResponder() throws {
        let ack = MLLPAckResponder.acknowledgement(
            for: ByteBuffer(string: "MSH|^~\\&|RADSCRIBE||RIS||20270101||ORU^R01^ORU_R01|CTRL123|P|2.5.1\rPID|1\r")
        )
        let parsed = try MLLPAcknowledgement(parsing: ack)
        #expect(parsed.code == "AA")
        #expect(parsed.controlID == "CTRL123")
    }

    @Test("endpoints parse HOST:PORT")
    func endpoints() {
        #expect(MLLPEndpoint(parsing: "127.0.0.1:2575") == MLLPEndpoint(host: "127.0.0.1", port: 2575))
        #expect(MLLPEndpoint(parsing: "[::1]:2575")?.host == "::1")
        #expect(MLLPEndpoint(parsing: "host") == nil)
        #expect(MLLPEndpoint(parsing: "host:0") == nil)
    }
}
