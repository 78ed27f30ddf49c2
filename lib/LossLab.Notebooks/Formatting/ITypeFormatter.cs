namespace LossLab.Notebooks.Formatting;

/// <summary>Formats values of one type as one MIME type (dotnet/interactive's <c>ITypeFormatter</c> shape).</summary>
public interface ITypeFormatter
{
    /// <summary>The type (or open generic type definition) this formatter handles.</summary>
    Type Type { get; }

    /// <summary>The MIME type it writes, e.g. text/html.</summary>
    string MimeType { get; }

    /// <summary>Writes <paramref name="value"/>; returns false to decline (the next formatter is tried).</summary>
    bool Format(object value, TextWriter writer);
}

/// <summary>A formatter from a delegate.</summary>
public sealed class DelegateTypeFormatter(Type type, string mimeType, Func<object, TextWriter, bool> format) : ITypeFormatter
{
    /// <inheritdoc/>
    public Type Type { get; } = type;

    /// <inheritdoc/>
    public string MimeType { get; } = mimeType;

    /// <inheritdoc/>
    public bool Format(object value, TextWriter writer) => format(value, writer);
}
