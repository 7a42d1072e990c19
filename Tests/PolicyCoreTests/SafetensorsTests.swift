import Foundation
import Testing
import PolicyCore
import Sim

/// Reading and writing safetensors files: round trip, a hand-built file as PyTorch writes it, and every error.
@Suite final class SafetensorsTests {
    let directory: String
    static let name = "net.safetensors"

    init() throws {
        directory = NSTemporaryDirectory() + "rival-safetensors-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// A file's bytes: the 8-byte little-endian length of `header`, `header`, then `data` as little-endian F32.
    static func bytes(_ header: String, _ data: [Float]) -> [UInt8] {
        let json = Array(header.utf8)
        var out: [UInt8] = []
        for j in 0..<8 { out.append(UInt8(truncatingIfNeeded: UInt64(json.count) >> (8 * UInt64(j)))) }
        out += json
        for value in data {
            for j in 0..<4 { out.append(UInt8(truncatingIfNeeded: value.bitPattern >> (8 * UInt32(j)))) }
        }
        return out
    }

    /// A one-layer 3 -> 2 network's header (bias at bytes 0..<8, weight at 8..<32), with optional extra fields.
    static func header(metadata: String = #"{"activations":"identity"}"#, weightDtype: String = "F32",
                       weightShape: String = "[2,3]", weightOffsets: String = "[8,32]", extra: String = "") -> String {
        #"{"__metadata__":\#(metadata),"layers.0.bias":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"#
            + #""layers.0.weight":{"dtype":"\#(weightDtype)","shape":\#(weightShape),"#
            + #""data_offsets":\#(weightOffsets)}\#(extra)}"#
    }

    /// Bias (0.5, -1) then weight rows (1, 2, 3) and (-1, 0, 0.25).
    static let data: [Float] = [0.5, -1, 1, 2, 3, -1, 0, 0.25]

    /// The description of the error loading `bytes` raises.
    func loadError(_ bytes: [UInt8], expectedSpecVersion: String? = nil) -> String {
        do {
            let file = try SafetensorsFile(bytes: bytes, file: Self.name)
            let p = try MLPParameters(safetensors: file, file: Self.name, expectedSpecVersion: expectedSpecVersion)
            Issue.record("loaded \(p.layerSizes) but should have failed")
            return ""
        } catch {
            #expect(error.file == Self.name)
            return error.description
        }
    }

    @Test func handBuiltFileAsPyTorchWritesIt() throws {
        // PyTorch's safetensors.torch.save_file writes the keys sorted and the data in that order.
        let p = try MLPParameters(safetensors: SafetensorsFile(bytes: Self.bytes(Self.header(), Self.data),
                                                                file: Self.name), file: Self.name)
        #expect(p.layerSizes == [3, 2])
        #expect(p.activations == [.identity])
        #expect(p.weights == [[1, 2, 3, -1, 0, 0.25]])
        #expect(p.biases == [[0.5, -1]])
        #expect(p.inputMean == [0, 0, 0] && p.inputStd == [1, 1, 1])
        let y = MLP(p).forward([1, 1, 4])
        let expected: [Float] = [15.5, -1]  // 0.5 + 1 + 2 + 12 and -1 - 1 + 0 + 1
        #expect(y == expected)
    }

    @Test func roundTrip() throws {
        var p = MLPTests.network([10, 12, 8, 2], [.tanh, .relu, .identity])
        p.metadata = [MLPMetadataKey.specVersion: "1", MLPMetadataKey.provenance: "test \"quoted\"\nline 2"]
        let path = directory + "/round.safetensors"
        try MLP(p).write(to: path)
        let loaded = try MLP(safetensors: path, expectedSpecVersion: "1")
        #expect(loaded.parameters == p)
        let x = MLPTests.inputs(p, count: 1)
        #expect(loaded.forward(x) == MLP(p).forward(x))
        let raw = try #require(FileManager.default.contents(atPath: path))
        let headerLength = raw.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect(headerLength % 8 == 0)
        let file = try SafetensorsFile(path: path)
        #expect(file.metadata[MLPMetadataKey.layerSizes] == "10,12,8,2")
        #expect(file.metadata[MLPMetadataKey.activations] == "tanh,relu,identity")
        #expect(file.tensors["layers.1.weight"]?.shape == [8, 12])
        #expect(try SafetensorsFile(bytes: file.serialized(), file: "x") == file)
    }

    @Test func missingFile() {
        let path = directory + "/none.safetensors"
        #expect(throws: LoadError(file: path, expected: "file not found or unreadable")) {
            try MLP(safetensors: path)
        }
    }

    @Test func fileTooShort() {
        #expect(loadError([1, 0, 0]) == "net.safetensors: 3 bytes: a safetensors file starts with an 8-byte header length")
    }

    @Test func headerLengthBeyondFile() {
        var bytes = Self.bytes(Self.header(), Self.data)
        bytes[0] = 0xFF
        bytes[1] = 0xFF
        #expect(loadError(bytes).hasPrefix("net.safetensors: header length: 65535: at most the"))
    }

    @Test func headerNotJSON() {
        #expect(loadError(Self.bytes("{\"layers.0.bias\": [", [])) == "net.safetensors: header: valid JSON")
        #expect(loadError(Self.bytes(#"{"layers.0.bias":{"dtype":"F32","shape":"2","data_offsets":[0,8]}}"#, []))
            == "net.safetensors: header.layers.0.bias.shape: expected a JSON array")
        #expect(loadError(Self.bytes(#"{"layers.0.bias":{"dtype":"F32","shape":[2]}}"#, []))
            == "net.safetensors: header.layers.0.bias.data_offsets: missing")
    }

    @Test func missingTensor() {
        let header = #"{"__metadata__":{"activations":"identity"},"layers.0.weight":{"dtype":"F32","shape":[2,3],"#
            + #""data_offsets":[0,24]}}"#
        #expect(loadError(Self.bytes(header, Array(Self.data[2...]))) == "net.safetensors: layers.0.bias: tensor missing")
        #expect(loadError(Self.bytes("{}", [])) == "net.safetensors: layers.0.weight: tensor missing")
    }

    @Test func wrongDtype() {
        #expect(loadError(Self.bytes(Self.header(weightDtype: "F16"), Self.data))
            == "net.safetensors: layers.0.weight.dtype: F16: F32 (only 32-bit floats are supported)")
    }

    @Test func shapeMismatchBetweenLayers() {
        let header = #"{"__metadata__":{"activations":"tanh,identity"},"#
            + #""layers.0.bias":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"#
            + #""layers.0.weight":{"dtype":"F32","shape":[2,3],"data_offsets":[8,32]},"#
            + #""layers.1.bias":{"dtype":"F32","shape":[1],"data_offsets":[32,36]},"#
            + #""layers.1.weight":{"dtype":"F32","shape":[1,4],"data_offsets":[36,52]}}"#
        #expect(loadError(Self.bytes(header, Self.data + [0, 1, 2, 3, 4]))
            == "net.safetensors: layers.1.weight: [1, 4]: 2 inputs to follow layers.0.weight [2, 3]")
        let badBias = Self.header().replacingOccurrences(of: #""shape":[2],"data_offsets":[0,8]"#,
                                                         with: #""shape":[1,2],"data_offsets":[0,8]"#)
        #expect(loadError(Self.bytes(badBias, Self.data))
            == "net.safetensors: layers.0.bias: [1, 2]: [2] to match layers.0.weight [2, 3]")
    }

    @Test func offsetsOutOfRangeOrOverlapping() {
        #expect(loadError(Self.bytes(Self.header(weightOffsets: "[8,28]"), Self.data))
            == "net.safetensors: layers.0.weight.data_offsets: [8, 28]: [begin, end] with end - begin = 4 x 6 bytes "
            + "for shape [2, 3]")
        #expect(loadError(Self.bytes(Self.header(weightOffsets: "[32,8]"), Self.data))
            == "net.safetensors: layers.0.weight.data_offsets: [32, 8]: [begin, end] with end - begin = 4 x 6 bytes "
            + "for shape [2, 3]")
        #expect(loadError(Self.bytes(Self.header(weightOffsets: "[4,28]"), Self.data))
            == "net.safetensors: layers.0.weight.data_offsets: [4, 28]: no overlap with layers.0.bias [0, 8]")
    }

    @Test func impossibleShapes() {
        #expect(loadError(Self.bytes(Self.header(weightShape: "[2,-3]"), Self.data))
            == "net.safetensors: layers.0.weight.shape: [2, -3]: non-negative dimensions of a tensor that fits in memory")
        #expect(loadError(Self.bytes(Self.header(weightShape: "[4294967296,4294967296]"), Self.data))
            == "net.safetensors: layers.0.weight.shape: [4294967296, 4294967296]: non-negative dimensions of a tensor "
            + "that fits in memory")
    }

    @Test func truncatedData() {
        #expect(loadError(Self.bytes(Self.header(), Array(Self.data.prefix(7))))
            == "net.safetensors: layers.0.weight.data_offsets: [8, 32]: data truncated: the file holds only 28 bytes "
            + "of data")
    }

    @Test func specVersion() throws {
        let versioned = Self.header(metadata: #"{"activations":"identity","observation_spec_version":"2"}"#)
        #expect(loadError(Self.bytes(versioned, Self.data), expectedSpecVersion: "1")
            == "net.safetensors: __metadata__.observation_spec_version: 2: observation spec version 1")
        #expect(loadError(Self.bytes(Self.header(), Self.data), expectedSpecVersion: "1")
            == "net.safetensors: __metadata__.observation_spec_version: observation spec version 1 (missing)")
        let p = try MLPParameters(safetensors: SafetensorsFile(bytes: Self.bytes(versioned, Self.data), file: "x"),
                                  file: "x", expectedSpecVersion: "2")
        #expect(p.metadata == [MLPMetadataKey.specVersion: "2"])
    }

    @Test func nonFiniteWeights() {
        var data = Self.data
        data[4] = .nan
        #expect(loadError(Self.bytes(Self.header(), data)) == "net.safetensors: layers.0.weight[2]: nan: a finite number")
        data[4] = -.infinity
        #expect(loadError(Self.bytes(Self.header(), data)) == "net.safetensors: layers.0.weight[2]: -inf: a finite number")
    }

    @Test func metadataProblems() {
        #expect(loadError(Self.bytes(Self.header(metadata: "{}"), Self.data))
            == "net.safetensors: __metadata__.activations: missing (for example \"tanh,tanh,identity\", one per layer)")
        #expect(loadError(Self.bytes(Self.header(metadata: #"{"activations":"sigmoid"}"#), Self.data))
            == "net.safetensors: __metadata__.activations: sigmoid: tanh, relu or identity")
        #expect(loadError(Self.bytes(Self.header(metadata: #"{"activations":"tanh,tanh"}"#), Self.data))
            == "net.safetensors: __metadata__.activations: tanh,tanh: 1 activations, one per layer")
        #expect(loadError(Self.bytes(Self.header(metadata: #"{"activations":"tanh","layer_sizes":"3,4"}"#), Self.data))
            == "net.safetensors: __metadata__.layer_sizes: 3,4: 3,2 as the tensors give")
    }

    @Test func normalisationShapeAndSign() {
        let mean = #","input.mean":{"dtype":"F32","shape":[2],"data_offsets":[32,40]}"#
        #expect(loadError(Self.bytes(Self.header(extra: mean), Self.data + [0, 0]))
            == "net.safetensors: input.mean: [2]: [3]")
        let std = #","input.std":{"dtype":"F32","shape":[3],"data_offsets":[32,44]}"#
        #expect(loadError(Self.bytes(Self.header(extra: std), Self.data + [1, 0, 1]))
            == "net.safetensors: input.std[1]: 0.0: a positive standard deviation")
    }
}
