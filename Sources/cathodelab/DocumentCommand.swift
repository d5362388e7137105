import ArgumentParser
import BuildInfo
import DocumentEngine
import Foundation
import Materials
import ResultStore
import Studies

extension CathodeLab {
    /// Typesets the study bundles into one PDF.
    struct Document: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Typeset the study bundles into one PDF: title page, contents, a chapter per study, bibliography.",
            discussion: """
                Reads the bundles `cathodelab report` wrote (default output/) and writes output/CathodeLab-study.pdf: figures \
                are drawn as vectors from each bundle's display list, figures and tables are numbered by chapter, \
                {{ref:…}} cross-references and the contents are links, the sources of every chapter are merged into one \
                numbered bibliography. Without ids, every study whose bundle exists is a chapter, in catalogue order. \
                The same bundles give the same bytes. An existing file is replaced only if CathodeLab wrote it.
                """)

        @Argument(help: "Study ids to include (default: every study with a bundle), in catalogue order.")
        var ids: [String] = []

        @Option(name: .long, help: "Folder of study bundles.")
        var bundles: String = "output"

        @Option(name: .long, help: "The PDF to write (default: <bundles>/CathodeLab-study.pdf).")
        var out: String?

        @Option(name: .long, help: "Paper size: a4 or letter.")
        var paper: String = "a4"

        @Flag(name: .long, help: "Print no progress.")
        var quiet = false

        func validate() throws {
            guard PaperSize(rawValue: paper.lowercased()) != nil else {
                throw ValidationError("--paper '\(paper)' is not a paper size (allowed: a4, letter)")
            }
            let known = StudyCatalogue.known.map(\.id)
            for id in ids where !known.contains(id) {
                throw ValidationError("unknown study '\(id)' (known: \(known.joined(separator: ", ")))")
            }
        }

        func run() throws {
            let started = Date()
            let root = OutputFolder.resolve(bundles)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue
            else {
                throw UsageError(
                    "--bundles '\(bundles)' is not a folder (run `cathodelab report` first, or name the folder it wrote)"
                )
            }
            let target = out.map(OutputFolder.resolve) ?? root.appendingPathComponent("CathodeLab-study.pdf")
            try Self.checkWritable(target)
            let studies = StudyCatalogue.known.filter { ids.isEmpty || ids.contains($0.id) }
            var included: [StudyBundle] = []
            var skipped: [String] = []
            for study in studies {
                let folder = root.appendingPathComponent(study.id)
                guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("manifest.json").path) else {
                    if ids.isEmpty {
                        skipped.append(study.id)
                    } else {
                        throw UsageError(
                            "no bundle for study '\(study.id)' in \(root.path): run `cathodelab report \(study.id) --out \(bundles)` first"
                        )
                    }
                    continue
                }
                do { included.append(try StudyBundle(folder: folder)) } catch { throw UsageError("\(error)") }
            }
            let onDemand = Set(StudyCatalogue.onDemand.map(\.id))
            skipped.removeAll { onDemand.contains($0) }
            if !skipped.isEmpty, !quiet {
                FileHandle.standardError.write(
                    Data("note: no bundle for \(skipped.joined(separator: ", ")); the document leaves them out\n".utf8))
            }
            guard !included.isEmpty else {
                throw UsageError("no study bundles in \(root.path): run `cathodelab report` first")
            }
            let info = DocumentInfo(
                title: "Dense cathode architectures for solid-state batteries: the modelling study, regenerated",
                paper: References.naik2025.formatted, tool: "cathodelab \(BuildInfo.version)")
            let document: TypesetDocument
            do {
                document = try StudyDocument(
                    bundles: included, info: info, paper: PaperSize(rawValue: paper.lowercased()) ?? .a4
                ).typeset()
            } catch let error as DocumentError {
                throw CLIError(error.description)
            }
            let temporary = target.deletingLastPathComponent().appendingPathComponent(
                ".\(target.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).partial")
            do {
                try Data(document.pdf).write(to: temporary)
                // rename(2) replaces the old document in one step (Foundation's replaceItemAt on Linux can lose it).
                guard rename(temporary.path, target.path) == 0 else {
                    throw CocoaError(
                        .fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))])
                }
            } catch {
                try? FileManager.default.removeItem(at: temporary)
                throw CLIError("cannot write \(target.path): \(error.localizedDescription)")
            }
            if !quiet {
                print(
                    String(
                        format: "%@: %d pages, %d chapters, in %.2f s", target.path, document.pageCount, included.count,
                        Date().timeIntervalSince(started)))
            }
        }

        /// Refuses a target CathodeLab may not write: a folder, a file it did not write, a folder that does not exist or
        /// cannot be written. Checked before any typesetting, so a refused run leaves nothing behind.
        static func checkWritable(_ target: URL) throws {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: target.path, isDirectory: &isDirectory) {
                if isDirectory.boolValue {
                    throw UsageError("--out '\(target.path)' is a folder; name the PDF file to write")
                }
                guard isCathodeLabDocument(target) else {
                    throw UsageError(
                        "refusing to replace '\(target.path)': CathodeLab did not write it (choose another --out)")
                }
            }
            let folder = target.deletingLastPathComponent()
            guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue
            else {
                throw UsageError("cannot write '\(target.path)': the folder \(folder.path) does not exist")
            }
            guard FileManager.default.isWritableFile(atPath: folder.path) else {
                throw UsageError("cannot write '\(target.path)': the folder \(folder.path) is not writable")
            }
        }

        /// A PDF whose metadata names cathodelab as its creator.
        static func isCathodeLabDocument(_ url: URL) -> Bool {
            guard let handle = try? FileHandle(forReadingFrom: url) else { return false }
            defer { try? handle.close() }
            guard let head = try? handle.read(upToCount: 5), head == Data("%PDF-".utf8) else { return false }
            guard let data = try? Data(contentsOf: url) else { return false }
            return data.range(of: Data("/Creator (cathodelab".utf8)) != nil
        }
    }
}
