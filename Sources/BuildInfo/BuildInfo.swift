import Foundation

/// What this binary is, fixed at build time by the BuildInfoPlugin (never read from disk at run time):
/// the release version, the physics version (a hash of the model sources it was compiled from), the git
/// commit and whether the compiled sources differed from it, and the narrative templates and study
/// declarations it carries, so it runs from any folder without a checkout.
public enum BuildInfo {
    /// The release version of CathodeLab.
    public static let version = "0.3.0"
    /// Hash of Sources/SolverCore, Sources/Materials and Sources/CathodeModels at build time (SourceDigest).
    public static let physicsVersion = GeneratedBuildInfo.physicsVersion
    /// The physics version without the generated calibrated-value files (SourceDigest.modelCodeVersion).
    public static let modelCodeVersion = GeneratedBuildInfo.modelCodeVersion
    /// Hash of the sources that turn results into bundles (plotting, Cairo back end, report engine, StudyKit,
    /// ResultStore, study declarations; SourceDigest.renderingVersion): with the physics version, what lets an
    /// unchanged study keep its bundle.
    public static let renderingVersion = GeneratedBuildInfo.renderingVersion
    /// The git commit the binary was built from ("unknown" outside a repository).
    public static let commit = GeneratedBuildInfo.commit
    /// The date of that commit (YYYY-MM-DD; "unknown" outside a repository): fixed by the commit, not by the build.
    public static let commitDate = GeneratedBuildInfo.commitDate
    /// True when the compiled sources (Sources, studies, templates, Plugins, Package.swift) differed from `commit`.
    public static let dirty = GeneratedBuildInfo.dirty
    /// The package folder the binary was built from (used only to warn when its sources have changed since).
    public static let sourceRoot = URL(fileURLWithPath: GeneratedBuildInfo.sourceRoot)
    /// The narrative templates, by file name (e.g. "fig3c-discharge-curves.md").
    public static let templates: [String: String] = Dictionary(
        uniqueKeysWithValues: GeneratedBuildInfo.templates.map { (($0.key as NSString).lastPathComponent, $0.value) })
    /// The study declarations, by path relative to the package root (e.g. "studies/Dense1D/Fig3cDischargeCurves.swift").
    public static let studySources = GeneratedBuildInfo.studySources

    /// One line for `--version` and logs: version, commit (with "+dirty") and physics version.
    public static var summary: String {
        "cathodelab \(version) (commit \(commit)\(dirty ? "+dirty" : ""), physics \(physicsVersion))"
    }
}
