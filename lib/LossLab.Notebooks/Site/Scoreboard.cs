using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LossLab.Notebooks.Site;

/// <summary>One claim of a run: its notebook (path below the executed-notebooks folder), id and verdict, and for an effect
/// claim the estimate, its interval, the replicates and the threshold; the notebook's run time.</summary>
public sealed record ScoreboardEntry(string Notebook, string Id, string Verdict)
{
    public double? Estimate { get; init; }
    public double? Lower { get; init; }
    public double? Upper { get; init; }
    public int? N { get; init; }
    public string? Direction { get; init; }
    public double? Threshold { get; init; }
    /// <summary>The notebook's run time in seconds (papermill's duration), when recorded.</summary>
    public double? Duration { get; init; }

    /// <summary>The notebook and the claim id: a claim's identity across runs.</summary>
    public string Key => $"{Notebook}/{Id}";
}

/// <summary>
/// A run's claims as one machine-readable file (<c>scoreboard.json</c> beside the site, with a dated copy under
/// <c>scoreboards/</c>), so that runs can be compared: <see cref="Diff"/> lists the verdicts that changed and the estimates
/// that moved most. A run is dated by the latest end time of its notebooks, so re-rendering the same run rewrites its copy.
/// </summary>
public sealed class Scoreboard
{
    /// <summary>The file's format version.</summary>
    public const int FormatVersion = 1;

    /// <summary>When the run ended (UTC; the latest end time of its notebooks, else when the scoreboard was made).</summary>
    public required DateTimeOffset Ended { get; init; }

    /// <summary>The source commit, when the run was made in a git checkout.</summary>
    public string? Commit { get; init; }

    /// <summary>The machine: host name, cores, operating system and CPU model.</summary>
    public IReadOnlyDictionary<string, string> Machine { get; init; } = new Dictionary<string, string>();

    /// <summary>Every claim, in the site's notebook order.</summary>
    public required IReadOnlyList<ScoreboardEntry> Entries { get; init; }

    /// <summary>The dated copy's file name: <c>yyyyMMddTHHmmssZ.json</c>.</summary>
    public string DatedName => Ended.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + ".json";

    /// <summary>The scoreboard of executed notebooks. Without <paramref name="commit"/>, the commit is the one the notebooks
    /// record in their provenance (<c>metadata.losslab.commit</c>), and so is the CPU model added to <paramref name="machine"/>.</summary>
    public static Scoreboard From(IReadOnlyList<SiteNotebook> notebooks, string? commit = null, IReadOnlyDictionary<string, string>? machine = null)
    {
        ArgumentNullException.ThrowIfNull(notebooks);
        var entries = new List<ScoreboardEntry>();
        var described = new Dictionary<string, string>(machine ?? new Dictionary<string, string>());
        DateTimeOffset? ended = null;
        foreach (var nb in notebooks)
        {
            var provenance = nb.Json["metadata"]?["losslab"];
            if (commit is null && provenance?["commit"] is JsonValue cv && cv.TryGetValue<string>(out var built) && built != "unknown") commit = built;
            if (!described.ContainsKey("cpu") && provenance?["runtime"]?["cpu"] is JsonValue cpu && cpu.TryGetValue<string>(out var model)) described["cpu"] = model;
            var pm = nb.Json["metadata"]?["papermill"];
            double? duration = pm?["duration"] is JsonValue d && d.TryGetValue<double>(out var dv) ? dv : null;
            if (pm?["end_time"] is JsonValue e && e.TryGetValue<string>(out var end)
                && DateTimeOffset.TryParse(end, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
                ended = ended is { } prior && prior > t ? prior : t;
            foreach (var c in nb.Claims)
                entries.Add(new ScoreboardEntry(nb.RelativePath, c.Id, c.Verdict)
                {
                    Estimate = c.TestEstimate, Lower = c.TestLower, Upper = c.TestUpper, N = c.TestN, Direction = c.TestDirection,
                    Threshold = c.TestThreshold, Duration = duration,
                });
        }
        return new Scoreboard { Ended = ended ?? DateTimeOffset.UtcNow, Commit = commit, Machine = described, Entries = entries };
    }

    /// <summary>This machine: host name, logical cores and operating system (the CPU model comes from the notebooks' own
    /// provenance, <c>metadata.losslab.runtime.cpu</c>).</summary>
    public static IReadOnlyDictionary<string, string> ThisMachine() => new Dictionary<string, string>
    {
        ["host"] = Environment.MachineName,
        ["cores"] = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture),
        ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
    };

    /// <summary>The scoreboard as JSON.</summary>
    public string ToJson()
    {
        var entries = new JsonArray();
        foreach (var e in Entries)
        {
            var o = new JsonObject { ["notebook"] = e.Notebook, ["id"] = e.Id, ["verdict"] = e.Verdict };
            if (e.Estimate is { } est) o["estimate"] = est;
            if (e.Lower is { } lo && e.Upper is { } hi) o["interval"] = new JsonArray(lo, hi);
            if (e.N is { } n) o["n"] = n;
            if (e.Direction is { } dir) o["direction"] = dir;
            if (e.Threshold is { } th) o["threshold"] = th;
            if (e.Duration is { } du) o["duration"] = du;
            entries.Add(o);
        }
        var machine = new JsonObject();
        foreach (var (k, v) in Machine) machine[k] = v;
        var root = new JsonObject
        {
            ["version"] = FormatVersion,
            ["ended"] = Ended.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["commit"] = Commit,
            ["machine"] = machine,
            ["claims"] = entries,
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    /// <summary>Reads a scoreboard file.</summary>
    /// <exception cref="InvalidDataException">The file is not a scoreboard; the message names it and the problem.</exception>
    public static Scoreboard Load(string path)
    {
        JsonNode? node;
        try { node = JsonNode.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not valid JSON ({e.Message}).", e); }
        if (node is not JsonObject root || root["claims"] is not JsonArray claims)
            throw new InvalidDataException($"{path}: not a LossLab scoreboard (no 'claims' array).");
        if (root["version"] is JsonValue v && v.TryGetValue<int>(out var version) && version > FormatVersion)
            throw new InvalidDataException($"{path}: scoreboard version {version} is newer than this LossLab reads ({FormatVersion}).");
        static double? D(JsonNode? n) => n is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;
        static string? S(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        var entries = new List<ScoreboardEntry>();
        foreach (var c in claims)
        {
            if (c is not JsonObject o || S(o["notebook"]) is not { } nb || S(o["id"]) is not { } id || S(o["verdict"]) is not { } verdict)
                throw new InvalidDataException($"{path}: a claim without notebook, id or verdict: {c?.ToJsonString()}");
            var iv = o["interval"] as JsonArray;
            entries.Add(new ScoreboardEntry(nb, id, verdict)
            {
                Estimate = D(o["estimate"]), Lower = D(iv?.ElementAtOrDefault(0)), Upper = D(iv?.ElementAtOrDefault(1)),
                N = o["n"] is JsonValue nv && nv.TryGetValue<int>(out var n) ? n : null, Direction = S(o["direction"]),
                Threshold = D(o["threshold"]), Duration = D(o["duration"]),
            });
        }
        var machine = new Dictionary<string, string>();
        if (root["machine"] is JsonObject m)
            foreach (var (k, val) in m)
                if (S(val) is { } s) machine[k] = s;
        var ended = S(root["ended"]) is { } when && DateTimeOffset.TryParse(when, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : File.GetLastWriteTimeUtc(path);
        return new Scoreboard { Ended = ended, Commit = S(root["commit"]), Machine = machine, Entries = entries };
    }

    /// <summary>Writes <c>scoreboard.json</c> in <paramref name="folder"/> and its dated copy in <c>folder/scoreboards/</c>
    /// (atomically); returns the path of the dated copy.</summary>
    public string Save(string folder)
    {
        var json = ToJson();
        var dated = Path.Combine(folder, "scoreboards", DatedName);
        SiteAssets.WriteAtomically(dated, json);
        SiteAssets.WriteAtomically(Path.Combine(folder, "scoreboard.json"), json);
        return dated;
    }

    /// <summary>The newest dated scoreboard in <c>folder/scoreboards/</c> from before <paramref name="ended"/>, or null.</summary>
    public static Scoreboard? Previous(string folder, DateTimeOffset ended)
    {
        var dir = Path.Combine(folder, "scoreboards");
        if (!Directory.Exists(dir)) return null;
        var before = ended.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + ".json";
        var previous = Directory.EnumerateFiles(dir, "*.json").Select(Path.GetFileName).OfType<string>()
            .Where(n => string.CompareOrdinal(n, before) < 0).OrderBy(n => n, StringComparer.Ordinal).LastOrDefault();
        if (previous is null) return null;
        try { return Load(Path.Combine(dir, previous)); }
        catch (InvalidDataException) { return null; }
    }

    /// <summary>What changed from <paramref name="before"/> to <paramref name="after"/>.</summary>
    public static ScoreboardDiff Diff(Scoreboard before, Scoreboard after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var old = ByKey(before, nameof(before));
        var now = ByKey(after, nameof(after));
        var changed = new List<(ScoreboardEntry Before, ScoreboardEntry After)>();
        var moves = new List<ScoreboardMove>();
        foreach (var (key, a) in now)
        {
            if (!old.TryGetValue(key, out var b)) continue;
            if (a.Verdict != b.Verdict) changed.Add((b, a));
            if (b.Estimate is { } x && a.Estimate is { } y && double.IsFinite(x) && double.IsFinite(y) && x != y)
            {
                // The move in units of the wider of the two intervals' half-widths: how far outside the noise it went.
                double half = Math.Max(HalfWidth(b), HalfWidth(a));
                moves.Add(new ScoreboardMove(b, a, y - x, half > 0 ? Math.Abs(y - x) / half : double.PositiveInfinity));
            }
        }
        return new ScoreboardDiff(before, after, changed,
            [.. now.Keys.Where(k => !old.ContainsKey(k)).Select(k => now[k])],
            [.. old.Keys.Where(k => !now.ContainsKey(k)).Select(k => old[k])],
            [.. moves.OrderByDescending(m => m.InHalfWidths).ThenByDescending(m => Math.Abs(m.Change))],
            now.Keys.Count(old.ContainsKey));
    }

    static double HalfWidth(ScoreboardEntry e) =>
        e.Lower is { } lo && e.Upper is { } hi && double.IsFinite(lo) && double.IsFinite(hi) ? (hi - lo) / 2 : 0;

    static Dictionary<string, ScoreboardEntry> ByKey(Scoreboard s, string name)
    {
        var map = new Dictionary<string, ScoreboardEntry>(StringComparer.Ordinal);
        foreach (var e in s.Entries)
            if (!map.TryAdd(e.Key, e)) throw new ArgumentException($"claim {e.Key} appears twice in the scoreboard.", name);
        return map;
    }
}

/// <summary>An estimate that moved between two runs, with the move in half-widths of the wider interval.</summary>
public sealed record ScoreboardMove(ScoreboardEntry Before, ScoreboardEntry After, double Change, double InHalfWidths);

/// <summary>The difference of two runs' scoreboards.</summary>
public sealed record ScoreboardDiff(Scoreboard Before, Scoreboard After,
    IReadOnlyList<(ScoreboardEntry Before, ScoreboardEntry After)> VerdictChanges,
    IReadOnlyList<ScoreboardEntry> Added, IReadOnlyList<ScoreboardEntry> Removed, IReadOnlyList<ScoreboardMove> Moves, int Compared)
{
    /// <summary>The report <c>losslab diff</c> prints: verdict changes, claims added and removed, the
    /// <paramref name="top"/> largest moves of estimates.</summary>
    public string Report(int top = 10)
    {
        var sb = new StringBuilder();
        static string G(double? v) => v is { } d ? d.ToString("G3", CultureInfo.InvariantCulture) : "—";
        static string Num(ScoreboardEntry e) => e.Estimate is null ? "" : $"{G(e.Estimate)} [{G(e.Lower)}, {G(e.Upper)}]{(e.N is { } n ? $" n={n}" : "")}";
        static string Run(Scoreboard s) => $"{s.Ended.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z{(s.Commit is { } c ? $" at {c[..Math.Min(12, c.Length)]}" : "")}";
        sb.Append(CultureInfo.InvariantCulture, $"Runs: {Run(Before)} → {Run(After)}; {Compared} claims in both.\n");
        sb.Append(CultureInfo.InvariantCulture, $"\nVerdict changes ({VerdictChanges.Count}):\n");
        foreach (var (b, a) in VerdictChanges)
            sb.Append(CultureInfo.InvariantCulture, $"  {a.Key}: {b.Verdict} → {a.Verdict}    {Num(b)} → {Num(a)}\n");
        if (VerdictChanges.Count == 0) sb.Append("  none\n");
        if (Added.Count > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"\nNew claims ({Added.Count}):\n");
            foreach (var e in Added) sb.Append(CultureInfo.InvariantCulture, $"  {e.Key}: {e.Verdict}    {Num(e)}\n");
        }
        if (Removed.Count > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"\nClaims no longer recorded ({Removed.Count}):\n");
            foreach (var e in Removed) sb.Append(CultureInfo.InvariantCulture, $"  {e.Key}: was {e.Verdict}\n");
        }
        sb.Append(CultureInfo.InvariantCulture, $"\nLargest moves of estimates (in half-widths of the wider 95 % interval; {Math.Min(top, Moves.Count)} of {Moves.Count}):\n");
        foreach (var m in Moves.Take(top))
            sb.Append(CultureInfo.InvariantCulture, $"  {m.After.Key}: {G(m.Before.Estimate)} → {G(m.After.Estimate)} (change {(m.Change >= 0 ? "+" : "")}{G(m.Change)}, {G(m.InHalfWidths)} half-widths)\n");
        if (Moves.Count == 0) sb.Append("  none\n");
        return sb.ToString();
    }
}
