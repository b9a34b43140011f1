extension WordPieceTokenizer {
    /// A (query, passage) pair as a cross-encoder reads it: `[CLS] first [SEP] second [SEP]`, with segment
    /// (token type) 0 for `[CLS]`, `first` and its `[SEP]`, and 1 for `second` and the last `[SEP]`.
    ///
    /// Cut to `maxLength` tokens (default ``maxLength``) the way Hugging Face `tokenizers` does with
    /// `truncation=True` (longest first), which is what a sentence-transformers CrossEncoder runs: with
    /// `budget = maxLength - 3`, the shorter side keeps all its pieces when the longer one can still have
    /// at least as many, and the longer side gets the rest; when both are longer than half the budget, each
    /// gets half and the longer side the odd piece (the second side on a tie). Pieces are cut from the end.
    public func encodePair(_ first: String, _ second: String, maxLength: Int? = nil) -> (
        ids: [Int32], typeIDs: [Int32]
    ) {
        let budget = max(maxLength ?? self.maxLength, 3) - 3
        // A side never keeps more than `budget` pieces, so tokenizing further is wasted; the lengths the
        // rule below compares are exact up to `budget`, and the rule gives the same cut beyond it.
        var a = pieces(first, budget: budget)
        var b = pieces(second, budget: budget)
        if a.count + b.count > budget {
            let swap = a.count > b.count
            var shorter = swap ? b.count : a.count
            var longer: Int
            if shorter > budget {
                longer = shorter
            } else {
                longer = max(shorter, budget - shorter)
            }
            if shorter + longer > budget {
                shorter = budget / 2
                longer = shorter + budget % 2
            }
            let (keepA, keepB) = swap ? (longer, shorter) : (shorter, longer)
            if a.count > keepA { a.removeSubrange(keepA...) }
            if b.count > keepB { b.removeSubrange(keepB...) }
        }
        let ids = [clsID] + a + [sepID] + b + [sepID]
        let typeIDs = [Int32](repeating: 0, count: a.count + 2) + [Int32](repeating: 1, count: b.count + 1)
        return (ids, typeIDs)
    }
}
