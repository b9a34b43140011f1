import Retrieval
import Testing

@Suite struct FusionTests {
    /// Dense ranking [A, B, C, D], lexical ranking [C, A, E], k = 60:
    ///   A = 1/61 + 1/62 = 0.0325225, C = 1/63 + 1/61 = 0.0323662, B = 1/62 = 0.0161290,
    ///   E = 1/63 = 0.0158730, D = 1/64 = 0.015625
    @Test func reciprocalRankOrderOnAWorkedExample() {
        let fused = RankFusion.reciprocalRank([["A", "B", "C", "D"], ["C", "A", "E"]])
        #expect(fused.map(\.id) == ["A", "C", "B", "E", "D"])
        #expect(abs(fused[0].score - (1.0 / 61 + 1.0 / 62)) < 1e-12)
        #expect(abs(fused[1].score - (1.0 / 63 + 1.0 / 61)) < 1e-12)
        #expect(abs(fused[4].score - 1.0 / 64) < 1e-12)
    }

    @Test func tiesGoToTheBetterSingleRank() {
        // X and Y both score 1/61 + 1/62; X is first in a list, so it wins; Z alone scores less.
        let fused = RankFusion.reciprocalRank([["Y", "X", "Z"], ["X", "Y"]])
        #expect(fused.map(\.id) == ["Y", "X", "Z"])
        let swapped = RankFusion.reciprocalRank([["X", "Y"], ["Y", "X"]])
        #expect(swapped.map(\.id) == ["X", "Y"])
    }
}
