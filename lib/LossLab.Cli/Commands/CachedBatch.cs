using LossLab.Notebooks.Documents;

namespace LossLab.Cli.Commands;

/// <summary>A <c>losslab run</c> through the execution cache (<see cref="ExecutionCache"/>): decides what runs (or, with
/// <c>--dry-run</c>, only lists it), runs the rest, records the notebooks that succeeded, and reports the cached ones in
/// the summary and the site as they were.</summary>
static class CachedBatch
{
    public delegate Task<int> Runner(RunSettings settings, CancellationToken cancellationToken, IReadOnlyList<NotebookOutcome>? cached,
        Action<IReadOnlyList<NotebookOutcome>>? onFinished);

    public static async Task<int> RunAsync(RunSettings settings, Runner run, CancellationToken cancellationToken)
    {
        if (settings.Force is { Count: > 0 } forced)
            foreach (var f in forced.Where(f => !settings.Notebooks.Any(n => ExecutionCache.Covers(f, n))))
            {
                Console.Error.WriteLine($"losslab: --force {f}: no notebook of this run is, or is under, that path. Nothing was run.");
                return 2;
            }
        var decisions = ExecutionCache.Decide(settings, settings.Force);
        foreach (var d in decisions.Where(d => d.Note is not null)) Console.Error.WriteLine($"losslab: note: {d.Note}");
        if (settings.DryRun)
        {
            foreach (var d in decisions) Console.WriteLine($"{RunReporter.Show(d.Notebook)}: {d.Reason}");
            int runs = decisions.Count(d => d.Run);
            Console.WriteLine($"losslab: dry run: {runs} would run, {decisions.Count - runs} cached; nothing was run.");
            return 0;
        }
        var toRun = decisions.Where(d => d.Run).Select(d => d.Notebook).ToList();
        foreach (var n in toRun)
        {
            try { ExecutionCache.Forget(settings, n); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        var cached = decisions.Where(d => !d.Run).Select(d => Cached(settings, d)).ToList();
        foreach (var c in cached) Console.WriteLine($"losslab: {RunReporter.Show(c.Input)}: cached (unchanged since {c.CachedFrom:yyyy-MM-ddTHH:mmZ})");
        return await run(settings with { Notebooks = toRun }, cancellationToken, cached, outcomes =>
        {
            var end = DateTimeOffset.UtcNow;
            foreach (var o in outcomes.Where(o => o.Succeeded && o.Output is not null))
            {
                try { ExecutionCache.Record(settings, o.Input, end - o.Duration); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotebookFormatException)
                {
                    Console.Error.WriteLine($"losslab: note: the cache record of {RunReporter.Show(o.Input)} was not written ({e.Message}); it will run again next time.");
                }
            }
        });
    }

    static NotebookOutcome Cached(RunSettings settings, ExecutionCache.Decision d)
    {
        var output = settings.OutputFor(d.Notebook);
        try { MarkCached(settings, d); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotebookFormatException or InvalidOperationException)
        {
            Console.Error.WriteLine($"losslab: note: {RunReporter.Show(output)} could not be marked as cached ({e.Message}).");
        }
        int ran = 0, code = 0;
        try
        {
            var document = IpynbFormat.Read(output);
            code = document.Cells.Count(c => c.IsCode);
            ran = document.Cells.Count(c => c.IsCode && c.ExecutionCount is not null);
        }
        catch (NotebookFormatException) { }
        return new NotebookOutcome(d.Notebook, output, true, ran, code, TimeSpan.Zero, null, 0, d.RanAt ?? DateTimeOffset.MinValue);
    }

    /// <summary>Marks the reused executed notebook for the site (<c>metadata.losslab.cached</c>: the original run's date and
    /// this run's), then records it again so that the marked copy is the one the cache validates.</summary>
    static void MarkCached(RunSettings settings, ExecutionCache.Decision d)
    {
        var output = settings.OutputFor(d.Notebook);
        var document = IpynbFormat.Read(output);
        var metadata = document.Metadata;
        if (metadata["losslab"] is not System.Text.Json.Nodes.JsonObject losslab) metadata["losslab"] = losslab = [];
        var ran = (d.RanAt ?? DateTimeOffset.MinValue).ToUniversalTime();
        losslab["cached"] = new System.Text.Json.Nodes.JsonObject
        {
            ["ran"] = ran.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            ["reused"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
        };
        IpynbFormat.Save(document, output);
        ExecutionCache.Record(settings, d.Notebook, ran);
    }

    /// <summary>The cached and the run outcomes in the order of the notebooks' sorted paths.</summary>
    public static IReadOnlyList<NotebookOutcome> Merge(IReadOnlyList<NotebookOutcome> cached, IReadOnlyList<NotebookOutcome> ran) =>
        [.. cached.Concat(ran).OrderBy(o => o.Input, StringComparer.Ordinal)];
}
