using LossLab.Notebooks.Documents;

namespace LossLab.Notebooks.Execution;

/// <summary>Finds notebooks under files and folders, and picks a shard of them.</summary>
public static class NotebookDiscovery
{
    static readonly HashSet<string> SkippedFolders = new(StringComparer.Ordinal) { "bin", "obj", "artifacts", ".ipynb_checkpoints", "node_modules" };

    /// <summary>The notebooks named by <paramref name="paths"/> (files, or folders searched recursively, skipping bin, obj,
    /// artifacts, checkpoints and hidden folders), full paths sorted ordinally, without duplicates.</summary>
    public static IReadOnlyList<string> Find(IEnumerable<string> paths)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            var full = Path.GetFullPath(path);
            if (File.Exists(full))
            {
                if (!NotebookFile.IsNotebook(full)) throw new ArgumentException($"'{path}' is not a notebook (.ipynb or .dib).", nameof(paths));
                found.Add(full);
            }
            else if (Directory.Exists(full)) Walk(full, found);
            else throw new ArgumentException($"'{path}': no such file or folder.", nameof(paths));
        }
        return [.. found];
    }

    static void Walk(string folder, SortedSet<string> found)
    {
        foreach (var file in Directory.EnumerateFiles(folder))
            if (NotebookFile.IsNotebook(file)) found.Add(file);
        foreach (var dir in Directory.EnumerateDirectories(folder))
        {
            var name = Path.GetFileName(dir);
            if (name.StartsWith('.') || SkippedFolders.Contains(name)) continue;
            Walk(dir, found);
        }
    }

    /// <summary>Shard <paramref name="index"/> of <paramref name="count"/> (1-based): every count-th notebook starting at the
    /// index-th, so N machines given shards 1/N … N/N run each notebook exactly once.</summary>
    public static IReadOnlyList<string> Shard(IReadOnlyList<string> notebooks, int index, int count)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "The shard count must be at least 1.");
        if (index < 1 || index > count) throw new ArgumentOutOfRangeException(nameof(index), index, $"The shard index must be between 1 and {count}.");
        return notebooks.Where((_, i) => i % count == index - 1).ToList();
    }

    /// <summary>Where the executed copy of <paramref name="notebook"/> goes: under <paramref name="outDir"/>, mirroring its path
    /// relative to <paramref name="root"/> (or just its name when it lies outside), always as .ipynb.</summary>
    public static string OutputPath(string notebook, string outDir, string root)
    {
        var full = Path.GetFullPath(notebook);
        var relative = Path.GetRelativePath(Path.GetFullPath(root), full);
        if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative)) relative = Path.GetFileName(full);
        return Path.Combine(Path.GetFullPath(outDir), Path.ChangeExtension(relative, ".ipynb"));
    }
}
