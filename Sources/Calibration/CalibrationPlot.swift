import Foundation

/// An SVG of a calibration: the target's and the fitted persona's lap-time histograms on one axis, and a QQ plot
/// of their quantiles (1 to 99 %) against the diagonal. Self-contained (no scripts, no fonts to fetch).
public enum CalibrationPlot {
    /// The SVG text for `target` and `fitted` laps in `unit` (`s` or `x best`), titled `title`.
    public static func svg(target: [Double], fitted: [Double], unit: String, title: String) -> String {
        let t = target.filter(\.isFinite).sorted(), f = fitted.filter(\.isFinite).sorted()
        guard let lo0 = [t.first, f.first].compactMap({ $0 }).min(), let hi0 = [t.last, f.last].compactMap({ $0 }).max() else {
            return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>"
        }
        // Histograms over the 1-99 % range of both (outliers in the edge bins).
        func q(_ x: [Double], _ p: Double) -> Double { x[min(Int(p * Double(x.count)), x.count - 1)] }
        let lo = min(q(t, 0.01), q(f, 0.01)), hi0b = max(q(t, 0.99), q(f, 0.99))
        let hi = hi0b > lo ? hi0b : lo + max(hi0 - lo0, 1e-6)
        let bins = 30
        func histogram(_ x: [Double]) -> [Double] {
            var h = Array(repeating: 0.0, count: bins)
            for v in x { h[min(max(Int((v - lo) / (hi - lo) * Double(bins)), 0), bins - 1)] += 1 }
            return h.map { $0 / Double(x.count) }
        }
        let ht = histogram(t), hf = histogram(f)
        let top = max(ht.max() ?? 0, hf.max() ?? 0, 1e-9)
        let w = 900.0, h = 380.0, pad = 50.0, panel = 380.0
        var out = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(w))" height="\(Int(h))" viewBox="0 0 \(Int(w)) \(Int(h))" font-family="sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(pad)" y="22" font-size="14">\(escape(title))</text>

        """
        // Histogram panel.
        let bw = panel / Double(bins)
        func bars(_ hist: [Double], _ colour: String, _ name: String) -> String {
            var s = "<g fill=\"\(colour)\" fill-opacity=\"0.45\" class=\"\(name)\">"
            for (i, v) in hist.enumerated() {
                let bh = v / top * (h - 2 * pad - 20)
                s += String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>", pad + Double(i) * bw,
                            h - pad - bh, bw, bh)
            }
            return s + "</g>\n"
        }
        out += bars(ht, "#1f77b4", "target") + bars(hf, "#d62728", "fitted")
        out += String(format: "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"black\"/>\n", pad, h - pad, pad + panel, h - pad)
        out += String(format: "<text x=\"%.0f\" y=\"%.0f\">%@</text><text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">%@</text>\n",
                      pad, h - pad + 16, label(lo), pad + panel, h - pad + 16, label(hi))
        out += String(format: "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\">lap time (%@)</text>\n", pad + panel / 2, h - 12, unit)
        out += "<text x=\"\(pad + 8)\" y=\"48\" fill=\"#1f77b4\">target (\(t.count) laps)</text>"
        out += "<text x=\"\(pad + 8)\" y=\"64\" fill=\"#d62728\">fitted persona (\(f.count) laps)</text>\n"
        // QQ panel.
        let x0 = pad * 2 + panel, size = h - 2 * pad - 20
        func px(_ v: Double) -> Double { x0 + (v - lo) / (hi - lo) * size }
        func py(_ v: Double) -> Double { h - pad - (v - lo) / (hi - lo) * size }
        out += String(format: "<rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%.0f\" fill=\"none\" stroke=\"black\"/>\n",
                      x0, h - pad - size, size, size)
        out += String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#888\" stroke-dasharray=\"4 3\"/>\n",
                      px(lo), py(lo), px(hi), py(hi))
        out += "<g fill=\"black\" class=\"qq\">"
        for k in 1...99 {
            let p = Double(k) / 100
            let a = min(max(q(t, p), lo), hi), b = min(max(q(f, p), lo), hi)
            out += String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2\"/>", px(a), py(b))
        }
        out += "</g>\n"
        out += String(format: "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\">target quantile (%@)</text>\n", x0 + size / 2, h - 12, unit)
        out += String(format: "<text x=\"%.0f\" y=\"%.0f\" transform=\"rotate(-90 %.0f %.0f)\" text-anchor=\"middle\">fitted quantile</text>\n",
                      x0 - 12, h - pad - size / 2, x0 - 12, h - pad - size / 2)
        return out + "</svg>\n"
    }

    private static func label(_ v: Double) -> String { abs(v) < 10 ? String(format: "%.4f", v) : String(format: "%.2f", v) }

    private static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
