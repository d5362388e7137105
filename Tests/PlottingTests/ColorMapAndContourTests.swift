import Foundation
import Testing
@testable import Plotting

/// Colour maps against the published tables, and contour extraction against analytic level sets.
@Suite struct ColorMapTests {
    func close(_ c: Color, _ r: Double, _ g: Double, _ b: Double, tol: Double = 1e-6) -> Bool {
        abs(c.red - r) <= tol && abs(c.green - g) <= tol && abs(c.blue - b) <= tol
    }

    /// Entries of matplotlib's `_viridis_data` (van der Walt and Smith, 2015): index 0, 64, 128, 192, 255.
    @Test func viridisMatchesThePublishedTable() {
        #expect(close(ColorMap.viridis.color(at: 0), 0.267004, 0.004874, 0.329415))
        #expect(close(ColorMap.viridis.color(at: 64.0 / 255), 0.229739, 0.322361, 0.545706))
        #expect(close(ColorMap.viridis.color(at: 128.0 / 255), 0.127568, 0.566949, 0.550556))
        #expect(close(ColorMap.viridis.color(at: 192.0 / 255), 0.369214, 0.788888, 0.382914))
        #expect(close(ColorMap.viridis.color(at: 1), 0.993248, 0.906157, 0.143936))
    }

    @Test func magmaAndCividisEndpoints() {
        #expect(close(ColorMap.magma.color(at: 0), 0.001462, 0.000466, 0.013866))
        #expect(close(ColorMap.magma.color(at: 1), 0.987053, 0.991438, 0.749504))
        #expect(close(ColorMap.cividis.color(at: 0), 0.0, 0.135112, 0.304751))
        #expect(close(ColorMap.cividis.color(at: 1), 0.995737, 0.909344, 0.217772))
    }

    @Test func interpolatesLinearlyBetweenEntries() {
        let a = ColorMap.viridis.color(at: 0)
        let b = ColorMap.viridis.color(at: 1.0 / 255)
        let m = ColorMap.viridis.color(at: 0.5 / 255)
        #expect(abs(m.red - (a.red + b.red) / 2) < 1e-12)
        #expect(abs(m.blue - (a.blue + b.blue) / 2) < 1e-12)
    }

    /// Moreland (2009): endpoints (59, 76, 192) and (180, 4, 38), neutral midpoint ≈ (221, 221, 221).
    @Test func coolWarmIsDivergingThroughNeutral() {
        let lo = ColorMap.coolWarm.color(at: 0)
        let hi = ColorMap.coolWarm.color(at: 1)
        let mid = ColorMap.coolWarm.color(at: 0.5)
        #expect(close(lo, 59 / 255, 76 / 255, 192 / 255, tol: 3e-3))
        #expect(close(hi, 180 / 255, 4 / 255, 38 / 255, tol: 3e-3))
        #expect(close(mid, 221 / 255, 221 / 255, 221 / 255, tol: 0.02))
        #expect(ColorMap.coolWarm.isDiverging)
    }

    @Test func symmetricRangePutsZeroAtTheCentre() {
        let r = ColorRange.symmetric.resolve((-20, 300))
        #expect(r.lo == -300 && r.hi == 300)
        #expect(ColorRange.auto.resolve((2, 2)) == (1.5, 2.5))
    }

    @Test func unknownColorMapNamesTheProblem() {
        #expect(throws: PlotError.self) { try ColorMap(named: "jet") }
        do { _ = try ColorMap(named: "jet") } catch {
            #expect("\(error)".contains("'jet'"))
            #expect("\(error)".contains("viridis"))
        }
        #expect((try? ColorMap(named: "Diverging")) == .coolWarm)
        #expect((try? ColorMap(named: "MAGMA")) == .magma)
    }
}

@Suite struct ContourTests {
    /// f(x, y) = √(x² + y²) on a 101 × 101 grid over [−1, 1]²: the level set f = r is a circle of radius r.
    func radialField(n: Int = 101) -> Field2D {
        let xs = (0..<n).map { -1 + 2 * Double($0) / Double(n - 1) }
        return Field2D(x: xs, y: xs) { x, y in (x * x + y * y).squareRoot() }
    }

    @Test func contourOfARadialFunctionIsACircle() {
        let lines = ContourGeometry.lines(radialField(), level: 0.5)
        #expect(lines.count == 1)
        let line = lines[0]
        #expect(line.isClosed)
        // Linear interpolation of √(x²+y²) across a cell of h = 0.02: radial error ≤ h²/(8r) ≈ 1e-4.
        for p in line.points { #expect(abs((p.x * p.x + p.y * p.y).squareRoot() - 0.5) < 2e-4) }
        var length = 0.0
        for k in line.points.indices {
            let a = line.points[k]
            let b = line.points[(k + 1) % line.points.count]
            length += hypot(b.x - a.x, b.y - a.y)
        }
        #expect(abs(length - .pi) / .pi < 1e-3)
    }

    @Test func openContoursEndAtTheDomainBoundary() {
        // Level 1.2 of the radial field crosses the square's corners: four open arcs.
        let lines = ContourGeometry.lines(radialField(), level: 1.2)
        #expect(lines.count == 4)
        #expect(lines.allSatisfy { !$0.isClosed })
    }

    @Test func contoursStopAtMaskedCells() {
        let xs = (0..<61).map { -1 + 2 * Double($0) / 60 }
        let f = Field2D(x: xs, y: xs) { x, y in abs(x) < 0.2 ? nil : (x * x + y * y).squareRoot() }
        let lines = ContourGeometry.lines(f, level: 0.5)
        #expect(lines.count == 2)
        for l in lines { for p in l.points { #expect(abs(p.x) >= 0.2 - 1e-12) } }
    }

    @Test func filledBandAreasMatchAnnuli() {
        let levels = [0, 0.25, 0.5, 2]
        let polys = ContourGeometry.bands(radialField(n: 201), levels: levels)
        var area = [Double](repeating: 0, count: 3)
        for p in polys {
            var a = 0.0
            for k in p.points.indices {
                let u = p.points[k]
                let v = p.points[(k + 1) % p.points.count]
                a += u.x * v.y - v.x * u.y
            }
            area[p.band] += abs(a) / 2
        }
        #expect(abs(area[0] - .pi * 0.0625) / (.pi * 0.0625) < 2e-3)
        #expect(abs(area[1] - .pi * (0.25 - 0.0625)) / (.pi * 0.1875) < 2e-3)
        #expect(abs(area.reduce(0, +) - 4) < 1e-9)  // the bands tile the whole square
    }
}
