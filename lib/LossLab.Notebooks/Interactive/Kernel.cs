using LossLab.Notebooks.Formatting;

namespace Microsoft.DotNet.Interactive;

/// <summary>
/// The display functions of .NET Interactive's <c>Microsoft.DotNet.Interactive.Kernel</c>, which its C# kernel brings into
/// scope with <c>using static</c> (so does LossLab's engine: a notebook that writes that using again compiles the same).
/// </summary>
public static class Kernel
{
    /// <summary>Shows <paramref name="value"/> as a display output (default: text/html and text/plain, or the type's
    /// preferred types); returns a handle whose <c>Update</c> replaces it.</summary>
    public static DisplayedValue display(object? value, params string[] mimeTypes) => NotebookDisplay.Show(value, mimeTypes);

    /// <summary>Marks <paramref name="content"/> as HTML, displayed unchanged.</summary>
    public static HtmlString HTML(string content) => new(content ?? "");
}
