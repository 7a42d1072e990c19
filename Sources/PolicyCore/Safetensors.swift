import Foundation
import Sim

/// One Float32 tensor of a safetensors file: its shape and its values in row-major order.
public struct SafetensorsTensor: Sendable, Equatable {
    /// Dimensions, outermost first (empty for a scalar).
    public var shape: [Int]
    /// `shape.reduce(1, *)` values, row-major.
    public var values: [Float]

    /// A tensor; `values.count` must equal the product of `shape`.
    public init(shape: [Int], values: [Float]) {
        precondition(shape.reduce(1, *) == values.count, "shape \(shape) needs \(shape.reduce(1, *)) values")
        self.shape = shape
        self.values = values
    }
}

/// The safetensors format (Hugging Face): an 8-byte little-endian header length `n`, `n` bytes of JSON header
/// mapping each tensor name to `{"dtype":"F32","shape":[...],"data_offsets":[begin,end]}` (byte offsets into the
/// data that follows the header) plus an optional `"__metadata__"` string-to-string map, then the little-endian
/// tensor data. Only `F32` tensors are supported.
///
/// Reading checks: file length, header length, JSON validity and types, dtype, offsets (in range, consistent with
/// the shape, not overlapping) and truncation, and reports each problem as a `LoadError` naming the file and the
/// tensor. Writing sorts tensors by name, packs them without gaps and pads the header with spaces to a multiple
/// of 8 bytes, as the reference implementation does.
public struct SafetensorsFile: Sendable, Equatable {
    /// Tensors by name.
    public var tensors: [String: SafetensorsTensor]
    /// The `__metadata__` map (empty when absent).
    public var metadata: [String: String]

    /// A file's contents.
    public init(tensors: [String: SafetensorsTensor] = [:], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// Reads and checks the file at `path`.
    public init(path: String) throws(LoadError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LoadError(file: path, expected: "file not found or unreadable")
        }
        try self.init(bytes: [UInt8](data), file: path)
    }

    /// Parses and checks safetensors `bytes`; `file` names the source in errors.
    public init(bytes: [UInt8], file: String) throws(LoadError) {
        guard bytes.count >= 8 else {
            throw LoadError(file: file, value: "\(bytes.count) bytes",
                            expected: "a safetensors file starts with an 8-byte header length")
        }
        var headerLength: UInt64 = 0
        for j in 0..<8 { headerLength |= UInt64(bytes[j]) << (8 * UInt64(j)) }
        guard headerLength <= UInt64(bytes.count - 8) else {
            throw LoadError(file: file, location: "header length", value: "\(headerLength)",
                            expected: "at most the \(bytes.count - 8) bytes after the length field")
        }
        let dataStart = 8 + Int(headerLength)
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: Data(bytes[8..<dataStart]))
        } catch let DecodingError.dataCorrupted(context) where context.codingPath.isEmpty {
            throw LoadError(file: file, location: "header", expected: "valid JSON")
        } catch let error as DecodingError {
            let (path, message) = Self.describe(error)
            throw LoadError(file: file, location: "header" + (path.isEmpty ? "" : ".\(path)"), expected: message)
        } catch {
            throw LoadError(file: file, location: "header", expected: "valid JSON")
        }
        let dataLength = bytes.count - dataStart
        var tensors: [String: SafetensorsTensor] = [:]
        var ranges: [(name: String, begin: Int, end: Int)] = []
        for (name, entry) in header.entries.sorted(by: { $0.key < $1.key }) {
            guard entry.dtype == "F32" else {
                throw LoadError(file: file, location: "\(name).dtype", value: entry.dtype,
                                expected: "F32 (only 32-bit floats are supported)")
            }
            var elementCount = 1, overflow = false
            for dimension in entry.shape {
                let (product, overflowed) = elementCount.multipliedReportingOverflow(by: dimension)
                elementCount = product
                overflow = overflow || overflowed || dimension < 0
            }
            guard !overflow, elementCount <= Int.max / 4 else {
                throw LoadError(file: file, location: "\(name).shape", value: "\(entry.shape)",
                                expected: "non-negative dimensions of a tensor that fits in memory")
            }
            let offsets = entry.dataOffsets
            guard offsets.count == 2, offsets[0] >= 0, offsets[0] <= offsets[1],
                  offsets[1] - offsets[0] == elementCount * 4 else {
                throw LoadError(file: file, location: "\(name).data_offsets", value: "\(offsets)",
                                expected: "[begin, end] with end - begin = 4 x \(elementCount) bytes for shape "
                                    + "\(entry.shape)")
            }
            guard offsets[1] <= dataLength else {
                throw LoadError(file: file, location: "\(name).data_offsets", value: "\(offsets)",
                                expected: "data truncated: the file holds only \(dataLength) bytes of data")
            }
            ranges.append((name, offsets[0], offsets[1]))
            var values = [Float](repeating: 0, count: elementCount)
            let base = dataStart + offsets[0]
            for v in 0..<elementCount {
                let p = base + 4 * v
                let bits = UInt32(bytes[p]) | UInt32(bytes[p + 1]) << 8 | UInt32(bytes[p + 2]) << 16
                    | UInt32(bytes[p + 3]) << 24
                values[v] = Float(bitPattern: bits)
            }
            tensors[name] = SafetensorsTensor(shape: entry.shape, values: values)
        }
        ranges.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }
        for (a, b) in zip(ranges, ranges.dropFirst()) where b.begin < a.end {
            throw LoadError(file: file, location: "\(b.name).data_offsets", value: "[\(b.begin), \(b.end)]",
                            expected: "no overlap with \(a.name) [\(a.begin), \(a.end)]")
        }
        self.tensors = tensors
        metadata = header.metadata
    }

    /// The file's bytes: header length, header JSON (keys sorted, padded with spaces to a multiple of 8), data.
    public func serialized() -> [UInt8] {
        var json = "{"
        var parts: [String] = []
        if !metadata.isEmpty {
            let items = metadata.sorted { $0.key < $1.key }.map { "\(JSONFile.quote($0.key)):\(JSONFile.quote($0.value))" }
            parts.append("\"__metadata__\":{\(items.joined(separator: ","))}")
        }
        var offset = 0
        let names = tensors.keys.sorted()
        for name in names {
            let tensor = tensors[name]!
            let end = offset + 4 * tensor.values.count
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            parts.append("\(JSONFile.quote(name)):{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        json += parts.joined(separator: ",") + "}"
        var header = Array(json.utf8)
        while header.count % 8 != 0 { header.append(0x20) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + header.count + offset)
        let length = UInt64(header.count)
        for j in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: length >> (8 * UInt64(j)))) }
        bytes += header
        for name in names {
            for value in tensors[name]!.values {
                let bits = value.bitPattern
                for j in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt32(j)))) }
            }
        }
        return bytes
    }

    /// Writes ``serialized()`` to `path`, replacing any file there.
    public func write(to path: String) throws(LoadError) {
        do {
            try Data(serialized()).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw LoadError(file: path, expected: "writable (\(error.localizedDescription))")
        }
    }

    /// A coding path and message for a JSON decoding error.
    private static func describe(_ error: DecodingError) -> (String, String) {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return (path(context.codingPath + [key]), "missing")
        case .typeMismatch(let type, let context):
            return (path(context.codingPath), "expected " + typeName(type))
        case .valueNotFound(let type, let context):
            return (path(context.codingPath), "expected " + typeName(type) + ", found null")
        case .dataCorrupted(let context):
            return (path(context.codingPath), context.debugDescription)
        @unknown default:
            return ("", "not a valid safetensors header")
        }
    }

    /// A JSON word for a Swift type named in a decoding error.
    private static func typeName(_ type: Any.Type) -> String {
        let name = "\(type)"
        if name.hasPrefix("Array") { return "a JSON array" }
        if name.hasPrefix("Dictionary") { return "a JSON object" }
        if name == "String" { return "a string" }
        if name == "Int" { return "an integer" }
        return name
    }

    /// The JSON header: tensor entries by name and the optional metadata.
    private struct Header: Decodable {
        var entries: [String: Entry] = [:]
        var metadata: [String: String] = [:]

        struct Entry: Decodable {
            var dtype: String
            var shape: [Int]
            var dataOffsets: [Int]
            enum CodingKeys: String, CodingKey {
                case dtype, shape
                case dataOffsets = "data_offsets"
            }
        }

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Key.self)
            for key in container.allKeys {
                if key.stringValue == "__metadata__" {
                    metadata = try container.decode([String: String].self, forKey: key)
                } else {
                    entries[key.stringValue] = try container.decode(Entry.self, forKey: key)
                }
            }
        }
    }
}

/// Tensor names of a policy network in a safetensors file (PyTorch's `nn.Linear` convention, row-major):
///
/// | name | shape | meaning |
/// |---|---|---|
/// | `layers.K.weight` | `[out, in]` | layer K's weight, K = 0, 1, ... with no gaps |
/// | `layers.K.bias` | `[out]` | layer K's bias |
/// | `input.mean` | `[inputs]` | subtracted from the raw input (optional, default 0) |
/// | `input.std` | `[inputs]` | divides the centred input (optional, default 1; must be positive) |
/// | `output.scale` | `[outputs]` | multiplies the last activation (optional, default 1) |
/// | `output.offset` | `[outputs]` | added after scaling (optional, default 0) |
///
/// Metadata (``MLPMetadataKey``): `activations` (required, for example `"tanh,tanh,identity"`), `layer_sizes`
/// (checked against the tensors when present), `observation_spec_version` and `provenance` (free text).
/// A PyTorch `nn.Sequential` exports with `safetensors.torch.save_file` after renaming its `0.weight`,
/// `2.weight`, ... to `layers.0.weight`, `layers.1.weight`, ... and adding the metadata.
public enum MLPTensorName {
    /// Layer `k`'s weight, `[out, in]`.
    public static func weight(_ k: Int) -> String { "layers.\(k).weight" }
    /// Layer `k`'s bias, `[out]`.
    public static func bias(_ k: Int) -> String { "layers.\(k).bias" }
    /// The input mean, `[inputs]`.
    public static let inputMean = "input.mean"
    /// The input standard deviation, `[inputs]`.
    public static let inputStd = "input.std"
    /// The output scale, `[outputs]`.
    public static let outputScale = "output.scale"
    /// The output offset, `[outputs]`.
    public static let outputOffset = "output.offset"
}

extension MLPParameters {
    /// The network in a safetensors file (see ``MLPTensorName`` for the names); `file` names it in errors.
    ///
    /// Throws when a layer tensor is missing, a weight is not 2-D or a bias not 1-D, consecutive layers' shapes
    /// do not chain, a normalisation or scaling tensor has the wrong length, the activations metadata is missing
    /// or unknown, `layer_sizes` disagrees with the tensors, any value is not finite, a standard deviation is not
    /// positive, or `expectedSpecVersion` is given and the file's `observation_spec_version` differs. A file of
    /// ``ObservationSpec/version1`` or ``ObservationSpec/version2`` where the current version is expected loads
    /// upgraded (``upgradedToCurrentSpec()``: the same weights).
    public init(safetensors contents: SafetensorsFile, file: String, expectedSpecVersion: String? = nil)
        throws(LoadError) {
        let tensors = contents.tensors
        func require(_ name: String) throws(LoadError) -> SafetensorsTensor {
            guard let tensor = tensors[name] else {
                throw LoadError(file: file, location: name, expected: "tensor missing")
            }
            return tensor
        }
        var layerCount = 0
        while tensors[MLPTensorName.weight(layerCount)] != nil { layerCount += 1 }
        guard layerCount > 0 else {
            throw LoadError(file: file, location: MLPTensorName.weight(0), expected: "tensor missing")
        }
        var sizes: [Int] = []
        var weights: [[Float]] = [], biases: [[Float]] = []
        for k in 0..<layerCount {
            let name = MLPTensorName.weight(k)
            let weight = try require(name)
            guard weight.shape.count == 2, weight.shape[0] > 0, weight.shape[1] > 0 else {
                throw LoadError(file: file, location: name, value: "\(weight.shape)", expected: "shape [out, in]")
            }
            if k == 0 {
                sizes.append(weight.shape[1])
            } else if weight.shape[1] != sizes[k] {
                let previous = MLPTensorName.weight(k - 1)
                throw LoadError(file: file, location: name, value: "\(weight.shape)",
                                expected: "\(sizes[k]) inputs to follow \(previous) \(tensors[previous]!.shape)")
            }
            sizes.append(weight.shape[0])
            let biasName = MLPTensorName.bias(k)
            let bias = try require(biasName)
            guard bias.shape == [weight.shape[0]] else {
                throw LoadError(file: file, location: biasName, value: "\(bias.shape)",
                                expected: "[\(weight.shape[0])] to match \(name) \(weight.shape)")
            }
            weights.append(weight.values)
            biases.append(bias.values)
        }
        let metadata = contents.metadata
        guard let activationText = metadata[MLPMetadataKey.activations] else {
            throw LoadError(file: file, location: "__metadata__.\(MLPMetadataKey.activations)",
                            expected: "missing (for example \"tanh,tanh,identity\", one per layer)")
        }
        var activations: [Activation] = []
        for item in activationText.split(separator: ",", omittingEmptySubsequences: false) {
            let word = item.trimmingCharacters(in: .whitespaces)
            guard let activation = Activation(rawValue: word) else {
                throw LoadError(file: file, location: "__metadata__.\(MLPMetadataKey.activations)", value: word,
                                expected: "tanh, relu or identity")
            }
            activations.append(activation)
        }
        guard activations.count == layerCount else {
            throw LoadError(file: file, location: "__metadata__.\(MLPMetadataKey.activations)", value: activationText,
                            expected: "\(layerCount) activations, one per layer")
        }
        if let sizeText = metadata[MLPMetadataKey.layerSizes] {
            let listed = sizeText.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard listed == sizes.map(Optional.some) else {
                throw LoadError(file: file, location: "__metadata__.\(MLPMetadataKey.layerSizes)", value: sizeText,
                                expected: "\(sizes.map(String.init).joined(separator: ",")) as the tensors give")
            }
        }
        // A network of an earlier spec where the current one is expected loads upgraded (the same weights).
        let upgrades = expectedSpecVersion == ObservationSpec.version
            && ObservationSpec.upgrades(from: metadata[MLPMetadataKey.specVersion], inputCount: sizes[0])
        if let expectedSpecVersion, !upgrades {
            let found = metadata[MLPMetadataKey.specVersion]
            guard found == expectedSpecVersion else {
                throw LoadError(file: file, location: "__metadata__.\(MLPMetadataKey.specVersion)",
                                value: found ?? "", expected: "observation spec version \(expectedSpecVersion)"
                                    + (found == nil ? " (missing)" : ""))
            }
        }
        func vector(_ name: String, _ count: Int, _ fill: Float) throws(LoadError) -> [Float] {
            guard let tensor = tensors[name] else { return [Float](repeating: fill, count: count) }
            guard tensor.shape == [count] else {
                throw LoadError(file: file, location: name, value: "\(tensor.shape)", expected: "[\(count)]")
            }
            return tensor.values
        }
        var parameters = MLPParameters(layerSizes: sizes, activations: activations)
        parameters.weights = weights
        parameters.biases = biases
        parameters.inputMean = try vector(MLPTensorName.inputMean, sizes[0], 0)
        parameters.inputStd = try vector(MLPTensorName.inputStd, sizes[0], 1)
        parameters.outputScale = try vector(MLPTensorName.outputScale, sizes[layerCount], 1)
        parameters.outputOffset = try vector(MLPTensorName.outputOffset, sizes[layerCount], 0)
        for (name, tensor) in tensors.sorted(by: { $0.key < $1.key }) {
            if let index = tensor.values.firstIndex(where: { !$0.isFinite }) {
                throw LoadError(file: file, location: "\(name)[\(index)]", value: "\(tensor.values[index])",
                                expected: "a finite number")
            }
        }
        if let index = parameters.inputStd.firstIndex(where: { $0 <= 0 }) {
            throw LoadError(file: file, location: "\(MLPTensorName.inputStd)[\(index)]",
                            value: "\(parameters.inputStd[index])", expected: "a positive standard deviation")
        }
        parameters.metadata = metadata.filter {
            $0.key != MLPMetadataKey.activations && $0.key != MLPMetadataKey.layerSizes
        }
        self = upgrades ? parameters.upgradedToCurrentSpec()! : parameters
    }

    /// The network as a safetensors file: every tensor of ``MLPTensorName`` plus the metadata, with
    /// `layer_sizes` and `activations` written from the parameters.
    public var safetensors: SafetensorsFile {
        var tensors: [String: SafetensorsTensor] = [:]
        for k in 0..<layerCount {
            tensors[MLPTensorName.weight(k)] = SafetensorsTensor(shape: [layerSizes[k + 1], layerSizes[k]],
                                                                 values: weights[k])
            tensors[MLPTensorName.bias(k)] = SafetensorsTensor(shape: [layerSizes[k + 1]], values: biases[k])
        }
        tensors[MLPTensorName.inputMean] = SafetensorsTensor(shape: [inputCount], values: inputMean)
        tensors[MLPTensorName.inputStd] = SafetensorsTensor(shape: [inputCount], values: inputStd)
        tensors[MLPTensorName.outputScale] = SafetensorsTensor(shape: [outputCount], values: outputScale)
        tensors[MLPTensorName.outputOffset] = SafetensorsTensor(shape: [outputCount], values: outputOffset)
        var metadata = self.metadata
        metadata[MLPMetadataKey.layerSizes] = layerSizes.map(String.init).joined(separator: ",")
        metadata[MLPMetadataKey.activations] = activations.map(\.rawValue).joined(separator: ",")
        return SafetensorsFile(tensors: tensors, metadata: metadata)
    }
}

extension MLP {
    /// Loads a network from the safetensors file at `path` (see ``MLPTensorName``); with `expectedSpecVersion`,
    /// the file's observation spec version must match it.
    public convenience init(safetensors path: String, expectedSpecVersion: String? = nil) throws(LoadError) {
        let contents = try SafetensorsFile(path: path)
        self.init(try MLPParameters(safetensors: contents, file: path, expectedSpecVersion: expectedSpecVersion))
    }

    /// Writes the network's ``parameters`` to `path` as safetensors.
    public func write(to path: String) throws(LoadError) {
        try parameters.safetensors.write(to: path)
    }
}

extension MLPParameters {
    /// The element-wise mean of `networks`' weights and biases (summed in Double in the order given, then rounded
    /// once), with the first network's normalisation, output scaling and metadata. The networks must have the same
    /// layer sizes, activations, input normalisation and output scaling (those of one training run do); `files`
    /// name them in errors.
    public static func average(_ networks: [MLPParameters], files: [String]) throws(LoadError) -> MLPParameters {
        guard let first = networks.first, files.count == networks.count else {
            throw LoadError(file: "<networks>", expected: "at least one network, and one name per network")
        }
        for (network, file) in zip(networks, files).dropFirst() {
            let mismatch: String? = if network.layerSizes != first.layerSizes || network.activations != first.activations {
                "the layer sizes and activations of \(files[0])"
            } else if network.inputMean != first.inputMean || network.inputStd != first.inputStd {
                "the input normalisation of \(files[0])"
            } else if network.outputScale != first.outputScale || network.outputOffset != first.outputOffset {
                "the output scaling of \(files[0])"
            } else {
                nil
            }
            if let mismatch { throw LoadError(file: file, expected: mismatch + " (networks of one training run)") }
        }
        func mean(_ values: (MLPParameters) -> [Float]) -> [Float] {
            var sum = [Double](repeating: 0, count: values(first).count)
            for network in networks {
                for (i, x) in values(network).enumerated() { sum[i] += Double(x) }
            }
            return sum.map { Float($0 / Double(networks.count)) }
        }
        var result = first
        for k in 0..<first.layerCount {
            result.weights[k] = mean { $0.weights[k] }
            result.biases[k] = mean { $0.biases[k] }
        }
        return result
    }
}
