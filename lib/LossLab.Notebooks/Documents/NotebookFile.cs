namespace LossLab.Notebooks.Documents;

/// <summary>Opens a notebook by its extension: .ipynb or .dib.</summary>
public static class NotebookFile
{
    /// <summary>True when <paramref name="path"/> names a notebook the engine reads.</summary>
    public static bool IsNotebook(string path) =>
        path.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".dib", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads an .ipynb or .dib file.</summary>
    public static NotebookDocument Read(string path)
    {
        if (!File.Exists(path)) throw new NotebookFormatException(path, "no such file.");
        if (path.EndsWith(".dib", StringComparison.OrdinalIgnoreCase)) return DibFormat.Read(path);
        if (path.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase)) return IpynbFormat.Read(path);
        throw new NotebookFormatException(path, "not a notebook: the extension must be .ipynb or .dib.");
    }

    /// <summary>Writes <paramref name="document"/> to <paramref name="path"/> in the format its extension names (.ipynb or .dib;
    /// .dib keeps no outputs), atomically.</summary>
    public static void Save(NotebookDocument document, string path)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (path.EndsWith(".dib", StringComparison.OrdinalIgnoreCase)) DibFormat.Save(document, path);
        else if (path.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase)) IpynbFormat.Save(document, path);
        else throw new ArgumentException($"'{path}' is not a notebook path: the extension must be .ipynb or .dib.", nameof(path));
    }
}
