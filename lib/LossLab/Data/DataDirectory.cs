namespace LossLab.Data;

/// <summary>
/// Finds the repository's <c>data/</c> folder from any working directory. Notebooks run with their own folder as the
/// working directory, so paths to shipped data sets are resolved by walking up to the folder that holds
/// <c>Notebooks.sln</c> and taking its <c>data/</c> subfolder.
/// </summary>
public static class DataDirectory
{
    /// <summary>The file that marks the repository root.</summary>
    public const string RootMarker = "Notebooks.sln";

    /// <summary>The environment variable that, when set, overrides the search with an explicit data folder.</summary>
    public const string EnvironmentVariable = "LOSSLAB_DATA";

    /// <summary>
    /// The absolute path of the data folder: <c>$LOSSLAB_DATA</c> when set, else the <c>data</c> folder beside the first
    /// <c>Notebooks.sln</c> found walking up from <paramref name="startDirectory"/> (default: the current directory),
    /// else the same walk from the directory of the LossLab assembly.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">No such folder was found; the message lists where it looked.</exception>
    public static string Find(string? startDirectory = null)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            if (Directory.Exists(fromEnvironment)) return Path.GetFullPath(fromEnvironment);
            throw new DirectoryNotFoundException($"{EnvironmentVariable} is set to '{fromEnvironment}', which is not a directory.");
        }
        var starts = new List<string> { Path.GetFullPath(startDirectory ?? Directory.GetCurrentDirectory()) };
        if (startDirectory is null) starts.Add(AppContext.BaseDirectory);
        foreach (var start in starts)
        {
            var root = FindRoot(start);
            if (root is null) continue;
            var data = Path.Combine(root, "data");
            if (Directory.Exists(data)) return data;
        }
        throw new DirectoryNotFoundException(
            $"Could not find the LossLab data folder: no directory holding {RootMarker} and a data/ folder above " +
            $"{string.Join(" or ", starts.Select(s => $"'{s}'"))}. Set {EnvironmentVariable} to the data folder to override.");
    }

    /// <summary>The path of <paramref name="parts"/> inside the data folder found by <see cref="Find"/> from the current directory.</summary>
    public static string Resolve(params string[] parts) => Path.Combine([Find(), .. parts]);

    /// <summary>The first directory at or above <paramref name="start"/> holding <see cref="RootMarker"/>, or null.</summary>
    public static string? FindRoot(string start)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, RootMarker))) return dir.FullName;
        return null;
    }
}
