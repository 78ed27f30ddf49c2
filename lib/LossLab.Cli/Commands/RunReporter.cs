using Spectre.Console;

namespace LossLab.Cli.Commands;

/// <summary>Reports a batch run: live progress on a terminal (Spectre.Console), plain log lines otherwise (CI), or the
/// one-line protocol a parent <c>losslab run --jobs</c> reads from its children.</summary>
public abstract class RunReporter
{
    /// <summary>The reporter for this process's console.</summary>
    public static RunReporter Create(RunSettings settings) =>
        settings.ProgressProtocol ? new ProtocolReporter()
        : !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive ? new LiveReporter()
        : new PlainReporter();

    /// <summary>Runs <paramref name="body"/> with the display active.</summary>
    public virtual Task<T> RunAsync<T>(Func<Task<T>> body) => body();

    public abstract void NotebookStarted(int index, int count, string notebook);

    public abstract void CellStarted(int index, int count, string notebook, int cell, int cells, TimeSpan elapsed);

    public abstract void NotebookFinished(int index, int count, NotebookOutcome outcome);

    /// <summary>The summary table at the end.</summary>
    public virtual void Summary(IReadOnlyList<NotebookOutcome> outcomes)
    {
        var table = new Table().AddColumns("notebook", "status", "cells", "time", "output");
        foreach (var o in outcomes)
            table.AddRow(Markup.Escape(Show(o.Input)), o.Cached ? $"[blue]cached[/] ({o.CachedFrom:yyyy-MM-ddTHH:mmZ})" : o.Succeeded ? (o.AllowedErrors > 0 ? $"[yellow]ok, {o.AllowedErrors} errors[/]" : "[green]ok[/]") : "[red]FAILED[/]",
                $"{o.CellsRun}/{o.CodeCells}", $"{o.Duration.TotalSeconds:0.0} s", Markup.Escape(o.Output is null ? "" : Show(o.Output)));
        AnsiConsole.Write(table);
        int failed = outcomes.Count(o => !o.Succeeded);
        int cached = outcomes.Count(o => o.Cached);
        var reused = cached == 0 ? "" : $" ({cached} cached)";
        var notebooks = outcomes.Count == 1 ? "notebook" : "notebooks";
        AnsiConsole.MarkupLine(failed == 0 ? $"[green]{outcomes.Count} {notebooks} ran{reused}, none failed.[/]" : $"[red]{failed} of {outcomes.Count} {notebooks} failed{reused}.[/]");
    }

    /// <summary>A path relative to the current folder when inside it.</summary>
    public static string Show(string path)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }
}

/// <summary>Plain log lines, one per event.</summary>
sealed class PlainReporter : RunReporter
{
    readonly object gate = new();

    public override void NotebookStarted(int index, int count, string notebook)
    {
        lock (gate) Console.WriteLine($"losslab: [{index}/{count}] {Show(notebook)}: started");
    }

    public override void CellStarted(int index, int count, string notebook, int cell, int cells, TimeSpan elapsed)
    {
        lock (gate) Console.WriteLine($"losslab: [{index}/{count}] {Show(notebook)}: cell {cell}/{cells} ({elapsed.TotalSeconds:0.0} s)");
    }

    public override void NotebookFinished(int index, int count, NotebookOutcome o)
    {
        lock (gate) Console.WriteLine($"losslab: [{index}/{count}] {Show(o.Input)}: {(o.Succeeded ? "completed" : "FAILED")} in {o.Duration.TotalSeconds:0.0} s");
    }
}

/// <summary>Progress lines for a parent process: <c>@@progress CELL CELLS</c>.</summary>
sealed class ProtocolReporter : RunReporter
{
    public override void NotebookStarted(int index, int count, string notebook) { }

    public override void CellStarted(int index, int count, string notebook, int cell, int cells, TimeSpan elapsed) =>
        Console.WriteLine($"@@progress {cell} {cells}");

    public override void NotebookFinished(int index, int count, NotebookOutcome outcome) { }

    public override void Summary(IReadOnlyList<NotebookOutcome> outcomes) { }
}

/// <summary>Spectre.Console live progress: one line per notebook (i/n, cell j/m, elapsed).</summary>
sealed class LiveReporter : RunReporter
{
    ProgressContext? context;
    readonly Dictionary<string, ProgressTask> tasks = [];
    readonly object gate = new();

    public override Task<T> RunAsync<T>(Func<Task<T>> body) =>
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx => { context = ctx; return await body(); });

    public override void NotebookStarted(int index, int count, string notebook)
    {
        lock (gate)
        {
            if (context is null) return;
            var task = context.AddTask(Describe(index, count, notebook, 0, 0), maxValue: 1);
            task.StartTask();
            tasks[notebook] = task;
        }
    }

    public override void CellStarted(int index, int count, string notebook, int cell, int cells, TimeSpan elapsed)
    {
        lock (gate)
        {
            if (!tasks.TryGetValue(notebook, out var task)) return;
            task.MaxValue = Math.Max(1, cells);
            task.Value = Math.Max(0, cell - 1);
            task.Description = Describe(index, count, notebook, cell, cells);
        }
    }

    public override void NotebookFinished(int index, int count, NotebookOutcome o)
    {
        lock (gate)
        {
            if (!tasks.TryGetValue(o.Input, out var task)) return;
            task.Description = $"[[{index}/{count}]] {Markup.Escape(Show(o.Input))} {(o.Succeeded ? "[green]done[/]" : "[red]FAILED[/]")} ({o.CellsRun}/{o.CodeCells} cells)";
            task.Value = task.MaxValue;
            task.StopTask();
        }
    }

    static string Describe(int index, int count, string notebook, int cell, int cells) =>
        $"[[{index}/{count}]] {Markup.Escape(Show(notebook))}" + (cells > 0 ? $" cell {cell}/{cells}" : "");
}
