using Engine = LossLab.Notebooks.Formatting.Formatter;

namespace Microsoft.DotNet.Interactive.Formatting;

/// <summary>
/// The <c>Microsoft.DotNet.Interactive.Formatting.Formatter</c> surface that public notebooks call, over LossLab's formatter
/// registry (<see cref="LossLab.Notebooks.Formatting.Formatter"/>): a notebook written for .NET Interactive compiles and
/// formats the same way in LossLab's engine. The real package is not taken: it is deprecated (April 2026) and its registry
/// is process-wide state of its own; notebooks need only these names.
/// </summary>
public static class Formatter
{
    /// <summary>Registers a formatter for <typeparamref name="T"/> that returns the text.</summary>
    public static void Register<T>(Func<T, string> formatter, string mimeType = HtmlFormatter.MimeType) => Engine.Register(formatter, mimeType);

    /// <summary>Registers a formatter for <typeparamref name="T"/> that writes to a <see cref="TextWriter"/>.</summary>
    public static void Register<T>(Action<T, TextWriter> formatter, string mimeType = HtmlFormatter.MimeType) => Engine.Register(formatter, mimeType);

    /// <summary>Registers a formatter for <paramref name="type"/> (an open generic type matches its constructed types).</summary>
    public static void Register(Type type, Action<object, TextWriter> formatter, string mimeType = HtmlFormatter.MimeType) =>
        Engine.Register(type, formatter, mimeType);

    /// <summary>Registers a formatter for <typeparamref name="T"/> that writes to the context's writer and may decline (false).</summary>
    public static void Register<T>(Func<T, FormatContext, bool> formatter, string mimeType = HtmlFormatter.MimeType)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        Engine.Register(new LossLab.Notebooks.Formatting.DelegateTypeFormatter(typeof(T), mimeType, (o, w) => formatter((T)o, new FormatContext(w))));
    }

    /// <summary>Sets the MIME types values of <paramref name="type"/> are displayed as.</summary>
    public static void SetPreferredMimeTypesFor(Type type, params string[] preferredMimeTypes) => Engine.SetPreferredMimeTypesFor(type, preferredMimeTypes);

    /// <summary>Forgets registered formatters and preferred MIME types.</summary>
    public static void ResetToDefault() => Engine.ResetToDefault();

    /// <summary>Items of a sequence shown before it is cut.</summary>
    public static int ListExpansionLimit { get => Engine.ListExpansionLimit; set => Engine.ListExpansionLimit = value; }

    /// <summary>How deep nested objects are expanded.</summary>
    public static int RecursionLimit { get => Engine.RecursionLimit; set => Engine.RecursionLimit = value; }

    /// <summary>The MIME type values are displayed as by default (text/html).</summary>
    public static string DefaultMimeType { get; set; } = HtmlFormatter.MimeType;

    /// <summary>The value formatted as <paramref name="mimeType"/>.</summary>
    public static string ToDisplayString(this object? obj, string mimeType = PlainTextFormatter.MimeType) => Engine.ToDisplayString(obj, mimeType);
}

/// <summary>What a context-taking formatter writes to.</summary>
public sealed class FormatContext(TextWriter writer)
{
    /// <summary>The writer of the output being formatted.</summary>
    public TextWriter Writer { get; } = writer;
}

/// <summary>The HTML formatter's MIME type.</summary>
public static class HtmlFormatter
{
    /// <summary>text/html.</summary>
    public const string MimeType = "text/html";
}

/// <summary>The plain-text formatter's MIME type.</summary>
public static class PlainTextFormatter
{
    /// <summary>text/plain.</summary>
    public const string MimeType = "text/plain";
}
