namespace LossLab.Benchmarks;

/// <summary>The repository the benchmarks run in.</summary>
static class Repository
{
    /// <summary>The folder holding Notebooks.sln above the benchmark's binaries, else the current directory.</summary>
    public static string Root()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Notebooks.sln"))) return d.FullName;
        return Directory.GetCurrentDirectory();
    }
}
