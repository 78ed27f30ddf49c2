using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using LossLab.Training;

namespace LossLab.Experiments;

/// <summary>
/// Methods × seeds: every method runs once per seed, and every arm of a seed starts from the same state. Before each
/// run the comparison fixes the seed (<see cref="Training.Seeds.Fix"/>: torch's global generator, so the same
/// initialisation) and hands the run that seed to derive its batch order from (e.g. <c>Trainer.Seed</c>), so the arms
/// of a seed differ only by the method. Seeds are the outer loop, so an interrupted comparison has whole seeds. Results
/// are kept as the run's own record (<typeparamref name="TRun"/>: metrics, curves, diagrams), and the comparison gives
/// per-seed values, paired comparisons and summaries of any number taken from them: a notebook declares its methods and
/// a run function, and never indexes runs by hand. With a cache folder every finished run is written there (JSON,
/// atomically), keyed by method, seed, the run type and the comparison's parameters: a rerun reads finished runs instead
/// of running them, so a killed comparison resumes where it stopped, and changing a parameter reruns everything.
/// </summary>
/// <typeparam name="TRun">What one run returns.</typeparam>
public sealed class MethodComparison<TRun>
{
    static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        IncludeFields = true,
    };

    readonly Dictionary<(string Method, int Seed), (TRun Run, double Seconds, bool FromCache)> runs = [];
    readonly string parametersJson = "null";

    /// <summary>A comparison of <paramref name="methods"/> over <paramref name="seeds"/>; with
    /// <paramref name="cacheDirectory"/>, finished runs are kept there and read back by a rerun with the same
    /// <paramref name="parameters"/> (any JSON-serialisable object holding every knob the runs depend on: data sizes,
    /// epochs, learning rates...).</summary>
    /// <exception cref="ArgumentException">No method or seed, a repeated name or seed, a blank name, or a cache without
    /// parameters (runs of another experiment with the same method names would be read back).</exception>
    public MethodComparison(IReadOnlyList<string> methods, IReadOnlyList<int> seeds, string? cacheDirectory = null, object? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(methods);
        ArgumentNullException.ThrowIfNull(seeds);
        if (methods.Count == 0) throw new ArgumentException("methods must not be empty.", nameof(methods));
        if (seeds.Count == 0) throw new ArgumentException("seeds must not be empty.", nameof(seeds));
        if (methods.Any(string.IsNullOrWhiteSpace)) throw new ArgumentException("method names must not be blank.", nameof(methods));
        var repeated = methods.GroupBy(m => m).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (repeated.Count > 0) throw new ArgumentException($"method names must be distinct; repeated: {string.Join(", ", repeated)}.", nameof(methods));
        if (seeds.Distinct().Count() != seeds.Count) throw new ArgumentException($"seeds must be distinct; got [{string.Join(", ", seeds)}].", nameof(seeds));
        Methods = methods.ToArray();
        Seeds = seeds.ToArray();
        if (cacheDirectory is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(cacheDirectory);
            if (parameters is null)
                throw new ArgumentException("a cached comparison needs its parameters (every knob its runs depend on) as the cache key.", nameof(parameters));
            parametersJson = typeof(TRun).FullName + "\n" + JsonSerializer.Serialize(parameters, parameters.GetType(), Json);
            CacheDirectory = cacheDirectory;
        }
    }

    /// <summary>The cache folder, or null when every run is made.</summary>
    public string? CacheDirectory { get; }

    /// <summary>The methods, in the order given.</summary>
    public IReadOnlyList<string> Methods { get; }

    /// <summary>The seeds, in the order given.</summary>
    public IReadOnlyList<int> Seeds { get; }

    /// <summary>Runs every method with every seed (seeds outer): fixes the seed, then calls <paramref name="run"/> with the
    /// method and the seed. <paramref name="onRun"/> is called on the same thread right after each run with the number of
    /// runs done, the total, and the run's method, seed and seconds (synchronously: unlike an <see cref="IProgress{T}"/>,
    /// whose reports may arrive after the comparison has returned, the last report comes before <c>Run</c> returns).</summary>
    public MethodComparison<TRun> Run(Func<string, int, TRun> run, Action<(int Done, int Total, string Method, int Seed, double Seconds)>? onRun = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        int done = 0, total = Methods.Count * Seeds.Count;
        foreach (var seed in Seeds)
            foreach (var method in Methods)
            {
                var entry = Made(method, seed, () =>
                {
                    Training.Seeds.Fix(seed);
                    return run(method, seed);
                });
                onRun?.Invoke((++done, total, method, seed, entry.Seconds));
            }
        return this;
    }

    /// <summary>
    /// Runs every method with every seed in two parts, so that several seeds can train at once and still give the numbers
    /// they give one after another. <paramref name="start"/> (building and initialising the model) runs with the seed fixed
    /// and is the only part allowed to draw from torch's global generator; one start runs at a time, right after its seed
    /// is fixed (starts of different seeds interleave in any order; the seed fixed before each makes its draws those of a
    /// sequential run, and a seed's own starts keep their order). <paramref name="finish"/> (training and scoring) gets what the start returned and must take its
    /// randomness from its own generators (<see cref="Training.Seeds.Generator"/>, e.g. <c>Trainer.Seed</c>). The seeds
    /// are shared among <paramref name="workers"/> threads (default <see cref="Threads.Workers"/>: <c>LOSSLAB_SEED_WORKERS</c>,
    /// else the cores when <c>LOSSLAB_THREADS</c> is unset, else 1; under <c>losslab run --jobs</c> the share can grow while the
    /// comparison runs, and another worker then takes the next seed); each seed's methods run in order on one thread, so a method may read an
    /// earlier method's run of the same seed. <paramref name="onRun"/> is called on the calling thread, in the order runs
    /// finish.
    /// </summary>
    /// <remarks>While seeds train at once the finalizer thread is held (TorchSharp's scalars are not kept alive across the
    /// native calls they are passed to; environment.md, "Same seed, same numbers"), and finalizers run when the comparison
    /// ends. Every start first checks that the global generator is where the previous start left it, and so does the
    /// end of the comparison: a finish that drew from it would make the numbers depend on the interleaving of the threads,
    /// and the comparison refuses with an <see cref="InvalidOperationException"/> instead; a finish may build a model through
    /// <see cref="Training.Seeds.Isolated{T}"/>, which leaves the generator as it was. After a failure no new seed
    /// starts; the failure of the earliest seed is thrown once the running seeds end. An exception thrown by
    /// <paramref name="onRun"/> ends the comparison the same way: no new seed starts, and it is rethrown once the running
    /// seeds end. Run returns or throws only after every worker thread has ended.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="workers"/> is below 1.</exception>
    /// <exception cref="InvalidOperationException">A run drew from torch's global generator outside its start.</exception>
    public MethodComparison<TRun> Run<TStarted>(Func<string, int, TStarted> start, Func<string, int, TStarted, TRun> finish,
        Action<(int Done, int Total, string Method, int Seed, double Seconds)>? onRun = null, int? workers = null)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(finish);
        int threads = workers ?? Threads.Workers;
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(workers), threads, "workers must be at least 1.");
        threads = Math.Min(threads, Seeds.Count);
        var generator = new GlobalGeneratorGuard();
        var pending = new System.Collections.Concurrent.ConcurrentQueue<int>(Seeds);
        using var finished = new System.Collections.Concurrent.BlockingCollection<(string Method, int Seed, double Seconds)>();
        var failures = new System.Collections.Concurrent.ConcurrentDictionary<int, System.Runtime.ExceptionServices.ExceptionDispatchInfo>();

        int done = 0, total = Methods.Count * Seeds.Count;
        void Report((string Method, int Seed, double Seconds) r) => onRun?.Invoke((++done, total, r.Method, r.Seed, r.Seconds));

        bool stopped = false;   // set when the calling thread leaves on an exception of its own (onRun threw)
        void Work(Action<(string Method, int Seed, double Seconds)> report)
        {
            while (!Volatile.Read(ref stopped) && failures.IsEmpty && pending.TryDequeue(out int seed))
                try
                {
                    foreach (var method in Methods)
                    {
                        var entry = Made(method, seed, () =>
                        {
                            var started = generator.Draw(seed, $"'{method}' with seed {seed}", () => start(method, seed));
                            return finish(method, seed, started);
                        });
                        report((method, seed, entry.Seconds));
                    }
                }
                catch (Exception e)
                {
                    failures[seed] = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
                }
        }

        // Several threads running torch need the finalizer thread held (FinalizerPause: TorchSharp's scalar race); when it
        // cannot be held, the seeds run one after another, with the same numbers. Under losslab run --jobs the share of
        // workers may grow while the comparison runs (another notebook ended): the comparison then takes on a worker for
        // the next seed whenever the share allows one more. Starting from one worker, the calling thread trains as it does
        // alone, and the pause starts only when a second worker joins.
        bool grows = workers is null && Threads.WorkersMayGrow && Seeds.Count > 1;
        FinalizerPause? pause = threads > 1 ? FinalizerPause.Start(TimeSpan.FromSeconds(10)) : null;
        var gate = new object();
        var workerThreads = new List<Thread>();   // under gate
        try
        {
            int live = 0, made = 0;
            void Add()   // under gate
            {
                int number = ++made;
                live++;
                var worker = new Thread(() =>
                {
                    try
                    {
                        Threads.Apply();
                        Work(finished.Add);
                    }
                    catch (Exception e) { failures[int.MinValue] = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e); }
                    finally
                    {
                        lock (gate)
                            if (--live == 0) finished.CompleteAdding();
                    }
                }) { IsBackground = true, Name = $"LossLab seeds {number}" };
                workerThreads.Add(worker);
                worker.Start();
            }
            bool Grow()   // true when a worker joined
            {
                int share;
                try { share = Math.Min(Threads.Workers, Seeds.Count); }
                catch (InvalidOperationException) { return false; }   // a malformed share file: keep the workers there are
                lock (gate)
                {
                    if (!(live > 0 && live < share && made < Seeds.Count && !pending.IsEmpty && failures.IsEmpty)) return false;
                    if (pause is null && (pause = FinalizerPause.Start(TimeSpan.FromSeconds(10))) is null)
                    {
                        grows = false;   // the finalizer thread could not be held: one worker to the end
                        return false;
                    }
                    while (live < share && made < Seeds.Count && !pending.IsEmpty) Add();
                    return true;
                }
            }
            if (pause is null && !grows) Work(Report);
            else if (pause is null)
            {
                // One worker, the calling thread; between its runs it reports the others' and takes on workers.
                lock (gate) { live = 1; made = 1; }
                Work(r =>
                {
                    Report(r);
                    while (finished.TryTake(out var other)) Report(other);
                    if (grows) Grow();
                });
                lock (gate)
                    if (--live == 0) finished.CompleteAdding();
                foreach (var r in finished.GetConsumingEnumerable()) Report(r);
            }
            else
            {
                lock (gate) for (int i = 0; i < threads; i++) Add();
                while (!finished.IsCompleted)
                {
                    if (finished.TryTake(out var r, grows ? 250 : Timeout.Infinite)) Report(r);
                    if (grows) Grow();
                }
            }
        }
        catch
        {
            Volatile.Write(ref stopped, true);   // the calling thread leaves on an exception of its own (onRun threw)
            throw;
        }
        finally
        {
            // No worker outlives the comparison: the last one may still be inside CompleteAdding when the calling thread sees
            // the collection completed, and disposing it then would throw on that worker, outside any handler, and end the
            // process; and no worker may run torch once the finalizer thread is released. When the calling thread leaves on
            // an exception of its own (onRun threw), the workers finish the seed in hand and start no other.
            Thread[] toJoin;
            lock (gate) toJoin = [.. workerThreads];
            foreach (var thread in toJoin) thread.Join();
            pause?.Dispose();
        }
        // The earliest seed's failure, else a worker's own (keyed int.MinValue).
        foreach (var seed in Seeds)
            if (failures.TryGetValue(seed, out var failure)) failure.Throw();
        if (failures.TryGetValue(int.MinValue, out var worker)) worker.Throw();
        generator.Check("the end of the comparison");
        return this;
    }

    /// <summary>The run of (<paramref name="method"/>, <paramref name="seed"/>): read from the cache when it is there, else
    /// made by <paramref name="make"/>, timed, and written to the cache; either way kept in the comparison.</summary>
    (TRun Run, double Seconds, bool FromCache) Made(string method, int seed, Func<TRun> make)
    {
        string? path = CacheDirectory is null ? null : Path.Combine(CacheDirectory, Sweep.CacheFileName(method, seed, parametersJson));
        var entry = path is null ? null : TryRead(path, method, seed);
        if (entry is null)
        {
            var clock = Stopwatch.StartNew();
            var result = make();
            if (result is null) throw new InvalidOperationException($"The run of '{method}' with seed {seed} returned nothing.");
            entry = (result, clock.Elapsed.TotalSeconds, false);
            if (path is not null) Write(path, method, seed, result, entry.Value.Seconds);
        }
        lock (runs) runs[(method, seed)] = entry.Value;
        return entry.Value;
    }

    /// <summary>The run of <paramref name="method"/> with <paramref name="seed"/>.</summary>
    /// <exception cref="KeyNotFoundException">That run has not been made; the message names what has.</exception>
    public TRun this[string method, int seed] => Entry(method, seed).Run;

    /// <summary>Seconds each run took.</summary>
    public double Seconds(string method, int seed) => Entry(method, seed).Seconds;

    /// <summary>True when the run of <paramref name="method"/> with <paramref name="seed"/> was read from the cache.</summary>
    public bool FromCache(string method, int seed) => Entry(method, seed).FromCache;

    (TRun Run, double Seconds, bool FromCache) Entry(string method, int seed)
    {
        lock (runs)
            return runs.TryGetValue((method, seed), out var r) ? r : throw new KeyNotFoundException($"No run of '{method}' with seed {seed}: methods [{string.Join(", ", Methods)}], seeds [{string.Join(", ", Seeds)}]" +
                (runs.Count == 0 ? "; Run has not been called." : "."));
    }

    sealed record CacheEntry(string Method, int Seed, string Key, double Seconds, TRun Run);

    (TRun Run, double Seconds, bool FromCache)? TryRead(string path, string method, int seed)
    {
        if (!File.Exists(path)) return null;
        CacheEntry? entry;
        try { entry = JsonSerializer.Deserialize<CacheEntry>(File.ReadAllText(path), Json); }
        catch (JsonException e) { throw new InvalidDataException($"The comparison cache file {path} is not a cached {typeof(TRun).Name} run: {e.Message}", e); }
        if (entry is null || entry.Run is null) throw new InvalidDataException($"The comparison cache file {path} holds no run.");
        if (entry.Method != method || entry.Seed != seed || entry.Key != parametersJson) return null;   // a hash collision: rerun
        return (entry.Run, entry.Seconds, true);
    }

    void Write(string path, string method, int seed, TRun run, double seconds)
    {
        string text;
        try { text = JsonSerializer.Serialize(new CacheEntry(method, seed, parametersJson, seconds, run), Json); }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or ArgumentException or JsonException)
        {
            throw new NotSupportedException($"A cached comparison keeps its runs as JSON, and {typeof(TRun).Name} cannot be written as JSON " +
                $"({e.Message}); keep numbers and arrays in the run record (not tensors or modules), or run without a cache.", e);
        }
        Directory.CreateDirectory(CacheDirectory!);
        AtomicFile.WriteAllText(path, text);
    }

    /// <summary>Every run of <paramref name="method"/>, in seed order.</summary>
    public IReadOnlyList<TRun> RunsOf(string method) => Seeds.Select(s => this[method, s]).ToArray();

    /// <summary><paramref name="metric"/> of each run of <paramref name="method"/>, in seed order (pairs with every other
    /// method's values seed by seed).</summary>
    public double[] PerSeed(string method, Func<TRun, double> metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        return Seeds.Select(s => metric(this[method, s])).ToArray();
    }

    /// <summary>The mean over seeds of <paramref name="metric"/> of <paramref name="method"/>'s runs, for tables and charts
    /// (claims use the per-seed values and their intervals, not this mean).</summary>
    public double Mean(string method, Func<TRun, double> metric) => PerSeed(method, metric).Average();

    /// <summary>The element-wise mean over seeds of the vectors <paramref name="values"/> gives for <paramref name="method"/>'s
    /// runs (per-class accuracy, row norms, a curve).</summary>
    /// <exception cref="ArgumentException">The runs' vectors differ in length.</exception>
    public double[] MeanOf(string method, Func<TRun, IReadOnlyList<double>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var vectors = RunsOf(method).Select(values).ToArray();
        int n = vectors[0].Count;
        if (vectors.Any(v => v.Count != n))
            throw new ArgumentException($"the runs of '{method}' give vectors of different lengths: [{string.Join(", ", vectors.Select(v => v.Count))}].", nameof(values));
        return Enumerable.Range(0, n).Select(i => vectors.Select(v => v[i]).Average()).ToArray();
    }

    /// <summary>The paired comparison of <paramref name="a"/> against <paramref name="b"/> on <paramref name="metric"/>.</summary>
    public PairedComparison Paired(string a, string b, Func<TRun, double> metric, string metricName = "value", bool higherIsBetter = true) =>
        new(PerSeed(a, metric), PerSeed(b, metric), higherIsBetter, a, b, metricName, Seeds);

    /// <summary>Per method, in order: the number of seeds, the mean and the sample standard deviation (0 for one seed) of
    /// <paramref name="metric"/>.</summary>
    public IReadOnlyList<MethodSummary> Summary(Func<TRun, double> metric) =>
        Methods.Select(m =>
        {
            var v = PerSeed(m, metric);
            double mean = v.Average();
            double sd = v.Length < 2 ? 0 : Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
            return new MethodSummary(m, v.Length, mean, sd);
        }).ToArray();
}

/// <summary>One method's summary of a metric over seeds.</summary>
/// <param name="Method">The method.</param>
/// <param name="Count">Seeds.</param>
/// <param name="Mean">Mean over seeds.</param>
/// <param name="Std">Sample standard deviation over seeds (0 with one seed).</param>
public readonly record struct MethodSummary(string Method, int Count, double Mean, double Std);
