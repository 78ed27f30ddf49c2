using System.Dynamic;
using System.Text;
using LossLab.Notebooks.Formatting;

namespace Microsoft.DotNet.Interactive.Formatting;

/// <summary>
/// An HTML element built in code, as .NET Interactive's PocketView: <c>div(b("bold"), "text")</c>, attributes by indexer
/// with named arguments (<c>div[style: "color:red"]("x")</c>; a trailing underscore is dropped, so <c>@class_</c> gives
/// <c>class</c>, and <c>_</c> inside a name becomes <c>-</c>). Text content is HTML-encoded; PocketViews, <see cref="HtmlString"/>
/// and IHtmlContent-like values (any <c>WriteTo(TextWriter, HtmlEncoder)</c> is not assumed: their <c>ToString()</c> is used
/// only for <see cref="HtmlString"/>) are written as HTML; sequences are written item by item.
/// </summary>
public sealed class PocketView : DynamicObject
{
    static readonly HashSet<string> VoidElements = new(StringComparer.OrdinalIgnoreCase) { "br", "hr", "img", "input", "meta", "link", "col", "area", "base", "wbr", "source" };

    readonly string tag;
    readonly List<KeyValuePair<string, object?>> attributes;
    readonly object?[] content;

    /// <summary>An element <paramref name="tagName"/> with no attributes or content.</summary>
    public PocketView(string tagName) : this(tagName, [], []) { }

    PocketView(string tagName, List<KeyValuePair<string, object?>> attributes, object?[] content)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tagName);
        tag = tagName;
        this.attributes = attributes;
        this.content = content;
    }

    /// <summary>The element with <paramref name="children"/> as its content.</summary>
    public PocketView Children(params object?[] children) => new(tag, attributes, children ?? []);

    /// <inheritdoc/>
    public override bool TryInvoke(InvokeBinder binder, object?[]? args, out object? result)
    {
        result = Children(args ?? []);
        return true;
    }

    /// <inheritdoc/>
    public override bool TryGetIndex(GetIndexBinder binder, object?[] indexes, out object? result)
    {
        var names = binder.CallInfo.ArgumentNames;
        var added = new List<KeyValuePair<string, object?>>(attributes);
        int unnamed = indexes.Length - names.Count;
        for (int i = 0; i < indexes.Length; i++)
        {
            if (i < unnamed)
            {
                if (indexes[i] is IDictionary<string, object?> map) added.AddRange(map);
                continue;
            }
            added.Add(new(AttributeName(names[i - unnamed]), indexes[i]));
        }
        result = new PocketView(tag, added, content);
        return true;
    }

    static string AttributeName(string name) => name.TrimStart('@').TrimEnd('_').Replace('_', '-');

    /// <summary>The element as HTML.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append('<').Append(tag);
        foreach (var (name, value) in attributes)
        {
            if (value is bool b) { if (b) sb.Append(' ').Append(name); continue; }
            sb.Append(' ').Append(name).Append("=\"").Append(HtmlTable.Escape(value?.ToString())).Append('"');
        }
        if (content.Length == 0 && VoidElements.Contains(tag)) return sb.Append(" />").ToString();
        sb.Append('>');
        foreach (var item in content) Append(sb, item);
        return sb.Append("</").Append(tag).Append('>').ToString();
    }

    static void Append(StringBuilder sb, object? item)
    {
        switch (item)
        {
            case null: return;
            case PocketView view: sb.Append(view.ToString()); return;
            case HtmlString html: sb.Append(html.Html); return;
            case string text: sb.Append(HtmlTable.Escape(text)); return;
            case System.Collections.IEnumerable items:
                foreach (var x in items) Append(sb, x);
                return;
            default: sb.Append(HtmlTable.Escape(item.ToDisplayString())); return;
        }
    }
}
