import CCairo
import CPango
import CairoBackend
import Foundation
import Plotting
import ReportEngine

/// What the title page says beyond what the bundles record.
public struct DocumentInfo: Sendable {
    /// The document's title.
    public var title: String
    /// The paper the study regenerates, as a citation.
    public var paper: String
    /// The tool that typeset the document ("cathodelab 0.3.0").
    public var tool: String
    public init(title: String, paper: String, tool: String) {
        self.title = title
        self.paper = paper
        self.tool = tool
    }
}

/// A typeset document and what a test or a caller wants to know about it.
public struct TypesetDocument: Sendable {
    public let pdf: [UInt8]
    public let pageCount: Int
    /// Page number (1-based) of each chapter's first page, in chapter order (the bibliography last).
    public let chapterPages: [Int]
    /// Every named destination and its page (chapters, sections, figures, tables, bibliography entries).
    public let destinations: [String: Int]
    /// Every internal link target used on the pages (each is a key of `destinations`).
    public let linkTargets: Set<String>
}

/// A document problem found while composing it, named by study and reference.
public struct DocumentError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public var description: String { message }
}

/// The whole study as one typeset PDF, from study bundles: a title page (the study, the paper, the code version, commit
/// and physics hash of the bundles, the date of the data), a table of contents with page numbers, one numbered chapter
/// per bundle in the given order with its narrative, figures (vector: each bundle's display list drawn on the
/// document's Cairo PDF surface), numbered figures and tables with captions, cross-references as internal links, one
/// merged numbered bibliography, running headers and page numbers, a PDF outline.
///
/// Typesetting is Pango on Cairo: justified paragraphs, Markdown inline styles, sub- and superscripts; tables break
/// across pages with their header repeated, figures stay with their captions, headings never end a page.
/// The same bundles give the same bytes (fixed metadata; Cairo's ids are sequential).
public struct StudyDocument {
    public let bundles: [StudyBundle]
    public let info: DocumentInfo
    public let paper: PaperSize

    public init(bundles: [StudyBundle], info: DocumentInfo, paper: PaperSize = .a4) {
        self.bundles = bundles
        self.info = info
        self.paper = paper
    }

    /// Typesets the document. Throws `DocumentError` for a cross-reference to a figure its study does not have.
    public func typeset() throws -> TypesetDocument {
        let geometry = PageGeometry(paper: paper)
        let sink = ByteSink()
        guard let surface = cairo_pdf_surface_create_for_stream(ByteSink.write, sink.context, paper.width, paper.height)
        else {
            throw DocumentError(message: "Cairo cannot create a PDF surface")
        }
        defer { cairo_surface_destroy(surface) }
        let dataDate = bundles.compactMap(\.generatedAt).max()
        let metadataDate = dataDate.map { String($0.prefix(19)) + "Z" } ?? "2000-01-01T00:00:00Z"
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, info.title)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, info.tool)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, metadataDate)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, metadataDate)
        guard let context = cairo_create(surface) else {
            throw DocumentError(message: "Cairo cannot create a drawing context")
        }
        defer { cairo_destroy(context) }
        let typesetter = Typesetter(cairo: context)
        let composer = try DocumentComposer(
            bundles: bundles, info: info, geometry: geometry, typesetter: typesetter, dataDate: dataDate)
        let canvas = PageCanvas(context: context, geometry: geometry)

        let contentsPages = Paginator.paginate(composer.contentsFragments(), height: geometry.textHeight)
        let bodyPages = Paginator.paginate(composer.body, height: geometry.textHeight)
        let firstBodyPage = 2 + contentsPages.count
        var chapterOfPage: [Int] = []
        var currentChapter = -1
        for (offset, page) in bodyPages.enumerated() {
            for placement in page {
                for mark in placement.fragment.marks {
                    switch mark {
                    case .chapter(let index):
                        currentChapter = index
                        if composer.chapterPages[index] == nil { composer.chapterPages[index] = firstBodyPage + offset }
                    case .destination(let name):
                        composer.destinationPages[name] = firstBodyPage + offset
                    }
                }
            }
            chapterOfPage.append(currentChapter)
        }

        composer.drawTitlePage(canvas)
        cairo_show_page(context)
        for page in contentsPages {
            for placement in page { placement.fragment.draw(canvas, geometry.marginTop + placement.y) }
            composer.drawPageFurniture(canvas, chapter: nil, pageNumber: nil)
            cairo_show_page(context)
        }
        for (offset, page) in bodyPages.enumerated() {
            for placement in page { placement.fragment.draw(canvas, geometry.marginTop + placement.y) }
            composer.drawPageFurniture(canvas, chapter: chapterOfPage[offset], pageNumber: firstBodyPage + offset)
            cairo_show_page(context)
        }
        for entry in composer.outline {
            let parent = entry.parent.flatMap { composer.outline[$0].id } ?? Int(CAIRO_PDF_OUTLINE_ROOT)
            let id = cairo_pdf_surface_add_outline(
                surface, Int32(parent), entry.title, "dest='\(PageCanvas.quoted(entry.destination))'",
                entry.parent == nil ? CAIRO_PDF_OUTLINE_FLAG_OPEN : cairo_pdf_outline_flags_t(0))
            composer.outline[composer.outline.firstIndex { $0.destination == entry.destination }!].id = Int(id)
        }
        let unresolved = composer.linkTargets.subtracting(composer.destinationPages.keys)
        guard unresolved.isEmpty else {
            throw DocumentError(
                message: "internal links without a destination: \(unresolved.sorted().joined(separator: ", "))")
        }
        cairo_surface_finish(surface)
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw DocumentError(message: "Cairo failed: \(String(cString: cairo_status_to_string(status)))")
        }
        let chapterPages = (0..<composer.chapterCount).map { composer.chapterPages[$0] ?? 0 }
        return TypesetDocument(
            pdf: sink.bytes, pageCount: 1 + contentsPages.count + bodyPages.count, chapterPages: chapterPages,
            destinations: composer.destinationPages, linkTargets: composer.linkTargets)
    }
}
