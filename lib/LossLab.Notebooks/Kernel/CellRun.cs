using System.Text.Json.Nodes;

namespace LossLab.Notebooks.Kernel;

/// <summary>The outcome of one cell: its outputs (nbformat objects, in order), how long it took, and the error if it failed.</summary>
public sealed record CellRun(JsonArray Outputs, TimeSpan Duration, CellError? Error)
{
    /// <summary>True when the cell raised an error (compile error, exception, magic-command error or timeout).</summary>
    public bool Failed => Error is not null;

    /// <summary>Stream outputs too long for the notebook, whose whole text went to side files.</summary>
    public IReadOnlyList<StreamSpill> Spills { get; init; } = [];
}

/// <summary>A cell's error as Jupyter records it: <c>ename</c>, <c>evalue</c> and traceback lines (paths relative to the notebook).</summary>
public sealed record CellError(string Name, string Value, IReadOnlyList<string> Traceback, bool TimedOut = false);
