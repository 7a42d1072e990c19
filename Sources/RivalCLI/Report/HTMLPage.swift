import Foundation

/// The frame of every HTML report: one self-contained file (inline CSS, SVG and script; nothing fetched).
enum HTMLPage {
    /// The whole document: `title` in the head and as the heading, `subtitle` under it, then `body`; `script`
    /// (plain JavaScript) runs at the end of the body.
    static func document(title: String, subtitle: String, body: String, script: String = "") -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="generator" content="rival">
        <title>\(Markup.escape(title))</title>
        <style>
        body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #222;
               margin: 0 auto; max-width: 1100px; padding: 16px 24px 48px; background: #fafafa; }
        h1 { font-size: 22px; margin: 8px 0 2px; }
        h2 { font-size: 17px; margin: 28px 0 6px; border-bottom: 1px solid #ddd; padding-bottom: 3px; }
        p.subtitle { color: #555; margin: 0 0 12px; }
        p.note { color: #555; font-size: 12.5px; margin: 4px 0 8px; }
        section { background: white; border: 1px solid #e2e2e2; border-radius: 6px; padding: 4px 16px 12px; margin: 14px 0; }
        svg { display: block; max-width: 100%; height: auto; font-family: inherit; }
        table { border-collapse: collapse; font-variant-numeric: tabular-nums; margin: 6px 0; }
        th, td { padding: 3px 9px; text-align: right; border-bottom: 1px solid #eee; white-space: nowrap; }
        th { background: #f3f3f3; font-weight: 600; }
        td.text, th.text { text-align: left; }
        td.plot { padding: 0 4px; min-width: 240px; }
        td.plot svg { max-width: none; width: 240px; }
        .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; }
        .figures { display: flex; flex-wrap: wrap; gap: 8px 28px; margin: 8px 0; }
        .figures div { min-width: 120px; }
        .figures b { display: block; font-size: 18px; font-variant-numeric: tabular-nums; }
        label { font-weight: 600; margin-right: 6px; }
        pre { background: #f5f5f5; padding: 8px; white-space: pre-wrap; font-size: 12px; }
        </style>
        </head>
        <body>
        <h1>\(Markup.escape(title))</h1>
        <p class="subtitle">\(Markup.escape(subtitle))</p>
        \(body)
        <script>
        \(script)
        </script>
        </body>
        </html>

        """
    }

    /// Writes `html` to `path` (the `--report` file), or fails with a message naming the flag and the path.
    static func write(_ html: String, to path: String) throws {
        do {
            try html.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw UserError("--report: \(path): cannot write: \(error.localizedDescription)")
        }
    }

    /// The command line that ran, as shown in a report: `rival` and its arguments.
    static var commandLine: String { (["rival"] + CommandLine.arguments.dropFirst()).joined(separator: " ") }

    /// A `<section>` with a heading and an optional explanatory note.
    static func section(id: String, heading: String, note: String? = nil, _ content: String) -> String {
        "<section id=\"\(id)\"><h2>\(Markup.escape(heading))</h2>"
            + (note.map { "<p class=\"note\">\(Markup.escape($0))</p>" } ?? "") + content + "</section>\n"
    }

    /// A row of headline figures: (label, value) pairs.
    static func figures(_ items: [(String, String)], id: String) -> String {
        "<div class=\"figures\" id=\"\(id)\">" + items.map { "<div>\(Markup.escape($0.0))<b>\(Markup.escape($0.1))</b></div>" }
            .joined() + "</div>"
    }
}
