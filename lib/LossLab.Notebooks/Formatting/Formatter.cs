using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace LossLab.Notebooks.Formatting;

/// <summary>
/// The formatter registry (the surface of <c>Microsoft.DotNet.Interactive.Formatting.Formatter</c>): turns a displayed value
/// into a <see cref="MimeBundle"/>. Registered formatters win over built-in ones, later registrations over earlier ones,
/// and an exact type over a base type or interface. Built in: LossLab claims (HTML table plus the claims record in the
/// output metadata), Plotly.NET charts, Deedle frames, types carrying a duck-typed <c>TypeFormatterSourceAttribute</c>
/// (TorchSharp tensors), sequences and objects as HTML tables, and text/plain for everything.
/// </summary>
public static class Formatter
{
    /// <summary>text/html.</summary>
    public const string Html = "text/html";

    /// <summary>text/plain.</summary>
    public const string PlainText = "text/plain";

    static readonly object Gate = new();
    static List<ITypeFormatter> registered = [];
    static readonly ConcurrentDictionary<Type, string[]> Preferred = new();
    static readonly List<(Type Type, Func<object, JsonObject?> Metadata)> MetadataProviders = [];

    static Formatter() => ResetToDefault();

    /// <summary>Rows shown of a sequence before it is cut (Polyglot's default: 20).</summary>
    public static int ListExpansionLimit { get; set; } = 20;

    /// <summary>How deep nested objects are expanded in tables.</summary>
    public static int RecursionLimit { get; set; } = 6;

    /// <summary>The MIME types a displayed value gets when none are asked for.</summary>
    public static string[] DefaultMimeTypes { get; set; } = [Html, PlainText];

    /// <summary>Registers a formatter for <typeparamref name="T"/> writing <paramref name="mimeType"/>.</summary>
    public static void Register<T>(Func<T, string> format, string mimeType = Html)
    {
        ArgumentNullException.ThrowIfNull(format);
        Register(new DelegateTypeFormatter(typeof(T), mimeType, (o, w) => { w.Write(format((T)o)); return true; }));
    }

    /// <summary>Registers a formatter for <typeparamref name="T"/> that writes to a <see cref="TextWriter"/>.</summary>
    public static void Register<T>(Action<T, TextWriter> format, string mimeType = Html)
    {
        ArgumentNullException.ThrowIfNull(format);
        Register(new DelegateTypeFormatter(typeof(T), mimeType, (o, w) => { format((T)o, w); return true; }));
    }

    /// <summary>Registers a formatter for <paramref name="type"/>, which may be an open generic such as <c>typeof(List&lt;&gt;)</c>.</summary>
    public static void Register(Type type, Action<object, TextWriter> format, string mimeType = Html)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(format);
        Register(new DelegateTypeFormatter(type, mimeType, (o, w) => { format(o, w); return true; }));
    }

    /// <summary>Registers <paramref name="formatter"/>.</summary>
    public static void Register(ITypeFormatter formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        lock (Gate) registered = [formatter, .. registered];
    }

    /// <summary>Sets the MIME types values of <paramref name="type"/> are displayed as, in order.</summary>
    public static void SetPreferredMimeTypesFor(Type type, params string[] mimeTypes)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (mimeTypes is null || mimeTypes.Length == 0) throw new ArgumentException("Give at least one MIME type.", nameof(mimeTypes));
        Preferred[type] = mimeTypes;
    }

    /// <summary>Registers a provider of output metadata for values of <paramref name="type"/> (merged into display outputs).</summary>
    public static void RegisterMetadata(Type type, Func<object, JsonObject?> metadata)
    {
        lock (Gate) MetadataProviders.Insert(0, (type, metadata));
    }

    /// <summary>Forgets registered formatters and preferences and restores the built-in ones.</summary>
    public static void ResetToDefault()
    {
        lock (Gate)
        {
            registered = [];
            Preferred.Clear();
            MetadataProviders.Clear();
            ListExpansionLimit = 20;
            RecursionLimit = 6;
            BuiltInFormatters.RegisterMetadata();
        }
    }

    /// <summary>The value as <paramref name="mimeType"/> text.</summary>
    public static string ToDisplayString(this object? value, string mimeType = PlainText)
    {
        var writer = new StringWriter();
        FormatTo(value, mimeType, writer);
        return writer.ToString();
    }

    /// <summary>Formats <paramref name="value"/> as the given MIME types (or its preferred or default ones).</summary>
    public static MimeBundle Format(object? value, params string[] mimeTypes)
    {
        var bundle = new MimeBundle();
        var types = mimeTypes is { Length: > 0 } ? mimeTypes
            : PreferredFor(value?.GetType()) ?? (value is null ? null : BuiltInFormatters.DefaultMimeTypesFor(value)) ?? DefaultMimeTypes;
        foreach (var mime in types)
        {
            var writer = new StringWriter();
            if (FormatTo(value, mime, writer)) bundle.Set(mime, writer.ToString());
        }
        if (bundle.Data.Count == 0) bundle.Set(PlainText, value.ToDisplayString(PlainText));
        if (value is not null)
        {
            List<(Type Type, Func<object, JsonObject?> Metadata)> providers;
            lock (Gate) providers = [.. MetadataProviders];
            foreach (var (type, provider) in providers)
                if (type.IsInstanceOfType(value) && provider(value) is { } meta) bundle.Metadata = meta;
        }
        return bundle;
    }

    static string[]? PreferredFor(Type? type)
    {
        for (var t = type; t is not null; t = t.BaseType)
            if (Preferred.TryGetValue(t, out var p)) return p;
        return null;
    }

    /// <summary>Writes <paramref name="value"/> as <paramref name="mimeType"/>; false when no formatter produces that type.</summary>
    internal static bool FormatTo(object? value, string mimeType, TextWriter writer)
    {
        if (value is null)
        {
            if (mimeType == PlainText) { writer.Write("<null>"); return true; }
            if (mimeType == Html) return InteractiveHtml.TryWrite(null, writer);
            return false;
        }
        List<ITypeFormatter> user;
        lock (Gate) user = registered;
        var type = value.GetType();
        foreach (var f in user.Where(f => f.MimeType == mimeType).OrderBy(f => Distance(type, f.Type)))
        {
            if (Distance(type, f.Type) == int.MaxValue) break;
            var buffer = new StringWriter();
            if (f.Format(value, buffer)) { writer.Write(buffer.ToString()); return true; }
        }
        return BuiltInFormatters.TryFormat(value, mimeType, writer);
    }

    /// <summary>True when <paramref name="value"/> has HTML of its own (a registered formatter, or a built-in one such as charts,
    /// claims, frames, PocketView or a type's formatter source) rather than the default tree and table markup.</summary>
    internal static bool HasOwnHtml(object value)
    {
        List<ITypeFormatter> user;
        lock (Gate) user = registered;
        var type = value.GetType();
        return user.Any(f => f.MimeType == Html && Distance(type, f.Type) != int.MaxValue) || BuiltInFormatters.HasOwnHtml(value);
    }

    /// <summary>How far <paramref name="type"/> is from <paramref name="target"/>: 0 exact, 1… base classes, then interfaces;
    /// int.MaxValue when it does not match. Open generic targets match constructed types.</summary>
    static int Distance(Type type, Type target)
    {
        int d = 0;
        for (var t = type; t is not null; t = t.BaseType, d++)
        {
            if (t == target) return d;
            if (target.IsGenericTypeDefinition && t.IsGenericType && t.GetGenericTypeDefinition() == target) return d;
        }
        foreach (var i in type.GetInterfaces())
        {
            if (i == target) return d + 1;
            if (target.IsGenericTypeDefinition && i.IsGenericType && i.GetGenericTypeDefinition() == target) return d + 1;
        }
        return int.MaxValue;
    }
}
