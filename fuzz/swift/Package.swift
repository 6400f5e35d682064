// swift-tools-version:6.0
import PackageDescription

// libFuzzer harnesses for the Swift core (OpenSSLCore). A package of its own,
// so that the root package's products carry no sanitizer flags. Build with
// fuzzer coverage *and* AddressSanitizer on every Swift module (see
// ../README.md, "libFuzzer on the Swift core"):
//
//   swift build -c release --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address
//
// (`--sanitize=fuzzer` makes SwiftPM link libFuzzer's main instead of a Swift
// entry point; the -Xswiftc flag comes last on every swiftc line and adds
// AddressSanitizer: swiftc keeps only the last -sanitize= it is given.)
let package = Package(
    name: "OpenSSLCoreFuzz",
    dependencies: [
        .package(name: "swift-pyopenssl", path: "../.."),
    ],
    targets: [
        // libFuzzer extra counters, the input mirror, OpenSSL's error queue
        .target(name: "CFuzzSupport"),
        .target(
            name: "FuzzSupport",
            dependencies: ["CFuzzSupport", .product(name: "OpenSSLCore", package: "swift-pyopenssl")]
        ),
        .executableTarget(
            name: "SwiftBytesIntoConnection",
            dependencies: ["FuzzSupport", .product(name: "OpenSSLCore", package: "swift-pyopenssl")]
        ),
        .executableTarget(
            name: "SwiftCertificateLoaders",
            dependencies: ["FuzzSupport", .product(name: "OpenSSLCore", package: "swift-pyopenssl")]
        ),
    ]
)
