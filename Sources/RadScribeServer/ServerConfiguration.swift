import Foundation
import RadScribeCore

/// Where and how `radscribe serve` listens, and the limits that keep one client from taking the server.
public struct ServerConfiguration: Sendable {
    public var host: String
    /// TCP port; 0 picks a free one (reported once listening).
    public var port: Int
    /// HTTPS: PEM certificate chain and private key. With it the session cookie is `Secure` and responses carry HSTS.
    public var tls: TLSFiles?
    /// A connection with no complete request head for this long (new, or between requests) is closed.
    public var idleTimeout: Duration
    /// Connections open at once; more are closed as they arrive.
    public var maximumConnections: Int
    /// The longest live dictation, as `radscribe dictate --max-seconds`: audio past it is not taken, and the
    /// dictation is saved as it stands.
    public var maximumDictationSeconds: Double
    /// Failed logins one client address may make within ``loginThrottleWindow`` before its logins are refused
    /// (429) until the window has passed; checked before any password, so one address cannot lock an account out.
    public var failedLoginsPerAddress: Int
    public var loginThrottleWindow: Duration

    public struct TLSFiles: Sendable, Hashable {
        public var certificateFile: String
        public var privateKeyFile: String

        public init(certificateFile: String, privateKeyFile: String) {
            self.certificateFile = certificateFile
            self.privateKeyFile = privateKeyFile
        }
    }

    public init(
        host: String = "127.0.0.1", port: Int = 8080, tls: TLSFiles? = nil, idleTimeout: Duration = .seconds(60),
        maximumConnections: Int = 512, maximumDictationSeconds: Double = DictationLimits.maximumSeconds,
        failedLoginsPerAddress: Int = 5, loginThrottleWindow: Duration = .seconds(15 * 60)
    ) {
        self.host = host
        self.port = port
        self.tls = tls
        self.idleTimeout = idleTimeout
        self.maximumConnections = maximumConnections
        self.maximumDictationSeconds = maximumDictationSeconds
        self.failedLoginsPerAddress = failedLoginsPerAddress
        self.loginThrottleWindow = loginThrottleWindow
    }

    /// True for addresses only this machine reaches: plain HTTP is safe there.
    public static func isLoopback(_ host: String) -> Bool {
        let host = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        return host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}
