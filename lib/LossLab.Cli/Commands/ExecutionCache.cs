using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LossLab.Notebooks.Documents;

namespace LossLab.Cli.Commands;

/// <summary>
/// The execution cache of <c>losslab run</c> (as jupyter-cache and Quarto's <c>freeze: auto</c>): a notebook whose inputs
/// are unchanged since its last successful run into the same output folder is not run again; its executed copy is reused.
/// The key is the notebook's code cells (source and kernel), the run's parameters (scale, <c>-p</c>, <c>-y</c>, <c>-b</c>
/// and the contents of <c>-f</c> files), the LossLab assemblies (module version ids) and package versions the engine
/// loads, and the data files the notebook declares in <c>metadata.losslab.inputs</c> (paths relative to the notebook's
/// folder, files or folders, hashed by content), and the options that decide whether a run passes or what it writes (<c>--allow-errors</c>,
/// <c>--execution-timeout</c>, <c>--output-limit</c>, <c>--cwd</c>, <c>--report-mode</c>). The key and a hash of the executed notebook are kept in a record beside
/// the executed copy (<c>NAME.cache.json</c>), written atomically after a successful run only; an executed copy that no
/// longer matches its record (a later run failed or was interrupted into it) is never reused.
/// </summary>
public static class ExecutionCache
{
    /// <summary>The record's file beside an executed notebook.</summary>
    public static string RecordPath(string output) => Path.ChangeExtension(output, ".cache.json");

    /// <summary>Whether a notebook runs, and why.</summary>
    public sealed record Decision(string Notebook, bool Run, string Reason, DateTimeOffset? RanAt = null, string? Note = null);

    /// <summary>The key of <paramref name="notebook"/> under <paramref name="settings"/>.</summary>
    public static JsonObject Key(RunSettings settings, string notebook)
    {
        var document = NotebookFile.Read(notebook);
        var code = new StringBuilder();
        foreach (var cell in document.Cells.Where(c => c.IsCode))
            code.Append(cell.KernelName).Append('\u001e').Append(cell.Code).Append('\u001d');
        var parameters = new JsonObject();
        if (settings.Scale is not null) parameters["Scale"] = settings.Scale;
        foreach (var (name, value) in settings.Parameters) parameters[name] = value;
        for (int i = 0; i < settings.ParameterYaml.Count; i++) parameters[$"YAML #{i + 1}"] = Hash(settings.ParameterYaml[i]);
        foreach (var f in settings.ParameterFiles) parameters[$"file {f}"] = File.Exists(f) ? Hash(File.ReadAllBytes(f)) : "missing";
        var inputs = new JsonObject();
        var folder = Path.GetDirectoryName(Path.GetFullPath(notebook))!;
        if (document.Metadata["losslab"]?["inputs"] is JsonArray declared)
            foreach (var item in declared)
                if (item?.GetValueKind() == JsonValueKind.String && item.GetValue<string>() is { Length: > 0 } relative)
                    inputs[relative] = HashPath(Path.Combine(folder, relative));
        return new JsonObject
        {
            ["code"] = Hash(code.ToString()),
            ["parameters"] = parameters,
            ["assemblies"] = Assemblies(),
            ["inputs"] = inputs,
            // A run that passed with --allow-errors, or without a cell time limit, says nothing about a run without them.
            ["options"] = new JsonObject
            {
                ["--allow-errors"] = settings.AllowErrors,
                ["--execution-timeout"] = settings.ExecutionTimeoutSeconds,
                ["--output-limit"] = settings.StreamLimit,
                // Where the cells run and whether the executed copy hides its code change what a run reads and writes.
                ["--cwd"] = settings.WorkingDirectory,
                ["--report-mode"] = settings.ReportMode,
            },
        };
    }

    /// <summary>The LossLab assemblies by module version id (a rebuild with any change gives a new one) and the package
    /// versions the engine loads.</summary>
    public static JsonObject Assemblies()
    {
        var result = new JsonObject();
        foreach (var assembly in new[] { typeof(LossLab.Experiments.Claims).Assembly, typeof(NotebookDocument).Assembly })
            result[assembly.GetName().Name!] = assembly.ManifestModule.ModuleVersionId.ToString();
        foreach (var assembly in new[] { typeof(TorchSharp.torch).Assembly, typeof(Microsoft.CodeAnalysis.Scripting.Script).Assembly })
            result[assembly.GetName().Name!] = assembly.GetName().Version?.ToString();
        return result;
    }

    /// <summary>Decides for each notebook whether it runs: <paramref name="force"/> null forces nothing, empty forces all,
    /// otherwise the notebooks (or folders) named.</summary>
    public static IReadOnlyList<Decision> Decide(RunSettings settings, IReadOnlyList<string>? force)
    {
        var decisions = new List<Decision>();
        foreach (var notebook in settings.Notebooks)
        {
            if (force is not null && (force.Count == 0 || force.Any(f => Covers(f, notebook))))
            {
                decisions.Add(new Decision(notebook, true, "run: forced"));
                continue;
            }
            decisions.Add(DecideOne(settings, notebook));
        }
        return decisions;
    }

    /// <summary>Whether the path <paramref name="forced"/> (a notebook or a folder) names <paramref name="notebook"/>.</summary>
    public static bool Covers(string forced, string notebook)
    {
        var f = Path.TrimEndingDirectorySeparator(Path.GetFullPath(forced));
        var n = Path.GetFullPath(notebook);
        return n == f || n.StartsWith(f + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    static Decision DecideOne(RunSettings settings, string notebook)
    {
        var output = settings.OutputFor(notebook);
        var recordPath = RecordPath(output);
        if (!File.Exists(recordPath))
            return new Decision(notebook, true, File.Exists(output) ? "run: previous run failed or was not recorded" : "run: no previous run");
        JsonObject record;
        try
        {
            record = JsonNode.Parse(File.ReadAllText(recordPath)) as JsonObject ?? throw new JsonException("not a JSON object");
            _ = record["key"]!.AsObject();
            _ = record["output"]!.GetValue<string>();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException or FormatException)
        {
            return new Decision(notebook, true, "run: the cache record is unreadable", Note: $"{RunReporter.Show(recordPath)} is not a valid cache record ({e.Message}); the notebook runs again");
        }
        if (!File.Exists(output) || Hash(File.ReadAllBytes(output)) != record["output"]!.GetValue<string>())
            return new Decision(notebook, true, "run: previous run failed or was interrupted");
        JsonObject key;
        try { key = Key(settings, notebook); }
        catch (Exception e) when (e is NotebookFormatException or IOException or UnauthorizedAccessException)
        {
            return new Decision(notebook, true, "run: the notebook could not be read");
        }
        var old = record["key"]!.AsObject();
        if (Changed(old["code"], key["code"])) return new Decision(notebook, true, "run: code changed");
        if (FirstChange(old["parameters"] as JsonObject, key["parameters"]!.AsObject()) is { } p) return new Decision(notebook, true, $"run: parameter {p} changed");
        if (FirstChange(old["assemblies"] as JsonObject, key["assemblies"]!.AsObject()) is { } a) return new Decision(notebook, true, $"run: {a} changed");
        if (FirstChange(old["inputs"] as JsonObject, key["inputs"]!.AsObject()) is { } d) return new Decision(notebook, true, $"run: {d} changed");
        if (FirstChange(old["options"] as JsonObject, key["options"]!.AsObject()) is { } o) return new Decision(notebook, true, $"run: option {o} changed");
        var ranAt = record["ran"]?.GetValueKind() == JsonValueKind.String
            && DateTimeOffset.TryParse(record["ran"]!.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : (DateTimeOffset?)null;
        return new Decision(notebook, false, $"cached: unchanged since {(ranAt is { } r ? Stamp(r) : "an earlier run")}", ranAt);
    }

    static bool Changed(JsonNode? a, JsonNode? b) => !JsonNode.DeepEquals(a, b);

    /// <summary>The first name whose value differs between the two objects (in sorted order), or null.</summary>
    static string? FirstChange(JsonObject? old, JsonObject now)
    {
        var names = now.Select(p => p.Key).Concat(old?.Select(p => p.Key) ?? []).Distinct().Order(StringComparer.Ordinal);
        return names.FirstOrDefault(n => Changed(old?[n], now[n]));
    }

    /// <summary>Records a successful run of <paramref name="notebook"/> (after its executed copy is saved).</summary>
    public static void Record(RunSettings settings, string notebook, DateTimeOffset ranAt)
    {
        var output = settings.OutputFor(notebook);
        var record = new JsonObject
        {
            ["notebook"] = RunReporter.Show(notebook),
            ["ran"] = ranAt.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["key"] = Key(settings, notebook),
            ["output"] = Hash(File.ReadAllBytes(output)),
        };
        LossLab.Training.AtomicFile.WriteAllText(RecordPath(output), record.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Removes the record of a notebook about to run, so that only a run that succeeds writes one again.</summary>
    public static void Forget(RunSettings settings, string notebook)
    {
        var path = RecordPath(settings.OutputFor(notebook));
        if (File.Exists(path)) File.Delete(path);
    }

    static string Stamp(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-ddTHH:mmZ", CultureInfo.InvariantCulture);

    static string Hash(string text) => Hash(Encoding.UTF8.GetBytes(text));

    static string Hash(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>A file's content hash, a folder's hash over its files' relative paths and contents, or "missing".</summary>
    static string HashPath(string path)
    {
        if (File.Exists(path))
        {
            using var stream = File.OpenRead(path);
            return Convert.ToHexStringLower(SHA256.HashData(stream));
        }
        if (!Directory.Exists(path)) return "missing";
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in Directory.GetFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(path, file) + "\0"));
            using var stream = File.OpenRead(file);
            hash.AppendData(SHA256.HashData(stream));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
