using TorchSharp;

namespace LossLab.Training;

/// <summary>
/// The number of threads torch's CPU kernels use, set in one place: the <c>LOSSLAB_THREADS</c> environment variable.
/// </summary>
/// <remarks>
/// <para><b>The rule.</b> LossLab applies <c>LOSSLAB_THREADS</c> when it initialises torch
/// (<see cref="TorchRuntime.EnsureConfigured"/>, on the thread that first uses LossLab), and 1 thread when the variable
/// is unset. Notebooks set nothing: the engine's <c>losslab run --jobs N</c> sets <c>LOSSLAB_THREADS</c> for each notebook
/// process (its share of the cores), and a user who wants another count sets the variable. Small models run faster on one
/// thread (per-op overhead dominates); large matrix products gain from two. libtorch's own default would be the number of
/// cores.</para>
/// <para><b>No silent override.</b> While <c>LOSSLAB_THREADS</c> is set, <see cref="Set"/> and <see cref="Configure"/>
/// accept only that count: asking for another throws <see cref="InvalidOperationException"/> naming both, so a cell
/// cannot undo the engine's split under <c>--jobs</c> without anyone noticing. Without the variable, code may set any
/// count (benchmarks and determinism tests do).</para>
/// <para>With libtorch's OpenMP backend the count belongs to the calling OS thread and to threads that first use torch
/// afterwards: a thread that already ran torch keeps its own count, so apply it on the thread that trains
/// (<see cref="Apply"/>; LossLab's notebook kernel runs every cell on one thread).</para>
/// </remarks>
public static class Threads
{
    /// <summary>The environment variable that sets the thread count ("1", "2", …).</summary>
    public const string EnvironmentVariable = "LOSSLAB_THREADS";

    /// <summary>The count applied when <c>LOSSLAB_THREADS</c> is unset.</summary>
    public const int Default = 1;

    /// <summary>The number of threads torch uses now (on the calling thread).</summary>
    public static int Current => torch.get_num_threads();

    /// <summary>The count <c>LOSSLAB_THREADS</c> asks for, or null when it is unset or blank.</summary>
    /// <exception cref="InvalidOperationException"><c>LOSSLAB_THREADS</c> is set but is not a positive integer.</exception>
    public static int? FromEnvironment() => PositiveFromEnvironment(EnvironmentVariable);

    // A positive integer from an environment variable, null when it is unset or blank.
    static int? PositiveFromEnvironment(string variable)
    {
        string? text = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(text)) return null;
        return Positive(text) ?? throw new InvalidOperationException($"{variable} must be a positive integer; got '{text}'.");
    }

    // A positive integer written in plain digits (surrounding blanks allowed), else null.
    static int? Positive(string text) =>
        int.TryParse(text.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) && n >= 1 ? n : null;

    /// <summary>The environment variable that sets how many seeds a comparison with a start and a finish trains at once
    /// (<see cref="Workers"/>).</summary>
    public const string WorkersVariable = "LOSSLAB_SEED_WORKERS";

    /// <summary>How many seeds a comparison with a start and a finish (<c>MethodComparison.Run</c>, e.g.
    /// <c>LongTailBench</c>) trains at once: <c>LOSSLAB_SEED_WORKERS</c> when set; else 1 when <c>LOSSLAB_THREADS</c> is set
    /// (the process was given that many cores, e.g. its share under <c>losslab run --jobs</c>, and one run's torch uses
    /// them); else the number of cores, each worker's torch on <see cref="Configured"/> (1) thread. The numbers do not
    /// depend on it.</summary>
    /// <exception cref="InvalidOperationException"><c>LOSSLAB_SEED_WORKERS</c> or <c>LOSSLAB_THREADS</c> is set but is not a
    /// positive integer.</exception>
    /// <remarks>Under <c>losslab run --jobs</c> the engine also names a share file (<c>LOSSLAB_SEED_WORKERS_FILE</c>) that
    /// holds this process's current share of seed workers; it rewrites the file when a notebook ends and no other is left
    /// to start, so that the notebooks still running take over the freed cores. <see cref="Workers"/> then reads the file
    /// each time (1 while it cannot be read), and a comparison adds workers as the share grows
    /// (<see cref="WorkersMayGrow"/>).</remarks>
    public static int Workers => PositiveFromEnvironment(WorkersVariable) ?? FromShareFile() ?? (FromEnvironment() is null ? Environment.ProcessorCount : 1);

    /// <summary>The environment variable that names the share file (see <see cref="Workers"/>); set by the engine.</summary>
    public const string WorkersFileVariable = "LOSSLAB_SEED_WORKERS_FILE";

    /// <summary>True when <see cref="Workers"/> may grow while the process runs: the engine named a share file and
    /// <c>LOSSLAB_SEED_WORKERS</c> does not fix the count.</summary>
    public static bool WorkersMayGrow => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(WorkersFileVariable))
        && PositiveFromEnvironment(WorkersVariable) is null;

    // The share file's count: null without the variable, 1 while the file is missing or being replaced.
    static int? FromShareFile()
    {
        string? path = Environment.GetEnvironmentVariable(WorkersFileVariable);
        if (string.IsNullOrWhiteSpace(path)) return null;
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return 1; }
        return Positive(text)
            ?? throw new InvalidOperationException($"{WorkersFileVariable} names {path}, which must hold a positive integer; it holds '{text.Trim()}'.");
    }

    /// <summary>Writes <paramref name="workers"/> to the share file at <paramref name="path"/> atomically (a temporary file
    /// renamed over it), as the engine does for each notebook process it runs.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="workers"/> is below 1.</exception>
    public static void WriteShare(string path, int workers)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (workers < 1) throw new ArgumentOutOfRangeException(nameof(workers), workers, "workers must be at least 1.");
        AtomicFile.WriteAllText(path, workers.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The count LossLab applies: <c>LOSSLAB_THREADS</c> when set, else <see cref="Default"/> (1).</summary>
    public static int Configured => FromEnvironment() ?? Default;

    /// <summary>Applies <see cref="Configured"/> on the calling thread and returns it (what <see cref="TorchRuntime"/>
    /// does once per process; call it on another thread that trains).</summary>
    public static int Apply()
    {
        int n = Configured;
        TorchRuntime.EnsureConfigured();
        torch.set_num_threads(n);
        return n;
    }

    /// <summary>Sets torch's intra-op thread count to <paramref name="count"/> on the calling thread and returns it.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1.</exception>
    /// <exception cref="InvalidOperationException"><c>LOSSLAB_THREADS</c> is set to another count (see the remarks).</exception>
    public static int Set(int count)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "count must be at least 1.");
        if (FromEnvironment() is int fixedCount && fixedCount != count)
            throw new InvalidOperationException(
                $"{EnvironmentVariable}={fixedCount} fixes torch's thread count (the engine sets it under --jobs, or it was set " +
                $"for this process); a request for {count} would override it. Remove the call (LossLab applies " +
                $"{EnvironmentVariable} itself) or change the variable.");
        TorchRuntime.EnsureConfigured();
        torch.set_num_threads(count);
        return count;
    }

    /// <summary>Sets the thread count and returns it: <c>LOSSLAB_THREADS</c> when set (a <paramref name="requested"/>
    /// count must then equal it), else <paramref name="requested"/>, else <paramref name="fallback"/>. Notebooks need not
    /// call it: LossLab applies <c>LOSSLAB_THREADS</c> (or 1) when it initialises torch.</summary>
    /// <exception cref="InvalidOperationException"><c>LOSSLAB_THREADS</c> is not a positive integer, or is set and
    /// <paramref name="requested"/> asks for another count.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The count to set is below 1.</exception>
    public static int Configure(int? requested = null, int fallback = Default)
    {
        if (FromEnvironment() is int fixedCount) return Set(requested ?? fixedCount);
        return Set(requested ?? fallback);
    }
}
