namespace LossLab.Notebooks.Execution;

/// <summary>How to run one notebook.</summary>
public sealed record RunOptions
{
    /// <summary>The notebook to run (.ipynb or .dib).</summary>
    public required string InputPath { get; init; }

    /// <summary>Where the executed .ipynb goes.</summary>
    public required string OutputPath { get; init; }

    /// <summary>Parameter values (<c>-f</c>, <c>-y</c>, <c>-p</c>).</summary>
    public ParameterOverrides Parameters { get; init; } = new();

    /// <summary>The run's scale (smoke, default or paper): sets the notebook's <c>Scale</c> parameter when it declares one.</summary>
    public string? Scale { get; init; }

    /// <summary>Go on past cells that raise errors (nbclient's allow_errors).</summary>
    public bool AllowErrors { get; init; }

    /// <summary>Bound on each cell's run time, or null for none.</summary>
    public TimeSpan? ExecutionTimeout { get; init; }

    /// <summary>Characters one stream output keeps in the notebook; past it the head and tail are kept with a note and the
    /// whole stream goes to a side file beside the executed notebook (linked from the cell's <c>metadata.losslab.streams</c>).</summary>
    public long StreamLimit { get; init; } = Kernel.CSharpKernel.DefaultStreamLimit;

    /// <summary>While a cell runs, how often the output notebook is saved with the outputs so far (papermill's
    /// autosave_cell_every, default 30 s); only when they changed. Null or zero: saved only between cells.</summary>
    public TimeSpan? AutosaveCellEvery { get; init; } = DefaultAutosaveCellEvery;

    /// <summary>papermill's default autosave interval for long cells.</summary>
    public static readonly TimeSpan DefaultAutosaveCellEvery = TimeSpan.FromSeconds(30);

    /// <summary>Progress events, may be null.</summary>
    public Action<RunEvent>? Progress { get; init; }

    /// <summary>Live cell stdout/stderr (stream, text), may be null.</summary>
    public Action<string, string>? OnStream { get; init; }

    /// <summary>Inject the parameters and write the output notebook without running any cell (papermill's --prepare-only).</summary>
    public bool PrepareOnly { get; init; }

    /// <summary>The folder the cells run in (papermill's --cwd); null for the notebook's own folder.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Mark every code cell's source hidden in the output notebook (papermill's --report-mode: metadata
    /// jupyter.source_hidden), so that the site and Jupyter show the outputs with the code folded away.</summary>
    public bool ReportMode { get; init; }

    /// <summary>The scales a run may have.</summary>
    public static IReadOnlyList<string> Scales => LossLab.Experiments.RunScales.Names;
}

/// <summary>A progress event: <paramref name="Cell"/> of <paramref name="Cells"/> code cells (0 when the notebook starts).</summary>
public sealed record RunEvent(string InputPath, int Cell, int Cells, TimeSpan Elapsed, bool Finished, bool? Failed = null);
