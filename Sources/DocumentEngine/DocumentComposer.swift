import CCairo
import CPango
import CairoBackend
import Foundation
import Plotting
import ReportEngine

/// The document's type styles.
enum Styles {
    static let body = TextStyle(font: "DejaVu Serif", size: 9.4, justify: true, lineSpacing: 1.8)
    static let caption = TextStyle(font: "DejaVu Sans", size: 7.8, justify: true, lineSpacing: 1.0, color: "#2b2b2b")
    static let table = TextStyle(font: "DejaVu Sans", size: 7.2, lineSpacing: 0.6, wrapAnywhere: true)
    static let tableHeader = TextStyle(font: "DejaVu Sans Bold", size: 7.2, lineSpacing: 0.6, wrapAnywhere: true)
    static let code = TextStyle(
        font: "DejaVu Sans Mono", size: 6.4, lineSpacing: 0.9, wrapAnywhere: true, hangingIndent: 23)
    static let chapterNumber = TextStyle(font: "DejaVu Sans Bold", size: 11, color: "#0072B2")
    static let chapterTitle = TextStyle(font: "DejaVu Sans Bold", size: 17, lineSpacing: 2, color: "#0b3c5d")
    static let section = TextStyle(font: "DejaVu Sans Bold", size: 11.5, color: "#0b3c5d")
    static let subsection = TextStyle(font: "DejaVu Sans Bold", size: 9.8, color: "#1d1d1f")
    static let furniture = TextStyle(font: "DejaVu Sans", size: 7.5, color: "#555555")
    static let contents = TextStyle(font: "DejaVu Sans", size: 9.6)

    /// Colours of Swift tokens (as in the HTML reports' stylesheet).
    static func color(of kind: SwiftHighlighter.Kind) -> String? {
        switch kind {
        case .plain: return nil
        case .comment: return "#5f6b5f"
        case .string: return "#a3461b"
        case .keyword, .attribute: return "#7a1f6b"
        case .number: return "#1c4f99"
        case .type: return "#00695c"
        }
    }
}

/// Turns bundles into the page flow: chapters of fragments, the contents, the bibliography, the outline, and the
/// numbers of figures, tables and references.
final class DocumentComposer {
    let bundles: [StudyBundle]
    let info: DocumentInfo
    let geometry: PageGeometry
    let typesetter: Typesetter
    let dataDate: String?

    private(set) var body: [Fragment] = []
    /// Chapter index → its title (the bibliography is the last chapter).
    private(set) var chapterTitles: [String] = []
    var chapterCount: Int { chapterTitles.count }
    var chapterPages: [Int: Int] = [:]
    var destinationPages: [String: Int] = [:]
    private(set) var linkTargets: Set<String> = []
    var outline: [(title: String, destination: String, parent: Int?, id: Int?)] = []
    private var figureLabels: [String: String] = [:]
    private var bibliography: [(key: String, text: [Inline])] = []
    private var tableCount = 0
    /// The chapter being composed (1-based) and its current section's title (the caption of its tables).
    private var chapterNumber = 0
    private var sectionTitle = ""

    init(bundles: [StudyBundle], info: DocumentInfo, geometry: PageGeometry, typesetter: Typesetter, dataDate: String?)
        throws
    {
        self.bundles = bundles
        self.info = info
        self.geometry = geometry
        self.typesetter = typesetter
        self.dataDate = dataDate
        for (chapterIndex, bundle) in bundles.enumerated() {
            for (figureIndex, name) in bundle.figureNames.enumerated() {
                figureLabels[Self.figureDestination(study: bundle.manifest.studyId, figure: name)] = FigureLabel.text(
                    chapter: chapterIndex + 1, figure: figureIndex + 1)
            }
        }
        collectBibliography()
        for (index, bundle) in bundles.enumerated() { try composeChapter(bundle, index: index) }
        composeBibliography()
    }

    static func figureDestination(study: String, figure: String) -> String { "fig:\(study)/\(figure)" }
    static func chapterDestination(_ study: String) -> String { "chapter:\(study)" }

    // MARK: - Inline text

    /// Where a Markdown link goes in the document, and the text it shows instead of its own (a figure's number here).
    func resolve(_ href: String, in study: String) throws -> (target: LinkTarget?, text: String?) {
        if let reference = CrossReference.target(of: href, from: study) {
            guard let bundle = bundles.first(where: { $0.manifest.studyId == reference.study }) else {
                return (nil, nil)
            }
            guard bundle.figureNames.contains(reference.figure) else {
                throw DocumentError(
                    message:
                        "study '\(study)' refers to figure '\(reference.figure)' of study '\(reference.study)', which has no such figure (figures: \(bundle.figureNames.joined(separator: ", ")))"
                )
            }
            let destination = Self.figureDestination(study: reference.study, figure: reference.figure)
            linkTargets.insert(destination)
            return (.destination(destination), figureLabels[destination])
        }
        let lowered = href.lowercased()
        if lowered.hasPrefix("http://") || lowered.hasPrefix("https://") || lowered.hasPrefix("mailto:") {
            return (.uri(href), nil)
        }
        if href.hasPrefix("../"), href.hasSuffix("/report.html") {
            let target = String(href.dropFirst(3).dropLast("/report.html".count))
            if bundles.contains(where: { $0.manifest.studyId == target }) {
                linkTargets.insert(Self.chapterDestination(target))
                return (.destination(Self.chapterDestination(target)), nil)
            }
        }
        return (nil, nil)
    }

    func append(_ inlines: [Inline], study: String, codeSize: Double, to markup: inout Markup) throws {
        for inline in inlines {
            switch inline {
            case .text(let text): markup.append(plain: text)
            case .emphasis(let children):
                try markup.wrapThrowing("<i>", "</i>") {
                    try append(children, study: study, codeSize: codeSize, to: &$0)
                }
            case .strong(let children):
                try markup.wrapThrowing("<b>", "</b>") {
                    try append(children, study: study, codeSize: codeSize, to: &$0)
                }
            case .code(let text):
                markup.wrap("<span font_family=\"DejaVu Sans Mono\" size=\"\(Int(codeSize * 1024))\">", "</span>") {
                    $0.append(plain: text)
                }
            case .link(let href, let children):
                let (target, replacement) = try resolve(href, in: study)
                try markup.linkThrowing(target) { inner in
                    if let replacement {
                        inner.append(plain: replacement)
                    } else {
                        try append(children, study: study, codeSize: codeSize, to: &inner)
                    }
                }
            case .image(_, let alt): markup.append(plain: alt)
            case .superscript(let children):
                try markup.wrapThrowing("<sup>", "</sup>") {
                    try append(children, study: study, codeSize: codeSize, to: &$0)
                }
            case .subscript(let children):
                try markup.wrapThrowing("<sub>", "</sub>") {
                    try append(children, study: study, codeSize: codeSize, to: &$0)
                }
            case .softBreak: markup.append(plain: " ")
            case .lineBreak: markup.append(plain: "\u{2028}")
            }
        }
    }

    func markup(_ inlines: [Inline], study: String, style: TextStyle) throws -> Markup {
        var markup = Markup()
        try append(inlines, study: study, codeSize: style.size * 0.9, to: &markup)
        return markup
    }

    // MARK: - Fragments

    /// One fragment per line of `box` at `x`, the first with `spaceBefore`; the first two and the last two lines keep
    /// together (no orphans or widows).
    func lineFragments(
        _ box: TextBox, x: Double, color: String, spaceBefore: Double, marks: [PageMark] = [],
        background: ((PageCanvas, Double, Double) -> Void)? = nil, decorate: ((PageCanvas, Double) -> Void)? = nil
    ) -> [Fragment] {
        let count = box.lines.count
        return (0..<count).map { index in
            let height = box.height(of: index..<index + 1)
            var fragment = Fragment(height: height) { canvas, y in
                background?(canvas, y, height)
                if index == 0 { decorate?(canvas, y) }
                box.draw(lines: index..<index + 1, at: x, y, on: canvas, color: color)
            }
            if index == 0 {
                fragment.spaceBefore = spaceBefore
                fragment.marks = marks
            }
            fragment.keepWithNext = (index == 0 && count > 1) || (index == count - 2)
            return fragment
        }
    }

    func paragraph(
        _ inlines: [Inline], study: String, indent: Double, style: TextStyle = Styles.body, spaceBefore: Double = 5,
        decorate: ((PageCanvas, Double) -> Void)? = nil
    ) throws -> [Fragment] {
        let box = typesetter.box(
            try markup(inlines, study: study, style: style), width: geometry.textWidth - indent, style: style)
        return lineFragments(
            box, x: geometry.marginLeft + indent, color: style.color, spaceBefore: spaceBefore, decorate: decorate)
    }

    func heading(_ text: String, number: String?, style: TextStyle, destination: String?, spaceBefore: Double)
        -> Fragment
    {
        var markup = Markup()
        if let number { markup.append(plain: number + "\u{2003}") }
        markup.append(plain: text)
        let box = typesetter.box(markup, width: geometry.textWidth, style: style)
        var fragment = Fragment(height: box.height + 3) { [geometry] canvas, y in
            if let destination { canvas.destination(destination, y: y) }
            box.draw(lines: 0..<box.lines.count, at: geometry.marginLeft, y, on: canvas, color: style.color)
        }
        fragment.spaceBefore = spaceBefore
        fragment.keepWithNext = true
        if let destination { fragment.marks = [.destination(destination)] }
        return fragment
    }

    func figure(_ name: String, of bundle: StudyBundle, alt: String) -> Fragment? {
        guard let (list, fontFamily) = bundle.figures[name] else { return nil }
        let destination = Self.figureDestination(study: bundle.manifest.studyId, figure: name)
        var markup = Markup()
        markup.wrap("<b>", "</b>") { $0.append(plain: (figureLabels[destination] ?? "Fig.") + ".") }
        markup.append(plain: " " + alt)
        let caption = typesetter.box(markup, width: geometry.textWidth, style: Styles.caption)
        let maximumHeight = geometry.textHeight - caption.height - 24
        let scale = min(1, geometry.textWidth / list.width, maximumHeight / list.height)
        let figureHeight = list.height * scale
        let left = geometry.marginLeft + (geometry.textWidth - list.width * scale) / 2
        var fragment = Fragment(height: figureHeight + 6 + caption.height + 4) { [geometry] canvas, y in
            canvas.destination(destination, y: y)
            cairo_save(canvas.context)
            cairo_translate(canvas.context, left, y)
            cairo_scale(canvas.context, scale, scale)
            CairoRenderer.draw(list, fontFamily: fontFamily, into: canvas.context)
            cairo_restore(canvas.context)
            caption.draw(
                lines: 0..<caption.lines.count, at: geometry.marginLeft, y + figureHeight + 6, on: canvas,
                color: Styles.caption.color)
        }
        fragment.spaceBefore = 10
        fragment.marks = [.destination(destination)]
        return fragment
    }

    func code(_ text: String, info: String, indent: Double) -> [Fragment] {
        var markup = Markup()
        let source = text.hasSuffix("\n") ? String(text.dropLast()) : text
        if info.split(separator: " ").first == "swift" {
            for token in SwiftHighlighter.tokens(source) {
                if let color = Styles.color(of: token.kind) {
                    let open =
                        token.kind == .comment
                        ? "<span foreground=\"\(color)\" style=\"italic\">" : "<span foreground=\"\(color)\">"
                    markup.wrap(open, "</span>") { $0.append(plain: token.text) }
                } else {
                    markup.append(plain: token.text)
                }
            }
        } else {
            markup.append(plain: source)
        }
        let padding = 5.0
        let box = typesetter.box(markup, width: geometry.textWidth - indent - 2 * padding, style: Styles.code)
        let left = geometry.marginLeft + indent
        let width = geometry.textWidth - indent
        return lineFragments(
            box, x: left + padding, color: Styles.code.color, spaceBefore: 6,
            background: { canvas, y, height in
                canvas.fill(x: left, y: y - 0.5, width: width, height: height + 1, hex: "#f4f5f7")
            }
        ).enumerated().map { index, fragment in
            // A listing may break anywhere except after its first line or before its last three.
            var line = fragment
            let count = box.lines.count
            line.keepWithNext = (index == 0 && count > 1) || (index >= count - 4 && index < count - 1)
            return line
        }
    }

    /// A numbered table ("Table 3.2", captioned by its section's title) whose rows break across pages, the header
    /// repeated on each page, columns sized like HTML's automatic table layout (natural widths when they fit, else
    /// shared between each column's widest word and its natural width).
    func table(header: [[Inline]], rows: [[[Inline]]], alignments: [ColumnAlignment], study: String, indent: Double)
        throws -> [Fragment]
    {
        let label = "\(chapterNumber).\(tableCount + 1)"
        let destination = "table:\(study)/\(label)"
        let caption = sectionTitle
        let columns = header.count
        let padding = 3.0
        let available = geometry.textWidth - indent
        let headerMarkups = try header.map { try markup($0, study: study, style: Styles.tableHeader) }
        let rowMarkups = try rows.map { row in try row.map { try markup($0, study: study, style: Styles.table) } }
        // Per cell its natural width (no wrapping); per column the preferred minimum: its widest word (at most 64 pt, a
        // longer word may break).
        var cellWidths: [[Double]] = []
        var preferred = [Double](repeating: 0, count: columns)
        for (rowIndex, row) in ([headerMarkups] + rowMarkups).enumerated() {
            let style = rowIndex == 0 ? Styles.tableHeader : Styles.table
            var widths: [Double] = []
            for (column, cell) in row.enumerated() {
                let width = typesetter.naturalWidth(cell, style: style) + 2 * padding + 0.5
                widths.append(width)
                preferred[column] = max(
                    preferred[column], min(typesetter.widestWord(cell, style: style) + 2 * padding + 0.5, 64))
            }
            cellWidths.append(widths)
        }
        let widths = Self.columnWidths(cells: cellWidths, preferred: preferred, padding: padding, available: available)
        let tableWidth = widths.reduce(0, +)
        let left = geometry.marginLeft + indent
        func boxes(_ markups: [Markup], style: TextStyle) -> [TextBox] {
            (0..<columns).map { column in
                let aligned = style.with { $0.alignment = alignments[column] }
                return typesetter.box(markups[column], width: widths[column] - 2 * padding, style: aligned)
            }
        }
        let headerBoxes = boxes(headerMarkups, style: Styles.tableHeader)
        let headerHeight = (headerBoxes.map(\.height).max() ?? 0) + 2 * padding
        func drawRow(_ cells: [TextBox], _ canvas: PageCanvas, _ y: Double, color: String) {
            var x = left
            for (column, cell) in cells.enumerated() {
                cell.draw(lines: 0..<cell.lines.count, at: x + padding, y + padding, on: canvas, color: color)
                x += widths[column]
            }
        }
        let makeHeader: () -> Fragment = {
            Fragment(height: headerHeight) { canvas, y in
                canvas.fill(x: left, y: y, width: tableWidth, height: headerHeight, hex: "#eef2f7")
                canvas.rule(x: left, y: y, width: tableWidth, thickness: 0.8)
                drawRow(headerBoxes, canvas, y, color: "#1d1d1f")
                canvas.rule(x: left, y: y + headerHeight, width: tableWidth, thickness: 0.5)
            }
        }
        var captionMarkup = Markup()
        captionMarkup.wrap("<b>", "</b>") { $0.append(plain: "Table \(label).") }
        captionMarkup.append(plain: " " + caption)
        let captionBox = typesetter.box(captionMarkup, width: available, style: Styles.caption)
        var captionFragment = Fragment(height: captionBox.height + 3) { canvas, y in
            canvas.destination(destination, y: y)
            captionBox.draw(lines: 0..<captionBox.lines.count, at: left, y, on: canvas, color: Styles.caption.color)
        }
        captionFragment.spaceBefore = 9
        captionFragment.keepWithNext = true
        captionFragment.marks = [.destination(destination)]
        var headerFragment = makeHeader()
        headerFragment.keepWithNext = true
        var fragments = [captionFragment, headerFragment]
        for (rowIndex, markups) in rowMarkups.enumerated() {
            let cells = boxes(markups, style: Styles.table)
            let height = (cells.map(\.height).max() ?? 0) + 2 * padding
            let isLast = rowIndex == rowMarkups.count - 1
            var fragment = Fragment(height: height + (isLast ? 4 : 0)) { canvas, y in
                if rowIndex % 2 == 1 { canvas.fill(x: left, y: y, width: tableWidth, height: height, hex: "#f8f9fb") }
                drawRow(cells, canvas, y, color: "#1d1d1f")
                canvas.rule(
                    x: left, y: y + height, width: tableWidth, thickness: isLast ? 0.8 : 0.25,
                    hex: isLast ? "#1d1d1f" : "#c8c8c8")
            }
            fragment.continuationHeader = makeHeader
            fragment.keepWithNext = rowIndex == 0 && rowMarkups.count > 1
            fragments.append(fragment)
        }
        tableCount += 1
        return fragments
    }

    /// Column widths of a table whose cells have the natural (one-line) widths `cells[row][column]`: the natural widths
    /// when they fit in `available`; else, from every column's preferred minimum (or, when those do not fit, a hard
    /// minimum of at most 34 pt), the rest is handed out 2 pt at a time to the column that shortens the table most —
    /// its height estimated as the sum over rows of the most lines any cell of the row needs — so a long "source"
    /// column widens before short numeric ones do.
    static func columnWidths(cells: [[Double]], preferred: [Double], padding: Double, available: Double) -> [Double] {
        let columns = preferred.count
        let natural = (0..<columns).map { column in cells.map { $0[column] }.max() ?? 0 }
        if natural.reduce(0, +) <= available { return natural }
        var widths = preferred.reduce(0, +) <= available ? preferred : preferred.map { min($0, 34) }
        let minimumTotal = widths.reduce(0, +)
        if minimumTotal > available { return widths.map { $0 * available / minimumTotal } }
        func height(_ widths: [Double]) -> Double {
            cells.reduce(0) { total, row in
                total + (0..<columns).map { max(1, row[$0] / max(widths[$0] - 2 * padding, 1)) }.max()!
            }
        }
        let step = 2.0
        var current = height(widths)
        while widths.reduce(0, +) + step <= available {
            var best: (column: Int, height: Double)?
            for column in 0..<columns where widths[column] < natural[column] {
                widths[column] += step
                let trial = height(widths)
                widths[column] -= step
                if trial < current - 1e-9, best == nil || trial < best!.height { best = (column, trial) }
            }
            guard let best else { break }
            widths[best.column] += step
            current = best.height
        }
        // What no column needs to shorten the table goes where text is still wrapped.
        let remaining = available - widths.reduce(0, +)
        let lacking = (0..<columns).map { max(0, natural[$0] - widths[$0]) }
        let lackingTotal = lacking.reduce(0, +)
        if remaining > 0, lackingTotal > 0 {
            for column in 0..<columns { widths[column] += remaining * min(1, lacking[column] / lackingTotal) }
        }
        return widths
    }

    func blocks(_ blocks: [Block], study: String, indent: Double) throws -> [Fragment] {
        var fragments: [Fragment] = []
        for block in blocks {
            switch block {
            case .paragraph(let inlines):
                fragments += try paragraph(inlines, study: study, indent: indent)
            case .heading(_, let inlines):
                fragments.append(
                    heading(
                        inlines.map(\.plainText).joined(), number: nil, style: Styles.subsection, destination: nil,
                        spaceBefore: 8))
            case let .list(ordered, start, items):
                fragments += try list(ordered: ordered, start: start, items: items, study: study, indent: indent)
            case let .code(info, text):
                fragments += code(text, info: info, indent: indent)
            case .quote(let inner):
                let quoted = try self.blocks(inner, study: study, indent: indent + 12)
                fragments += quoted.map { fragment in
                    var barred = fragment
                    let draw = fragment.draw
                    let height = fragment.height
                    barred.draw = { [geometry] canvas, y in
                        canvas.fill(
                            x: geometry.marginLeft + indent + 2, y: y, width: 1.5, height: height, hex: "#b8c4d0")
                        draw(canvas, y)
                    }
                    return barred
                }
            case let .table(header, rows, alignments):
                fragments += try table(header: header, rows: rows, alignments: alignments, study: study, indent: indent)
            case .rule:
                var fragment = Fragment(height: 8) { [geometry] canvas, y in
                    canvas.rule(
                        x: geometry.marginLeft + indent, y: y + 4, width: geometry.textWidth - indent, thickness: 0.4,
                        hex: "#999999")
                }
                fragment.spaceBefore = 4
                fragments.append(fragment)
            case .html(let text):
                fragments += try paragraph([.code(text)], study: study, indent: indent)
            }
        }
        return fragments
    }

    func list(ordered: Bool, start: Int, items: [[Block]], study: String, indent: Double) throws -> [Fragment] {
        var fragments: [Fragment] = []
        let markerWidth = ordered ? 16.0 : 11.0
        for (number, item) in items.enumerated() {
            var itemFragments = try blocks(item, study: study, indent: indent + markerWidth)
            guard !itemFragments.isEmpty else { continue }
            var marker = Markup()
            marker.append(plain: ordered ? "\(start + number)." : "•")
            let markerBox = typesetter.box(marker, width: markerWidth, style: Styles.body.with { $0.justify = false })
            let draw = itemFragments[0].draw
            itemFragments[0].draw = { [geometry] canvas, y in
                markerBox.draw(
                    lines: 0..<1, at: geometry.marginLeft + indent + 1, y, on: canvas, color: Styles.body.color)
                draw(canvas, y)
            }
            itemFragments[0].spaceBefore = number == 0 ? 4 : 2.5
            fragments += itemFragments
        }
        return fragments
    }

    // MARK: - Chapters

    /// The references of every chapter (`## References`, items `[key] text`), each source once, numbered in order of
    /// first appearance.
    func collectBibliography() {
        for bundle in bundles {
            for entry in Self.references(in: bundle.blocks) where !bibliography.contains(where: { $0.key == entry.key })
            {
                bibliography.append(entry)
            }
        }
    }

    static func references(in blocks: [Block]) -> [(key: String, text: [Inline])] {
        guard
            let start = blocks.firstIndex(where: {
                if case .heading(2, let inlines) = $0 { return inlines.map(\.plainText).joined() == "References" }
                return false
            }),
            start + 1 < blocks.count, case .list(_, _, let items) = blocks[start + 1]
        else { return [] }
        return items.compactMap { item in
            guard case .paragraph(let inlines)? = item.first else { return nil }
            let plain = inlines.map(\.plainText).joined()
            guard plain.hasPrefix("["), let close = plain.firstIndex(of: "]") else { return nil }
            let key = String(plain[plain.index(after: plain.startIndex)..<close])
            let prefixLength = plain.distance(from: plain.startIndex, to: close) + 1
            return (key, dropPrefix(inlines, characters: prefixLength))
        }
    }

    /// `inlines` without their first `characters` characters of text (and the spaces after them).
    static func dropPrefix(_ inlines: [Inline], characters: Int) -> [Inline] {
        var remaining = characters
        var result: [Inline] = []
        for inline in inlines {
            if remaining > 0, case .text(let text) = inline {
                if text.count <= remaining {
                    remaining -= text.count
                    continue
                }
                result.append(.text(String(text.dropFirst(remaining))))
                remaining = 0
                continue
            }
            remaining = 0
            result.append(inline)
        }
        if case .text(let text)? = result.first {
            result[0] = .text(String(text.drop(while: { $0 == " " })))
        }
        return result
    }

    func composeChapter(_ bundle: StudyBundle, index: Int) throws {
        let study = bundle.manifest.studyId
        let number = index + 1
        chapterTitles.append(bundle.manifest.title)
        let chapterDestination = Self.chapterDestination(study)
        outline.append(
            (title: "\(number) \(bundle.manifest.title)", destination: chapterDestination, parent: nil, id: nil))
        let chapterOutline = outline.count - 1
        tableCount = 0
        var sectionNumber = 0
        chapterNumber = number
        sectionTitle = bundle.manifest.title
        var captionOf: String?
        var blocks = bundle.blocks
        var index0 = 0
        if case .heading(1, _)? = blocks.first { index0 = 1 }
        blocks = Array(blocks[index0...])

        var numberMarkup = Markup()
        numberMarkup.append(plain: "Chapter \(number) · \(bundle.manifest.paperFigure)")
        let numberBox = typesetter.box(numberMarkup, width: geometry.textWidth, style: Styles.chapterNumber)
        var titleMarkup = Markup()
        titleMarkup.append(plain: bundle.manifest.title)
        let titleBox = typesetter.box(titleMarkup, width: geometry.textWidth, style: Styles.chapterTitle)
        var opening = Fragment(height: numberBox.height + 6 + titleBox.height + 14) { [geometry] canvas, y in
            canvas.destination(chapterDestination, y: y)
            numberBox.draw(
                lines: 0..<numberBox.lines.count, at: geometry.marginLeft, y, on: canvas,
                color: Styles.chapterNumber.color)
            titleBox.draw(
                lines: 0..<titleBox.lines.count, at: geometry.marginLeft, y + numberBox.height + 6, on: canvas,
                color: Styles.chapterTitle.color)
            canvas.rule(
                x: geometry.marginLeft, y: y + numberBox.height + 6 + titleBox.height + 6, width: geometry.textWidth,
                thickness: 1.2, hex: "#0072B2")
        }
        opening.breakBefore = true
        opening.keepWithNext = true
        opening.marks = [.chapter(index), .destination(chapterDestination)]
        body.append(opening)

        var position = 0
        while position < blocks.count {
            let block = blocks[position]
            position += 1
            switch block {
            case .heading(2, let inlines):
                let title = inlines.map(\.plainText).joined()
                if title == "References" {
                    if position < blocks.count, case .list = blocks[position] { position += 1 }
                    let entries = Self.references(in: bundle.blocks)
                    var sources: [Inline] = [.strong([.text("Sources:")]), .text(" ")]
                    for (entryIndex, entry) in entries.enumerated() {
                        guard let bibliographyIndex = bibliography.firstIndex(where: { $0.key == entry.key }) else {
                            continue
                        }
                        if entryIndex > 0 { sources.append(.text(", ")) }
                        sources.append(
                            .link(href: "bibliography:\(bibliographyIndex + 1)", [.text("[\(bibliographyIndex + 1)]")]))
                    }
                    sources.append(.text(" (Bibliography)."))
                    body += try sourcesParagraph(sources, study: study)
                    continue
                }
                sectionNumber += 1
                sectionTitle = title
                let destination = "section:\(study)/\(sectionNumber)"
                body.append(
                    heading(
                        title, number: "\(number).\(sectionNumber)", style: Styles.section, destination: destination,
                        spaceBefore: 14))
                outline.append(
                    (
                        title: "\(number).\(sectionNumber) \(title)", destination: destination, parent: chapterOutline,
                        id: nil
                    ))
            case .paragraph(let inlines):
                if let image = Self.figureImage(inlines), let name = Self.figureName(image.source),
                    let fragment = figure(name, of: bundle, alt: image.alt)
                {
                    body.append(fragment)
                    captionOf = name
                    continue
                }
                if let name = captionOf, Self.links(inlines).contains("figures/\(name).pdf") {
                    captionOf = nil
                    continue
                }
                captionOf = nil
                body += try paragraph(inlines, study: study, indent: 0)
            default:
                body += try self.blocks([block], study: study, indent: 0)
            }
        }
    }

    func sourcesParagraph(_ inlines: [Inline], study: String) throws -> [Fragment] {
        var markup = Markup()
        for inline in inlines {
            if case .link(let href, let children) = inline, href.hasPrefix("bibliography:") {
                let destination = "bib:" + href.dropFirst("bibliography:".count)
                linkTargets.insert(destination)
                markup.link(.destination(destination)) { $0.append(plain: children.map(\.plainText).joined()) }
            } else {
                try append([inline], study: study, codeSize: Styles.caption.size, to: &markup)
            }
        }
        let box = typesetter.box(markup, width: geometry.textWidth, style: Styles.caption)
        return lineFragments(box, x: geometry.marginLeft, color: Styles.caption.color, spaceBefore: 12)
    }

    static func figureImage(_ inlines: [Inline]) -> (source: String, alt: String)? {
        let content = inlines.filter {
            if case .softBreak = $0 { return false }
            if case .text(let text) = $0 { return !text.allSatisfy(\.isWhitespace) }
            return true
        }
        guard content.count == 1, case .image(let source, let alt) = content[0] else { return nil }
        return (source, alt)
    }

    /// `figures/<name>.png` → name.
    static func figureName(_ source: String) -> String? {
        guard source.hasPrefix("figures/"), source.hasSuffix(".png") else { return nil }
        return String(source.dropFirst("figures/".count).dropLast(4))
    }

    static func links(_ inlines: [Inline]) -> [String] {
        inlines.flatMap { inline -> [String] in
            switch inline {
            case .link(let href, let children): return [href] + links(children)
            case .emphasis(let children), .strong(let children), .superscript(let children), .subscript(let children):
                return links(children)
            default: return []
            }
        }
    }

    func composeBibliography() {
        guard !bibliography.isEmpty else { return }
        chapterTitles.append("Bibliography")
        let destination = "bibliography"
        outline.append((title: "Bibliography", destination: destination, parent: nil, id: nil))
        var title = Markup()
        title.append(plain: "Bibliography")
        let titleBox = typesetter.box(title, width: geometry.textWidth, style: Styles.chapterTitle)
        var opening = Fragment(height: titleBox.height + 16) { [geometry] canvas, y in
            canvas.destination(destination, y: y)
            titleBox.draw(
                lines: 0..<titleBox.lines.count, at: geometry.marginLeft, y, on: canvas,
                color: Styles.chapterTitle.color)
            canvas.rule(
                x: geometry.marginLeft, y: y + titleBox.height + 6, width: geometry.textWidth, thickness: 1.2,
                hex: "#0072B2")
        }
        opening.breakBefore = true
        opening.keepWithNext = true
        opening.marks = [.chapter(chapterTitles.count - 1), .destination(destination)]
        body.append(opening)
        let hanging = 24.0
        for (index, entry) in bibliography.enumerated() {
            let entryDestination = "bib:\(index + 1)"
            var markup = Markup()
            // A bibliography entry shows its links as links (DOIs); it refers to no figure.
            try? append(entry.text, study: "", codeSize: Styles.body.size * 0.9, to: &markup)
            let box = typesetter.box(
                markup, width: geometry.textWidth - hanging, style: Styles.body.with { $0.size = 8.6 })
            var label = Markup()
            label.append(plain: "[\(index + 1)]")
            let labelBox = typesetter.box(
                label, width: hanging,
                style: Styles.body.with {
                    $0.size = 8.6
                    $0.justify = false
                })
            var fragments = lineFragments(
                box, x: geometry.marginLeft + hanging, color: Styles.body.color, spaceBefore: 4,
                marks: [.destination(entryDestination)],
                decorate: { [geometry] canvas, y in
                    canvas.destination(entryDestination, y: y)
                    labelBox.draw(lines: 0..<1, at: geometry.marginLeft, y, on: canvas, color: Styles.body.color)
                })
            if fragments.isEmpty { continue }
            fragments[0].marks = [.destination(entryDestination)]
            body += fragments
        }
    }

    // MARK: - Front matter and furniture

    func contentsFragments() -> [Fragment] {
        var fragments: [Fragment] = []
        var title = Markup()
        title.append(plain: "Contents")
        let titleBox = typesetter.box(title, width: geometry.textWidth, style: Styles.chapterTitle)
        var heading = Fragment(height: titleBox.height + 18) { [geometry] canvas, y in
            titleBox.draw(
                lines: 0..<titleBox.lines.count, at: geometry.marginLeft, y, on: canvas,
                color: Styles.chapterTitle.color)
        }
        heading.keepWithNext = true
        fragments.append(heading)
        let numberWidth = 34.0
        let pageWidth = 30.0
        for (index, chapterTitle) in chapterTitles.enumerated() {
            let isBibliography = index == bundles.count
            let destination = isBibliography ? "bibliography" : Self.chapterDestination(bundles[index].manifest.studyId)
            linkTargets.insert(destination)
            var entry = Markup()
            entry.append(plain: chapterTitle)
            let titleWidth = geometry.textWidth - numberWidth - pageWidth - 8
            let entryBox = typesetter.box(entry, width: titleWidth, style: Styles.contents)
            var numberMarkup = Markup()
            numberMarkup.append(plain: isBibliography ? "" : "\(index + 1)")
            let numberBox = typesetter.box(
                numberMarkup, width: numberWidth, style: Styles.contents.with { $0.font = "DejaVu Sans Bold" })
            var paperMarkup = Markup()
            paperMarkup.append(plain: isBibliography ? "" : bundles[index].manifest.paperFigure)
            let paperBox = typesetter.box(paperMarkup, width: titleWidth, style: Styles.furniture)
            let height = entryBox.height + (isBibliography ? 0 : paperBox.height + 1)
            var fragment = Fragment(height: height) { [geometry, typesetter, unowned self] canvas, y in
                numberBox.draw(lines: 0..<1, at: geometry.marginLeft, y, on: canvas, color: "#0072B2")
                entryBox.draw(
                    lines: 0..<entryBox.lines.count, at: geometry.marginLeft + numberWidth, y, on: canvas,
                    color: Styles.contents.color)
                if !isBibliography {
                    paperBox.draw(
                        lines: 0..<1, at: geometry.marginLeft + numberWidth, y + entryBox.height + 1, on: canvas,
                        color: Styles.furniture.color)
                }
                var pageMarkup = Markup()
                pageMarkup.append(plain: self.chapterPages[index].map(String.init) ?? "")
                let pageBox = typesetter.box(
                    pageMarkup, width: pageWidth, style: Styles.contents.with { $0.alignment = .right })
                let lastLine = entryBox.lines.count - 1
                pageBox.draw(
                    lines: 0..<1, at: geometry.marginLeft + geometry.textWidth - pageWidth,
                    y + entryBox.lines[lastLine].top, on: canvas,
                    color: Styles.contents.color)
                canvas.link(
                    x: geometry.marginLeft, y: y, width: geometry.textWidth, height: height,
                    to: .destination(destination))
            }
            fragment.spaceBefore = index == 0 ? 0 : 7
            fragments.append(fragment)
        }
        return fragments
    }

    func drawTitlePage(_ canvas: PageCanvas) {
        let left = geometry.marginLeft
        let width = geometry.textWidth
        var y = geometry.marginTop + 90
        func block(_ text: String, _ style: TextStyle, gap: Double) {
            var markup = Markup()
            markup.append(plain: text)
            let box = typesetter.box(markup, width: width, style: style)
            box.draw(lines: 0..<box.lines.count, at: left, y, on: canvas, color: style.color)
            y += box.height + gap
        }
        block("CathodeLab", Styles.chapterNumber.with { $0.size = 13 }, gap: 10)
        block(
            info.title,
            Styles.chapterTitle.with {
                $0.size = 24
                $0.lineSpacing = 4
            }, gap: 18)
        canvas.rule(x: left, y: y, width: width, thickness: 1.4, hex: "#0072B2")
        y += 18
        block("Regenerates the modelling study of", Styles.furniture.with { $0.size = 9 }, gap: 3)
        block(
            info.paper,
            Styles.body.with {
                $0.size = 11
                $0.justify = false
            }, gap: 26)
        let commits = Set(
            bundles.map {
                $0.manifest.codeVersion.commit + ($0.manifest.codeVersion.dirty ? " (with uncommitted changes)" : "")
            }
        ).sorted()
        let physics = Set(bundles.map(\.manifest.physicsVersion)).sorted()
        let versions = Set(bundles.compactMap { $0.manifest.tools["cathodelab"] }).sorted()
        let rows: [(String, String)] = [
            ("Studies", "\(bundles.count) chapters, \(bundles.reduce(0) { $0 + $1.figureNames.count }) figures"),
            (
                "Code version",
                versions.isEmpty ? "unknown" : versions.map { "cathodelab \($0)" }.joined(separator: ", ")
            ),
            (
                "Commit",
                commits.map { String($0.prefix(12)) + ($0.contains("(") ? " (with uncommitted changes)" : "") }.joined(
                    separator: ", ")
            ),
            ("Physics version", physics.joined(separator: ", ")),
            (
                "Date of the data",
                dataDate.map { String($0.prefix(10)) + " " + String($0.dropFirst(11).prefix(5)) + " UTC" }
                    ?? "not recorded"
            ),
            (
                "Typeset by",
                info.tool
                    + " (Pango and Cairo) from the study bundles; every number is computed or labelled as published, derived or fitted"
            ),
        ]
        for (label, value) in rows {
            var labelMarkup = Markup()
            labelMarkup.append(plain: label)
            let labelBox = typesetter.box(
                labelMarkup, width: 110,
                style: Styles.furniture.with {
                    $0.font = "DejaVu Sans Bold"
                    $0.size = 8.5
                    $0.color = "#333333"
                })
            var valueMarkup = Markup()
            valueMarkup.append(plain: value)
            let valueBox = typesetter.box(
                valueMarkup, width: width - 120,
                style: Styles.furniture.with {
                    $0.size = 8.5
                    $0.color = "#1d1d1f"
                })
            labelBox.draw(lines: 0..<labelBox.lines.count, at: left, y, on: canvas, color: "#333333")
            valueBox.draw(lines: 0..<valueBox.lines.count, at: left + 120, y, on: canvas, color: "#1d1d1f")
            y += max(labelBox.height, valueBox.height) + 6
        }
    }

    /// The running header (document title left, chapter right, a rule) and the page number.
    func drawPageFurniture(_ canvas: PageCanvas, chapter: Int?, pageNumber: Int?) {
        let left = geometry.marginLeft
        let width = geometry.textWidth
        if let chapter, chapter >= 0, chapter < chapterTitles.count {
            var leftMarkup = Markup()
            leftMarkup.append(plain: "CathodeLab study")
            let leftBox = typesetter.box(leftMarkup, width: width * 0.3, style: Styles.furniture)
            var rightMarkup = Markup()
            rightMarkup.append(
                plain: chapter < bundles.count ? "\(chapter + 1)  \(chapterTitles[chapter])" : chapterTitles[chapter])
            let rightBox = typesetter.box(
                rightMarkup, width: width * 0.68,
                style: Styles.furniture.with {
                    $0.alignment = .right
                    $0.ellipsize = true
                })
            let top = geometry.headerBaseline - leftBox.lines[0].baseline
            leftBox.draw(lines: 0..<1, at: left, top, on: canvas, color: Styles.furniture.color)
            rightBox.draw(lines: 0..<1, at: left + width * 0.32, top, on: canvas, color: Styles.furniture.color)
            canvas.rule(x: left, y: geometry.headerBaseline + 5, width: width, thickness: 0.4, hex: "#999999")
        }
        if let pageNumber {
            var markup = Markup()
            markup.append(plain: "\(pageNumber)")
            let box = typesetter.box(markup, width: width, style: Styles.furniture.with { $0.alignment = .center })
            box.draw(
                lines: 0..<1, at: left, geometry.footerBaseline - box.lines[0].baseline, on: canvas,
                color: Styles.furniture.color)
        }
    }
}

extension Markup {
    mutating func wrapThrowing(_ open: String, _ close: String, _ body: (inout Markup) throws -> Void) throws {
        var failure: Error?
        wrap(open, close) { inner in
            do { try body(&inner) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    mutating func linkThrowing(_ target: LinkTarget?, _ body: (inout Markup) throws -> Void) throws {
        var failure: Error?
        link(target) { inner in
            do { try body(&inner) } catch { failure = error }
        }
        if let failure { throw failure }
    }
}
