namespace LossLab.Notebooks.Documents;

/// <summary>Polyglot kernel names and their aliases (dotnet/interactive normalises <c>C#</c>, <c>c#</c>, <c>cs</c> to <c>csharp</c>, …).</summary>
public static class KernelNames
{
    /// <summary>The C# kernel, the only one LossLab runs.</summary>
    public const string CSharp = "csharp";

    /// <summary>Markdown cells.</summary>
    public const string Markdown = "markdown";

    static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["csharp"] = CSharp, ["C#"] = CSharp, ["c#"] = CSharp, ["cs"] = CSharp,
        ["fsharp"] = "fsharp", ["F#"] = "fsharp", ["f#"] = "fsharp", ["fs"] = "fsharp",
        ["pwsh"] = "pwsh", ["powershell"] = "pwsh", ["PowerShell"] = "pwsh",
        ["javascript"] = "javascript", ["js"] = "javascript", ["JavaScript"] = "javascript",
        ["html"] = "html", ["HTML"] = "html",
        ["markdown"] = Markdown, ["md"] = Markdown, ["Markdown"] = Markdown,
        ["mermaid"] = "mermaid", ["sql"] = "sql", ["kql"] = "kql", ["value"] = "value", ["http"] = "http",
    };

    /// <summary>The canonical kernel name for <paramref name="nameOrAlias"/>, or null when it is not a known kernel.</summary>
    public static string? Normalize(string nameOrAlias) =>
        Aliases.TryGetValue(nameOrAlias.Trim(), out var name) ? name : null;

    /// <summary>The kernel of a Jupyter kernelspec name (<c>.net-csharp</c>, <c>.net-fsharp</c>, <c>.net-pwsh</c>).</summary>
    public static string? FromKernelspec(string? kernelspecName) => kernelspecName switch
    {
        ".net-csharp" => CSharp,
        ".net-fsharp" => "fsharp",
        ".net-pwsh" or ".net-powershell" => "pwsh",
        _ => null,
    };
}
