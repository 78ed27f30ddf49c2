using LossLab.Training;
using TorchSharp;

namespace LossLab.Experiments;

/// <summary>
/// A run's own continuation of torch's global generator, for code that draws from the global generator in the middle of a
/// run (an augmentation written with <c>torch.rand</c>) while other runs train beside it. It starts from the global
/// generator's state when it is made (at the end of a run's start, so right after the start's draws); each
/// <see cref="Draw{T}"/> runs with the global generator in the state the run's previous draw left, then puts the global
/// generator back as it was. One such draw runs at a time in the process (the lock of <see cref="Seeds.Isolated{T}"/> and of
/// a comparison's starts), so the run draws the numbers it draws when it runs alone, whatever the other threads do.
/// </summary>
sealed class GlobalGeneratorCopy
{
    byte[] state;

    GlobalGeneratorCopy(byte[] state) => this.state = state;

    /// <summary>A copy of the global generator as it is now.</summary>
    public static GlobalGeneratorCopy OfCurrent()
    {
        lock (Seeds.GlobalGate) return new(GlobalGeneratorGuard.State());
    }

    /// <summary>Runs <paramref name="draw"/> with the global generator where this copy's previous draw left it, and puts
    /// the global generator back afterwards.</summary>
    public T Draw<T>(Func<T> draw)
    {
        ArgumentNullException.ThrowIfNull(draw);
        lock (Seeds.GlobalGate)
        {
            var saved = GlobalGeneratorGuard.State();
            try
            {
                Set(state);
                return draw();
            }
            finally
            {
                state = GlobalGeneratorGuard.State();
                Set(saved);
            }
        }
    }

    static void Set(byte[] bytes)
    {
        using var s = torch.tensor(bytes, dtype: torch.ScalarType.Byte);
        torch.random.set_rng_state(s);
    }
}
