namespace LossLab.Cli.Commands;

/// <summary>Where the cells' stream text goes besides the notebooks, as it is written: echoed to the terminal's stderr
/// (<c>--log-output</c>) and appended to <c>--stdout-file</c> / <c>--stderr-file</c> (papermill's options; the files are
/// truncated when the run starts and hold every notebook's text of that stream, in the order it arrived).</summary>
sealed class OutputSink : IDisposable
{
    readonly object gate = new();
    readonly TextWriter terminal;
    readonly bool echo;
    readonly StreamWriter? stdout, stderr;

    OutputSink(bool echo, string? stdoutFile, string? stderrFile)
    {
        terminal = Console.Error;   // as it is before any cell runs (a running cell's Console is its capture)
        this.echo = echo;
        stdout = Open(stdoutFile);
        stderr = stderrFile is not null && stdoutFile is not null && Path.GetFullPath(stderrFile) == Path.GetFullPath(stdoutFile) ? stdout : Open(stderrFile);
    }

    /// <summary>The sink of a run, or null when it sends stream text nowhere but the notebooks.</summary>
    /// <exception cref="IOException">A file cannot be created; the message names it.</exception>
    public static OutputSink? For(RunSettings settings) =>
        settings.LogOutput || settings.StdoutFile is not null || settings.StderrFile is not null
            ? new OutputSink(settings.LogOutput, settings.StdoutFile, settings.StderrFile)
            : null;

    static StreamWriter? Open(string? path)
    {
        if (path is null) return null;
        try
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(path));
            if (folder is not null) Directory.CreateDirectory(folder);
            return new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false));
        }
        catch (Exception e) when (e is UnauthorizedAccessException or DirectoryNotFoundException or IOException)
        {
            throw new IOException($"{path}: cannot write the stream file ({e.Message}).", e);
        }
    }

    /// <summary>Takes one piece of a cell's stream text (<paramref name="stream"/> is stdout or stderr).</summary>
    public void Write(string stream, string text)
    {
        lock (gate)
        {
            if (echo) { terminal.Write(text); terminal.Flush(); }
            var file = stream == "stderr" ? stderr : stdout;
            if (file is not null) { file.Write(text); file.Flush(); }
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            stdout?.Dispose();
            if (!ReferenceEquals(stderr, stdout)) stderr?.Dispose();
        }
    }
}
