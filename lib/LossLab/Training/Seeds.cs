using TorchSharp;

namespace LossLab.Training;

/// <summary>
/// The one place LossLab seeds randomness. <see cref="Fix"/> seeds torch's global generator (parameter initialisation,
/// dropout, <c>torch.rand*</c> without a generator); every other random source is handed out from a seed and a stream
/// number (<see cref="Random(long, long)"/>, <see cref="Generator"/>), so no code touches a shared .NET generator and the
/// same (seed, stream) always gives the same numbers on the CPU. <see cref="Legacy"/> is the one place that seeds a
/// <see cref="System.Random"/> with the seed itself, for data sets that must keep their draws.
/// </summary>
public static class Seeds
{
    /// <summary>Seeds torch's global CPU generator (and every CUDA generator when CUDA is present) with <paramref name="seed"/>.</summary>
    public static void Fix(long seed)
    {
        TorchRuntime.EnsureConfigured();
        torch.random.manual_seed(seed);
        if (torch.cuda.is_available()) torch.cuda.manual_seed_all(seed);
    }

    /// <summary>Serialises every use of torch's global generator that must not interleave with another thread's:
    /// <see cref="Isolated{T}"/> and the starts of a comparison whose seeds train at once.</summary>
    internal static readonly object GlobalGate = new();

    /// <summary>
    /// Runs <paramref name="draw"/> with torch's global CPU generator seeded with <paramref name="seed"/>, then puts the
    /// generator back as it was: the draws are those that follow <see cref="Fix"/>(<paramref name="seed"/>), and code
    /// around the call sees no draw. One such call runs at a time in the process, so a run that trains beside others
    /// (<c>MethodComparison.Run</c> with a start and a finish) can build a model the same way at any point and get
    /// the same numbers whatever the other threads do. Build models on the CPU inside it; CUDA generators are not touched.
    /// </summary>
    public static T Isolated<T>(long seed, Func<T> draw)
    {
        ArgumentNullException.ThrowIfNull(draw);
        TorchRuntime.EnsureConfigured();
        lock (GlobalGate)
        {
            using var saved = torch.random.get_rng_state();
            try
            {
                torch.random.manual_seed(seed);
                return draw();
            }
            finally { torch.random.set_rng_state(saved); }
        }
    }

    /// <summary>A new <see cref="System.Random"/> for stream <paramref name="stream"/> of <paramref name="seed"/>. Different
    /// streams of one seed are independent; the generator uses .NET's seeded algorithm, which is fixed across versions.</summary>
    public static Random Random(long seed, long stream = 0) => new(unchecked((int)(Derive(seed, stream) >> 33)));

    /// <summary>
    /// A new <see cref="System.Random"/> seeded with <paramref name="seed"/> itself, exactly as <c>new Random(seed)</c>: the
    /// single home of that constructor in LossLab. It exists so that the data generators (Gaussian mixtures, procedural
    /// glyphs, Zipfian Markov chains and mixtures), k-means and the P×K sampler keep drawing the numbers they drew before
    /// the seeding API covered them, so that their data sets, batches and results stay the same for the same seed. New
    /// code uses <see cref="Random(long, long)"/>, whose streams of one seed are independent of each other.
    /// </summary>
    /// <remarks>Two legacy generators built from the same integer give the same draws: callers that need several streams
    /// from one seed derive distinct integers (as <see cref="LossLab.Data.GaussianMixture"/> does) or use
    /// <see cref="Random(long, long)"/>.</remarks>
    public static Random Legacy(int seed) => new(seed);

    /// <summary>A new torch generator for stream <paramref name="stream"/> of <paramref name="seed"/> (shuffling, sampling),
    /// on <paramref name="device"/> (the CPU by default).</summary>
    public static torch.Generator Generator(long seed, long stream = 0, torch.Device? device = null) =>
        new(unchecked((ulong)Derive(seed, stream)), device ?? torch.CPU);

    /// <summary>Mixes a seed and a stream number into a 64-bit seed (SplitMix64's finaliser, Steele et al. 2014), so that
    /// nearby (seed, stream) pairs give unrelated generators.</summary>
    public static long Derive(long seed, long stream)
    {
        unchecked
        {
            ulong z = (ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)stream + 0x632BE59BD9B4E019UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return (long)((z ^ (z >> 31)) & 0x7FFF_FFFF_FFFF_FFFFUL);
        }
    }
}
