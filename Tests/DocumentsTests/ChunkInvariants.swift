import Documents
import Foundation
import Testing

/// Checks every chunk of a document against the contract of ARCHITECTURE.md section 3; records an issue per breach.
func expectChunkInvariants(_ chunks: [Chunk], of document: Document, maxTokens: Int = 254) {
    #expect(!chunks.isEmpty, "no chunks for \(document.id)")
    let scalars = Array(document.text.unicodeScalars)
    var ids = Set<String>()
    var previousStart = -1
    for (index, chunk) in chunks.enumerated() {
        #expect(chunk.ordinal == index)
        #expect(chunk.documentID == document.id)
        #expect(ids.insert(chunk.chunkID).inserted, "duplicate chunk id \(chunk.chunkID)")
        #expect(!chunk.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "empty chunk \(index)")
        #expect(chunk.tokenCount > 0 && chunk.tokenCount <= maxTokens, "chunk \(index) has \(chunk.tokenCount)")
        #expect(chunk.charStart >= previousStart, "chunk \(index) goes backwards")
        previousStart = chunk.charStart
        guard chunk.charStart >= 0, chunk.charEnd <= scalars.count, chunk.charStart < chunk.charEnd else {
            Issue.record("chunk \(index) offsets \(chunk.charStart)..<\(chunk.charEnd) out of range")
            continue
        }
        let slice = String(String.UnicodeScalarView(scalars[chunk.charStart..<chunk.charEnd]))
        #expect(slice == chunk.text, "chunk \(index) text differs from its offsets")
        if document.type == .pdf {
            if let start = chunk.pageStart, let end = chunk.pageEnd {
                #expect(start >= 1 && start <= end, "chunk \(index) pages \(start)-\(end)")
            } else {
                Issue.record("PDF chunk \(index) has no pages")
            }
        } else {
            #expect(chunk.pageStart == nil && chunk.pageEnd == nil)
        }
    }
}

/// The sections of `chunks`, as a set.
func sections(_ chunks: [Chunk]) -> Set<String> { Set(chunks.compactMap(\.section)) }

/// The group label of a section: "Article 6(1)" -> "Article 6", "Annex III, point 2" -> "Annex III".
func baseSection(_ section: String) -> String {
    String(section.prefix(while: { $0 != "(" && $0 != "," }))
}

/// The "Article N" heading lines inside a chunk's text.
func articleHeadings(in text: String) -> [String] {
    text.split(separator: "\n").map(String.init).filter {
        $0.range(of: #"^Article \d{1,3}$"#, options: .regularExpression) != nil
    }
}
