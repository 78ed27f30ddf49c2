namespace LossLab.Cli.Commands;

/// <summary>How one notebook of a batch ended.</summary>
public sealed record NotebookOutcome(string Input, string? Output, bool Succeeded, int CellsRun, int CodeCells, TimeSpan Duration, string? Problem, int AllowedErrors = 0);
