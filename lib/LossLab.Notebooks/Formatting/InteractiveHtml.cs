using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace LossLab.Notebooks.Formatting;

/// <summary>
/// The text/html that the .NET Interactive kernel (1.0.712001) gives values without a formatter of their own, reproduced
/// markup for markup: a scalar (number, bool, char, Guid, null) as <c>&lt;div class="dni-plaintext"&gt;&lt;pre&gt;…&lt;/pre&gt;&lt;/div&gt;</c>; a
/// date, time span or enum as a <c>span</c> (dates in UTC, <c>yyyy-MM-dd HH:mm:ssZ</c>); a sequence of scalars as one
/// plain-text line <c>[ 1, 2, 3 ]</c> (cut after <see cref="Formatter.ListExpansionLimit"/> items with "... (N more)"); any
/// other sequence as an index/value table (with a type column when the items' types differ); a dictionary as a key/value
/// table; an object as an expandable tree (<c>details.dni-treeview</c>, open at the top level) of its public properties
/// and fields. Nested values use registered formatters, so a formatter registered for an item type shows in the table.
/// A top-level output that uses these classes ends with the kernel's style block. Strings get no HTML (text/plain only).
/// </summary>
public static class InteractiveHtml
{
    /// <summary>The style block the kernel appends to such outputs.</summary>
    public const string Style = "<style>\r\n.dni-code-hint {\r\n    font-style: italic;\r\n    overflow: hidden;\r\n    white-space: nowrap;\r\n}\r\n.dni-treeview {\r\n    white-space: nowrap;\r\n}\r\n.dni-treeview td {\r\n    vertical-align: top;\r\n    text-align: start;\r\n}\r\ndetails.dni-treeview {\r\n    padding-left: 1em;\r\n}\r\ntable td {\r\n    text-align: start;\r\n}\r\ntable tr { \r\n    vertical-align: top; \r\n    margin: 0em 0px;\r\n}\r\ntable tr td pre \r\n{ \r\n    vertical-align: top !important; \r\n    margin: 0em 0px !important;\r\n} \r\ntable th {\r\n    text-align: start;\r\n}\r\n</style>";

    /// <summary>Writes <paramref name="value"/> as the kernel's default HTML; false for a string (which the kernel shows as text/plain only).</summary>
    public static bool TryWrite(object? value, TextWriter w)
    {
        if (value is string) return false;
        var sb = new StringBuilder();
        bool styled = Write(sb, value, 0);
        w.Write(sb.ToString());
        if (styled) w.Write(Style);
        return true;
    }

    /// <summary>The kernel's plain-text form of a sequence: <c>[ a, b ]</c>, cut with "... (N more)".</summary>
    public static string SequenceText(IEnumerable items)
    {
        var shown = new List<string>();
        int total = 0;
        foreach (var item in items)
        {
            if (total < Formatter.ListExpansionLimit) shown.Add(item is IEnumerable inner and not string ? SequenceText(inner) : Plain(item));
            total++;
        }
        var more = total > shown.Count ? $" ... ({total - shown.Count} more)" : "";
        return $"[ {string.Join(", ", shown)}{more} ]";
    }

    /// <summary>A value's plain text as the kernel writes it in these outputs.</summary>
    public static string Plain(object? value) => value switch
    {
        null => "<null>",
        string s => s,
        DateTime d => d.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "Z",
        DateTimeOffset d => d.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "Z",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    static string PlainBlock(string text) => $"<div class=\"dni-plaintext\"><pre>{HtmlTable.Escape(text)}</pre></div>";

    static bool IsSpan(Type t) => t == typeof(DateTime) || t == typeof(DateTimeOffset) || t == typeof(TimeSpan) || t.IsEnum;

    static bool IsScalar(object? v) => v is null || HtmlTable.IsScalar(v.GetType()) || v is DateOnly or TimeOnly;

    /// <summary>Appends the HTML of <paramref name="value"/> at nesting <paramref name="depth"/>; true when it used the kernel's CSS classes.</summary>
    static bool Write(StringBuilder sb, object? value, int depth)
    {
        if (value is null) { sb.Append(PlainBlock("<null>")); return true; }
        var type = value.GetType();
        if (depth > 0 && Formatter.HasOwnHtml(value))
        {
            var w = new StringWriter();
            Formatter.FormatTo(value, Formatter.Html, w);
            sb.Append(w);
            return false;
        }
        if (IsSpan(type)) { sb.Append("<span>").Append(HtmlTable.Escape(Plain(value))).Append("</span>"); return false; }
        if (value is string || IsScalar(value)) { sb.Append(PlainBlock(Plain(value))); return true; }
        if (depth >= Formatter.RecursionLimit) { sb.Append(PlainBlock(Plain(value))); return true; }
        if (KeyValuePairs(value) is { } pairs) { WriteDictionary(sb, pairs, depth); return true; }
        if (value is IDictionary dictionary) { WriteDictionary(sb, Entries(dictionary), depth); return true; }
        if (value is IEnumerable sequence) { WriteSequence(sb, sequence, depth); return true; }
        WriteObject(sb, value, depth);
        return true;
    }

    static IEnumerable<(object? Key, object? Value)>? KeyValuePairs(object value)
    {
        var pair = value.GetType().GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>)
            && i.GetGenericArguments()[0] is { IsGenericType: true } a && a.GetGenericTypeDefinition() == typeof(KeyValuePair<,>));
        if (pair is null) return null;
        var kv = pair.GetGenericArguments()[0];
        var key = kv.GetProperty("Key")!;
        var val = kv.GetProperty("Value")!;
        return ((IEnumerable)value).Cast<object>().Select(p => (key.GetValue(p), val.GetValue(p)));
    }

    static IEnumerable<(object? Key, object? Value)> Entries(IDictionary dictionary)
    {
        var e = dictionary.GetEnumerator();
        while (e.MoveNext()) yield return (e.Key, e.Value);
    }

    static void WriteDictionary(StringBuilder sb, IEnumerable<(object? Key, object? Value)> pairs, int depth)
    {
        sb.Append("<table><thead><tr><th><i>key</i></th><th>value</th></tr></thead><tbody>");
        int n = 0;
        foreach (var (key, value) in pairs)
        {
            if (n++ >= Formatter.ListExpansionLimit) break;
            sb.Append("<tr><td>");
            Write(sb, key, depth + 1);
            sb.Append("</td><td>");
            Write(sb, value, depth + 1);
            sb.Append("</td></tr>");
        }
        sb.Append("</tbody></table>");
    }

    static void WriteSequence(StringBuilder sb, IEnumerable sequence, int depth)
    {
        var items = new List<object?>();
        int total = 0;
        foreach (var item in sequence)
        {
            if (total < Formatter.ListExpansionLimit) items.Add(item);
            total++;
        }
        if (items.All(i => i is not null && IsScalar(i) && !IsSpan(i.GetType()) && !Formatter.HasOwnHtml(i)))
        {
            sb.Append(PlainBlock(SequenceText(sequence)));
            return;
        }
        bool typed = items.Select(i => i?.GetType()).Distinct().Count() > 1;
        sb.Append("<table><thead><tr><th><i>index</i></th>");
        if (typed) sb.Append("<th><i>type</i></th>");
        sb.Append("<th>value</th></tr></thead><tbody>");
        for (int i = 0; i < items.Count; i++)
        {
            sb.Append("<tr><td>").Append(i).Append("</td>");
            if (typed)
            {
                sb.Append("<td>");
                if (items[i] is { } item) sb.Append(TypeLink(item.GetType())); else Write(sb, null, depth + 1);
                sb.Append("</td>");
            }
            sb.Append("<td>");
            Write(sb, items[i], depth + 1);
            sb.Append("</td></tr>");
        }
        if (total > items.Count) sb.Append($"<tr><td colspan=\"{(typed ? 3 : 2)}\"><i>... ({total - items.Count} more)</i></td></tr>");
        sb.Append("</tbody></table>");
    }

    static string TypeLink(Type type)
    {
        var name = HtmlTable.Escape(type.FullName ?? type.Name);
        return type.Namespace?.StartsWith("System", StringComparison.Ordinal) == true && !type.IsGenericType
            ? $"<span><a href=\"https://docs.microsoft.com/dotnet/api/{(type.FullName ?? type.Name).ToLowerInvariant()}?view=net-7.0\">{name}</a></span>"
            : $"<span>{HtmlTable.Escape(HtmlTable.FriendlyName(type))}</span>";
    }

    static void WriteObject(StringBuilder sb, object value, int depth)
    {
        sb.Append(depth == 0 ? "<details open=\"open\" class=\"dni-treeview\">" : "<details class=\"dni-treeview\">");
        sb.Append("<summary><span class=\"dni-code-hint\"><code>").Append(HtmlTable.Escape(value.ToString())).Append("</code></span></summary>");
        sb.Append("<div><table><thead><tr></tr></thead><tbody>");
        var type = value.GetType();
        var members = HtmlTable.Properties(type).Select(p => (p.Name, Get: (Func<object?>)(() => p.GetValue(value))))
            .Concat(type.GetFields(BindingFlags.Public | BindingFlags.Instance).Select(f => (f.Name, Get: (Func<object?>)(() => f.GetValue(value)))));
        foreach (var (name, get) in members)
        {
            object? member;
            try { member = get(); }
            catch (TargetInvocationException e) { member = $"<{e.InnerException?.GetType().Name}>"; }
            sb.Append("<tr><td>").Append(HtmlTable.Escape(name)).Append("</td><td>");
            Write(sb, member, depth + 1);
            sb.Append("</td></tr>");
        }
        sb.Append("</tbody></table></div></details>");
    }
}
