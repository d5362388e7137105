import Foundation
import Testing
@testable import Plotting

/// Tick placement and number formatting. References: Heckbert's nice-number rule (steps 1, 2, 2.5, 5 × 10^k)
/// and the printed form a reader expects ("0.3", never "0.30000000000000004"; "10⁻⁹" on log axes).
@Suite struct TicksAndScalesTests {
    func labels(_ ticks: [Tick]) -> [String] { ticks.filter(\.isMajor).map { $0.label.plainText } }

    @Test func niceStepsForCommonRanges() {
        #expect(TickGenerator.niceStep(lo: 0, hi: 1, target: 5) == 0.2)
        #expect(TickGenerator.niceStep(lo: 0, hi: 100, target: 5) == 20)
        #expect(
            TickGenerator.niceStep(lo: 0, hi: 140, target: 5) == 20
                || TickGenerator.niceStep(lo: 0, hi: 140, target: 5) == 25)
        #expect(abs(TickGenerator.niceStep(lo: 2.5, hi: 4.3, target: 5) - 0.5) < 1e-12)
    }

    @Test func labelsPrintExactDecimals() {
        // 0.1 + 0.2 style: multiples of 0.1 computed in floating point must print cleanly.
        let t = TickGenerator.linearTicks(lo: 0, hi: 0.7, target: 7)
        #expect(labels(t) == ["0.0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7"])
        for label in labels(TickGenerator.linearTicks(lo: 0.1, hi: 0.9, target: 9)) {
            #expect(label.count <= 4, "label \(label) has spurious digits")
        }
        // Every label of one axis carries the same number of decimals.
        for target in 3...8 {
            let l = labels(TickGenerator.linearTicks(lo: 0, hi: 1, target: target))
            let decimals = Set(l.map { $0.split(separator: ".").dropFirst().first?.count ?? 0 })
            #expect(decimals.count == 1, "target \(target): \(l)")
        }
        #expect(
            labels(TickGenerator.linearTicks(lo: 0, hi: 1, target: 5)) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    }

    @Test func negativeLabelsUseTheTypographicMinus() {
        let l = labels(TickGenerator.linearTicks(lo: -2, hi: 2, target: 5))
        #expect(l.first == "\u{2212}2")
        #expect(l == ["\u{2212}2", "\u{2212}1", "0", "1", "2"])
        #expect(!l.joined().contains("-"))
    }

    @Test func extremeMagnitudesUseScientificNotation() {
        #expect(TickGenerator.format(1.5e-4, step: 1e-4 / 2, magnitude: 2e-4) == "1.5×10^{-4}")
        #expect(TickGenerator.format(2e5, step: 1e5, magnitude: 3e5) == "2×10^{5}")
        #expect(TickGenerator.format(1e-9, step: 1e-9, magnitude: 1e-9) == "10^{-9}")
        #expect(TickGenerator.format(0, step: 1e-4, magnitude: 1e-4) == "0")
    }

    @Test func logTicksLabelDecadesWithSuperscripts() {
        let ticks = TickGenerator.logTicks(lo: 1e-10, hi: 1e-7)
        let majors = ticks.filter(\.isMajor)
        #expect(majors.map(\.value) == [1e-10, 1e-9, 1e-8, 1e-7])
        #expect(
            majors[1].label.runs == [
                RichText.Run(text: "10", position: .normal), RichText.Run(text: "\u{2212}9", position: .superscripted),
            ])
        // Minor ticks at 2…9 × 10^k: 8 per full decade, 3 decades.
        #expect(ticks.filter { !$0.isMajor }.count == 24)
    }

    @Test func logTicksWithinOneDecadeLabelOneTwoFive() {
        let majors = TickGenerator.logTicks(lo: 0.1, hi: 0.9).filter(\.isMajor)
        #expect(majors.map { $0.label.plainText } == ["0.1", "0.2", "0.5"])
    }

    @Test func linearAndLogTransforms() {
        let lin = AxisTransform(scale: .linear, lo: 0, hi: 10, p0: 100, p1: 300)
        #expect(lin.position(2.5) == 150)
        #expect(abs(lin.value(atPosition: 250) - 7.5) < 1e-12)
        let log = AxisTransform(scale: .log10, lo: 1e-10, hi: 1e-7, p0: 0, p1: 300)
        #expect(abs(log.position(pow(10, -8.5)) - 150) < 1e-9)
        #expect(abs(log.value(atPosition: 100) - 1e-9) < 1e-21)
    }

    @Test func niceLimitsEnclosTheData() {
        let l = TickGenerator.niceLimits(lo: 0.5435, hi: 1.0, target: 5)
        #expect(l.lo <= 0.5435 && l.hi >= 1.0)
        #expect(l.lo == 0.5 && l.hi == 1.0)
    }
}

@Suite struct RichTextTests {
    @Test func parsesSubscriptsAndSuperscripts() {
        let t = RichText("D_{eff} [cm^{2} s^{-1}]")
        #expect(
            t.runs == [
                .init(text: "D", position: .normal), .init(text: "eff", position: .subscripted),
                .init(text: " [cm", position: .normal), .init(text: "2", position: .superscripted),
                .init(text: " s", position: .normal), .init(text: "\u{2212}1", position: .superscripted),
                .init(text: "]", position: .normal),
            ])
        #expect(t.plainText == "Deff [cm2 s\u{2212}1]")
    }

    @Test func singleCharacterScriptsAndEscapes() {
        #expect(
            RichText("σ_x").runs == [.init(text: "σ", position: .normal), .init(text: "x", position: .subscripted)])
        #expect(RichText("file\\_name").runs == [.init(text: "file_name", position: .normal)])
        #expect(RichText("c/c_{max}").plainText == "c/cmax")
    }

    @Test func leadingMinusBeforeADigitBecomesTypographic() {
        #expect(RichText("-3.5").plainText == "\u{2212}3.5")
        #expect(RichText("Li-In").plainText == "Li-In")
    }
}
