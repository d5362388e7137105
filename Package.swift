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
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
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
            name: "CCmarkGFM",
            path: "Sources/CCmarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        .systemLibrary(
            name: "CPango",
            path: "Sources/CPango",
            pkgConfig: "pangocairo",
            providers: [.apt(["libpango1.0-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),

        // MARK: - Build provenance
        /// Content hashes of source trees (the physics version), shared by the generator and the runtime check.
        .target(name: "SourceDigest", path: "Sources/SourceDigest"),
        /// Writes the BuildInfo constants at build time (run by BuildInfoPlugin).
        .executableTarget(
            name: "buildinfo-generator", dependencies: ["SourceDigest"], path: "Sources/buildinfo-generator"),
        .plugin(
            name: "BuildInfoPlugin", capability: .buildTool(), dependencies: ["buildinfo-generator"],
            path: "Plugins/BuildInfoPlugin"),
        /// What the binary is, fixed at build time: version, physics version, commit, embedded templates and studies.
        .target(name: "BuildInfo", path: "Sources/BuildInfo", plugins: ["BuildInfoPlugin"]),

        // MARK: - Public API
        /// Figures as values: axes, series, fields, colour maps, ticks and layout. Knows no backend, no battery.
        .target(name: "Plotting", path: "Sources/Plotting"),
        /// Draws a Plotting display list with Cairo to PDF, SVG and PNG, byte-deterministically.
        .target(name: "CairoBackend", dependencies: ["Plotting", "CCairo", "CZlib"], path: "Sources/CairoBackend"),
        /// Mathematics with no battery words: grids, banded solves, BDF2 step control, root finding.
        .target(name: "SolverCore", path: "Sources/SolverCore"),
        /// Material laws and constants with their sources (LiCoO2 OCP, diffusivity, conductivity, citations).
        .target(name: "Materials", dependencies: ["SolverCore"], path: "Sources/Materials"),
        /// The cell models (one folder each) on SolverCore and Materials.
        .target(name: "CathodeModels", dependencies: ["SolverCore", "Materials"], path: "Sources/CathodeModels"),
        /// Output formats shared by the CLI and the studies: CSV tables, stable and strict JSON, .npy, output
        /// folders that never touch a user's files.
        .target(name: "ResultStore", dependencies: ["BuildInfo"], path: "Sources/ResultStore"),
        /// Model inputs from files: the strict parameter-file reader, microstructure JSON, mask images (PGM/PNG).
        .target(name: "ModelIO", dependencies: ["CathodeModels", "ResultStore", "CZlib"], path: "Sources/ModelIO"),
        /// Narratives (Mustache templates), report.md composition and HTML (cmark-gfm); sees no model and no Cairo.
        .target(
            name: "ReportEngine",
            dependencies: [
                "ResultStore",
                .product(name: "Mustache", package: "swift-mustache"),
                "CCmarkGFM",
            ], path: "Sources/ReportEngine"),
        /// The Study protocol and builders, sweeps, the cache and the parallel runner that writes bundles.
        .target(
            name: "StudyKit",
            dependencies: [
                "CathodeModels", "SolverCore", "Materials", "Plotting", "CairoBackend", "ResultStore", "ReportEngine",
                "BuildInfo", "SourceDigest",
            ], path: "Sources/StudyKit"),
        /// Study bundles → one typeset PDF (title page, contents, numbered chapters, figures as vectors, cross-references,
        /// bibliography, outline): a small page-layout engine on Pango and Cairo that knows Markdown blocks, figures and
        /// pages, not batteries.
        .target(
            name: "DocumentEngine",
            dependencies: ["ResultStore", "ReportEngine", "Plotting", "CairoBackend", "CCairo", "CPango", "CCmarkGFM"],
            path: "Sources/DocumentEngine"),
        /// Two sets of bundles → tables of changed quantities, overlays, difference maps, a verdict.
        .target(
            name: "BundleDiff", dependencies: ["ResultStore", "Plotting", "CairoBackend", "ReportEngine"],
            path: "Sources/BundleDiff"),
        /// Study declarations (one per file) and the figure gallery.
        .target(
            name: "Studies",
            dependencies: [
                "StudyKit", "Plotting", "CathodeModels", "Materials", "ResultStore", "ReportEngine", "BuildInfo",
            ], path: "studies"),

        // MARK: - Executables
        .executableTarget(
            name: "cathodelab",
            dependencies: [
                "Plotting", "CairoBackend", "Studies", "StudyKit", "ReportEngine", "DocumentEngine", "BundleDiff",
                "CathodeModels", "Materials", "ResultStore",
                "ModelIO", "BuildInfo", "SourceDigest",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/cathodelab"
        ),
        .executableTarget(
            name: "cathodelab-bench",
            dependencies: [
                "Plotting", "CairoBackend", "Studies", "StudyKit", "CathodeModels", "Materials", "ReportEngine",
                "ResultStore",
            ],
            path: "Sources/cathodelab-bench"
        ),

        // MARK: - Tests
        .testTarget(name: "PlottingTests", dependencies: ["Plotting"], path: "Tests/PlottingTests"),
        .testTarget(name: "SolverCoreTests", dependencies: ["SolverCore"], path: "Tests/SolverCoreTests"),
        .testTarget(
            name: "CathodeModelsTests", dependencies: ["CathodeModels", "Materials", "SolverCore"],
            path: "Tests/CathodeModelsTests", exclude: ["Scripts"]),
        .testTarget(
            name: "ResultStoreTests", dependencies: ["ResultStore", "BuildInfo", "SourceDigest"],
            path: "Tests/ResultStoreTests"),
        .testTarget(
            name: "ModelIOTests", dependencies: ["ModelIO", "CathodeModels", "Materials", "ResultStore", "CZlib"],
            path: "Tests/ModelIOTests"),
        .testTarget(name: "CLITests", dependencies: ["cathodelab"], path: "Tests/CLITests"),
        .testTarget(name: "ReportEngineTests", dependencies: ["ReportEngine"], path: "Tests/ReportEngineTests"),
        .testTarget(
            name: "DocumentEngineTests",
            dependencies: ["DocumentEngine", "ReportEngine", "ResultStore", "Plotting", "CairoBackend"],
            path: "Tests/DocumentEngineTests"),
        .testTarget(
            name: "StudyKitTests", dependencies: ["StudyKit", "ResultStore", "Plotting"], path: "Tests/StudyKitTests"),
        .testTarget(
            name: "StudiesTests", dependencies: ["Studies", "StudyKit", "CathodeModels"], path: "Tests/StudiesTests"),
        .testTarget(
            name: "BundleDiffTests", dependencies: ["BundleDiff", "StudyKit", "ResultStore", "Plotting"],
            path: "Tests/BundleDiffTests"),
        .testTarget(
            name: "CairoBackendTests",
            dependencies: ["Plotting", "CairoBackend", "CCairo", "Studies"],
            path: "Tests/CairoBackendTests"
        ),
    ]
)
