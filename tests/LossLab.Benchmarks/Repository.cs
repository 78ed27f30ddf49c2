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

/// <summary>The losslab command run as a child process, the way a user runs it.</summary>
static class LosslabProcess
{
    /// <summary>Runs <paramref name="command"/> (a losslab executable) with <paramref name="arguments"/> in
    /// <paramref name="workingDirectory"/> and returns its standard output; a non-zero exit throws with its standard
    /// error.</summary>
    public static string Run(string command, string workingDirectory, params string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"losslab {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{stderr.Result}");
        return stdout;
    }
}
