using System.Globalization;
using System.Text.Json.Nodes;
using LossLab.Training;

namespace LossLab.Notebooks.Sweeps;

/// <summary>A point's state: finished (done or failed, from its record), running (its task started and is not known to
/// have ended), or not started.</summary>
public enum PointState { NotStarted, Running, Done, Failed }

/// <summary>What a point's task wrote: its state, the run's exit code and times.</summary>
public sealed record PointRecord(PointState State, int? ExitCode, DateTimeOffset Started, DateTimeOffset? Finished, string? Host, int? Pid = null)
{
    /// <summary>A task recorded as running on this machine whose process is gone (killed, cancelled, machine restarted).</summary>
    public bool DiedHere => State == PointState.Running && Host == Environment.MachineName && Pid is { } pid && !Alive(pid);

    static bool Alive(int pid)
    {
        try { using var p = System.Diagnostics.Process.GetProcessById(pid); return !p.HasExited; }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }
}

/// <summary>
/// A sweep's folder: <c>sweep.json</c> (the manifest, written before anything runs: notebooks, scale, every point with its
/// parameters and folder) and <c>points/NAME/</c>, one <c>losslab run --out</c> folder per point holding the executed
/// notebooks and the point's record <c>point.json</c>, written atomically when its task starts and when it ends.
/// </summary>
public sealed class SweepManifest
{
    public const string FileName = "sweep.json";
    public const string RecordName = "point.json";

    public string Directory { get; }
    public IReadOnlyList<string> Notebooks { get; }
    public string? Scale { get; }
    public IReadOnlyList<string> Varying { get; }
    public IReadOnlyList<SweepPoint> Points { get; }

    SweepManifest(string directory, IReadOnlyList<string> notebooks, string? scale, IReadOnlyList<string> varying, IReadOnlyList<SweepPoint> points) =>
        (Directory, Notebooks, Scale, Varying, Points) = (directory, notebooks, scale, varying, points);

    /// <summary>The folder of a point's run.</summary>
    public string PointFolder(SweepPoint point) => Path.Combine(Directory, "points", point.Name);

    /// <summary>Writes the manifest of <paramref name="spec"/> into <paramref name="directory"/>. A folder that already
    /// holds a different sweep is refused (resume it, or choose another folder); the same sweep is left as it is.</summary>
    public static SweepManifest Create(SweepSpec spec, string directory)
    {
        var full = Path.GetFullPath(directory);
        var manifest = new SweepManifest(full, spec.Notebooks, spec.Scale, spec.Varying, spec.Points);
        var json = manifest.ToJson().ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
        var file = Path.Combine(full, FileName);
        if (File.Exists(file))
        {
            var existing = Load(full);
            if (existing.ToJson().ToJsonString() != manifest.ToJson().ToJsonString())
                throw new SweepException($"{full} holds another sweep (its {FileName} differs); resume it with `losslab sweep resume {directory}` or choose another --out folder.");
            return existing;
        }
        System.IO.Directory.CreateDirectory(full);
        AtomicFile.WriteAllText(file, json);
        return manifest;
    }

    /// <summary>Reads the manifest of the sweep in <paramref name="directory"/>.</summary>
    public static SweepManifest Load(string directory)
    {
        var full = Path.GetFullPath(directory);
        var file = Path.Combine(full, FileName);
        if (!File.Exists(file)) throw new SweepException($"{directory}: not a sweep folder (no {FileName}).");
        try
        {
            var root = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            var points = root["points"]!.AsArray().Select(p => new SweepPoint(
                p!["index"]!.GetValue<int>(),
                p["parameters"]!.AsObject().Select(kv => new KeyValuePair<string, object>(kv.Key, Value(kv.Value))).ToList(),
                p["name"]!.GetValue<string>())).ToList();
            return new SweepManifest(full, root["notebooks"]!.AsArray().Select(n => n!.GetValue<string>()).ToList(), root["scale"]?.GetValue<string>(),
                root["varying"]!.AsArray().Select(n => n!.GetValue<string>()).ToList(), points);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or NullReferenceException or InvalidOperationException or FormatException)
        {
            throw new SweepException($"{file} is damaged: {e.Message}");
        }
    }

    static object Value(JsonNode? node) => node is JsonArray list ? list.Select(Value).ToList() : node?.GetValue<string>() ?? "";

    static JsonNode ValueJson(object value) => value is IEnumerable<object> list ? new JsonArray(list.Select(ValueJson).ToArray()) : JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture))!;

    JsonObject ToJson() => new()
    {
        ["version"] = 1,
        ["notebooks"] = new JsonArray(Notebooks.Select(n => (JsonNode)JsonValue.Create(n)).ToArray()),
        ["scale"] = Scale,
        ["varying"] = new JsonArray(Varying.Select(n => (JsonNode)JsonValue.Create(n)).ToArray()),
        ["points"] = new JsonArray(Points.Select(p => (JsonNode)new JsonObject
        {
            ["index"] = p.Index,
            ["name"] = p.Name,
            ["parameters"] = new JsonObject(p.Parameters.Select(kv => new KeyValuePair<string, JsonNode?>(kv.Key, ValueJson(kv.Value)))),
        }).ToArray()),
    };

    /// <summary>The point with array index <paramref name="index"/>.</summary>
    public SweepPoint Point(int index) =>
        index >= 0 && index < Points.Count ? Points[index] : throw new SweepException($"point {index} is not in this sweep (0 to {Points.Count - 1}).");

    /// <summary>The point's record, or null when its task never started. A damaged record counts as not started.</summary>
    public PointRecord? Record(SweepPoint point)
    {
        var file = Path.Combine(PointFolder(point), RecordName);
        if (!File.Exists(file)) return null;
        try
        {
            var o = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            return new PointRecord(Enum.Parse<PointState>(o["state"]!.GetValue<string>()), o["exit"]?.GetValue<int>(),
                DateTimeOffset.Parse(o["started"]!.GetValue<string>(), CultureInfo.InvariantCulture),
                o["finished"] is JsonValue f ? DateTimeOffset.Parse(f.GetValue<string>(), CultureInfo.InvariantCulture) : null, o["host"]?.GetValue<string>(),
                o["pid"]?.GetValue<int>());
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or NullReferenceException or InvalidOperationException or FormatException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Writes a point's record atomically.</summary>
    public void WriteRecord(SweepPoint point, PointRecord record)
    {
        var folder = PointFolder(point);
        System.IO.Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(Path.Combine(folder, RecordName), new JsonObject
        {
            ["index"] = point.Index,
            ["state"] = record.State.ToString(),
            ["exit"] = record.ExitCode,
            ["started"] = record.Started.ToString("O", CultureInfo.InvariantCulture),
            ["finished"] = record.Finished?.ToString("O", CultureInfo.InvariantCulture),
            ["host"] = record.Host,
            ["pid"] = record.Pid,
        }.ToJsonString());
    }
}
