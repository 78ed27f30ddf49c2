namespace LossLab.Notebooks.Documents;

/// <summary>A notebook file that cannot be read: names the file and the problem (with a line number when the JSON is broken).</summary>
public sealed class NotebookFormatException(string path, string problem, Exception? inner = null)
    : Exception($"{path}: {problem}", inner)
{
    /// <summary>The file that could not be read.</summary>
    public string Path { get; } = path;

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; } = problem;
}
