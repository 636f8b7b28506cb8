/// Where `radscribe serve` listens.
public struct ServerConfiguration: Sendable, Hashable {
    public var host: String
    /// TCP port; 0 picks a free one (reported once listening).
    public var port: Int

    public init(host: String = "127.0.0.1", port: Int = 8080) {
        self.host = host
        self.port = port
    }
}
