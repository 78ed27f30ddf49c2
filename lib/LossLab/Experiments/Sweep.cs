using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Deedle;
using LossLab.Training;

namespace LossLab.Experiments;

/// <summary>
/// Runs configurations × seeds and keeps each cell's metrics. With a cache folder, every finished cell is written there
/// as a JSON file (atomically), keyed by configuration name, configuration parameters and seed: a rerun reads finished
/// cells instead of running them, so a killed sweep resumes where it stopped, and changing a configuration's parameters
/// reruns it. Results feed paired comparisons (<see cref="Paired"/>) and Deedle tables.
/// </summary>
public sealed class Sweep
{
    static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    static readonly JsonSerializerOptions KeyJson = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    readonly List<SweepCell> cells = [];

    /// <summary>A sweep caching its cells in <paramref name="cacheDirectory"/> (null: no cache, every cell runs).</summary>
    public Sweep(string? cacheDirectory = null) => CacheDirectory = cacheDirectory;

    /// <summary>The cache folder, or null.</summary>
    public string? CacheDirectory { get; }

    /// <summary>The cells finished so far, in order.</summary>
    public IReadOnlyList<SweepCell> Cells => cells;

    /// <summary>
    /// Runs (or reads from the cache) one cell: <paramref name="run"/> receives the seed and returns the metrics.
    /// <paramref name="parameters"/> (any JSON-serialisable object, e.g. the configuration record) is part of the cache key.
    /// A cell already in this sweep with the same configuration and seed is replaced.
    /// </summary>
    public SweepCell Run(string configuration, int seed, Func<int, IReadOnlyDictionary<string, double>> run, object? parameters = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        ArgumentNullException.ThrowIfNull(run);
        string parametersJson = parameters is null ? "null" : JsonSerializer.Serialize(parameters, parameters.GetType(), KeyJson);
        string? path = CacheDirectory is null ? null : Path.Combine(CacheDirectory, CacheFileName(configuration, seed, parametersJson));
        SweepCell? cell = path is null ? null : TryRead(path, configuration, seed, parametersJson);
        if (cell is null)
        {
            var clock = Stopwatch.StartNew();
            var metrics = new Dictionary<string, double>(run(seed) ?? throw new InvalidOperationException($"The run of '{configuration}' with seed {seed} returned no metrics."));
            cell = new SweepCell(configuration, seed, metrics, FromCache: false, clock.Elapsed.TotalSeconds);
            if (path is not null) Write(path, cell, parametersJson);
        }
        cells.RemoveAll(c => c.Configuration == configuration && c.Seed == seed);
        cells.Add(cell);
        return cell;
    }

    /// <summary>
    /// Runs every configuration with every seed (seeds in the outer loop, so an interrupted sweep has whole seeds for
    /// every configuration), reading finished cells from the cache. Each configuration's value is its cache key's
    /// parameters and is passed to <paramref name="run"/> with the seed.
    /// </summary>
    public Sweep Run<TConfig>(IReadOnlyDictionary<string, TConfig> configurations, IReadOnlyList<int> seeds,
        Func<TConfig, int, IReadOnlyDictionary<string, double>> run, IProgress<SweepProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(configurations);
        ArgumentNullException.ThrowIfNull(seeds);
        ArgumentNullException.ThrowIfNull(run);
        if (configurations.Count == 0) throw new ArgumentException("configurations must not be empty.", nameof(configurations));
        if (seeds.Count == 0) throw new ArgumentException("seeds must not be empty.", nameof(seeds));
        if (seeds.Distinct().Count() != seeds.Count) throw new ArgumentException($"seeds must be distinct; got [{string.Join(", ", seeds)}].", nameof(seeds));
        int total = configurations.Count * seeds.Count, done = 0;
        foreach (int seed in seeds)
            foreach (var (name, config) in configurations)
            {
                var cell = Run(name, seed, s => run(config, s), config);
                progress?.Report(new SweepProgress(++done, total, cell));
            }
        return this;
    }

    /// <summary>The values of <paramref name="metric"/> for <paramref name="configuration"/>, by seed.</summary>
    /// <exception cref="ArgumentException">No cell has that configuration, or a cell lacks the metric.</exception>
    public IReadOnlyDictionary<int, double> Values(string configuration, string metric)
    {
        var found = cells.Where(c => c.Configuration == configuration).ToList();
        if (found.Count == 0)
            throw new ArgumentException($"No cell has configuration '{configuration}'; the sweep has [{string.Join(", ", ConfigurationNames)}].", nameof(configuration));
        var values = new SortedDictionary<int, double>();
        foreach (var c in found)
            values[c.Seed] = c.Metrics.TryGetValue(metric, out double v) ? v
                : throw new ArgumentException($"The cell ('{configuration}', seed {c.Seed}) has no metric '{metric}'; it has [{string.Join(", ", c.Metrics.Keys)}].", nameof(metric));
        return values;
    }

    /// <summary>The configuration names, in order of first appearance.</summary>
    public IReadOnlyList<string> ConfigurationNames => cells.Select(c => c.Configuration).Distinct().ToList();

    /// <summary>Paired comparison of <paramref name="a"/> against <paramref name="b"/> on <paramref name="metric"/> over
    /// the seeds both have run.</summary>
    /// <exception cref="ArgumentException">A configuration or the metric is missing, or the two share no seed.</exception>
    public PairedComparison Paired(string a, string b, string metric, bool higherIsBetter = true)
    {
        var va = Values(a, metric);
        var vb = Values(b, metric);
        var seeds = va.Keys.Where(vb.ContainsKey).OrderBy(s => s).ToList();
        if (seeds.Count == 0)
            throw new ArgumentException($"'{a}' (seeds {string.Join(", ", va.Keys)}) and '{b}' (seeds {string.Join(", ", vb.Keys)}) share no seed.", nameof(b));
        return new PairedComparison(seeds.Select(s => va[s]).ToList(), seeds.Select(s => vb[s]).ToList(), higherIsBetter, a, b, metric, seeds);
    }

    /// <summary>Every cell as a row: configuration, seed, then one column per metric (missing where a cell lacks it).</summary>
    public Frame<int, string> ToFrame()
    {
        var keys = Enumerable.Range(0, cells.Count).ToArray();
        var metricColumns = cells.SelectMany(c => c.Metrics.Keys).Distinct()
            .ToDictionary(m => m, m => new Series<int, double>(keys, cells.Select(c => c.Metrics.TryGetValue(m, out double v) ? v : double.NaN)));
        var frame = Frame.FromColumns(metricColumns);
        var result = Frame.FromColumns(new Dictionary<string, Series<int, string>>
        {
            ["configuration"] = new(keys, cells.Select(c => c.Configuration)),
        });
        result.AddColumn("seed", new Series<int, int>(keys, cells.Select(c => c.Seed)));
        foreach (var name in metricColumns.Keys) result.AddColumn(name, frame.GetColumn<double>(name));
        return result;
    }

    /// <summary>Per configuration: the number of seeds, mean, sample standard deviation, minimum and maximum of
    /// <paramref name="metric"/>.</summary>
    public Frame<string, string> Summary(string metric)
    {
        var names = ConfigurationNames;
        var stats = names.Select(n => Values(n, metric).Values.ToArray()).ToList();
        static double Std(double[] v) { double m = v.Average(); return v.Length < 2 ? double.NaN : Math.Sqrt(v.Sum(x => (x - m) * (x - m)) / (v.Length - 1)); }
        return Frame.FromColumns(new Dictionary<string, Series<string, double>>
        {
            ["count"] = new(names, stats.Select(v => (double)v.Length)),
            ["mean"] = new(names, stats.Select(v => v.Average())),
            ["std"] = new(names, stats.Select(Std)),
            ["min"] = new(names, stats.Select(v => v.Min())),
            ["max"] = new(names, stats.Select(v => v.Max())),
        });
    }

    /// <summary>The cache file name of a cell: a readable slug of the configuration, a hash of the configuration name
    /// and parameters, and the seed.</summary>
    public static string CacheFileName(string configuration, int seed, string parametersJson)
    {
        var slug = new string(configuration.Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.' ? ch : '_').ToArray());
        if (slug.Length > 60) slug = slug[..60];
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(configuration + "\n" + parametersJson));
        return $"{slug}-{Convert.ToHexStringLower(hash, 0, 8)}-seed{seed}.json";
    }

    sealed record CacheEntry(string Configuration, int Seed, JsonElement Parameters, Dictionary<string, double> Metrics,
        double Seconds, DateTimeOffset Finished);

    static SweepCell? TryRead(string path, string configuration, int seed, string parametersJson)
    {
        if (!File.Exists(path)) return null;
        CacheEntry? entry;
        try { entry = JsonSerializer.Deserialize<CacheEntry>(File.ReadAllText(path), Json); }
        catch (JsonException e) { throw new InvalidDataException($"The sweep cache file {path} is not valid JSON: {e.Message}", e); }
        if (entry is null || entry.Metrics is null) throw new InvalidDataException($"The sweep cache file {path} holds no metrics.");
        if (entry.Configuration != configuration || entry.Seed != seed || JsonSerializer.Serialize(entry.Parameters, KeyJson) != parametersJson)
            return null;   // a hash collision or an edited file: rerun the cell
        return new SweepCell(configuration, seed, entry.Metrics, FromCache: true, entry.Seconds);
    }

    static void Write(string path, SweepCell cell, string parametersJson)
    {
        using var parameters = JsonDocument.Parse(parametersJson);
        var entry = new CacheEntry(cell.Configuration, cell.Seed, parameters.RootElement,
            new Dictionary<string, double>(cell.Metrics), cell.Seconds, DateTimeOffset.UtcNow);
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(entry, Json));
    }
}
