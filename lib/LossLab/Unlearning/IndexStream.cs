using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Unlearning;

/// <summary>An endless stream of mini-batch index tensors over N samples: successive random permutations from one
/// generator (<see cref="LossLab.Training.Seeds.Generator"/> of the seed and a stream number), cut into batches (the
/// last batch of a pass may be short).</summary>
internal sealed class IndexStream : IDisposable
{
    readonly long count;
    readonly int batchSize;
    readonly Generator generator;
    Tensor? order;
    long position;

    public IndexStream(long count, int batchSize, long seed, long stream)
    {
        this.count = count;
        this.batchSize = batchSize;
        generator = LossLab.Training.Seeds.Generator(seed, stream);
    }

    /// <summary>The next batch of indices (in the current dispose scope); empty when N = 0 or the batch size is 0.</summary>
    public Tensor Next()
    {
        if (count == 0 || batchSize == 0) return empty(0, dtype: ScalarType.Int64);
        if (order is null || position >= count)
        {
            order?.Dispose();
            order = randperm(count, generator: generator).DetachFromDisposeScope();
            position = 0;
        }
        long len = Math.Min(batchSize, count - position);
        var idx = order.narrow(0, position, len).clone();
        position += len;
        return idx;
    }

    public void Dispose()
    {
        order?.Dispose();
        generator.Dispose();
    }
}
