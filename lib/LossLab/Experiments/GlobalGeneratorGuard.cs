using LossLab.Training;
using TorchSharp;

namespace LossLab.Experiments;

/// <summary>
/// Lets runs on several threads draw from torch's one global generator without depending on how the threads interleave:
/// every draw happens inside <see cref="Draw{T}"/>, one at a time, right after the seed is fixed, and each draw first
/// checks that the generator is in the state the previous draw left (<see cref="Check"/>). Any draw made elsewhere in the
/// meantime (a dropout layer, <c>torch.rand</c> without a generator) is reported instead of silently changing the numbers.
/// </summary>
sealed class GlobalGeneratorGuard
{
    // Shared with Seeds.Isolated, so that a run building a model in its finish never lands between a start's seed and its draws.
    readonly object gate = Seeds.GlobalGate;
    byte[]? left;
    string leftBy = "";

    /// <summary>Fixes <paramref name="seed"/> and runs <paramref name="draw"/> while no other draw runs.</summary>
    /// <exception cref="InvalidOperationException">The generator moved since the previous draw.</exception>
    public T Draw<T>(long seed, string what, Func<T> draw)
    {
        lock (gate)
        {
            CheckLocked($"the start of {what}");
            Seeds.Fix(seed);
            var result = draw();
            left = State();
            leftBy = what;
            return result;
        }
    }

    /// <summary>Checks that the generator is where the last draw left it.</summary>
    /// <exception cref="InvalidOperationException">It moved.</exception>
    public void Check(string when)
    {
        lock (gate) CheckLocked(when);
    }

    void CheckLocked(string when)
    {
        if (left is null || State().AsSpan().SequenceEqual(left)) return;
        throw new InvalidOperationException(
            $"torch's global generator was drawn from between the start of {leftBy} and {when}, outside a run's start. Runs that " +
            "train at the same time would then get numbers that depend on the order of the threads. Draw initialisation in the " +
            "start, and take training randomness from the run's own generators (Seeds.Generator, Trainer.Seed); no dropout layer " +
            "or torch.rand* without a generator in the finish.");
    }

    /// <summary>The global CPU generator's state, as bytes.</summary>
    internal static byte[] State()
    {
        using var state = torch.random.get_rng_state();
        return state.data<byte>().ToArray();
    }
}
