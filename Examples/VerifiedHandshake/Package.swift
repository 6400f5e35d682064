// swift-tools-version:6.0
import PackageDescription

// A Swift program using OpenSSLCore as an ordinary SwiftPM dependency.
let package = Package(
    name: "VerifiedHandshake",
    dependencies: [
        .package(name: "swift-pyopenssl", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "VerifiedHandshake",
            dependencies: [.product(name: "OpenSSLCore", package: "swift-pyopenssl")]
        ),
    ]
)
