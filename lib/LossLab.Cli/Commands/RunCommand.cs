using System.CommandLine;
using System.CommandLine.Parsing;
using LossLab.Notebooks.Execution;

namespace LossLab.Cli.Commands;

/// <summary>
/// <c>losslab run PATH... [--out DIR] [-p NAME VALUE]... [-f FILE] [-y YAML] [--scale smoke|default|paper] [--jobs N]
/// [--shard I/N] [--allow-errors] [--execution-timeout S] [--autosave-cell-every S]</c>.
/// </summary>
public static class RunCommand
{
    /// <summary>Separates NAME and VALUE of a <c>-p NAME VALUE</c> pair once paired into one token.</summary>
    internal const char PairSeparator = '\u001f';

    /// <summary>Rewrites each <c>-p NAME VALUE</c> (or <c>--parameters</c>) into one token, so the parser sees one value per
    /// occurrence and a VALUE that looks like an option or a path is never mistaken for one.</summary>
    public static string[] PairParameterArguments(string[] args)
    {
        var result = new List<string>(args.Length);
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--") { result.AddRange(args[i..]); break; }
            if (args[i] is "-p" or "--parameters" && i + 2 < args.Length)
            {
                result.Add(args[i]);
                result.Add(args[i + 1] + PairSeparator + args[i + 2]);
                i += 2;
            }
            else result.Add(args[i]);
        }
        return [.. result];
    }

    /// <summary>A size such as <c>500000</c>, <c>512K</c>, <c>4M</c> or <c>2G</c> (powers of 1024), or null when malformed.</summary>
    public static long? ParseSize(string text)
    {
        text = text.Trim();
        if (text.Length == 0) return null;
        long factor = char.ToUpperInvariant(text[^1]) switch { 'K' => 1L << 10, 'M' => 1L << 20, 'G' => 1L << 30, _ => 1 };
        var number = factor == 1 ? text : text[..^1];
        if (!double.TryParse(number, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value)
            || !double.IsFinite(value) || value <= 0 || value * factor > long.MaxValue / 2) return null;
        return (long)(value * factor);
    }

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var paths = new Argument<string[]>("PATH") { Description = "Notebooks (.ipynb, .dib) or folders, searched recursively.", Arity = ArgumentArity.OneOrMore };
        var outDir = new Option<string>("--out", "-o") { Description = "Folder for executed notebooks, mirroring the source tree; {NAME} is replaced by parameter NAME's value (e.g. artifacts/lr-{LearningRate}).", DefaultValueFactory = _ => "artifacts", HelpName = "DIR" };
        var parameters = new Option<string[]>("--parameters", "-p") { Description = "Set a parameter: -p NAME VALUE (repeatable).", HelpName = "NAME VALUE" };
        var file = new Option<string[]>("--parameters-file", "-f") { Description = "YAML file of parameters (repeatable).", HelpName = "FILE" };
        var yaml = new Option<string[]>("--parameters-yaml", "-y") { Description = "Inline YAML of parameters.", HelpName = "YAML" };
        var scale = new Option<string?>("--scale") { Description = "Sets each notebook's Scale parameter.", HelpName = "smoke|default|paper" };
        scale.AcceptOnlyFromAmong([.. RunOptions.Scales]);
        var jobs = new Option<int>("--jobs", "-j") { Description = "Notebooks run at once, each in its own child process (default: the number of cores); notebooks running together split the cores.", DefaultValueFactory = _ => Environment.ProcessorCount, HelpName = "N" };
        var inProcess = new Option<bool>("--in-process") { Description = "Run the notebooks in this process, one after another (no isolation between notebooks)." };
        var shard = new Option<string?>("--shard") { Description = "Run shard I of N (1-based): every N-th notebook of the sorted list, from the I-th.", HelpName = "I/N" };
        var allowErrors = new Option<bool>("--allow-errors") { Description = "Go on past cells that raise errors." };
        var timeout = new Option<double?>("--execution-timeout") { Description = "Seconds each cell may run.", HelpName = "S" };
        var autosave = new Option<double>("--autosave-cell-every") { Description = "While a cell runs, save its notebook with the outputs so far every S seconds (default 30, as papermill; 0: only between cells).", DefaultValueFactory = _ => RunOptions.DefaultAutosaveCellEvery.TotalSeconds, HelpName = "S" };
        var outputLimit = new Option<string?>("--output-limit") { Description = "Characters a cell's stream output keeps in the notebook (default 4M); past it the head and tail are kept with a note and the whole stream goes to a side file beside the executed notebook.", HelpName = "SIZE" };
        var memoryLimit = new Option<string?>("--memory-limit") { Description = "Memory each notebook's process may use, e.g. 2G (default: no limit); a notebook past it fails, the rest run.", HelpName = "SIZE" };
        var logOutput = new Option<bool>("--log-output") { Description = "Echo the cells' stdout and stderr live to the terminal (stderr) as they run; the notebooks record them as usual." };
        var stdoutFile = new Option<string?>("--stdout-file") { Description = "Write the cells' stdout text to FILE as it is written (every notebook of the run, in order of arrival).", HelpName = "FILE" };
        var stderrFile = new Option<string?>("--stderr-file") { Description = "Write the cells' stderr text to FILE as it is written.", HelpName = "FILE" };
        var base64 = new Option<string[]>("--parameters-base64", "-b") { Description = "Base64-encoded YAML of parameters (repeatable; after -y, before -p).", HelpName = "B64" };
        var prepareOnly = new Option<bool>("--prepare-only") { Description = "Inject the parameters and write the notebooks under --out without running any cell." };
        var force = new Option<string[]>("--force") { Description = "Run again notebooks the execution cache would reuse: all with no PATH, or the notebooks under PATH (repeatable).", HelpName = "PATH", Arity = ArgumentArity.ZeroOrMore, AllowMultipleArgumentsPerToken = false };
        var dryRun = new Option<bool>("--dry-run") { Description = "List which notebooks would run and why (or that they are cached), and run nothing." };
        var cwd = new Option<string?>("--cwd") { Description = "Folder the cells run in (default: each notebook's own folder).", HelpName = "DIR" };
        var reportMode = new Option<bool>("--report-mode") { Description = "Hide the code cells' sources in the executed notebooks and the site (outputs only)." };
        var outputFile = new Option<string?>("--output-file") { Hidden = true };
        var protocol = new Option<bool>("--progress-protocol") { Hidden = true };
        var command = new Command("run", "Run notebooks papermill-style; executed copies go under --out.")
        {
            paths, outDir, parameters, file, yaml, scale, jobs, inProcess, shard, allowErrors, timeout, autosave, outputLimit, memoryLimit, logOutput, stdoutFile, stderrFile, base64, prepareOnly, force, dryRun, cwd, reportMode, outputFile, protocol,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            IReadOnlyList<string> notebooks;
            try
            {
                notebooks = NotebookDiscovery.Find(parse.GetValue(paths)!);
                if (parse.GetValue(shard) is { } s)
                {
                    var parts = s.Split('/');
                    if (parts.Length != 2 || !int.TryParse(parts[0], out var i) || !int.TryParse(parts[1], out var n))
                        throw new ArgumentException($"--shard {s}: expected I/N, e.g. 2/4.");
                    notebooks = NotebookDiscovery.Shard(notebooks, i, n);
                }
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"losslab: {e.Message}");
                return 2;
            }
            var pairs = new List<(string, string)>();
            foreach (var pair in parse.GetValue(parameters) ?? [])
            {
                int k = pair.IndexOf(PairSeparator);
                if (k < 0) { Console.Error.WriteLine($"losslab: -p {pair}: expected -p NAME VALUE."); return 2; }
                pairs.Add((pair[..k], pair[(k + 1)..]));
            }
            var jobCount = parse.GetValue(jobs);
            if (jobCount < 1) { Console.Error.WriteLine("losslab: --jobs must be at least 1."); return 2; }
            if (parse.GetValue(timeout) is <= 0) { Console.Error.WriteLine("losslab: --execution-timeout must be positive."); return 2; }
            if (parse.GetValue(autosave) is var every && (every < 0 || !double.IsFinite(every)))
            {
                Console.Error.WriteLine($"losslab: --autosave-cell-every {every}: expected seconds ≥ 0 (0 saves only between cells).");
                return 2;
            }
            long streamLimit = LossLab.Notebooks.Kernel.CSharpKernel.DefaultStreamLimit;
            long? memory = null;
            if (parse.GetValue(outputLimit) is { } ol)
            {
                if (ParseSize(ol) is not { } v || v < 100) { Console.Error.WriteLine($"losslab: --output-limit {ol}: expected a number of characters of at least 100, e.g. 500000, 512K or 4M."); return 2; }
                streamLimit = v;
            }
            if (parse.GetValue(memoryLimit) is { } ml)
            {
                if (ParseSize(ml) is not { } v || v < 64L << 20) { Console.Error.WriteLine($"losslab: --memory-limit {ml}: expected a size of at least 64M, e.g. 1500M or 2G."); return 2; }
                if (parse.GetValue(inProcess)) { Console.Error.WriteLine("losslab: --memory-limit applies to each notebook's own process; it cannot be used with --in-process."); return 2; }
                memory = v;
            }
            var decoded = new List<string>();
            foreach (var b in parse.GetValue(base64) ?? [])
            {
                try { decoded.Add(new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Convert.FromBase64String(b))); }
                catch (Exception e) when (e is FormatException or System.Text.DecoderFallbackException)
                {
                    Console.Error.WriteLine($"losslab: -b {(b.Length > 40 ? b[..40] + "…" : b)}: not base64-encoded UTF-8 YAML ({e.Message}).");
                    return 2;
                }
            }
            if (parse.GetValue(cwd) is { } dir && !Directory.Exists(dir)) { Console.Error.WriteLine($"losslab: --cwd {dir}: no such folder."); return 2; }
            IReadOnlyDictionary<string, string> allocator;
            try { allocator = LossLab.Training.NativeAllocator.ForNotebookProcess(); }
            catch (ArgumentException e) { Console.Error.WriteLine($"losslab: {e.Message}"); return 2; }
            var settings = new RunSettings
            {
                Notebooks = notebooks,
                OutDir = parse.GetValue(outDir)!,
                OutputFile = parse.GetValue(outputFile),
                Parameters = pairs,
                ParameterFiles = parse.GetValue(file) ?? [],
                ParameterYaml = [.. parse.GetValue(yaml) ?? [], .. decoded],
                Scale = parse.GetValue(scale),
                Jobs = jobCount,
                AllowErrors = parse.GetValue(allowErrors),
                ExecutionTimeoutSeconds = parse.GetValue(timeout),
                AutosaveCellEverySeconds = parse.GetValue(autosave),
                ProgressProtocol = parse.GetValue(protocol),
                InProcess = parse.GetValue(inProcess),
                AllocatorEnvironment = allocator,
                StreamLimit = streamLimit,
                MemoryLimit = memory,
                LogOutput = parse.GetValue(logOutput),
                PrepareOnly = parse.GetValue(prepareOnly),
                StdoutFile = parse.GetValue(stdoutFile),
                StderrFile = parse.GetValue(stderrFile),
                Force = parse.GetResult(force) is null ? null : parse.GetValue(force) ?? [],
                DryRun = parse.GetValue(dryRun),
                WorkingDirectory = parse.GetValue(cwd) is { } wd ? Path.GetFullPath(wd) : null,
                ReportMode = parse.GetValue(reportMode),
            };
            if (settings.OutDir.Contains('{'))
            {
                try { settings = settings with { OutDir = OutputTemplate.Expand(settings.OutDir, OutputTemplate.Values(settings)) }; }
                catch (Exception e) when (e is ArgumentException or ParameterException or IOException)
                {
                    Console.Error.WriteLine($"losslab: {e.Message}");
                    return 2;
                }
            }
            return await BatchRunner.RunAsync(settings, cancellationToken);
        });
        return command;
    }
}
