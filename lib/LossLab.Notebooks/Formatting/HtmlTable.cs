using System.Collections;
using System.Globalization;
using System.Reflection;

namespace LossLab.Notebooks.Formatting;

/// <summary>Sequences and plain objects as HTML tables: one row per element, one column per public property (records),
/// or a single "value" column for scalars; cut at <see cref="Formatter.ListExpansionLimit"/> rows.</summary>
public static class HtmlTable
{
    /// <summary>Escapes text for HTML.</summary>
    public static string Escape(string? text) =>
        (text ?? "").Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal).Replace("'", "&#39;", StringComparison.Ordinal);

    /// <summary>True for values shown as a scalar (numbers, strings, enums, dates…).</summary>
    public static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(DateTime)
        || type == typeof(DateTimeOffset) || type == typeof(TimeSpan) || type == typeof(Guid) || type == typeof(char);

    /// <summary>Writes the sequence as a table.</summary>
    public static void WriteSequence(IEnumerable items, TextWriter w)
    {
        var rows = new List<object?>();
        int total = 0;
        foreach (var item in items)
        {
            if (total < Formatter.ListExpansionLimit) rows.Add(item);
            total++;
        }
        var columns = Columns(rows);
        w.Write("<table><thead><tr><th><i>index</i></th>");
        if (columns is null) w.Write("<th>value</th>");
        else foreach (var c in columns) w.Write($"<th>{Escape(c.Name)}</th>");
        w.Write("</tr></thead><tbody>");
        for (int i = 0; i < rows.Count; i++)
        {
            w.Write($"<tr><td>{i}</td>");
            if (columns is null) w.Write($"<td>{Cell(rows[i], 1)}</td>");
            else foreach (var c in columns)
                w.Write($"<td>{(rows[i] is { } r && c.DeclaringType!.IsInstanceOfType(r) ? Cell(SafeGet(c, r), 1) : "")}</td>");
            w.Write("</tr>");
        }
        if (total > rows.Count) w.Write($"<tr><td colspan=\"{(columns?.Count ?? 1) + 1}\"><i>… ({total - rows.Count} more)</i></td></tr>");
        w.Write("</tbody></table>");
    }

    /// <summary>Writes one object as a two-column property/value table.</summary>
    public static void WriteObject(object value, TextWriter w)
    {
        var props = Properties(value.GetType());
        w.Write($"<table><thead><tr><th colspan=\"2\">{Escape(FriendlyName(value.GetType()))}</th></tr></thead><tbody>");
        foreach (var p in props) w.Write($"<tr><td>{Escape(p.Name)}</td><td>{Cell(SafeGet(p, value), 1)}</td></tr>");
        w.Write("</tbody></table>");
    }

    /// <summary>Public readable instance properties without indexers.</summary>
    public static List<PropertyInfo> Properties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract").ToList();

    static List<PropertyInfo>? Columns(List<object?> rows)
    {
        var types = rows.Where(r => r is not null).Select(r => r!.GetType()).Distinct().ToList();
        if (types.Count == 0 || types.Any(IsScalar)) return null;
        var columns = new List<PropertyInfo>();
        foreach (var t in types)
            foreach (var p in Properties(t))
                if (!columns.Any(c => c.Name == p.Name)) columns.Add(p);
        return columns.Count == 0 ? null : columns;
    }

    static object? SafeGet(PropertyInfo p, object o)
    {
        try { return p.GetValue(o); }
        catch (TargetInvocationException e) { return $"<{e.InnerException?.GetType().Name}>"; }
    }

    static string Cell(object? value, int depth)
    {
        if (value is null) return "<i>null</i>";
        if (value is string s) return Escape(s);
        if (value is IFormattable f && IsScalar(value.GetType())) return Escape(f.ToString(null, CultureInfo.InvariantCulture));
        if (depth < Formatter.RecursionLimit && value is IEnumerable e and not string)
        {
            var items = e.Cast<object?>().Take(Formatter.ListExpansionLimit + 1).ToList();
            var shown = string.Join(", ", items.Take(Formatter.ListExpansionLimit).Select(x => Cell(x, depth + 1)));
            return $"[ {shown}{(items.Count > Formatter.ListExpansionLimit ? ", …" : "")} ]";
        }
        return Escape(value.ToString());
    }

    /// <summary>A readable type name (generic arguments spelled out).</summary>
    public static string FriendlyName(Type type) =>
        !type.IsGenericType ? type.Name
        : $"{type.Name[..type.Name.IndexOf('`')]}<{string.Join(", ", type.GetGenericArguments().Select(FriendlyName))}>";
}
