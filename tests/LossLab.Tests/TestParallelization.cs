// Test classes run one at a time. TorchSharp's temporary scalars (every `x + y`, `x * 2.5`) are not kept alive across
// their native call, so a garbage collection triggered by another test's thread can free one while libtorch reads it
// (environment.md, "Same seed, same numbers"); with one test thread, collections are triggered only by the thread that
// also makes the native calls, which cannot land inside them. Each operation uses LOSSLAB_THREADS threads (1 when unset).
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
