import ArgumentParser

@main
struct Aigov: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aigov",
        abstract: "Retrieval engine and API server for AI-governance texts.",
        subcommands: [
            ServeCommand.self, AskCommand.self, IngestCommand.self, SearchCommand.self, IndexCommand.self,
            AdminCommand.self, OriginsCommand.self, SyncCommand.self, Warmup.self, Embed.self, Tokenize.self,
            Database.self, BackupCommand.self, Bench.self,
            Eval.self,
        ]
    )
}

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure speed and memory (benchmarks, not tests).",
        subcommands: [
            BenchEmbed.self, BenchANN.self, BenchServe.self, BenchRerank.self, BenchConverge.self, BenchCrawl.self,
        ]
    )
}
