import NIOCore
import NIOSSL
import NIOTLS

/// TLS for an MLLP connection (swift-nio-ssl): a client that verifies the peer against trust roots, or a listener
/// with a certificate and key. Built once and shared by every connection.
public struct MLLPTLSContext: Sendable {
    let context: NIOSSLContext

    /// A client context: the peer's certificate must chain to the certificates in `trustRootsFile` (PEM; the
    /// system's roots when nil) and name the host connected to (DNS name, or the IP address in a subjectAltName).
    /// - Throws: ``MLLPError`` (`tlsConfiguration`) when the file is unreadable or no PEM certificate.
    public static func client(trustRootsFile: String?) throws -> MLLPTLSContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        configuration.certificateVerification = .fullVerification
        do {
            if let trustRootsFile {
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(trustRootsFile))
            }
            return MLLPTLSContext(context: try NIOSSLContext(configuration: configuration))
        } catch {
            throw MLLPError.tlsConfiguration("trust roots \(trustRootsFile ?? "(system)"): \(error)")
        }
    }

    /// A server context presenting the certificate chain of `certificateFile` (PEM, leaf first) with the key of
    /// `privateKeyFile` (PEM). Clients are not asked for certificates (peers are restricted by the allow-list).
    /// - Throws: ``MLLPError`` (`tlsConfiguration`) when a file is unreadable or they do not match.
    public static func server(certificateFile: String, privateKeyFile: String) throws -> MLLPTLSContext {
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(certificateFile).map { NIOSSLCertificateSource.certificate($0) }
            guard !chain.isEmpty else { throw MLLPError.tlsConfiguration("no certificate in \(certificateFile)") }
            let key = try NIOSSLPrivateKey(file: privateKeyFile, format: .pem)
            var configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: chain, privateKey: .privateKey(key)
            )
            configuration.minimumTLSVersion = .tlsv12
            return MLLPTLSContext(context: try NIOSSLContext(configuration: configuration))
        } catch let error as MLLPError {
            throw error
        } catch {
            throw MLLPError.tlsConfiguration("certificate \(certificateFile) / key \(privateKeyFile): \(error)")
        }
    }

    /// The client handler for `host`: SNI and name verification by DNS name, or by IP address for an address.
    func clientHandler(host: String) throws -> NIOSSLClientHandler {
        let isAddress = (try? SocketAddress(ipAddress: host, port: 0)) != nil
        return try NIOSSLClientHandler(context: context, serverHostname: isAddress ? nil : host)
    }

    func serverHandler() -> NIOSSLServerHandler {
        NIOSSLServerHandler(context: context)
    }
}

/// Completes `promise` when the TLS handshake has completed, or fails it with the first error before that: a
/// client learns that a peer is not trusted before any message bytes go out.
final class TLSHandshakeWaiter: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let promise: EventLoopPromise<Void>

    init(promise: EventLoopPromise<Void>) {
        self.promise = promise
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
            promise.succeed(())
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(error)
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(ChannelError.ioOnClosedChannel)
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        promise.fail(ChannelError.ioOnClosedChannel)
    }
}
