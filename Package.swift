// swift-tools-version:6.0
//
// CathodeLab: dense-cathode battery models, publication figures and reproducible study reports.
// Module map and allowed imports: see README.md ("Architecture").

import PackageDescription

let package = Package(
    name: "CathodeLab",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "cathodelab", targets: ["cathodelab"]),
        .executable(name: "cathodelab-bench", targets: ["cathodelab-bench"]),
        .library(name: "Plotting", targets: ["Plotting"]),
        .library(name: "CairoBackend", targets: ["CairoBackend"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // MARK: - System libraries
        .systemLibrary(
            name: "CCairo",
            path: "Sources/CCairo",
            pkgConfig: "cairo",
            providers: [.apt(["libcairo2-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),

        // MARK: - Public API
        /// Figures as values: axes, series, fields, colour maps, ticks and layout. Knows no backend, no battery.
        .target(name: "Plotting", path: "Sources/Plotting"),
        /// Draws a Plotting display list with Cairo to PDF, SVG and PNG, byte-deterministically.
        .target(name: "CairoBackend", dependencies: ["Plotting", "CCairo", "CZlib"], path: "Sources/CairoBackend"),
        /// Study declarations (one per file). Until the report engine lands: the figure gallery.
        .target(name: "Studies", dependencies: ["Plotting"], path: "studies"),

        // MARK: - Executables
        .executableTarget(
            name: "cathodelab",
            dependencies: [
                "Plotting", "CairoBackend", "Studies",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/cathodelab"
        ),
        .executableTarget(
            name: "cathodelab-bench",
            dependencies: ["Plotting", "CairoBackend", "Studies"],
            path: "Sources/cathodelab-bench"
        ),

        // MARK: - Tests
        .testTarget(name: "PlottingTests", dependencies: ["Plotting"], path: "Tests/PlottingTests"),
        .testTarget(
            name: "CairoBackendTests",
            dependencies: ["Plotting", "CairoBackend", "CCairo", "Studies"],
            path: "Tests/CairoBackendTests"
        ),
    ]
)
