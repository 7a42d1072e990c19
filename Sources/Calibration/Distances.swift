/// Distances between two samples of lap times, through their empirical distributions.
public enum SampleDistance {
    /// The 1-Wasserstein distance: the area between the two empirical quantile functions (in the samples' unit).
    /// Either sample may be unsorted; an empty sample gives infinity; non-finite values are dropped.
    public static func wasserstein(_ a: [Double], _ b: [Double]) -> Double {
        let x = a.filter(\.isFinite).sorted(), y = b.filter(\.isFinite).sorted()
        guard !x.isEmpty, !y.isEmpty else { return .infinity }
        // Walk both quantile functions over u in [0, 1] at the union of their breakpoints.
        var i = 0, j = 0, u = 0.0, total = 0.0
        let nx = Double(x.count), ny = Double(y.count)
        while i < x.count && j < y.count {
            let nextX = Double(i + 1) / nx, nextY = Double(j + 1) / ny
            let next = min(nextX, nextY)
            total += (next - u) * abs(x[i] - y[j])
            u = next
            if nextX <= next + 1e-15 { i += 1 }
            if nextY <= next + 1e-15 { j += 1 }
        }
        return total
    }

    /// The Kolmogorov-Smirnov statistic: the largest gap between the two empirical CDFs (0...1).
    public static func kolmogorovSmirnov(_ a: [Double], _ b: [Double]) -> Double {
        let x = a.filter(\.isFinite).sorted(), y = b.filter(\.isFinite).sorted()
        guard !x.isEmpty, !y.isEmpty else { return 1 }
        var i = 0, j = 0, d = 0.0
        while i < x.count && j < y.count {
            let v = min(x[i], y[j])
            while i < x.count && x[i] <= v { i += 1 }
            while j < y.count && y[j] <= v { j += 1 }
            d = max(d, abs(Double(i) / Double(x.count) - Double(j) / Double(y.count)))
        }
        return d
    }
}
