import Documents
import Foundation
import Retrieval
import Store
import TextAnalysis

extension KnowledgeBase {
    /// The next chunk of `chunkID`'s document, by id, with its text less the part the two chunks share, when
    /// it belongs to the same provision; nil at the end of a document or a provision, or for an unknown chunk.
    ///
    /// A chunk window can end inside an enumeration (Article 5(1) of the AI Act runs over five chunks); an
    /// answer that quotes the list reads on here rather than stopping at the first point.
    public func continuation(of chunkID: String) async throws -> (chunkID: String, text: String)? {
        guard let (chunk, next) = try await neighbour(of: chunkID, step: 1) else { return nil }
        // Offsets count Unicode scalars of the document text, as the chunker cut it; split parts overlap.
        let overlap = max(0, chunk.charEnd - next.charStart)
        let scalars = Array(next.text.unicodeScalars)
        guard overlap < scalars.count else { return nil }
        return (next.chunkID, String(String.UnicodeScalarView(scalars[overlap...])))
    }

    /// The chunk before `chunkID` in its document, by id, with its text less the part the two chunks share,
    /// when it belongs to the same provision; nil at the start of a document or a provision.
    ///
    /// A passage that opens on a point ("(d) the possible consequences ...") needs the lead-in of its list,
    /// which the chunk before holds.
    public func precursor(of chunkID: String) async throws -> (chunkID: String, text: String)? {
        guard let (chunk, previous) = try await neighbour(of: chunkID, step: -1) else { return nil }
        let kept = max(0, chunk.charStart - previous.charStart)
        let scalars = Array(previous.text.unicodeScalars)
        guard kept > 0 else { return nil }
        return (previous.chunkID, String(String.UnicodeScalarView(scalars.prefix(kept))))
    }

    /// The chunk `chunkID` and the one `step` places from it in its document, when both exist and belong to
    /// the same provision.
    private func neighbour(of chunkID: String, step: Int) async throws -> (StoredChunk, StoredChunk)? {
        guard let chunk = try await store.chunk(id: chunkID), chunk.ordinal + step >= 0,
            let other = try await store.chunk(documentID: chunk.documentID, ordinal: chunk.ordinal + step),
            Self.sameProvision(chunk.section, other.section)
        else { return nil }
        return (chunk, other)
    }

    /// Whether two chunk labels name the same provision: equal up to the first parenthesis ("Article 5(1)" and
    /// "Article 5(2)", "Article 5" and "Article 5(1)"), and never for unlabelled text.
    static func sameProvision(_ first: String?, _ second: String?) -> Bool {
        guard let first, let second, !first.isEmpty, !second.isEmpty else { return false }
        return ProvisionLabel.provision(of: first) == ProvisionLabel.provision(of: second)
    }
}
