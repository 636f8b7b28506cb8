// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "RadScribe",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "radscribe", targets: ["radscribe"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
    ],
    targets: [
        // C libraries from Debian, found through pkg-config.
        .systemLibrary(
            name: "CPocketSphinx",
            pkgConfig: "pocketsphinx",
            providers: [.apt(["libpocketsphinx-dev", "libsphinxbase-dev"])]
        ),
        .systemLibrary(name: "CALSA", pkgConfig: "alsa", providers: [.apt(["libasound2-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CEspeak", pkgConfig: "espeak-ng", providers: [.apt(["libespeak-ng-dev"])]),

        // Domain types shared by every stage; no dependencies.
        .target(name: "RadScribeCore", swiftSettings: swiftSettings),

        // audio → recognizer → dictation session → report → store → HL7
        .target(name: "AudioCapture", dependencies: ["CALSA"], swiftSettings: swiftSettings),
        .target(
            name: "SpeechRecognition",
            dependencies: ["CPocketSphinx", "AudioCapture", "RadScribeCore"],
            swiftSettings: swiftSettings
        ),
        .target(name: "ReportTemplates", dependencies: ["CLibXML2", "RadScribeCore"], swiftSettings: swiftSettings),
        // Pronunciations for words added at runtime: espeak-ng IPA → CMU phones, checked against the acoustic model.
        .target(name: "Pronunciation", dependencies: ["CEspeak"], swiftSettings: swiftSettings),
        .target(name: "Dictation", dependencies: ["RadScribeCore", "ReportTemplates"], swiftSettings: swiftSettings),
        .target(name: "ReportChecks", dependencies: ["RadScribeCore", "ReportTemplates"], swiftSettings: swiftSettings),
        .target(
            name: "ReportStore",
            dependencies: [
                "RadScribeCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(name: "HL7", dependencies: ["RadScribeCore"], swiftSettings: swiftSettings),
        // Inbound ORM/OMI orders applied to the worklist, ACKs, peer allow-list (no networking).
        .target(
            name: "HL7Inbound",
            dependencies: ["HL7", "ReportStore", "RadScribeCore"],
            swiftSettings: swiftSettings
        ),
        // MLLP framing, client and the outbox delivery service (SwiftNIO).
        .target(
            name: "MLLP",
            dependencies: [
                "RadScribeCore", "HL7", "ReportStore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Ontology",
            dependencies: ["RadScribeCore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        // The web workstation: JSON API, live-dictation WebSocket and the static pages in Public/.
        .target(
            name: "RadScribeApp",
            dependencies: ["RadScribeCore", "AudioCapture", "SpeechRecognition", "ReportStore", "ReportTemplates", "ReportChecks"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RadScribeServer",
            dependencies: [
                "RadScribeCore", "ReportStore", "ReportTemplates", "ReportChecks", "Dictation", "HL7", "RadScribeApp",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Public"), .copy("openapi.yaml")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RadScribeCLI",
            dependencies: [
                "RadScribeCore", "AudioCapture", "SpeechRecognition", "ReportTemplates", "Dictation", "ReportChecks",
                "ReportStore", "HL7", "HL7Inbound", "RadScribeServer", "RadScribeApp", "Ontology", "MLLP", "Pronunciation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "radscribe",
            dependencies: ["RadScribeCLI", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),

        // Tests: one target per module, plus helpers that synthesize audio and run the binary.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: swiftSettings),
        .testTarget(name: "AudioCaptureTests", dependencies: ["AudioCapture", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SpeechRecognitionTests",
            dependencies: ["SpeechRecognition", "Dictation", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ReportTemplatesTests",
            dependencies: ["ReportTemplates", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DictationTests",
            dependencies: ["Dictation", "SpeechRecognition", "AudioCapture", "TestSupport"],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PronunciationTests",
            dependencies: ["Pronunciation", "SpeechRecognition", "AudioCapture", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "ReportChecksTests", dependencies: ["ReportChecks", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "ReportStoreTests", dependencies: ["ReportStore", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "MLLPTests",
            dependencies: [
                "MLLP", "HL7", "ReportStore", "Ontology", "RadScribeCore", "TestSupport",
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HL7Tests",
            dependencies: ["HL7", "TestSupport"],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HL7InboundTests",
            dependencies: ["HL7Inbound", "HL7", "ReportStore", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OntologyTests",
            dependencies: ["Ontology", "ReportStore", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RadScribeServerTests",
            dependencies: [
                "RadScribeServer", "RadScribeCLI", "ReportStore", "RadScribeCore", "AudioCapture", "Dictation",
                "ReportTemplates", "MLLP", "TestSupport", "SpeechRecognition",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "HummingbirdWSTesting", package: "hummingbird-websocket"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RadScribeCLITests",
            dependencies: ["TestSupport"],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
    ]
)
