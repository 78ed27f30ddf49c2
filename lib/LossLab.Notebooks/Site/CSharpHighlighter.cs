using System.Net;
using System.Text;

namespace LossLab.Notebooks.Site;

/// <summary>
/// Turns C# source into HTML with spans for comments, strings, numbers, keywords, type-like names and directives
/// (<c>#r</c>, <c>#!time</c>). Every character of the source is HTML-encoded, so highlighted code can never inject markup.
/// </summary>
public static class CSharpHighlighter
{
    static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "abstract", "as", "async", "await", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class",
        "const", "continue", "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern",
        "false", "finally", "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "init", "int", "interface",
        "internal", "is", "lock", "long", "nameof", "namespace", "new", "null", "object", "operator", "out", "override",
        "params", "private", "protected", "public", "readonly", "record", "ref", "required", "return", "sbyte", "sealed",
        "short", "sizeof", "stackalloc", "static", "string", "struct", "switch", "this", "throw", "true", "try", "typeof",
        "uint", "ulong", "unchecked", "unsafe", "ushort", "using", "var", "virtual", "void", "volatile", "when", "where",
        "while", "with", "yield", "get", "set", "and", "or", "not", "let", "from", "select", "orderby", "group", "by", "into",
    };

    /// <summary>The highlighted HTML of <paramref name="code"/> (no surrounding element).</summary>
    public static string ToHtml(string code)
    {
        var sb = new StringBuilder(code.Length * 2);
        int i = 0, n = code.Length;
        bool lineStart = true;
        while (i < n)
        {
            char c = code[i];
            if (lineStart && c == '#')
            {
                int end = code.IndexOf('\n', i); if (end < 0) end = n;
                Span(sb, "directive", code[i..end]); i = end; continue;
            }
            if (c == '\n') { sb.Append('\n'); i++; lineStart = true; continue; }
            if (char.IsWhiteSpace(c)) { sb.Append(c); i++; continue; }
            lineStart = false;
            if (c == '/' && i + 1 < n && code[i + 1] == '/')
            {
                int end = code.IndexOf('\n', i); if (end < 0) end = n;
                Span(sb, "comment", code[i..end]); i = end; continue;
            }
            if (c == '/' && i + 1 < n && code[i + 1] == '*')
            {
                int end = code.IndexOf("*/", i + 2, StringComparison.Ordinal); end = end < 0 ? n : end + 2;
                Span(sb, "comment", code[i..end]); i = end; continue;
            }
            if (c == '"' || c == '\'' || ((c == '@' || c == '$') && i + 1 < n && (code[i + 1] == '"' || code[i + 1] is '@' or '$')))
            {
                int end = StringEnd(code, i);
                Span(sb, "string", code[i..end]); i = end; continue;
            }
            if (char.IsDigit(c))
            {
                int end = i + 1;
                while (end < n && (char.IsLetterOrDigit(code[end]) || code[end] is '.' or '_') &&
                       !(code[end] == '.' && (end + 1 >= n || !char.IsDigit(code[end + 1])))) end++;
                Span(sb, "number", code[i..end]); i = end; continue;
            }
            if (char.IsLetter(c) || c == '_')
            {
                int end = i + 1;
                while (end < n && (char.IsLetterOrDigit(code[end]) || code[end] == '_')) end++;
                var word = code[i..end];
                if (Keywords.Contains(word)) Span(sb, "keyword", word);
                else if (char.IsUpper(word[0])) Span(sb, "type", word);
                else sb.Append(WebUtility.HtmlEncode(word));
                i = end; continue;
            }
            sb.Append(WebUtility.HtmlEncode(c.ToString()));
            i++;
        }
        return sb.ToString();
    }

    static int StringEnd(string code, int start)
    {
        int i = start, n = code.Length;
        bool verbatim = false;
        while (i < n && code[i] is '@' or '$') { if (code[i] == '@') verbatim = true; i++; }
        if (i >= n) return n;
        char quote = code[i];
        if (quote == '"' && i + 2 < n && code[i + 1] == '"' && code[i + 2] == '"')
        {
            int close = code.IndexOf("\"\"\"", i + 3, StringComparison.Ordinal);
            return close < 0 ? n : close + 3;
        }
        i++;
        while (i < n)
        {
            char c = code[i];
            if (c == '\n' && !verbatim) return i;
            if (!verbatim && c == '\\') { i += 2; continue; }
            if (c == quote)
            {
                if (verbatim && i + 1 < n && code[i + 1] == quote) { i += 2; continue; }
                return i + 1;
            }
            i++;
        }
        return n;
    }

    static void Span(StringBuilder sb, string cls, string text) =>
        sb.Append("<span class=\"").Append(cls).Append("\">").Append(WebUtility.HtmlEncode(text)).Append("</span>");
}
