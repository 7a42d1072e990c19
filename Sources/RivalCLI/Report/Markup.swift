import Foundation

/// Escaping and number formatting shared by the HTML reports.
enum Markup {
    /// `text` safe inside HTML or SVG text and attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// A page coordinate with one decimal.
    static func n(_ v: Double) -> String { String(format: "%.1f", v) }

    /// A number for a `data-value` attribute: Swift's shortest round-tripping form, so that it parses back to the
    /// same Double the JSON result holds.
    static func exact(_ v: Double) -> String { "\(v)" }
}

/// A linear map from data values to page coordinates, with round tick values.
struct LinearScale {
    let lower: Double, upper: Double
    let start: Double, end: Double

    /// Maps `domain` onto `range`; a domain of zero width is widened by 1 on each side.
    init(domain: (Double, Double), range: (Double, Double)) {
        var lo = domain.0, hi = domain.1
        if !(lo.isFinite && hi.isFinite) { lo = 0; hi = 1 }
        if hi - lo < 1e-12 { lo -= 1; hi += 1 }
        lower = lo; upper = hi; start = range.0; end = range.1
    }

    func callAsFunction(_ v: Double) -> Double {
        start + (v - lower) / (upper - lower) * (end - start)
    }

    /// Tick values at a round step (1, 2 or 5 times a power of ten) giving about `count` ticks inside the domain.
    func ticks(_ count: Int = 6) -> [Double] {
        let raw = (upper - lower) / Double(max(count, 1))
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        var t = (lower / step).rounded(.up) * step
        var out: [Double] = []
        while t <= upper + step * 1e-9 && out.count < 100 {
            out.append(abs(t) < step * 1e-9 ? 0 : t)
            t += step
        }
        return out
    }
}

/// A chart's frame: its size, margins and scales; draws the axes, tick labels and grid lines.
struct ChartFrame {
    let width: Double, height: Double
    let left: Double, right: Double, top: Double, bottom: Double
    let x: LinearScale, y: LinearScale

    /// A frame of `width` x `height` with the given margins; `y` grows upward unless `yDownward` (a lap chart's
    /// positions grow downward).
    init(width: Double, height: Double, margins: (left: Double, right: Double, top: Double, bottom: Double) = (56, 20, 16, 44),
         x: (Double, Double), y: (Double, Double), yDownward: Bool = false) {
        self.width = width; self.height = height
        left = margins.left; right = margins.right; top = margins.top; bottom = margins.bottom
        self.x = LinearScale(domain: x, range: (margins.left, width - margins.right))
        self.y = LinearScale(domain: y, range: yDownward ? (margins.top, height - margins.bottom)
                                                         : (height - margins.bottom, margins.top))
    }

    /// The opening `<svg>` tag with an accessible title.
    func open(id: String, title: String) -> String {
        "<svg id=\"\(id)\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" "
            + "width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\"><title>\(Markup.escape(title))</title>\n"
    }

    /// Grid lines, axes, tick labels and axis titles; `xTicks`/`yTicks` replace the scales' own ticks.
    func axes(xLabel: String, yLabel: String, xTicks: [Double]? = nil, yTicks: [Double]? = nil,
              xFormat: (Double) -> String, yFormat: (Double) -> String) -> String {
        let x0 = left, x1 = width - right, y0 = height - bottom, y1 = top
        var s = "<g class=\"axes\" font-size=\"11\" fill=\"#444\">"
        for t in yTicks ?? y.ticks() {
            let py = Markup.n(y(t))
            s += "<line x1=\"\(Markup.n(x0))\" x2=\"\(Markup.n(x1))\" y1=\"\(py)\" y2=\"\(py)\" stroke=\"#e4e4e4\"/>"
            s += "<text x=\"\(Markup.n(x0 - 6))\" y=\"\(py)\" dy=\"4\" text-anchor=\"end\">\(Markup.escape(yFormat(t)))</text>"
        }
        for t in xTicks ?? x.ticks() {
            let px = Markup.n(x(t))
            s += "<line x1=\"\(px)\" x2=\"\(px)\" y1=\"\(Markup.n(y0))\" y2=\"\(Markup.n(y0 + 4))\" stroke=\"#888\"/>"
            s += "<text x=\"\(px)\" y=\"\(Markup.n(y0 + 16))\" text-anchor=\"middle\">\(Markup.escape(xFormat(t)))</text>"
        }
        s += "<path d=\"M\(Markup.n(x0)) \(Markup.n(y1))V\(Markup.n(y0))H\(Markup.n(x1))\" fill=\"none\" stroke=\"#888\"/>"
        s += "<text x=\"\(Markup.n((x0 + x1) / 2))\" y=\"\(Markup.n(height - 8))\" text-anchor=\"middle\">\(Markup.escape(xLabel))</text>"
        s += "<text transform=\"translate(14 \(Markup.n((y0 + y1) / 2))) rotate(-90)\" text-anchor=\"middle\">"
            + "\(Markup.escape(yLabel))</text></g>\n"
        return s
    }
}

/// Colours of the reports.
enum Palette {
    /// A distinct colour for driver `index` (hues a golden angle apart, alternating lightness).
    static func driver(_ index: Int) -> String {
        let hue = (Double(index) * 137.508).truncatingRemainder(dividingBy: 360)
        return hex(hue: hue, saturation: 0.68, lightness: index % 2 == 0 ? 0.42 : 0.52)
    }

    /// The speed colour ramp (slow dark blue, through teal, green and yellow, to fast red) at `fraction` in 0...1.
    static func speed(_ fraction: Double) -> String {
        let stops: [(Double, Double, Double)] = [(38, 52, 148), (33, 145, 190), (88, 190, 110), (240, 200, 60), (214, 48, 31)]
        let f = (fraction.isFinite ? min(max(fraction, 0), 1) : 0) * Double(stops.count - 1)
        let i = min(Int(f), stops.count - 2), t = f - Double(i)
        let a = stops[i], b = stops[i + 1]
        return rgb(a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t, a.2 + (b.2 - a.2) * t)
    }

    static func rgb(_ r: Double, _ g: Double, _ b: Double) -> String {
        func c(_ v: Double) -> Int { min(max(Int(v.rounded()), 0), 255) }
        return String(format: "#%02x%02x%02x", c(r), c(g), c(b))
    }

    static func hex(hue: Double, saturation s: Double, lightness l: Double) -> String {
        let c = (1 - abs(2 * l - 1)) * s
        let hp = hue / 60
        let x = c * (1 - abs(hp.truncatingRemainder(dividingBy: 2) - 1))
        let (r, g, b): (Double, Double, Double)
        switch hp {
        case ..<1: (r, g, b) = (c, x, 0)
        case ..<2: (r, g, b) = (x, c, 0)
        case ..<3: (r, g, b) = (0, c, x)
        case ..<4: (r, g, b) = (0, x, c)
        case ..<5: (r, g, b) = (x, 0, c)
        default: (r, g, b) = (c, 0, x)
        }
        let m = l - c / 2
        return rgb((r + m) * 255, (g + m) * 255, (b + m) * 255)
    }
}
