import CBLAS
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The arithmetic of the encoder's linear layers (`EMBEDDING_PRECISION`).
public enum EncoderPrecision: String, Sendable, CaseIterable {
    /// float32 on OpenBLAS `sgemm`: golden-exact against the reference library.
    case float32
    /// Dynamic quantization as ONNX Runtime's quantized path does it: each weight row in 8 bits with its own
    /// scale (made once at load), each activation row in 8 bits with its own scale (made per pass), products
    /// summed in 32-bit integers by oneDNN's `gemm_u8s8s32` (AVX2 / AVX-512 VNNI kernels), then scaled back.
    /// Attention, GELU and LayerNorm stay float32. Needs oneDNN at run time (Debian: `libdnnl2`).
    case int8
}

/// One linear layer's weight `[rows, columns]` as signed bytes, row `r` being `values[r] × scales[r]`, except its
/// outlier input columns (``BertEncoder`` finds them once per model), which stay float32 in `outlierWeight`.
struct QuantizedWeight: Sendable {
    let rows: Int
    let columns: Int
    let values: [Int8]
    let scales: [Float]
    /// Input columns multiplied in float32, ascending.
    let outliers: [Int]
    /// `[rows, outliers.count]`: those columns of the float weight, gathered.
    let outlierWeight: [Float]

    /// Symmetric per-row quantization to `levels` (127 for 8 bits; 63 where the CPU lacks VNNI, see
    /// ``OneDNN/weightLevels``) of every column but `outliers`, whose bytes are zero.
    init(_ weight: [Float], rows: Int, columns: Int, levels: Float, outliers: [Int] = []) {
        self.rows = rows
        self.columns = columns
        self.outliers = outliers
        var isOutlier = [Bool](repeating: false, count: columns)
        for c in outliers { isOutlier[c] = true }
        var values = [Int8](repeating: 0, count: rows * columns)
        var scales = [Float](repeating: 1, count: rows)
        var gathered = [Float](repeating: 0, count: rows * outliers.count)
        for r in 0..<rows {
            var largest: Float = 0
            for c in 0..<columns where !isOutlier[c] { largest = max(largest, abs(weight[r * columns + c])) }
            let scale = largest > 0 ? largest / levels : 1
            scales[r] = scale
            for c in 0..<columns where !isOutlier[c] {
                values[r * columns + c] = Int8((weight[r * columns + c] / scale).rounded())
            }
            for (slot, c) in outliers.enumerated() { gathered[r * outliers.count + slot] = weight[r * columns + c] }
        }
        self.values = values
        self.scales = scales
        outlierWeight = gathered
    }
}

/// The largest magnitude of each input column of each linear layer over a calibration pass (``BertEncoder``).
final class CalibrationRecorder {
    private var largest: [[[Float]]]
    private var magnitudeSums: [[Double]]
    private var counts: [[Int]]

    init(layers: Int) {
        largest = Array(repeating: Array(repeating: [], count: 4), count: layers)
        magnitudeSums = Array(repeating: Array(repeating: 0, count: 4), count: layers)
        counts = Array(repeating: Array(repeating: 0, count: 4), count: layers)
    }

    func observe(layer: Int, slot: Int, _ input: UnsafePointer<Float>, rows: Int, width: Int) {
        if largest[layer][slot].isEmpty { largest[layer][slot] = Array(repeating: 0, count: width) }
        for r in 0..<rows {
            for c in 0..<width {
                let magnitude = abs(input[r * width + c])
                largest[layer][slot][c] = max(largest[layer][slot][c], magnitude)
                magnitudeSums[layer][slot] += Double(magnitude)
            }
        }
        counts[layer][slot] += rows * width
    }

    /// Per layer and slot, the columns whose largest magnitude is over `ratio` times the mean magnitude of all
    /// values seen, at most 16 of them (the largest).
    func columns(ratio: Float) -> [[[Int]]] {
        largest.indices.map { layer in
            (0..<4).map { slot in
                let mean = Float(magnitudeSums[layer][slot] / Double(max(counts[layer][slot], 1)))
                let candidates = largest[layer][slot].indices.filter { largest[layer][slot][$0] > ratio * mean }
                return candidates.sorted { largest[layer][slot][$0] > largest[layer][slot][$1] }.prefix(16).sorted()
            }
        }
    }
}

/// oneDNN's integer GEMM, loaded at run time so that only a deployment that asks for int8 needs the library.
final class OneDNN: Sendable {
    private typealias GemmU8S8S32 =
        @convention(c) (
            CChar, CChar, CChar, Int64, Int64, Int64, Float, UnsafePointer<UInt8>?, Int64, UInt8,
            UnsafePointer<Int8>?, Int64, Int8, Float, UnsafeMutablePointer<Int32>?, Int64, UnsafePointer<Int32>?
        ) -> Int32

    private let gemm: GemmU8S8S32
    /// Weight levels: 127 with VNNI (`vpdpbusd` sums u8 x s8 products in 32 bits); 63 without it, where AVX2's
    /// `vpmaddubsw` adds two u8 x s8 products in a saturating 16-bit lane (255 x 127 x 2 would overflow it), as
    /// ONNX Runtime's `reduce_range` does.
    let weightLevels: Float

    /// The library, loaded once; the error says what to install.
    static let shared: Result<OneDNN, EmbedError> = Result { () throws(EmbedError) in try OneDNN() }

    private init() throws(EmbedError) {
        // oneDNN runs on OpenMP, whose runtime reads its thread count once, when it loads: one thread per call,
        // since the embedder already runs one batch per core (BertEmbedder).
        setenv("OMP_NUM_THREADS", "1", 1)
        guard let handle = dlopen("libdnnl.so.2", RTLD_NOW | RTLD_LOCAL) ?? dlopen("libdnnl.so", RTLD_NOW | RTLD_LOCAL)
        else {
            throw EmbedError(
                .modelFileMissing,
                "EMBEDDING_PRECISION=int8 needs oneDNN (libdnnl.so.2; Debian: apt install libdnnl2), which was not found"
            )
        }
        guard let symbol = dlsym(handle, "dnnl_gemm_u8s8s32") else {
            throw EmbedError(.modelFileMissing, "libdnnl.so.2 has no dnnl_gemm_u8s8s32")
        }
        gemm = unsafeBitCast(symbol, to: GemmU8S8S32.self)
        // The kernel oneDNN will run decides, not the CPU's flags: `ONEDNN_MAX_CPU_ISA` (or a oneDNN built without
        // VNNI kernels) can hold a VNNI CPU to AVX2's saturating instructions, and 127 levels would then overflow.
        let effectiveISA = dlsym(handle, "dnnl_get_effective_cpu_isa").map {
            unsafeBitCast($0, to: (@convention(c) () -> UInt32).self)()
        }
        weightLevels = Self.levels(effectiveISA: effectiveISA)
    }

    /// The weight levels for what `dnnl_get_effective_cpu_isa` answered (`dnnl_cpu_isa_t`: 0x7 AVX2, 0x27 AVX-512,
    /// 0x67 AVX-512 VNNI, 0x407 AVX2 VNNI, ...; nil when the library lacks the call): 127 when the ISA has a VNNI
    /// bit (`avx512_core_vnni` 1 << 6, `avx2_vnni` 1 << 10, which every later ISA includes), else 63; 63 too when
    /// the ISA is unknown, as saturation is the worse error.
    static func levels(effectiveISA: UInt32?) -> Float {
        guard let isa = effectiveISA else { return 63 }
        return isa & (1 << 6 | 1 << 10) != 0 ? 127 : 63
    }

    /// `output[r, j] = bias[j] + Σ_c input[r, c] × weight[j, c]`.
    ///
    /// BERT's hidden states carry a few outlier dimensions, tens of times larger than the rest in every token
    /// (LLM.int8(), Dettmers et al. 2022): a row scale set by them leaves the other dimensions a handful of levels,
    /// which cost golden vectors up to 0.014 of cosine. So the weight's outlier columns are multiplied in float32
    /// (one thin `sgemm`), and the rest in 8 bits: each row becomes `round(x / s) + 128` in `0...255` with
    /// `s = max |x| / 127` over its other columns, oneDNN subtracts the 128 back (its `ao`) while it sums the
    /// products in 32 bits, and each sum is scaled by `s × weight.scales[j]`.
    func linear(
        input: UnsafePointer<Float>, rows: Int, weight: QuantizedWeight, bias: UnsafePointer<Float>,
        output: UnsafeMutablePointer<Float>
    ) {
        let k = weight.columns
        let n = weight.rows
        let width = weight.outliers.count
        let codes = UnsafeMutablePointer<UInt8>.allocate(capacity: rows * k)
        let sums = UnsafeMutablePointer<Int32>.allocate(capacity: rows * n)
        let rowScales = UnsafeMutablePointer<Float>.allocate(capacity: rows)
        let outlierValues = UnsafeMutablePointer<Float>.allocate(capacity: max(rows * width, 1))
        defer {
            codes.deallocate()
            sums.deallocate()
            rowScales.deallocate()
            outlierValues.deallocate()
        }
        weight.outliers.withUnsafeBufferPointer { outliers in
            for r in 0..<rows {
                let row = input + r * k
                // The outliers' values go to the float side: they are left out of the scale and coded as the zero
                // point. `outliers` is ascending, so one pass walks it beside the columns.
                for (slot, c) in outliers.enumerated() { outlierValues[r * width + slot] = row[c] }
                var largest: Float = 0
                var next = 0
                for c in 0..<k {
                    if next < width && outliers[next] == c {
                        next += 1
                        continue
                    }
                    largest = max(largest, abs(row[c]))
                }
                let scale = largest > 0 ? largest / 127 : 1
                rowScales[r] = scale
                let inverse = 1 / scale
                let target = codes + r * k
                for c in 0..<k { target[c] = UInt8(min(max((row[c] * inverse).rounded(), -127), 127) + 128) }
                for c in outliers { target[c] = 128 }
            }
        }
        var offset: Int32 = 0
        let status = weight.values.withUnsafeBufferPointer { w in
            gemm(
                CChar(UInt8(ascii: "N")), CChar(UInt8(ascii: "T")), CChar(UInt8(ascii: "F")), Int64(rows), Int64(n),
                Int64(k), 1, codes, Int64(k), 128, w.baseAddress, Int64(k), 0, 0, sums, Int64(n), &offset)
        }
        precondition(status == 0, "dnnl_gemm_u8s8s32 failed with status \(status)")
        weight.scales.withUnsafeBufferPointer { scales in
            for r in 0..<rows {
                let scale = rowScales[r]
                let out = output + r * n
                let sum = sums + r * n
                for j in 0..<n { out[j] = bias[j] + Float(sum[j]) * scale * scales[j] }
            }
        }
        guard width > 0 else { return }
        weight.outlierWeight.withUnsafeBufferPointer { w in
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(n), Int32(width), 1, outlierValues,
                Int32(width), w.baseAddress, Int32(width), 1, output, Int32(n))
        }
    }

    /// A column is an outlier when its largest magnitude in calibration is over this many times the mean.
    static let outlierRatio: Float = 6
}
