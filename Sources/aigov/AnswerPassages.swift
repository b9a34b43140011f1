import Answering
import Knowledge
import Retrieval

/// The passages the answering step reads for `citations` (numbered 1...n in rank order), each completed with the
/// text before and after it that finishes its sentence or list, as `serve` does for `POST /api/query`.
func answerPassages(_ citations: [Citation], base: KnowledgeBase) async -> [Passage] {
    let passages = citations.enumerated().map { index, hit in
        Passage(
            number: index + 1, chunkID: hit.chunkID, documentID: hit.documentID, documentTitle: hit.documentTitle,
            documentSource: hit.documentSource, documentURL: hit.documentURL, section: hit.section,
            pageStart: hit.pageStart, pageEnd: hit.pageEnd, chunkIndex: hit.chunkIndex, text: hit.content,
            score: hit.score)
    }
    return await PassageContinuation.complete(
        passages, preceding: { try await base.precursor(of: $0) }, following: { try await base.continuation(of: $0) })
}
