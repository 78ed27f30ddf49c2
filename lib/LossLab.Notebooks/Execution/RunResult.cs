namespace LossLab.Notebooks.Execution;

/// <summary>The outcome of running a notebook.</summary>
public sealed record RunResult(string InputPath, string OutputPath, int CellsRun, int CodeCells, TimeSpan Duration, NotebookFailure? Failure, int AllowedErrors)
{
    /// <summary>True when no cell failed the run.</summary>
    public bool Succeeded => Failure is null;
}

/// <summary>Why a run failed (papermill's <c>PapermillExecutionError</c>): the cell's position (1-based) in the notebook as
/// run (after parameter injection, before the error markers; the <c>cellN.csx</c> of its traceback), id, execution count,
/// and the error. <see cref="CellIndex"/> is 0 for failures before any cell ran.</summary>
public sealed record NotebookFailure(int CellIndex, string? CellId, int? ExecutionCount, string Name, string Value, IReadOnlyList<string> Traceback)
{
    /// <summary>One line for logs: which cell and what went wrong.</summary>
    public string Describe() => CellIndex == 0 ? $"{Name}: {Value}"
        : $"cell {CellIndex}{(ExecutionCount is { } n ? $" (In [{n}])" : "")}{(CellId is null ? "" : $", id {CellId}")}: {Name}: {Value}";
}
