using TorchSharp;

namespace LossLab.Training;

/// <summary>
/// The one place LossLab seeds randomness. <see cref="Fix"/> seeds torch's global generator (parameter initialisation,
/// dropout, <c>torch.rand*</c> without a generator); every other random source is handed out from a seed and a stream
/// number (<see cref="Random"/>, <see cref="Generator"/>), so no code touches a shared .NET generator and the same
/// (seed, stream) always gives the same numbers on the CPU.
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

    /// <summary>A new <see cref="System.Random"/> for stream <paramref name="stream"/> of <paramref name="seed"/>. Different
    /// streams of one seed are independent; the generator uses .NET's seeded algorithm, which is fixed across versions.</summary>
    public static Random Random(long seed, long stream = 0) => new(unchecked((int)(Derive(seed, stream) >> 33)));

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
