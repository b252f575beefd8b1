// swift-tools-version:5.9
// The Swift package of ordo. `Sources/Ordo/Ordo.swift` and `Sources/ordoFFI/` are generated
// by uniffi-bindgen (`bindings-swift/test.sh` writes them); the native library is linked as
// `libordo_ffi` (pass `-Xlinker -L<dir>` on Linux; on Apple platforms use the XCFramework
// from `build-xcframework.sh`).
import PackageDescription

let package = Package(
    name: "Ordo",
    platforms: [.iOS(.v15), .macOS(.v12)],
    products: [.library(name: "Ordo", targets: ["Ordo"])],
    targets: [
        .systemLibrary(name: "ordoFFI", path: "Sources/ordoFFI"),
        .target(
            name: "Ordo",
            dependencies: ["ordoFFI"],
            path: "Sources/Ordo",
            linkerSettings: [.linkedLibrary("ordo_ffi")]
        ),
        .testTarget(name: "OrdoTests", dependencies: ["Ordo"], path: "Tests/OrdoTests"),
    ]
)
