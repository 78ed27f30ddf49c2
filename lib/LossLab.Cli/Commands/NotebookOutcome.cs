namespace LossLab.Cli.Commands;

/// <summary>How one notebook of a batch ended; <see cref="CachedFrom"/> is the original run's date when the execution cache
/// reused the notebook's executed copy.</summary>
public sealed record NotebookOutcome(string Input, string? Output, bool Succeeded, int CellsRun, int CodeCells, TimeSpan Duration, string? Problem, int AllowedErrors = 0,
    DateTimeOffset? CachedFrom = null)
{
    /// <summary>Reused from an earlier run by the execution cache.</summary>
    public bool Cached => CachedFrom is not null;
}
