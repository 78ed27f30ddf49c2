using LossLab.Notebooks.Execution;

namespace LossLab.Cli.Commands;

/// <summary>The options of one <c>losslab run</c>, shared by the in-process and the parallel runner.</summary>
public sealed record RunSettings
{
    public required IReadOnlyList<string> Notebooks { get; init; }
    public required string OutDir { get; init; }
    public string Root { get; init; } = Environment.CurrentDirectory;
    public string? OutputFile { get; init; }
    public IReadOnlyList<(string Name, string Value)> Parameters { get; init; } = [];
    public IReadOnlyList<string> ParameterFiles { get; init; } = [];
    public IReadOnlyList<string> ParameterYaml { get; init; } = [];
    public string? Scale { get; init; }
    public int Jobs { get; init; } = 1;
    public bool AllowErrors { get; init; }
    public double? ExecutionTimeoutSeconds { get; init; }
    public bool ProgressProtocol { get; init; }
    /// <summary>The variables that choose each notebook process's malloc (<see cref="LossLab.Training.NativeAllocator"/>);
    /// null: worked out from the environment when a notebook starts.</summary>
    public IReadOnlyDictionary<string, string>? AllocatorEnvironment { get; init; }

    /// <summary>Run the notebooks in this process, one after another, rather than each in a child process.</summary>
    public bool InProcess { get; init; }

    /// <summary>Seconds between saves of the output notebook while a cell runs (<c>--autosave-cell-every</c>, papermill's
    /// default 30); 0 saves only between cells.</summary>
    public double AutosaveCellEverySeconds { get; init; } = RunOptions.DefaultAutosaveCellEvery.TotalSeconds;

    /// <summary>Characters a stream output keeps in the notebook (<c>--output-limit</c>).</summary>
    public long StreamLimit { get; init; } = LossLab.Notebooks.Kernel.CSharpKernel.DefaultStreamLimit;

    /// <summary>Echo the cells' stream outputs live to this process's stderr as they are written (<c>--log-output</c>).</summary>
    public bool LogOutput { get; init; }

    /// <summary>Inject parameters and write the notebooks without running them (<c>--prepare-only</c>).</summary>
    public bool PrepareOnly { get; init; }

    /// <summary>Files that receive the cells' stdout and stderr text as it is written (<c>--stdout-file</c>, <c>--stderr-file</c>).</summary>
    public string? StdoutFile { get; init; }
    public string? StderrFile { get; init; }

    /// <summary>The folder the cells run in (<c>--cwd</c>), or null for each notebook's own folder.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Hide the code cells' sources in the executed notebooks (<c>--report-mode</c>).</summary>
    public bool ReportMode { get; init; }

    /// <summary>Bytes each notebook's process may use (<c>--memory-limit</c>), or null for no limit.</summary>
    public long? MemoryLimit { get; init; }

    /// <summary>Notebooks or folders to run whatever the execution cache says (<c>--force [PATH]</c>): null forces none,
    /// empty forces all.</summary>
    public IReadOnlyList<string>? Force { get; init; }

    /// <summary>List what would run and why, and run nothing (<c>--dry-run</c>).</summary>
    public bool DryRun { get; init; }

    /// <summary>The parameter values for one notebook, in papermill's precedence (-f, then -y, then -p).</summary>
    public ParameterOverrides Overrides()
    {
        var overrides = new ParameterOverrides();
        foreach (var f in ParameterFiles) overrides.AddYamlFile(f);
        foreach (var y in ParameterYaml) overrides.AddYaml(y);
        foreach (var (name, value) in Parameters) overrides.Add(name, value);
        return overrides;
    }

    /// <summary>The executed notebook's path.</summary>
    public string OutputFor(string notebook) => OutputFile ?? NotebookDiscovery.OutputPath(notebook, OutDir, Root);

    /// <summary>The same options as command-line arguments for a child process running <paramref name="notebook"/>.</summary>
    public IEnumerable<string> ChildArguments(string notebook)
    {
        yield return "run";
        yield return notebook;
        yield return "--output-file";
        yield return OutputFor(notebook);
        foreach (var f in ParameterFiles) { yield return "-f"; yield return Path.GetFullPath(f); }
        foreach (var y in ParameterYaml) { yield return "-y"; yield return y; }
        foreach (var (n, v) in Parameters) { yield return "-p"; yield return n; yield return v; }
        if (Scale is not null) { yield return "--scale"; yield return Scale; }
        if (AllowErrors) yield return "--allow-errors";
        if (PrepareOnly) yield return "--prepare-only";
        // The notebook's process forwards its stream text (as @@log lines) whenever the parent has somewhere to send it.
        if (LogOutput || StdoutFile is not null || StderrFile is not null) yield return "--log-output";
        if (ExecutionTimeoutSeconds is { } t) { yield return "--execution-timeout"; yield return t.ToString(System.Globalization.CultureInfo.InvariantCulture); }
        if (AutosaveCellEverySeconds != RunOptions.DefaultAutosaveCellEvery.TotalSeconds)
        {
            yield return "--autosave-cell-every";
            yield return AutosaveCellEverySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (StreamLimit != LossLab.Notebooks.Kernel.CSharpKernel.DefaultStreamLimit) { yield return "--output-limit"; yield return StreamLimit.ToString(System.Globalization.CultureInfo.InvariantCulture); }
        if (WorkingDirectory is not null) { yield return "--cwd"; yield return Path.GetFullPath(WorkingDirectory); }
        if (ReportMode) yield return "--report-mode";
        yield return "--progress-protocol";
    }
}
