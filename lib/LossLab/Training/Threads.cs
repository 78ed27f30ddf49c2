using TorchSharp;

namespace LossLab.Training;

/// <summary>
/// The number of threads torch's CPU kernels use. Small models run faster on one thread (per-op overhead dominates);
/// large matrix products gain from two. <c>LOSSLAB_THREADS</c> overrides the default of <see cref="Configure"/>.
/// </summary>
public static class Threads
{
    /// <summary>The environment variable read by <see cref="Configure"/> ("1", "2", …).</summary>
    public const string EnvironmentVariable = "LOSSLAB_THREADS";

    /// <summary>The number of threads torch uses now.</summary>
    public static int Current => torch.get_num_threads();

    /// <summary>Sets torch's intra-op thread count to <paramref name="count"/> and returns it. With libtorch's OpenMP
    /// backend the count belongs to the calling OS thread and to threads that first use torch afterwards: a thread that
    /// already ran torch keeps its own count, so set it on the thread that trains (LossLab's notebook kernel runs every
    /// cell on one thread).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1.</exception>
    public static int Set(int count)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "count must be at least 1.");
        TorchRuntime.EnsureConfigured();
        torch.set_num_threads(count);
        return count;
    }

    /// <summary>Sets the thread count to <paramref name="requested"/> when given, else to <c>LOSSLAB_THREADS</c> when set,
    /// else to <paramref name="fallback"/>; returns the count set.</summary>
    /// <exception cref="ArgumentException"><c>LOSSLAB_THREADS</c> is not a positive integer.</exception>
    public static int Configure(int? requested = null, int fallback = 1)
    {
        if (requested is int r) return Set(r);
        string? text = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(text)) return Set(fallback);
        if (!int.TryParse(text.Trim(), out int n) || n < 1)
            throw new ArgumentException($"{EnvironmentVariable} must be a positive integer; got '{text}'.", nameof(requested));
        return Set(n);
    }
}
