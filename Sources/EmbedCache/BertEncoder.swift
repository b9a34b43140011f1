import CBLAS
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A BERT encoder forward pass on BLAS: token ids in, pooled sentence vectors out.
///
/// A batch is packed, not padded: the rows of all its sequences are stacked into one `[tokens, hidden]`
/// matrix, so every projection is one `sgemm` over real tokens only, and attention runs per sequence on its
/// own rows. That is what the reference computes with an additive `-inf` mask on padded keys, without the
/// work on padding. The instance is immutable and safe to share; each call allocates its own scratch.
public final class BertEncoder: Sendable {
    public let configuration: BertConfiguration
    /// The arithmetic of the linear layers.
    public let precision: EncoderPrecision

    private struct Layer: Sendable {
        // The four weights are emptied under int8, which reads `quantized` instead (about 85 MB of MiniLM-L6).
        var qkvWeight: [Float]  // [3H, H]: query, key and value rows stacked, so one sgemm makes all three
        let qkvBias: [Float]
        var outWeight: [Float]  // [H, H]
        let outBias: [Float]
        let norm1Gain: [Float]
        let norm1Bias: [Float]
        var upWeight: [Float]  // [I, H]
        let upBias: [Float]
        var downWeight: [Float]  // [H, I]
        let downBias: [Float]
        let norm2Gain: [Float]
        let norm2Bias: [Float]
        /// The four weights as bytes under ``EncoderPrecision/int8``: qkv, out, up, down.
        var quantized: [QuantizedWeight] = []

        /// Weight `slot` (0 qkv, 1 out, 2 up, 3 down) as bytes; nil under float32.
        func quantized(_ slot: Int) -> QuantizedWeight? { quantized.isEmpty ? nil : quantized[slot] }
    }

    /// Where a calibration pass records the inputs of one layer's linear layers (``outlierColumns()``).
    private struct LayerProbe {
        let recorder: CalibrationRecorder
        let layer: Int

        func observe(slot: Int, _ input: UnsafePointer<Float>, rows: Int, width: Int) {
            recorder.observe(layer: layer, slot: slot, input, rows: rows, width: width)
        }
    }

    /// oneDNN, under ``EncoderPrecision/int8`` only.
    private let integerGEMM: OneDNN?

    private let wordEmbeddings: [Float]
    private let positionEmbeddings: [Float]
    private let typeEmbeddings: [Float]
    private let embeddingNormGain: [Float]
    private let embeddingNormBias: [Float]
    private let layers: [Layer]

    /// Loads the weights from `model.safetensors` (names with or without a `bert.` prefix); under `int8` also
    /// loads oneDNN (an `EmbedError` when it is not installed), finds each linear layer's outlier input columns
    /// with a float32 pass over calibration tokens, and quantizes the weights.
    public convenience init(configuration: BertConfiguration, weights url: URL, precision: EncoderPrecision = .float32)
        throws
    {
        let integerGEMM = precision == .int8 ? try OneDNN.shared.get() : nil
        let file = try SafeTensorsFile(url: url)
        let prefix = file.tensors["bert.embeddings.word_embeddings.weight"] != nil ? "bert." : ""
        let h = configuration.hiddenSize
        let inner = configuration.intermediateSize
        func load(_ name: String, _ shape: [Int]) throws -> [Float] {
            try file.floats(prefix + name, shape: shape)
        }
        let embeddings = Embeddings(
            words: try load("embeddings.word_embeddings.weight", [configuration.vocabularySize, h]),
            positions: try load("embeddings.position_embeddings.weight", [configuration.maxPositions, h]),
            types: try load("embeddings.token_type_embeddings.weight", [configuration.typeVocabularySize, h]),
            normGain: try load("embeddings.LayerNorm.weight", [h]),
            normBias: try load("embeddings.LayerNorm.bias", [h]))
        var layers: [Layer] = []
        for index in 0..<configuration.layers {
            let p = "encoder.layer.\(index)."
            let qkvWeight =
                try load(p + "attention.self.query.weight", [h, h]) + load(p + "attention.self.key.weight", [h, h])
                + load(p + "attention.self.value.weight", [h, h])
            let qkvBias =
                try load(p + "attention.self.query.bias", [h]) + load(p + "attention.self.key.bias", [h])
                + load(p + "attention.self.value.bias", [h])
            layers.append(
                Layer(
                    qkvWeight: qkvWeight,
                    qkvBias: qkvBias,
                    outWeight: try load(p + "attention.output.dense.weight", [h, h]),
                    outBias: try load(p + "attention.output.dense.bias", [h]),
                    norm1Gain: try load(p + "attention.output.LayerNorm.weight", [h]),
                    norm1Bias: try load(p + "attention.output.LayerNorm.bias", [h]),
                    upWeight: try load(p + "intermediate.dense.weight", [inner, h]),
                    upBias: try load(p + "intermediate.dense.bias", [inner]),
                    downWeight: try load(p + "output.dense.weight", [h, inner]),
                    downBias: try load(p + "output.dense.bias", [h]),
                    norm2Gain: try load(p + "output.LayerNorm.weight", [h]),
                    norm2Bias: try load(p + "output.LayerNorm.bias", [h])))
        }
        if let integerGEMM {
            let probe = BertEncoder(
                configuration: configuration, embeddings: embeddings, layers: layers, precision: .float32,
                integerGEMM: nil)
            let outliers = probe.outlierColumns()
            let levels = integerGEMM.weightLevels
            for index in layers.indices {
                let layer = layers[index]
                let columns = outliers[index]
                layers[index].quantized = [
                    QuantizedWeight(layer.qkvWeight, rows: 3 * h, columns: h, levels: levels, outliers: columns[0]),
                    QuantizedWeight(layer.outWeight, rows: h, columns: h, levels: levels, outliers: columns[1]),
                    QuantizedWeight(layer.upWeight, rows: inner, columns: h, levels: levels, outliers: columns[2]),
                    QuantizedWeight(layer.downWeight, rows: h, columns: inner, levels: levels, outliers: columns[3]),
                ]
                layers[index].qkvWeight = []
                layers[index].outWeight = []
                layers[index].upWeight = []
                layers[index].downWeight = []
            }
        }
        self.init(
            configuration: configuration, embeddings: embeddings, layers: layers, precision: precision,
            integerGEMM: integerGEMM)
    }

    private struct Embeddings {
        let words: [Float]
        let positions: [Float]
        let types: [Float]
        let normGain: [Float]
        let normBias: [Float]
    }

    private init(
        configuration: BertConfiguration, embeddings: Embeddings, layers: [Layer], precision: EncoderPrecision,
        integerGEMM: OneDNN?
    ) {
        self.configuration = configuration
        self.precision = precision
        self.integerGEMM = integerGEMM
        wordEmbeddings = embeddings.words
        positionEmbeddings = embeddings.positions
        typeEmbeddings = embeddings.types
        embeddingNormGain = embeddings.normGain
        embeddingNormBias = embeddings.normBias
        self.layers = layers
    }

    /// The input columns of each linear layer (per layer: qkv, out, up, down) that BERT's outlier dimensions
    /// occupy: those whose largest magnitude over a float32 pass on calibration tokens is over
    /// ``OneDNN/outlierRatio`` times the mean magnitude of all columns. Found once, so every pass quantizes the
    /// same columns and a text's vector does not depend on the texts beside it. The calibration tokens are
    /// fixed pseudo-random ids in sequences of 16 to 256: outlier dimensions are a property of the weights
    /// (LayerNorm gains and biases), visible on any input.
    private func outlierColumns() -> [[[Int]]] {
        var random = UInt64(0x5EED_1234)
        func next() -> Int {
            random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(random >> 33)
        }
        let vocabulary = configuration.vocabularySize
        let sequences = [16, 48, 128, 256].map { length in
            (0..<min(length, configuration.maxPositions)).map { _ in Int32(next() % vocabulary) }
        }
        let recorder = CalibrationRecorder(layers: layers.count)
        let total = sequences.reduce(0) { $0 + $1.count }
        var scratch = Scratch(tokens: total, longest: sequences.map(\.count).max() ?? 1, configuration: configuration)
        defer { scratch.deallocate() }
        run(sequences: sequences, tokenTypes: nil, scratch: &scratch, layerCount: layers.count, recorder: recorder)
        return recorder.columns(ratio: OneDNN.outlierRatio)
    }

    /// The final hidden states of one sequence, `[ids.count, hidden]` row-major; `upTo` stops after that many
    /// layers (0 = the embedding output). For layer-by-layer checks against reference activations.
    public func hiddenStates(_ ids: [Int32], upTo layerCount: Int? = nil) -> [Float] {
        var scratch = Scratch(tokens: ids.count, longest: ids.count, configuration: configuration)
        defer { scratch.deallocate() }
        run(sequences: [ids], tokenTypes: nil, scratch: &scratch, layerCount: layerCount ?? layers.count)
        return Array(UnsafeBufferPointer(start: scratch.x, count: ids.count * configuration.hiddenSize))
    }

    /// Sentence vectors of `sequences` (each already tokenized with `[CLS]`/`[SEP]`), pooled and, when the
    /// configuration says so, L2-normalised. Runs on the calling thread with whatever BLAS threads are set.
    public func encode(_ sequences: [[Int32]]) -> [[Float]] {
        guard !sequences.isEmpty else { return [] }
        let h = configuration.hiddenSize
        let total = sequences.reduce(0) { $0 + $1.count }
        let longest = sequences.map(\.count).max() ?? 0
        var scratch = Scratch(tokens: total, longest: longest, configuration: configuration)
        defer { scratch.deallocate() }
        run(sequences: sequences, tokenTypes: nil, scratch: &scratch, layerCount: layers.count)

        var out: [[Float]] = []
        out.reserveCapacity(sequences.count)
        var offset = 0
        for sequence in sequences {
            var vector = [Float](repeating: 0, count: h)
            let length = sequence.count
            if length > 0 {
                switch configuration.pooling {
                case .cls:
                    for j in 0..<h { vector[j] = scratch.x[offset * h + j] }
                case .mean:
                    for t in 0..<length {
                        let row = scratch.x + (offset + t) * h
                        for j in 0..<h { vector[j] += row[j] }
                    }
                    let scale = 1 / Float(length)
                    for j in 0..<h { vector[j] *= scale }
                }
            }
            if configuration.normalize {
                var norm: Float = 0
                for v in vector { norm += v * v }
                let scale = 1 / max(norm.squareRoot(), 1e-12)
                for j in 0..<h { vector[j] *= scale }
            }
            out.append(vector)
            offset += length
        }
        return out
    }

    /// The final hidden state of each sequence's first token (`[CLS]`), `[sequences.count, hidden]` row-major:
    /// what a classification head (pooler and classifier) reads. `tokenTypes` gives each token's segment
    /// (0 for the first text of a pair, 1 for the second), one array per sequence of the same length.
    public func firstTokenStates(_ sequences: [[Int32]], tokenTypes: [[Int32]]) -> [Float] {
        precondition(tokenTypes.count == sequences.count, "one token type array per sequence")
        guard !sequences.isEmpty else { return [] }
        let h = configuration.hiddenSize
        let total = sequences.reduce(0) { $0 + $1.count }
        let longest = sequences.map(\.count).max() ?? 0
        var scratch = Scratch(tokens: total, longest: longest, configuration: configuration)
        defer { scratch.deallocate() }
        run(sequences: sequences, tokenTypes: tokenTypes, scratch: &scratch, layerCount: layers.count)
        var out = [Float](repeating: 0, count: sequences.count * h)
        var offset = 0
        for (index, sequence) in sequences.enumerated() {
            if !sequence.isEmpty {
                for j in 0..<h { out[index * h + j] = scratch.x[offset * h + j] }
            }
            offset += sequence.count
        }
        return out
    }

    // MARK: - Forward pass

    /// Scratch matrices for one packed batch. Raw buffers: the hot loops index them millions of times.
    private struct Scratch {
        let x: UnsafeMutablePointer<Float>  // [T, H] hidden states
        // The attention's [T, 3H] projections and the feed-forward's [T, I] activations are never live at
        // the same time, so they share one buffer: the largest per batch.
        let qkv: UnsafeMutablePointer<Float>  // [T, 3H]
        let inner: UnsafeMutablePointer<Float>  // [T, I], same memory as qkv
        let context: UnsafeMutablePointer<Float>  // [T, H]
        let projected: UnsafeMutablePointer<Float>  // [T, H]
        let scores: UnsafeMutablePointer<Float>  // [L, L] for the longest sequence
        let rowSums: UnsafeMutablePointer<Float>  // [L]

        init(tokens: Int, longest: Int, configuration c: BertConfiguration) {
            let t = max(tokens, 1)
            x = .allocate(capacity: t * c.hiddenSize)
            qkv = .allocate(capacity: t * max(3 * c.hiddenSize, c.intermediateSize))
            inner = qkv
            context = .allocate(capacity: t * c.hiddenSize)
            projected = .allocate(capacity: t * c.hiddenSize)
            scores = .allocate(capacity: max(longest * longest, 1))
            rowSums = .allocate(capacity: max(longest, 1))
        }

        func deallocate() {
            x.deallocate()
            qkv.deallocate()
            context.deallocate()
            projected.deallocate()
            scores.deallocate()
            rowSums.deallocate()
        }
    }

    /// `tokenTypes` nil means segment 0 everywhere (a single text, as sentence embedding reads it).
    private func run(
        sequences: [[Int32]], tokenTypes: [[Int32]]?, scratch s: inout Scratch, layerCount: Int,
        recorder: CalibrationRecorder? = nil
    ) {
        let c = configuration
        let h = c.hiddenSize
        let total = sequences.reduce(0) { $0 + $1.count }
        guard total > 0 else { return }

        // Embeddings: word + position + token type, then LayerNorm.
        wordEmbeddings.withUnsafeBufferPointer { words in
            positionEmbeddings.withUnsafeBufferPointer { positions in
                typeEmbeddings.withUnsafeBufferPointer { types in
                    var row = 0
                    for (index, sequence) in sequences.enumerated() {
                        for (position, id) in sequence.enumerated() {
                            let tokenID = Int(id) < c.vocabularySize && id >= 0 ? Int(id) : 0
                            let pos = min(position, c.maxPositions - 1)
                            let type = Int(tokenTypes?[index][position] ?? 0)
                            let typeRow = (type >= 0 && type < c.typeVocabularySize ? type : 0) * h
                            let out = s.x + row * h
                            for j in 0..<h {
                                out[j] = words[tokenID * h + j] + positions[pos * h + j] + types[typeRow + j]
                            }
                            row += 1
                        }
                    }
                }
            }
        }
        layerNorm(s.x, rows: total, gain: embeddingNormGain, bias: embeddingNormBias)

        for (index, layer) in layers.prefix(layerCount).enumerated() {
            let probe = recorder.map { LayerProbe(recorder: $0, layer: index) }
            attention(layer, sequences: sequences, scratch: s, total: total, probe: probe)
            feedForward(layer, scratch: s, total: total, probe: probe)
        }
    }

    private func attention(
        _ layer: Layer, sequences: [[Int32]], scratch s: Scratch, total: Int, probe: LayerProbe? = nil
    ) {
        let h = configuration.hiddenSize
        let heads = configuration.heads
        let d = h / heads
        let width = 3 * h
        linear(
            input: s.x, rows: total, inputWidth: h, weight: layer.qkvWeight, bias: layer.qkvBias, output: s.qkv,
            outputWidth: width, quantized: layer.quantized(0))
        probe?.observe(slot: 0, s.x, rows: total, width: h)
        let scale = 1 / Float(d).squareRoot()
        var offset = 0
        for sequence in sequences {
            let length = sequence.count
            for head in 0..<heads {
                let q = s.qkv + offset * width + head * d
                let k = q + h
                let v = q + 2 * h
                cblas_sgemm(
                    CblasRowMajor, CblasNoTrans, CblasTrans, Int32(length), Int32(length), Int32(d),
                    scale, q, Int32(width), k, Int32(width), 0, s.scores, Int32(length))
                // exp(x - max) per row; the division by the row sum is applied to the 32-wide context
                // slice after P·V instead of to the L-wide row of P.
                for r in 0..<length { s.rowSums[r] = VectorMath.expShifted(s.scores + r * length, count: length) }
                let out = s.context + offset * h + head * d
                cblas_sgemm(
                    CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(length), Int32(d), Int32(length),
                    1, s.scores, Int32(length), v, Int32(width), 0, out, Int32(h))
                for r in 0..<length {
                    let inverse = 1 / s.rowSums[r]
                    let row = out + r * h
                    for j in 0..<d { row[j] *= inverse }
                }
            }
            offset += length
        }
        linear(
            input: s.context, rows: total, inputWidth: h, weight: layer.outWeight, bias: layer.outBias,
            output: s.projected, outputWidth: h, quantized: layer.quantized(1))
        probe?.observe(slot: 1, s.context, rows: total, width: h)
        residualLayerNorm(s.x, adding: s.projected, rows: total, gain: layer.norm1Gain, shift: layer.norm1Bias)
    }

    private func feedForward(_ layer: Layer, scratch s: Scratch, total: Int, probe: LayerProbe? = nil) {
        let h = configuration.hiddenSize
        let inner = configuration.intermediateSize
        linear(
            input: s.x, rows: total, inputWidth: h, weight: layer.upWeight, bias: layer.upBias, output: s.inner,
            outputWidth: inner, quantized: layer.quantized(2))
        probe?.observe(slot: 2, s.x, rows: total, width: h)
        gelu(s.inner, count: total * inner, exact: configuration.exactGELU)
        probe?.observe(slot: 3, s.inner, rows: total, width: inner)
        linear(
            input: s.inner, rows: total, inputWidth: inner, weight: layer.downWeight, bias: layer.downBias,
            output: s.projected, outputWidth: h, quantized: layer.quantized(3))
        residualLayerNorm(s.x, adding: s.projected, rows: total, gain: layer.norm2Gain, shift: layer.norm2Bias)
    }

    /// `output = input · weightᵀ + bias`, with `weight` stored `[outputWidth, inputWidth]` as PyTorch does.
    /// The bias is copied into `output` first and sgemm accumulates onto it: measured cheaper than beta = 0
    /// (OpenBLAS then clears the matrix in a pass of its own) followed by a bias pass.
    /// With `quantized` (``EncoderPrecision/int8``) the product is oneDNN's integer GEMM instead.
    private func linear(
        input: UnsafePointer<Float>, rows: Int, inputWidth: Int, weight: [Float], bias: [Float],
        output: UnsafeMutablePointer<Float>, outputWidth: Int, quantized: QuantizedWeight?
    ) {
        if let quantized, let integerGEMM {
            bias.withUnsafeBufferPointer { b in
                integerGEMM.linear(input: input, rows: rows, weight: quantized, bias: b.baseAddress!, output: output)
            }
            return
        }
        bias.withUnsafeBufferPointer { b in
            for r in 0..<rows {
                (output + r * outputWidth).update(from: b.baseAddress!, count: outputWidth)
            }
        }
        weight.withUnsafeBufferPointer { w in
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(outputWidth), Int32(inputWidth),
                1, input, Int32(inputWidth), w.baseAddress, Int32(inputWidth), 1, output, Int32(outputWidth))
        }
    }

    /// `x = LayerNorm(x + delta)` row by row: the post-LN residual step of BERT.
    private func residualLayerNorm(
        _ x: UnsafeMutablePointer<Float>, adding delta: UnsafePointer<Float>, rows: Int, gain: [Float],
        shift: [Float]
    ) {
        let count = rows * configuration.hiddenSize
        for i in 0..<count { x[i] += delta[i] }
        layerNorm(x, rows: rows, gain: gain, bias: shift)
    }

    private func layerNorm(_ x: UnsafeMutablePointer<Float>, rows: Int, gain: [Float], bias: [Float]) {
        let h = configuration.hiddenSize
        let epsilon = configuration.layerNormEpsilon
        gain.withUnsafeBufferPointer { g in
            bias.withUnsafeBufferPointer { b in
                for r in 0..<rows {
                    VectorMath.layerNorm(
                        x + r * h, count: h, gain: g.baseAddress!, bias: b.baseAddress!,
                        epsilon: epsilon)
                }
            }
        }
    }

    private func gelu(_ x: UnsafeMutablePointer<Float>, count: Int, exact: Bool) {
        if exact {
            VectorMath.map(x, count: count, VectorMath.gelu)
        } else {
            let c: Float = 0.79788456080286535588  // sqrt(2/pi)
            for i in 0..<count {
                let v = x[i]
                x[i] = 0.5 * v * (1 + tanhf(c * (v + 0.044715 * v * v * v)))
            }
        }
    }
}
