using System.Text.Json.Nodes;

namespace LossLab.Notebooks.Documents;

/// <summary>Resolves a cell's kernel as Polyglot does on read (dotnet/interactive <c>InteractiveDocumentElementConverter.Read</c>).</summary>
public static class CellKernelResolver
{
    /// <summary>
    /// The kernel of a cell and its code: a first line <c>#!kernel</c> naming a known kernel wins (and is blanked in the code,
    /// keeping line numbers), then <c>polyglot_notebook.kernelName</c>, then <c>dotnet_interactive.language</c>, then the
    /// notebook default. Markdown cells are "markdown".
    /// </summary>
    public static (string Kernel, string Code) Resolve(string cellType, string source, JsonObject? cellMetadata, string notebookDefault)
    {
        if (cellType == "markdown") return (KernelNames.Markdown, source);
        if (cellType != "code") return (cellType, source);
        var firstLineEnd = source.IndexOf('\n');
        var firstLine = (firstLineEnd < 0 ? source : source[..firstLineEnd]).TrimEnd('\r').Trim();
        if (firstLine.StartsWith("#!", StringComparison.Ordinal) && KernelNames.Normalize(firstLine[2..]) is { } chosen)
            return (chosen, firstLineEnd < 0 ? "" : source[firstLineEnd..]);
        var fromMeta = cellMetadata?["polyglot_notebook"]?["kernelName"]?.GetValue<string>()
                       ?? cellMetadata?["dotnet_interactive"]?["language"]?.GetValue<string>();
        if (fromMeta is not null) return (KernelNames.Normalize(fromMeta) ?? fromMeta, source);
        return (notebookDefault, source);
    }
}
