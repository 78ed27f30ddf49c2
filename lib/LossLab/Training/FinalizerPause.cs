using System.Runtime.CompilerServices;

namespace LossLab.Training;

/// <summary>
/// Holds .NET's finalizer thread while several threads run torch at once, so that no finalizer runs until the pause ends.
/// </summary>
/// <remarks>
/// TorchSharp's <c>Scalar</c> has a finalizer and is not kept alive across the native call it is passed to
/// (environment.md, "Same seed, same numbers"). With one thread running torch, a collection cannot land inside that
/// thread's native call; with two, one thread's allocation can trigger a collection while the other is in libtorch, and
/// the finalizer could then free a scalar libtorch is reading. During the pause the collector still runs, but objects it
/// finds unreachable wait in the finalization queue: their native memory is released when the pause ends. A pause is
/// started by a collection (to hand the finalizer thread its blocking object) and must be short-lived in the sense of
/// "one comparison"; code that calls <see cref="GC.WaitForPendingFinalizers"/> during it would wait for its end.
/// </remarks>
internal sealed class FinalizerPause : IDisposable
{
    readonly ManualResetEventSlim entered = new(false);
    readonly ManualResetEventSlim released = new(false);

    FinalizerPause() { }

    /// <summary>True while the finalizer thread is held by this pause.</summary>
    public bool Holding => entered.IsSet && !released.IsSet;

    /// <summary>Starts a pause: returns once the finalizer thread is held, or null when it did not reach the pause within
    /// <paramref name="timeout"/> (it was busy with a long queue; the caller then runs on one thread).</summary>
    public static FinalizerPause? Start(TimeSpan timeout)
    {
        var pause = new FinalizerPause();
        Enqueue(pause);
        GC.Collect();
        if (pause.entered.Wait(timeout)) return pause;
        pause.released.Set();
        return null;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static void Enqueue(FinalizerPause pause) => _ = new Blocker(pause);

    sealed class Blocker(FinalizerPause pause)
    {
        ~Blocker()
        {
            pause.entered.Set();
            pause.released.Wait();
        }
    }

    /// <summary>Ends the pause: the finalizer thread runs the queued finalizers.</summary>
    public void Dispose() => released.Set();
}
