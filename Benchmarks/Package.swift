// swift-tools-version:6.1
// Rival's benchmarks, kept out of the root package so the test build stays fast.
// Run from the repository root:  scripts/bench   (or: cd Benchmarks && swift package benchmark)
import PackageDescription

let package = Package(
    name: "RivalBenchmarks",
    dependencies: [
        .package(name: "Rival", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "RivalBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Sim", package: "Rival"),
                .product(name: "GSL", package: "Rival"),
                .product(name: "PolicyCore", package: "Rival"),
                .product(name: "DriverPersona", package: "Rival"),
                .product(name: "CRivalStatic", package: "Rival"),
            ],
            path: "Benchmarks/RivalBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
