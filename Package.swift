// swift-tools-version:6.0
// Rival: human-like AI rival drivers for racing games. GPL-3.0-or-later (links libgsl, GPL-3.0).
import PackageDescription

let package = Package(
    name: "Rival",
    products: [
        .library(name: "Sim", targets: ["Sim"]),
        .library(name: "GSL", targets: ["GSL"]),
        .library(name: "PolicyCore", targets: ["PolicyCore"]),
        .library(name: "DriverPersona", targets: ["DriverPersona"]),
        .library(name: "Calibration", targets: ["Calibration"]),
        .executable(name: "rival", targets: ["RivalCLI"]),
        .library(name: "CRival", type: .dynamic, targets: ["CRival"]),
        // The same entry points linked statically into a Swift client (the benchmarks measure them without a second
        // copy of the Swift modules that the dynamic library would bring).
        .library(name: "CRivalStatic", type: .static, targets: ["CRival"]),
        .executable(name: "rival-game-loop", targets: ["GameLoopExample"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // `swift package generate-documentation` (DocC catalogs under Sources/*/Documentation.docc); a plugin
        // only, nothing of it is linked.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CGSL",
            pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"])]
        ),
        .target(name: "GSL", dependencies: ["CGSL"]),
        .target(name: "Sim", dependencies: ["GSL"]),
        // The AVX2 dense-layer kernel of PolicyCore's MLP and the AVX2 kernels of its trainer, chosen at run time
        // (docs/policy.md, "Inference" and "Training"): C only because Swift cannot compile one function for a wider
        // instruction set than the package's baseline.
        .target(name: "CKernels"),
        .target(name: "PolicyCore", dependencies: ["CKernels", "Sim", "GSL"]),
        .target(name: "DriverPersona", dependencies: ["PolicyCore", "Sim", "GSL"]),
        .target(name: "Calibration", dependencies: ["DriverPersona", "PolicyCore", "Sim", "GSL"]),
        // The hand-written C header (include/rival.h) as a module, so that CRival's `@c @implementation` functions
        // are checked against it by the compiler.
        .systemLibrary(name: "CRivalHeader", path: "include"),
        .target(name: "CRival", dependencies: ["CRivalHeader", "DriverPersona", "PolicyCore", "Sim"]),
        // Examples/GameLoop: a game's own car physics driven by Rival's drivers (run by CRivalTests).
        .executableTarget(name: "GameLoopExample", dependencies: ["DriverPersona", "PolicyCore", "Sim"],
                          path: "Examples/GameLoop"),
        .executableTarget(
            name: "RivalCLI",
            dependencies: [
                "Sim",
                "PolicyCore",
                "DriverPersona",
                "Calibration",
                "GSL",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "GSLTests", dependencies: ["GSL"]),
        .testTarget(name: "SimTests", dependencies: ["Sim", "RivalTestSupport"]),
        .testTarget(name: "RivalCLITests", dependencies: ["RivalCLI"]),
        // The shipped circuits and cars for the test targets (Tests/RivalTestSupport).
        .target(name: "RivalTestSupport", dependencies: ["Sim", "GSL"], path: "Tests/RivalTestSupport"),
        .testTarget(name: "PolicyCoreTests", dependencies: ["PolicyCore", "Sim", "GSL", "RivalTestSupport"]),
        .testTarget(name: "DriverPersonaTests", dependencies: ["DriverPersona", "PolicyCore", "Sim", "GSL", "RivalTestSupport"]),
        .testTarget(name: "CRivalTests", dependencies: ["CRival", "CRivalHeader", "RivalCLI", "DriverPersona", "PolicyCore", "Sim"]),
        .testTarget(name: "CalibrationTests", dependencies: ["Calibration", "DriverPersona", "PolicyCore", "Sim", "GSL",
                                                            "RivalTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
