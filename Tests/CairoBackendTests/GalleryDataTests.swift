import Foundation
import Testing
import CairoBackend
import Plotting
import Studies

/// The gallery's analytic data against the exact references it claims to plot.
@Suite struct GalleryDataTests {
    /// Crank's constant-flux slab surface excess, tabulated in shared/docs/physics.md §8.1.
    @Test(arguments: [
        (0.001, 0.035682), (0.01, 0.112838), (0.05, 0.252313), (0.1, 0.356826), (0.5, 0.831876), (1.0, 1.333323),
    ])
    func slabSurfaceExcessMatchesTheTable(_ c: (Double, Double)) {
        #expect(abs(Gallery.slabSurfaceExcess(c.0) - c.1) < 1e-6)
    }

    /// The profile at ξ = 1 is the surface value, and its mean over ξ is τ (mass balance).
    @Test func slabProfileIsConsistent() {
        let tau = 0.1
        #expect(abs(Gallery.slabProfile(1, tau) - Gallery.slabSurfaceExcess(tau)) < 1e-12)
        let n = 2000
        let mean = (0..<n).map { Gallery.slabProfile((Double($0) + 0.5) / Double(n), tau) }.reduce(0, +) / Double(n)
        #expect(abs(mean - tau) < 1e-6)
    }

    /// Kirsch (1898): hoop stress 3S at the hole edge at 90° to the load, −S at 0°, S far away.
    @Test func kirschConcentrationFactor() {
        let a = 1.0
        let s = 100.0
        #expect(abs(Gallery.kirsch(x: 0, y: a, radius: a, tension: s).sxx - 3 * s) < 1e-9)
        #expect(abs(Gallery.kirsch(x: a, y: 0, radius: a, tension: s).syy + s) < 1e-9)
        #expect(abs(Gallery.kirsch(x: 1e4, y: 3e3, radius: a, tension: s).sxx - s) < 1e-4)
    }
}

/// Every gallery figure (one of every plot type) passes the figure checker with the real font metrics: no text over
/// text or data, nothing cut at a panel edge, no legend over data, no empty grid row.
@Suite struct GalleryLayoutTests {
    @Test func everyGalleryFigurePassesTheChecker() throws {
        for (name, figure) in Studies.Gallery.figures() {
            let laidOut = try FigureLayout.layout(
                figure, measurer: CairoTextMeasurer.shared(family: figure.style.fontFamily))
            let defects = FigureCheck.defects(laidOut)
            #expect(defects.isEmpty, "\(name): \(defects.map(\.description).joined(separator: "; "))")
        }
    }
}
