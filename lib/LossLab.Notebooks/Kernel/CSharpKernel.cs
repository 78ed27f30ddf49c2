using System.Collections.Immutable;
using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using LossLab.Notebooks.Documents;
using LossLab.Notebooks.Formatting;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Scripting;

namespace LossLab.Notebooks.Kernel;

/// <summary>
/// A C# kernel on Roslyn scripting, with the semantics of Polyglot's C# kernel: one script state that each cell
/// continues (variables, methods and types carry over; re-declaring a variable shadows it), the latest language
/// version, Polyglot's default usings plus the display API, the notebook's folder as working directory, and each cell
/// compiled with its own file path (<c>cellN.csx</c>) and debug information so compile errors and stack traces give the
/// cell's own line numbers. stdout and stderr become stream outputs, <c>display(...)</c> display_data, and a trailing
/// expression the cell's execute_result. Cells run on the kernel's own thread (libtorch's thread count and grad mode are
/// per OS thread). Console and working directory are process-wide, so cells of all kernels in a process run one at a time.
/// </summary>
public sealed class CSharpKernel
{
    /// <summary>Polyglot's default usings (dotnet/interactive CSharpKernel: the System namespaces, .NET Interactive's and its
    /// formatting namespace, <c>using static Microsoft.DotNet.Interactive.Kernel</c>), here over LossLab's own implementation
    /// of those names, plus the display extension methods.</summary>
    public static readonly IReadOnlyList<string> DefaultImports =
    [
        "System", "System.Text", "System.Collections", "System.Collections.Generic", "System.Threading.Tasks", "System.Linq",
        "Microsoft.DotNet.Interactive", "Microsoft.DotNet.Interactive.Formatting", "Microsoft.DotNet.Interactive.Kernel",
        "LossLab.Notebooks.Formatting.NotebookDisplay",
    ];

    /// <summary>Environment variable holding the number of torch threads (<c>LOSSLAB_THREADS</c>, set by <c>losslab run --jobs</c>);
    /// the library applies it, and refuses a cell's request for another count.</summary>
    public const string TorchThreadsVariable = LossLab.Training.Threads.EnvironmentVariable;

    /// <summary>Framework assemblies referenced by every kernel besides those already loaded.</summary>
    static readonly string[] FrameworkReferences =
    [
        "netstandard", "mscorlib", "System.Runtime", "System.Collections", "System.Collections.Concurrent", "System.Console",
        "System.Linq", "System.Linq.Expressions", "System.Memory", "System.Numerics.Vectors", "System.Runtime.Numerics",
        "System.Text.RegularExpressions", "System.Text.Json", "System.Threading", "System.Threading.Tasks", "System.ObjectModel",
        "System.ComponentModel.Primitives", "System.Diagnostics.Process", "System.IO.Compression", "System.Net.Http",
        "System.Net.Primitives", "System.Private.Uri", "System.Xml.ReaderWriter", "System.Xml.Linq", "System.Data.Common",
        "System.Security.Cryptography", "System.Runtime.InteropServices", "Microsoft.CSharp",
    ];

    static readonly SemaphoreSlim CellGate = new(1, 1);
    static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    ScriptOptions options;
    readonly NuGetRestore nuget = new();
    readonly CellThread cellThread = new("LossLab cell thread");
    ScriptState<object>? state;

    /// <summary>Creates a kernel whose cells run in <paramref name="workingDirectory"/> (the notebook's folder).</summary>
    public CSharpKernel(string workingDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workingDirectory);
        if (!Directory.Exists(workingDirectory))
            throw new ArgumentException($"The working directory '{workingDirectory}' does not exist.", nameof(workingDirectory));
        WorkingDirectory = Path.GetFullPath(workingDirectory).TrimEnd(Path.DirectorySeparatorChar);
        options = ScriptOptions.Default
            .WithLanguageVersion(LanguageVersion.Latest)
            .WithReferences(References.Value)
            .WithImports(DefaultImports)
            .WithMetadataResolver(ScriptMetadataResolver.Default.WithBaseDirectory(WorkingDirectory)
                .WithSearchPaths(WorkingDirectory, System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory()))
            .WithSourceResolver(new SourceFileResolver([], WorkingDirectory))
            .WithEmitDebugInformation(true)
            .WithFileEncoding(System.Text.Encoding.UTF8);
        ApplyTorchThreads();
    }

    /// <summary>
    /// The <c>language_info</c> this kernel reports, in the shape of dotnet-interactive's kernel_info reply (which nbclient
    /// and papermill write into an executed notebook in place of the stored one): file extension, MIME type, name "C#",
    /// Pygments lexer, and the C# version the kernel compiles (dotnet-interactive 1.0.712001 says "13.0"; this engine
    /// compiles the latest C# of its Roslyn).
    /// </summary>
    public static JsonObject LanguageInfo() => new()
    {
        ["file_extension"] = ".cs",
        ["mimetype"] = "text/x-csharp",
        ["name"] = "C#",
        ["pygments_lexer"] = "csharp",
        ["version"] = LanguageVersion.Latest.MapSpecifiedToEffectiveVersion().ToDisplayString(),
    };

    /// <summary>The notebook's folder, where cells run.</summary>
    public string WorkingDirectory { get; }

    /// <summary>True after a cell overran its timeout: its code may still be running, so the kernel takes no more cells.</summary>
    public bool IsDead { get; private set; }

    /// <summary>The default of <see cref="StreamLimit"/>: 4 million characters per stream output.</summary>
    public const long DefaultStreamLimit = 4_000_000;

    /// <summary>Characters one stream output of a cell keeps in the notebook; a longer stream keeps its head and tail with a
    /// note, and its whole text goes to a side file (<see cref="SideFilePrefix"/>).</summary>
    public long StreamLimit { get; set; } = DefaultStreamLimit;

    /// <summary>Where side files go: <c>{prefix}.cell3.stdout.txt</c>; the executed notebook's path without extension, so
    /// they sit beside it (null: the temporary folder).</summary>
    public string? SideFilePrefix { get; set; }

    /// <summary>Called with (stream, text) as cells write to stdout/stderr; for live logs.</summary>
    public Action<string, string>? OnStream { get; set; }

    /// <summary>Called with (handle within the cell, display_data output, is an update) as cells display or update values;
    /// for live front ends (the Jupyter kernel).</summary>
    public Action<int, JsonObject, bool>? OnDisplay { get; set; }

    CellOutputCollector? running;

    /// <summary>A copy of the outputs of the cell now running and the count of changes it reflects (see
    /// <see cref="CellOutputCollector.Snapshot"/>); null when no cell runs or its outputs have not changed since the copy
    /// at <paramref name="since"/> changes (0: any output).</summary>
    public (JsonArray Outputs, long Version)? RunningOutputs(long since = 0)
    {
        if (Volatile.Read(ref running) is not { } collector || collector.Version == since) return null;
        var outputs = collector.Snapshot(out var version);
        return (outputs, version);
    }

    /// <summary>Runs one cell. <paramref name="cellName"/> (e.g. <c>cell3.csx</c>) names it in errors and stack traces;
    /// <paramref name="executionCount"/> numbers its result; <paramref name="timeout"/> bounds it.</summary>
    public async Task<CellRun> RunAsync(string code, string cellName, int executionCount, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentException.ThrowIfNullOrWhiteSpace(cellName);
        if (IsDead) throw new InvalidOperationException("The kernel is dead: an earlier cell overran its timeout and may still be running.");
        var collector = new CellOutputCollector
        {
            OnStream = OnStream, OnDisplay = OnDisplay, StreamLimit = StreamLimit,
            SideFilePrefix = (SideFilePrefix ?? Path.Combine(Path.GetTempPath(), "losslab-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                             + "." + Path.GetFileNameWithoutExtension(cellName),
        };
        Volatile.Write(ref running, collector);
        try
        {
            return await RunCollectingAsync(code, cellName, executionCount, timeout, collector, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref running, null);
        }
    }

    async Task<CellRun> RunCollectingAsync(string code, string cellName, int executionCount, TimeSpan? timeout, CellOutputCollector collector,
        CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var directives = Directives.Process(code, WorkingDirectory);
        if (directives.Errors.Count > 0)
        {
            var (line, message) = directives.Errors[0];
            var error = new CellError("MagicCommandError", message, directives.Errors.Select(e => $"{cellName}({e.Line}): {e.Message}").ToList());
            collector.AddRaw(CellOutputs.Error(error.Name, error.Value, error.Traceback));
            return new CellRun(collector.Complete(), stopwatch.Elapsed, error);
        }
        if (await RestorePackages(directives, cellName, collector, cancellationToken).ConfigureAwait(false) is { } restoreError)
        {
            collector.AddRaw(CellOutputs.Error(restoreError.Name, restoreError.Value, restoreError.Traceback));
            return new CellRun(collector.Complete(), stopwatch.Elapsed, restoreError);
        }

        await CellGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        var oldOut = Console.Out;
        var oldError = Console.Error;
        var oldDirectory = Environment.CurrentDirectory;
        CellError? failure = null;
        bool released = false;
        try
        {
            Console.SetOut(collector.Stdout);
            Console.SetError(collector.Stderr);
            DisplaySink.Current = collector;
            Environment.CurrentDirectory = WorkingDirectory;
            var cellOptions = options.WithFilePath(Path.Combine(WorkingDirectory, cellName));
            var script = state is null
                ? CSharpScript.Create<object>(directives.Code, cellOptions)
                : state.Script.ContinueWith<object>(directives.Code, cellOptions);
            var diagnostics = script.Compile(cancellationToken);
            var errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            if (errors.Count > 0)
            {
                var lines = errors.Select(d => Relative(d.ToString())).ToList();
                failure = new CellError("CompilationError", lines[0], lines);
            }
            else
            {
                var previous = state;
                var run = cellThread.RunAsync(() => previous is null
                    ? script.RunAsync(globals: null, catchException: _ => true, cancellationToken)
                    : script.RunFromAsync(previous, catchException: _ => true, cancellationToken));
                if (timeout is { } limit && await Task.WhenAny(run, Task.Delay(limit, cancellationToken)).ConfigureAwait(false) != run)
                {
                    IsDead = true;
                    failure = new CellError("TimeoutError", $"The cell did not finish within the execution timeout of {limit.TotalSeconds:0.###} s.",
                        [$"{cellName}: execution timed out after {limit.TotalSeconds:0.###} s"], TimedOut: true);
                }
                else
                {
                    var next = await run.ConfigureAwait(false);
                    state = next;
                    if (next.Exception is { } exception) failure = FromException(exception);
                    else if (HasTrailingExpression(directives.Code) && HasValue(script) && next.ReturnValue is not DisplayedValue)
                    {
                        // As the kernel: a trailing null shows <null>; a trailing display(...) shows only the display.
                        var bundle = Formatter.Format(next.ReturnValue);
                        collector.AddRaw(CellOutputs.ExecuteResult(executionCount, bundle.Data, bundle.Metadata?.DeepClone().AsObject()));
                    }
                }
            }
        }
        catch (CompilationErrorException e)
        {
            var lines = e.Diagnostics.Select(d => Relative(d.ToString())).ToList();
            failure = new CellError("CompilationError", lines.FirstOrDefault() ?? e.Message, lines);
        }
        finally
        {
            DisplaySink.Current = null;
            Console.SetOut(oldOut);
            Console.SetError(oldError);
            if (Directory.Exists(oldDirectory)) Environment.CurrentDirectory = oldDirectory;
            if (!released) { CellGate.Release(); released = true; }
        }
        if (directives.Time && failure is null)
            collector.AddRaw(CellOutputs.DisplayData([new(Formatter.PlainText, $"Wall time: {stopwatch.Elapsed.TotalMilliseconds:0.####}ms")]));
        if (failure is not null) collector.AddRaw(CellOutputs.Error(failure.Name, failure.Value, failure.Traceback));
        return new CellRun(collector.Complete(), stopwatch.Elapsed, failure) { Spills = collector.Spills };
    }

    /// <summary>The compilation of <paramref name="code"/> as the next cell would compile it (after every cell run so far),
    /// without running it: for completion and inspection in interactive front ends.</summary>
    internal Compilation CompileNext(string code)
    {
        var script = state is null ? CSharpScript.Create<object>(code, options) : state.Script.ContinueWith<object>(code, options);
        return script.GetCompilation();
    }

    /// <summary>The packages restored for this kernel's notebook so far.</summary>
    public IReadOnlyDictionary<string, RestoredPackage> RestoredPackages => nuget.Restored;

    /// <summary>Adds the cell's <c>#i</c> sources, restores its <c>#r "nuget:"</c> packages and references their assemblies;
    /// shows "Installed Packages" as .NET Interactive does. Returns the error of the first package that cannot be restored.</summary>
    async Task<CellError?> RestorePackages(DirectiveResult directives, string cellName, CellOutputCollector collector, CancellationToken cancellationToken)
    {
        foreach (var source in directives.Sources) nuget.AddSource(source, WorkingDirectory);
        if (directives.Packages.Count == 0) return null;
        var installed = new List<RestoredPackage>();
        foreach (var request in directives.Packages)
        {
            bool known = nuget.Restored.ContainsKey(request.Name);
            RestoredPackage package;
            try { package = await nuget.RestoreAsync(request.Name, request.Version, cancellationToken).ConfigureAwait(false); }
            catch (NuGetRestoreException e)
            {
                var message = $"#r \"nuget: {request.Name}{(request.Version is null ? "" : ", " + request.Version)}\": {e.Message}";
                return new CellError("NuGetRestoreError", message, [$"{cellName}({request.Line}): {message}"]);
            }
            if (!known)
            {
                options = options.AddReferences(package.Assemblies.Select(a => MetadataReference.CreateFromFile(a)));
                installed.Add(package);
            }
        }
        if (installed.Count > 0)
        {
            var items = string.Concat(installed.Select(p => $"<li><span>{HtmlTable.Escape(p.Name)}, {HtmlTable.Escape(p.Version)}</span></li>"));
            collector.Add(new MimeBundle().Set(Formatter.Html, $"<div><div></div><div></div><div><strong>Installed Packages</strong><ul>{items}</ul></div></div>"));
        }
        return null;
    }

    CellError FromException(Exception exception)
    {
        if (exception is AggregateException { InnerExceptions.Count: 1 } aggregate) exception = aggregate.InnerExceptions[0];
        var lines = new List<string>();
        foreach (var raw in exception.ToString().Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Contains("Microsoft.CodeAnalysis.Scripting", StringComparison.Ordinal)
                || line.Contains("System.Runtime.CompilerServices", StringComparison.Ordinal)
                || line.Contains("System.Runtime.ExceptionServices", StringComparison.Ordinal)
                || line.Contains("--- End of stack trace from previous location", StringComparison.Ordinal)) continue;
            lines.Add(Relative(line));
        }
        if (NativeErrorSummary.IsNative(exception.Message))
        {
            // libtorch's message carries hundreds of native frames: keep its first line, the op and the managed stack.
            var summary = NativeErrorSummary.Summarize(exception.Message);
            var kept = NativeErrorSummary.WithoutNativeFrames(lines).ToList();
            if (kept.Count > 0) kept[0] = $"{exception.GetType().FullName}: {summary}";
            return new CellError(exception.GetType().FullName ?? exception.GetType().Name, summary, kept);
        }
        return new CellError(exception.GetType().FullName ?? exception.GetType().Name, exception.Message, lines);
    }

    string Relative(string text) => text.Replace(WorkingDirectory + Path.DirectorySeparatorChar, "", StringComparison.Ordinal);

    /// <summary>True when the submission's trailing expression has a value (not a call of a void method).</summary>
    static bool HasValue(Script script)
    {
        var compilation = script.GetCompilation();
        var tree = compilation.SyntaxTrees.Last();
        if (((CompilationUnitSyntax)tree.GetRoot()).Members.LastOrDefault() is not GlobalStatementSyntax { Statement: ExpressionStatementSyntax last })
            return false;
        var type = compilation.GetSemanticModel(tree).GetTypeInfo(last.Expression).Type;
        return type is not null && type.SpecialType != SpecialType.System_Void;
    }

    /// <summary>True when the cell ends in an expression without a semicolon (its value is the cell's result).</summary>
    internal static bool HasTrailingExpression(string code)
    {
        var tree = CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(LanguageVersion.Latest, kind: SourceCodeKind.Script));
        var root = (CompilationUnitSyntax)tree.GetRoot();
        return root.Members.LastOrDefault() is GlobalStatementSyntax { Statement: ExpressionStatementSyntax { SemicolonToken.IsMissing: true } };
    }

    static ImmutableArray<MetadataReference> LoadReferences()
    {
        // Make sure every shipped library is loaded, then reference what the process has.
        _ = new[]
        {
            typeof(TorchSharp.torch), typeof(Plotly.NET.GenericChart), typeof(Plotly.NET.CSharp.Chart), typeof(MathNet.Numerics.Constants),
            typeof(Deedle.Frame), typeof(Microsoft.FSharp.Core.FSharpOption<>), typeof(LossLab.Experiments.Claims), typeof(CSharpKernel),
        };
        var assemblies = AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => !a.IsDynamic && a.Location.Length > 0)
            .DistinctBy(a => a.GetName().Name)
            .DistinctBy(a => Path.GetFileName(a.Location))
            .ToList();
        // The loaded assemblies plus the framework assemblies cells commonly use; each extra reference slows every
        // cell's compilation, so the rest of the framework is one #r "System.X.dll" away (resolved from the runtime folder).
        var runtime = System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory();
        var loaded = assemblies.Select(a => Path.GetFileName(a.Location)).ToHashSet();
        var framework = FrameworkReferences.Select(name => Path.Combine(runtime, name + ".dll")).Where(p => File.Exists(p) && !loaded.Contains(Path.GetFileName(p)));
        return [.. assemblies.Select(Reference), .. framework.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }

    /// <summary>A reference to a loaded assembly through the metadata the runtime has already mapped. Reading the files
    /// instead (<see cref="MetadataReference.CreateFromFile"/> reads each one whole) read about 136 MB in every notebook's
    /// process before its first cell compiled.</summary>
    static unsafe MetadataReference Reference(Assembly assembly)
    {
        if (!System.Reflection.Metadata.AssemblyExtensions.TryGetRawMetadata(assembly, out byte* blob, out int length)) return MetadataReference.CreateFromFile(assembly.Location);
        // The loaded assembly is never unloaded, so the memory stays valid for the process's life.
        return AssemblyMetadata.Create(ModuleMetadata.CreateFromMetadata((IntPtr)blob, length)).GetReference(filePath: assembly.Location);
    }

    void ApplyTorchThreads()
    {
        // On the cell thread, where the cells' torch calls run (torch's thread count is per OS thread once set).
        cellThread.RunAsync(() =>
        {
            LossLab.Training.Threads.Apply();   // LOSSLAB_THREADS, else 1, on the cell thread
            return Task.FromResult(0);
        }).GetAwaiter().GetResult();
    }
}
