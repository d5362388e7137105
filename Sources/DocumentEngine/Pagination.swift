import CCairo
import Foundation

/// Paper sizes of the document, in points.
public enum PaperSize: String, Sendable, CaseIterable {
    case a4, letter

    public var width: Double { self == .a4 ? 595.276 : 612 }
    public var height: Double { self == .a4 ? 841.89 : 792 }
}

/// The page geometry: text block and the bands of the running header and the page number.
struct PageGeometry {
    let paper: PaperSize
    let marginLeft = 68.0
    let marginRight = 68.0
    let marginTop = 74.0
    let marginBottom = 72.0

    var textWidth: Double { paper.width - marginLeft - marginRight }
    var textHeight: Double { paper.height - marginTop - marginBottom }
    var headerBaseline: Double { marginTop - 26 }
    var footerBaseline: Double { paper.height - marginBottom + 34 }
}

/// A Cairo PDF page being drawn, with the tags the PDF needs: link rectangles and named destinations.
final class PageCanvas {
    let context: OpaquePointer
    let geometry: PageGeometry

    init(context: OpaquePointer, geometry: PageGeometry) {
        self.context = context
        self.geometry = geometry
    }

    func setColor(hex: String) {
        let value = UInt32(hex.dropFirst(), radix: 16) ?? 0
        cairo_set_source_rgb(
            context, Double((value >> 16) & 0xff) / 255, Double((value >> 8) & 0xff) / 255, Double(value & 0xff) / 255)
    }

    func fill(x: Double, y: Double, width: Double, height: Double, hex: String) {
        setColor(hex: hex)
        cairo_rectangle(context, x, y, width, height)
        cairo_fill(context)
    }

    func rule(x: Double, y: Double, width: Double, thickness: Double, hex: String = "#1d1d1f") {
        fill(x: x, y: y - thickness / 2, width: width, height: thickness, hex: hex)
    }

    /// A link over a rectangle of the page (Cairo's LINK tag with an explicit `rect`).
    func link(x: Double, y: Double, width: Double, height: Double, to target: LinkTarget) {
        guard width > 0, height > 0 else { return }
        let area = String(format: "rect=[%.2f %.2f %.2f %.2f]", x, y, width, height)
        let attributes: String
        switch target {
        case .destination(let name): attributes = "dest='\(Self.quoted(name))' \(area)"
        case .uri(let uri): attributes = "uri='\(Self.quoted(uri))' \(area)"
        }
        cairo_tag_begin(context, CAIRO_TAG_LINK, attributes)
        cairo_tag_end(context, CAIRO_TAG_LINK)
    }

    /// A named destination at height `y` of this page (the target of links and outline entries).
    func destination(_ name: String, y: Double) {
        let attributes = String(
            format: "name='%@' x=%.2f y=%.2f", Self.quoted(name), geometry.marginLeft, max(0, y - 12))
        cairo_tag_begin(context, CAIRO_TAG_DEST, attributes)
        cairo_tag_end(context, CAIRO_TAG_DEST)
    }

    /// A string inside a Cairo tag attribute's single quotes.
    static func quoted(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
    }
}

/// What a fragment records about where it lands, for the contents, the outline and the running header.
enum PageMark {
    /// A chapter starts here: its index among the document's chapters.
    case chapter(Int)
    /// A destination lands here (its page number is wanted by the contents and the outline).
    case destination(String)
}

/// The unit of pagination: a piece of the page flow that is never split (a line of a paragraph, a table row, a figure
/// with its caption), with its page-break rules.
struct Fragment {
    var height: Double
    /// Space above, dropped at the top of a page.
    var spaceBefore = 0.0
    /// Keep on the same page as the next fragment (headings, the first and last lines of a paragraph, a caption and
    /// its table).
    var keepWithNext = false
    /// Start a new page (chapters).
    var breakBefore = false
    /// A table's header row, repeated at the top of a page when the table continues there.
    var continuationHeader: (() -> Fragment)?
    var marks: [PageMark] = []
    /// Draws the fragment with its top at `y`.
    var draw: (PageCanvas, Double) -> Void
}

/// Places fragments on pages of `height`: a chain of fragments that keep together moves to a new page as a whole when
/// it does not fit (unless it is taller than a page), a continued table repeats its header, space before is dropped at
/// the top of a page.
enum Paginator {
    struct Placement {
        let fragment: Fragment
        let y: Double
    }

    static func paginate(_ fragments: [Fragment], height: Double) -> [[Placement]] {
        var pages: [[Placement]] = []
        var current: [Placement] = []
        var y = 0.0
        func startPage() {
            pages.append(current)
            current = []
            y = 0
        }
        for index in fragments.indices {
            let fragment = fragments[index]
            if fragment.breakBefore, !current.isEmpty { startPage() }
            let space = current.isEmpty ? 0 : fragment.spaceBefore
            var chain = fragment.height
            var next = index
            while fragments[next].keepWithNext, next + 1 < fragments.count, !fragments[next + 1].breakBefore {
                next += 1
                chain += fragments[next].spaceBefore + fragments[next].height
            }
            let needed = chain <= height ? chain : fragment.height
            if !current.isEmpty, y + space + needed > height {
                startPage()
                if let header = fragment.continuationHeader?() {
                    current.append(Placement(fragment: header, y: 0))
                    y = header.height
                }
                current.append(Placement(fragment: fragment, y: y))
                y += fragment.height
            } else {
                current.append(Placement(fragment: fragment, y: y + space))
                y += space + fragment.height
            }
        }
        if !current.isEmpty { pages.append(current) }
        return pages
    }
}
