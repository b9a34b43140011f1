import Foundation
import Retrieval
import Settings
import Testing

/// The settings `aigov serve` and the commands share, read from the environment one way.
@Suite struct SettingsTests {
    @Test func blankMeansUnsetAndBadValuesNameTheirVariable() throws {
        let environment = EnvironmentValues(["A": "  ", "B": " 7 ", "C": "maybe", "D": "1e9"])
        #expect(environment.text("A") == nil && environment.text("missing") == nil)
        #expect(try environment.integer("A", default: 3, range: 0...10) == 3)
        #expect(try environment.integer("B", default: 3, range: 0...10) == 7)
        #expect(try environment.flag("A", default: true))
        let flag = #expect(throws: ConfigurationError.self) { try environment.flag("C", default: true) }
        #expect(flag?.description == "C: must be true or false, not 'maybe'")
        let number = #expect(throws: ConfigurationError.self) { try environment.number("D", default: 1, range: 0...10) }
        #expect(number?.variable == "D")
        #expect(throws: ConfigurationError.self) { try environment.integer("B", default: 3, range: 0...5) }
    }

    @Test func searchDefaultsAndLimits() throws {
        let defaults = try SearchSettings(EnvironmentValues([:]))
        #expect(defaults.queryCacheMegabytes == 16 && defaults.bm25Stemming && defaults.rerankerDirectory == nil)
        #expect(defaults.rerankerTopN == 30 && defaults.retrievalBackend == .local && defaults.searchQdrant == nil)
        let set = try SearchSettings(
            EnvironmentValues([
                "QUERY_CACHE_MB": " 64 ", "BM25_STEMMING": "off", "RERANKER_MODEL_DIR": "/models/x",
                "RERANKER_TOP_N": "12", "QDRANT_URL": "http://127.0.0.1:6333", "RETRIEVAL_BACKEND": "qdrant",
            ]))
        #expect(set.queryCacheMegabytes == 64 && !set.bm25Stemming && set.rerankerDirectory == "/models/x")
        #expect(set.rerankerTopN == 12 && set.searchQdrant != nil)
        #expect(try SearchSettings(EnvironmentValues(["QUERY_CACHE_MB": "0"])).queryCacheMegabytes == 0)
        #expect(defaults.queryBatchSize == 32 && defaults.queryBatchWindowMilliseconds == 2)
        let batching = try SearchSettings(EnvironmentValues(["QUERY_BATCH_SIZE": "1", "QUERY_BATCH_WINDOW_MS": "0"]))
        #expect(batching.queryBatchSize == 1 && batching.queryBatchWindowMilliseconds == 0)
        #expect(defaults.indexQuantizeFromRows == 100_000)
        #expect(try SearchSettings(EnvironmentValues(["INDEX_QUANTIZE_FROM_ROWS": "0"])).indexQuantizeFromRows == nil)
        #expect(
            try SearchSettings(EnvironmentValues(["INDEX_QUANTIZE_FROM_ROWS": "5000"])).indexQuantizeFromRows == 5000)
        for (name, bad) in [
            ("QUERY_CACHE_MB", "-1"), ("QUERY_CACHE_MB", "1.5"), ("QUERY_CACHE_MB", "65537"),
            ("RERANKER_TOP_N", "many"), ("QUERY_BATCH_SIZE", "0"), ("QUERY_BATCH_SIZE", "257"),
            ("QUERY_BATCH_WINDOW_MS", "-1"), ("QUERY_BATCH_WINDOW_MS", "51"), ("QUERY_BATCH_WINDOW_MS", "2.5"),
            ("RERANKER_TOP_N", "0"), ("BM25_STEMMING", "sometimes"), ("RETRIEVAL_BACKEND", "qdrant"),
            ("INDEX_QUANTIZE_FROM_ROWS", "-1"), ("INDEX_QUANTIZE_FROM_ROWS", "many"),
        ] {
            let error = #expect(throws: ConfigurationError.self) { try SearchSettings(EnvironmentValues([name: bad])) }
            #expect(error?.variable == name)
        }
    }

    @Test func chatIsConfiguredByAKeyOrABaseURL() {
        #expect(ChatSettings.chat(EnvironmentValues([:])) == nil)
        let local = ChatSettings.chat(EnvironmentValues(["GROQ_BASE_URL": "http://127.0.0.1:8080/v1"]))
        #expect(local?.baseURL == "http://127.0.0.1:8080/v1" && local?.model == ChatSettings.defaultModel)
        let hosted = ChatSettings.chat(EnvironmentValues(["GROQ_API_KEY": "k", "GROQ_MODEL": "m"]))
        #expect(hosted?.baseURL == ChatSettings.defaultBaseURL && hosted?.model == "m")
    }

    @Test func rankingSwitchesAndNumbers() throws {
        var warnings: [String] = []
        let plain = try RankingSettings.options(EnvironmentValues(["RANKING_PRIORS": "false"])) { warnings.append($0) }
        #expect(plain == .plain)
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("aigov-none-\(UUID().uuidString)")
        let error = #expect(throws: ConfigurationError.self) {
            try RankingSettings.options(EnvironmentValues(["RANKING_DATA_DIR": missing.path])) { warnings.append($0) }
        }
        #expect(error?.variable == "RANKING_DATA_DIR")
        let tuned = try RankingSettings.options(
            EnvironmentValues([
                "RANKING_DENSE_WEIGHT": "2", "RANKING_VOCABULARY": "no", "RANKING_NAMED_DOCUMENT_FACTOR": "1",
                "RANKING_ANSWER_TYPE_FACTOR": "1",
            ])
        ) { warnings.append($0) }
        #expect(tuned.denseWeight == 2 && tuned.vocabulary.rules(firingOn: "is it banned").isEmpty && warnings.isEmpty)
        #expect(tuned.answerTypeFactor == 1)
        let ranking = RankingDataLookupTests.root.appendingPathComponent("corpus/ranking").path
        let loaded = try RankingSettings.options(EnvironmentValues(["RANKING_DATA_DIR": ranking])) {
            warnings.append($0)
        }
        #expect(!loaded.vocabulary.rules(firingOn: "is it banned").isEmpty)
        #expect(loaded.answerTypeFactor == RankingDefaults.answerTypeFactor)
        // GDPR defines the ‘controller’, never a "data controller", which is how a learner says it.
        #expect(loaded.vocabulary.terms(for: "Who is a data controller?").contains("controller"))
        // GDPR Article 22 says "solely on automated processing"; AI Act Article 6 "considered to be high-risk".
        #expect(
            loaded.vocabulary.terms(for: "Can I refuse to be judged only by a computer?").contains(
                "solely on automated processing"))
        #expect(
            loaded.vocabulary.terms(for: "How do I know if my AI system is high-risk?").contains(
                "considered to be high-risk"))
        #expect(
            loaded.vocabulary.terms(for: "Can AI sort CVs?").contains("recruitment or selection of natural persons"))
        // Article 50(4) says a deep fake's deployer "shall disclose" it; learners ask whether it must be labelled.
        #expect(loaded.vocabulary.terms(for: "Do deepfakes have to be labelled?").contains("disclose"))
        #expect(
            loaded.vocabulary.terms(for: "Who enforces the AI Act in each country?").contains(
                "market surveillance authorities"))
        #expect(throws: ConfigurationError.self) {
            try RankingSettings.options(EnvironmentValues(["RANKING_WINDOW_SHARE": "2"])) { warnings.append($0) }
        }
        #expect(throws: ConfigurationError.self) {
            try RankingSettings.options(EnvironmentValues(["RANKING_ANSWER_TYPE_FACTOR": "-1"])) { warnings.append($0) }
        }
    }
}
