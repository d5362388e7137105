import Foundation
import ReportEngine
import Testing
import BuildInfo
@testable import Studies

/// Every `{{ref:…}}` in the templates built into cathodelab names a figure a study declares, and the numbering is the
/// catalogue's (chapter = the study's place in the report order).
@Suite struct TemplateReferenceTests {
    @Test func everyTemplateReferenceResolves() throws {
        var count = 0
        for study in StudyCatalogue.known {
            guard let text = BuildInfo.templates["\(study.template).md"] else { continue }
            count += CrossReference.references(in: text).count
            _ = try CrossReference.resolve(in: text, study: study.id, index: StudyCatalogue.figureIndex)
        }
        #expect(count >= 3, "the templates use cross-references")
        #expect(StudyCatalogue.figureIndex.label(study: "fig3d-capacity-map", figure: "capacity-map") == "Fig. 2.1")
        #expect(StudyCatalogue.figureIndex.chapters.map(\.study) == StudyCatalogue.known.map(\.id))
    }
}
