import Answering
import Knowledge
import TextAnalysis

extension Answerer {
    /// The answerer `serve` and `aigov ask` use over `knowledgeBase`: the chat model when given, and an extractive
    /// answer that expands the learner's words with the ranking vocabulary and scores sentences with the
    /// knowledge base's encoder (docs/BENCHMARKS.md, "Offline answers").
    public static func over(_ knowledgeBase: KnowledgeBase, chat: ChatClient?) -> Answerer {
        Answerer(
            chat: chat,
            extractive: ExtractiveAnswerer(
                vocabulary: knowledgeBase.options.ranking.vocabulary,
                documentNames: knowledgeBase.options.ranking.stripDocumentNames
                    ? knowledgeBase.options.ranking.documentNames : DocumentNames()),
            relevance: { question, statements in try await knowledgeBase.similarities(of: question, to: statements) })
    }
}
