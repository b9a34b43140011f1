import Answering
import Knowledge

extension Answerer {
    /// The answerer `serve` and `aigov ask` use over `knowledgeBase`: the chat model when given, and an extractive
    /// answer that expands the learner's words with the ranking vocabulary and scores sentences with the
    /// knowledge base's encoder (docs/BENCHMARKS.md, "Offline answers").
    public static func over(_ knowledgeBase: KnowledgeBase, chat: ChatClient?) -> Answerer {
        Answerer(
            chat: chat, extractive: ExtractiveAnswerer(vocabulary: knowledgeBase.options.ranking.vocabulary),
            relevance: { question, statements in try await knowledgeBase.similarities(of: question, to: statements) })
    }
}
