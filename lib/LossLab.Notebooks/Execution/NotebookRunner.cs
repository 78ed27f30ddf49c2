using System.Diagnostics;
using System.Text.Json.Nodes;
using LossLab.Notebooks.Documents;
using LossLab.Notebooks.Kernel;

namespace LossLab.Notebooks.Execution;

/// <summary>
/// Runs a notebook papermill's way, as a short pipeline: read, normalise to Polyglot's format, bind and inject
/// parameters (errors before any cell runs), start the execution record, run the cells in one C# kernel, stop at the first
/// error (unless allowed) and mark it, save.
/// </summary>
public static class NotebookRunner
{
    /// <summary>The tag nbclient uses for a cell whose error is expected.</summary>
    public const string RaisesExceptionTag = "raises-exception";

    /// <summary>The tag nbclient uses for a cell not to run.</summary>
    public const string SkipExecutionTag = "skip-execution";

    /// <summary>A notebook written for another kernel (kernelspec python3, ir, …, with no Polyglot kernel information)
    /// is refused by name rather than run as C#.</summary>
    static void RefuseForeignKernel(NotebookDocument document, string path)
    {
        var meta = document.Metadata;
        if (meta["polyglot_notebook"] is not null || meta["kernelInfo"] is not null) return;
        var name = meta["kernelspec"]?["name"]?.GetValue<string>();
        var language = meta["kernelspec"]?["language"]?.GetValue<string>();
        bool dotnet = name is null || name.StartsWith(".net", StringComparison.OrdinalIgnoreCase)
                      || name.Contains("polyglot", StringComparison.OrdinalIgnoreCase) || name.Equals("csharp", StringComparison.OrdinalIgnoreCase)
                      || name.Contains("losslab", StringComparison.OrdinalIgnoreCase);
        bool csharpLanguage = language is null || KernelNames.Normalize(language) is not null;
        if (!dotnet || !csharpLanguage)
            throw new NotebookFormatException(path, $"this notebook's kernel is {name ?? language} ({language ?? "no language"}); LossLab runs C# (.NET Interactive) notebooks.");
    }

    /// <summary>Runs the notebook in <paramref name="options"/>. A malformed notebook throws <see cref="NotebookFormatException"/>
    /// and bad parameters <see cref="ParameterException"/>, both before anything is written; a failing cell is reported in
    /// the result (the output notebook is written either way).</summary>
    public static async Task<RunResult> RunAsync(RunOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var stopwatch = Stopwatch.StartNew();
        var document = NotebookFile.Read(options.InputPath);
        RefuseForeignKernel(document, options.InputPath);
        document.NormalizeForPolyglot();
        JsonText.SetSorted(document.Metadata, "language_info", CSharpKernel.LanguageInfo());   // as nbclient writes the kernel's
        var bound = ParameterInjector.Inject(document, WithScale(document, options));
        if (options.ReportMode)
            foreach (var c in document.Cells.Where(c => c.IsCode))
            {
                if (c.Metadata["jupyter"] is not JsonObject jupyter) c.Metadata["jupyter"] = jupyter = new JsonObject();
                jupyter["source_hidden"] = true;
            }
        var scale = EffectiveScale(document, bound);
        if (scale is not null && !RunOptions.Scales.Contains(scale))
            throw new ParameterException($"Scale = \"{scale}\": the scale must be smoke, default or paper (a typo must not run as another scale).");
        var record = new ExecutionRecord(document, options.InputPath, options.OutputPath, Defaults(document), Parameters(bound));
        JsonText.SetSorted(document.Metadata, "losslab", RunProvenance.Describe(scale));
        if (options.PrepareOnly)
        {
            record.Save();   // parameters injected, every cell pending, nothing run
            return new RunResult(options.InputPath, options.OutputPath, 0, document.Cells.Count(c => c.IsCode), stopwatch.Elapsed, null, 0);
        }

        var codeCells = document.Cells.Where(c => c.IsCode).ToList();
        var kernel = new CSharpKernel(options.WorkingDirectory ?? Path.GetDirectoryName(Path.GetFullPath(options.InputPath))!)
        {
            OnStream = options.OnStream,
            StreamLimit = options.StreamLimit,
            SideFilePrefix = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(options.OutputPath))!, Path.GetFileNameWithoutExtension(options.OutputPath)),
        };
        options.Progress?.Invoke(new RunEvent(options.InputPath, 0, codeCells.Count, stopwatch.Elapsed, false));
        int executionCount = 0, ran = 0, allowed = 0;
        NotebookCell? failedCell = null;
        NotebookFailure? failure = null;
        for (int i = 0; i < document.Cells.Count; i++)
        {
            var cell = document.Cells[i];
            if (!cell.IsCode || cell.HasTag(SkipExecutionTag) || string.IsNullOrWhiteSpace(cell.Code)) continue;
            cancellationToken.ThrowIfCancellationRequested();
            ran++;
            options.Progress?.Invoke(new RunEvent(options.InputPath, ran, codeCells.Count, stopwatch.Elapsed, false));
            cell.ExecutionCount = ++executionCount;   // before the start is saved, so a crash mid-cell leaves its In [n]
            record.CellStart(cell);
            CellRun run;
            if (cell.KernelName != KernelNames.CSharp)
            {
                var message = $"This cell is for the '{cell.KernelName}' kernel; LossLab's engine runs only C# (csharp) cells.";
                var error = new CellError("UnsupportedKernelError", message, [message]);
                run = new CellRun(new JsonArray(CellOutputs.Error(error.Name, error.Value, error.Traceback)), TimeSpan.Zero, error);
            }
            else run = await Autosaving(kernel.RunAsync(cell.Code, $"cell{i + 1}.csx", executionCount, options.ExecutionTimeout, cancellationToken),
                kernel, cell, record, options.AutosaveCellEvery).ConfigureAwait(false);
            cell.Outputs.Clear();   // an autosave may have shown the outputs so far
            foreach (var output in run.Outputs.ToList())
            {
                run.Outputs.Remove(output);
                cell.Outputs.Add(output);
            }
            if (run.Spills.Count > 0) record.CellStreamFiles(cell, run.Spills);
            bool expected = run.Failed && cell.HasTag(RaisesExceptionTag);
            if (run.Failed && !expected)
            {
                record.CellException(cell);
                if (options.AllowErrors && !kernel.IsDead) allowed++;
                else
                {
                    failedCell = cell;
                    failure = new NotebookFailure(i + 1, cell.Id, cell.ExecutionCount, run.Error!.Name, run.Error.Value, run.Error.Traceback);
                }
            }
            record.CellComplete(cell);
            if (failedCell is not null) break;
        }
        // The cells may have changed the thread count: record the runtime as the notebook left it.
        if (document.Metadata["losslab"] is JsonObject provenance) provenance["runtime"] = RunProvenance.Runtime();
        record.End(failedCell);
        options.Progress?.Invoke(new RunEvent(options.InputPath, ran, codeCells.Count, stopwatch.Elapsed, true, failure is not null));
        return new RunResult(options.InputPath, options.OutputPath, ran, codeCells.Count, stopwatch.Elapsed, failure, allowed);
    }

    /// <summary>Waits for a running cell, saving the notebook with the cell's outputs so far every <paramref name="every"/>
    /// while they change (a killed run keeps what a long cell printed up to the last save).</summary>
    static async Task<CellRun> Autosaving(Task<CellRun> run, CSharpKernel kernel, NotebookCell cell, ExecutionRecord record, TimeSpan? every)
    {
        if (every is not { } interval || interval <= TimeSpan.Zero) return await run.ConfigureAwait(false);
        long saved = 0;
        while (await Task.WhenAny(run, Task.Delay(interval)).ConfigureAwait(false) != run)
        {
            if (kernel.RunningOutputs(since: saved) is not { } now) continue;
            saved = now.Version;
            cell.Outputs.Clear();
            foreach (var output in now.Outputs.ToList())
            {
                now.Outputs.Remove(output);
                cell.Outputs.Add(output);
            }
            record.Save();
        }
        return await run.ConfigureAwait(false);
    }

    static ParameterOverrides WithScale(NotebookDocument document, RunOptions options)
    {
        if (options.Scale is null) return options.Parameters;
        if (!RunOptions.Scales.Contains(options.Scale))
            throw new ParameterException($"--scale {options.Scale}: the scale must be smoke, default or paper.");
        var declared = ParameterInjector.Declared(document).Parameters;
        var result = new ParameterOverrides();
        foreach (var (name, raw, source) in options.Parameters.Items.Where(x => x.Source != "-p"))
            if (raw is string s) result.Add(name, s, source); else result.AddList(name, raw, source);
        if (declared.Any(p => p.Name == "Scale" && p.Type == new ParameterType(ParameterKind.String, false)))
            result.Add("Scale", options.Scale, "--scale");
        foreach (var (name, raw, source) in options.Parameters.Items.Where(x => x.Source == "-p"))
            if (raw is string s) result.Add(name, s, source); else result.AddList(name, raw, source);
        return result;
    }

    static JsonObject Defaults(NotebookDocument document)
    {
        var obj = new JsonObject();
        foreach (var p in ParameterInjector.Declared(document).Parameters)
            obj[p.Name] = ParameterInjector.ToJson(ParametersCell.LiteralValue(p.DefaultText, p.Type)) ?? p.DefaultText;
        return obj;
    }

    static JsonObject Parameters(IReadOnlyList<BoundParameter> bound)
    {
        var obj = new JsonObject();
        foreach (var b in bound) obj[b.Parameter.Name] = ParameterInjector.ToJson(b.Value);
        return obj;
    }

    static string? EffectiveScale(NotebookDocument document, IReadOnlyList<BoundParameter> bound)
    {
        if (bound.FirstOrDefault(b => b.Parameter.Name == "Scale")?.Value is string s) return s;
        var declared = ParameterInjector.Declared(document).Parameters.FirstOrDefault(p => p.Name == "Scale");
        return declared is null ? null : ParametersCell.LiteralValue(declared.DefaultText, declared.Type) as string;
    }
}
